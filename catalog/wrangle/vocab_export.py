"""`catalog vocab export`: every canonical tag the catalogue holds with its synonyms,
metatags and fandoms, as a version 2 vocabulary file that `vocab load` reads back.

Version 2 adds to version 1 the sections `ratings`, `warnings` and `categories` (for their
synonyms), `parents` in every section and an optional `ao3_id`. Entries come in AO3's type
order, each section and list sorted by name key, so the same wrangling always writes the
same file: export, load into a fresh catalogue and export again, and the files are equal.
Canonical tags imported from AO3's data dump (they have an `ao3_id`) are written only
with `all_tags`, unless the user hung something of their own on one (a synonym or a
parent that is not from the dump).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from catalog import vocab
from catalog.store.models import Tag, TagParent
from catalog.textnorm import name_key

SECTIONS_V2 = {"rating": "ratings", "warning": "warnings", "category": "categories",
               "fandom": "fandoms", "relationship": "relationships",
               "character": "characters", "freeform": "freeforms"}


def export(session: Session, *, all_tags: bool = False) -> dict[str, Any]:
    """The catalogue's wrangling as a version 2 vocabulary (a mapping ready for YAML)."""
    canonical = {tag_id: (tag_type, name, ao3_id) for tag_id, tag_type, name, ao3_id in
                 session.execute(select(Tag.id, Tag.type, Tag.name, Tag.ao3_id)
                                 .where(Tag.canonical))}
    synonyms: dict[int, list[tuple[str, bool, int | None]]] = defaultdict(list)
    for target, name, common, ao3_id in session.execute(
            select(Tag.synonym_of_id, Tag.name, Tag.common, Tag.ao3_id)
            .where(Tag.synonym_of_id.is_not(None))):
        if target is not None:
            synonyms[target].append((name, common, ao3_id))
    parent = aliased(Tag)
    parents: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for child, parent_type, parent_name in session.execute(
            select(TagParent.child_id, parent.type, parent.name)
            .join(parent, parent.id == TagParent.parent_id)):
        parents[child].append((parent_type, parent_name))
    sections: dict[str, list[dict[str, Any]]] = {s: [] for s in SECTIONS_V2.values()}
    for tag_id, (tag_type, name, ao3_id) in canonical.items():
        own = [s for s in synonyms.get(tag_id, []) if s[2] is None]
        if ao3_id is not None and not all_tags and not own and not parents.get(tag_id):
            continue
        sections[SECTIONS_V2[tag_type]].append(
            _entry(tag_type, name, ao3_id, synonyms.get(tag_id, []), parents.get(tag_id, [])))
    out: dict[str, Any] = {"version": 2}
    for section, entries in sections.items():
        out[section] = sorted(entries, key=lambda e: (name_key(e["name"]), e["name"]))
    return out


def _entry(tag_type: str, name: str, ao3_id: int | None,
           synonyms: list[tuple[str, bool, int | None]],
           parents: list[tuple[str, str]]) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": name}
    names = sorted(synonyms, key=lambda s: (name_key(s[0]), s[0]))
    if names:
        entry["synonyms"] = [n for n, _, _ in names]
    common = [n for n, is_common, _ in names if is_common]
    if common:
        entry["common"] = common
    same = sorted((n for t, n in parents if t == tag_type), key=name_key)
    if same:
        entry["parents"] = same
    fandoms = sorted((n for t, n in parents if t == "fandom" and t != tag_type), key=name_key)
    if fandoms:
        entry["fandoms"] = fandoms
    if ao3_id is not None:
        entry["ao3_id"] = ao3_id
    return entry


def dump(data: dict[str, Any]) -> str:
    """YAML for a vocabulary, with a header saying what it is."""
    # loaded by the outputs that need it
    import yaml

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    body = yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100,
                     default_flow_style=None)
    fixed = ", ".join(vocab.FIXED_TYPES)
    return ("# A catalogue's tag wrangling (`catalog vocab export`), version 2 of the layout\n"
            "# of catalog/vocabularies/buffyverse.yaml: canonical tags with their synonyms,\n"
            f"# parents and fandoms; {fixed} for their synonyms. Load it with\n"
            "# `catalog vocab load FILE`.\n" + body)
