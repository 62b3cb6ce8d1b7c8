"""Vocabulary files: canonical tags with their synonyms, metatags and fandoms, and the names
inference looks for in story text. `catalog/vocabularies/buffyverse.yaml` is loaded into
every new catalogue; `catalog vocab load FILE` loads another. Loading is idempotent and
never overrides a link the user made: a conflicting entry is skipped and reported.

A file (YAML) is read and checked by `catalog.wrangle.vocabfile`; a new catalogue gets the
shipped one in bulk (`catalog.wrangle.seed`), the same rows this loader writes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog import vocab
from catalog.errors import WranglingError
from catalog.store.models import Tag
from catalog.textnorm import name_key
from catalog.wrangle import edit
from catalog.wrangle.vocabfile import SECTIONS_2, default_path, read
from catalog.wrangle.vocabfile import names as _names


@dataclass
class LoadReport:
    created: Counter[str] = field(default_factory=Counter)
    linked: int = 0
    conflicts: list[str] = field(default_factory=list)


def load(session: Session, path: Path | None = None) -> LoadReport:
    """Load a vocabulary file into the catalogue, in the caller's transaction."""
    return _Loader(session).load(read(path or default_path()))


class _Loader:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.report = LoadReport()
        self.tags: dict[tuple[str, str], Tag] = {}
        self.rerated: list[Tag] = []  # new rating synonyms: their works are rated anew

    def load(self, sections: dict[str, list[dict[str, Any]]]) -> LoadReport:
        wanted = {(SECTIONS_2[s], name_key(n)) for s, entries in sections.items()
                  for e in entries for n in [e["name"], *_names(e, "synonyms"),
                                             *_names(e, "aliases"), *_names(e, "parents"),
                                             *_names(e, "fandoms")]}
        self._prefetch({k for _, k in wanted})
        links: list[tuple[Tag, str, str]] = []
        for section, entries in sections.items():
            tag_type = SECTIONS_2[section]
            for entry in entries:
                canonical = self._canonical(tag_type, entry["name"])
                if canonical is None:
                    continue
                if entry.get("ao3_id") is not None and canonical.ao3_id is None:
                    canonical.ao3_id = entry["ao3_id"]
                common = {name_key(n) for n in _names(entry, "common")}
                for alias in _names(entry, "synonyms") + _names(entry, "aliases"):
                    self._synonym(tag_type, alias, canonical, name_key(alias) in common)
                links += [(canonical, tag_type, p) for p in _names(entry, "parents")]
                links += [(canonical, "fandom", f) for f in _names(entry, "fandoms")]
        self.session.flush()
        for child, parent_type, parent in links:
            self._parent(child, parent_type, parent)
        for rating in self.rerated:
            edit.rerate(self.session, rating)
        return self.report

    def _prefetch(self, keys: Iterable[str]) -> None:
        keys = list(keys)
        for start in range(0, len(keys), 500):
            for tag in self.session.scalars(
                    select(Tag).where(Tag.name_key.in_(keys[start:start + 500]))):
                self.tags[(tag.type, tag.name_key)] = tag

    def _tag(self, tag_type: str, name: str, *, canonical: bool = False) -> Tag:
        key = (tag_type, name_key(name))
        if key not in self.tags:
            self.tags[key] = edit.new_tag(self.session, tag_type, name, canonical=canonical,
                                          wrangle=False)
            self.report.created[tag_type] += 1
        return self.tags[key]

    def _canonical(self, tag_type: str, name: str) -> Tag | None:
        if tag_type in vocab.FIXED_TYPES and not vocab.is_fixed_name(tag_type, name):
            self.report.conflicts.append(f"{tag_type}s are AO3's fixed vocabulary: {name!r} "
                                         "can only be a synonym of one of them")
            return None
        tag = self._tag(tag_type, name, canonical=True)
        if tag.synonym_of_id is not None:
            self.report.conflicts.append(f"{tag_type} {name!r} is a synonym in this "
                                         "catalogue; its entry was skipped")
            return None
        tag.canonical = True
        return tag

    def _synonym(self, tag_type: str, name: str, canonical: Tag, common: bool) -> None:
        tag = self._tag(tag_type, name)
        if tag is canonical:
            return
        if common and not tag.common:
            tag.common = True
        if tag.synonym_of is canonical or (tag.synonym_of_id is not None
                                           and tag.synonym_of_id == canonical.id):
            return
        if tag.canonical or tag.synonym_of_id is not None:
            self.report.conflicts.append(
                f"{tag_type} {name!r} is already wrangled otherwise; not made a synonym of "
                f"{canonical.name!r}")
            return
        if tag_type in edit.UNMAPPED_AS_FREEFORM:
            self.report.conflicts.append(
                f"new {tag_type} synonym {name!r} refused: a {tag_type} AO3 does not know is "
                "kept as an additional tag, so it would change no work")
            return
        tag.synonym_of = canonical
        if tag_type == "rating":
            self.rerated.append(tag)
        self.report.linked += 1

    def _parent(self, child: Tag, parent_type: str, name: str) -> None:
        parent = self.tags.get((parent_type, name_key(name)))
        if parent is None or not parent.canonical:
            self.report.conflicts.append(f"{child.name!r}: parent {parent_type} {name!r} is "
                                         "not a canonical tag of the vocabulary")
            return
        try:
            edit.add_parent(self.session, child, parent)
        except WranglingError as exc:
            self.report.conflicts.append(str(exc))
