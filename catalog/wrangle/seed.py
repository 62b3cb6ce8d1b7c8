"""The shipped vocabulary in a new catalogue, in bulk: the rows `vocabulary.load` writes
there, computed from the file and inserted with one statement per table, without the ORM.

Loading it object by object took a third of a second of every new catalogue's start. The
rows are the loader's for a catalogue holding no tags but AO3's fixed vocabularies: its
tags (ids in the order the ORM's flush gives them, each canonical tag before every
synonym), relationship members and parent links. A file that would need one of the
loader's decisions (a name given twice, a parent that is not a canonical tag of the file,
a loop) is left to the loader; a test compares the two on the shipped file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select

from catalog import vocab
from catalog.store.rowids import allocate
from catalog.store.rows import insert_rows
from catalog.store.tables import relationship_members, tag_parents, tags
from catalog.textnorm import collapse, name_key
from catalog.wrangle.relationships import members
from catalog.wrangle.vocabfile import SECTIONS, default_path, names, read

Key = tuple[str, str]  # (type, name_key): a tag


@dataclass
class VocabularyRows:
    """A vocabulary's new tags (by key, in creation order) and their links."""

    tags: dict[Key, dict[str, Any]] = field(default_factory=dict)
    synonym_of: dict[Key, Key] = field(default_factory=dict)
    parents: dict[tuple[Key, Key], None] = field(default_factory=dict)  # ordered, no repeats

    def new(self, tag_type: str, name: str, *, canonical: bool) -> Key | None:
        """Add a tag; None when the file already named it (the loader's decision)."""
        name = collapse(name)
        key = (tag_type, name_key(name))
        if key in self.tags:
            return None
        self.tags[key] = {"type": tag_type, "name": name, "name_key": key[1],
                          "canonical": canonical, "synonym_of_id": None, "ao3_id": None,
                          "common": False, "work_count": 0}
        return key

    def link(self, child: Key, parent: Key) -> bool:
        """A parent link as `edit.add_parent` makes it; False where it would refuse one."""
        if parent not in self.tags or parent in self.synonym_of:
            return False
        same = child[0] == parent[0]
        if not same and not (parent[0] == "fandom" and child[0] in vocab.FANDOM_CHILDREN):
            return False
        if same and (child == parent or child in self.ancestors(parent)):
            return False
        self.parents[(child, parent)] = None
        return True

    def ancestors(self, tag: Key) -> set[Key]:
        found: set[Key] = set()
        frontier = {tag}
        while frontier:
            frontier = {p for c, p in self.parents if c in frontier and p[0] == tag[0]} - found
            found |= frontier
        return found

    def ordered(self) -> list[Key]:
        """The ORM's insert order: tags that point to no other first, then synonyms."""
        return ([k for k in self.tags if k not in self.synonym_of]
                + [k for k in self.tags if k in self.synonym_of])


def rows(sections: dict[str, list[dict[str, Any]]]) -> VocabularyRows | None:
    """What loading these sections writes into a catalogue with no tags of their types, or
    None when the loader has a decision to make."""
    made = VocabularyRows()
    links: list[tuple[Key, Key]] = []
    for section, entries in sections.items():
        tag_type = SECTIONS.get(section)
        if tag_type is None:
            return None  # AO3's fixed types: their tags are already there
        for entry in entries:
            canonical = made.new(tag_type, entry["name"], canonical=True)
            if canonical is None:
                return None
            made.tags[canonical]["ao3_id"] = entry.get("ao3_id")
            common = {name_key(n) for n in names(entry, "common")}
            for alias in names(entry, "synonyms") + names(entry, "aliases"):
                if (tag_type, name_key(alias)) == canonical:
                    continue
                synonym = made.new(tag_type, alias, canonical=False)
                if synonym is None:
                    return None
                made.tags[synonym]["common"] = synonym[1] in common
                made.synonym_of[synonym] = canonical
            links += [(canonical, (tag_type, name_key(p))) for p in names(entry, "parents")]
            links += [(canonical, ("fandom", name_key(f))) for f in names(entry, "fandoms")]
    return made if all(made.link(child, parent) for child, parent in links) else None


def insert_default(conn: Connection, path: Path | None = None) -> bool:
    """Insert the shipped vocabulary (or `path`'s) in bulk; False, writing nothing, when the
    catalogue already has tags beyond the fixed vocabularies or the file needs the loader."""
    if conn.scalar(select(tags.c.id).where(tags.c.type.not_in(vocab.FIXED_TYPES))
                   .limit(1)) is not None:
        return False
    made = rows(read(path or default_path()))
    if made is None:
        return False
    keys = made.ordered()
    ids = dict(zip(keys, allocate(conn, tags, len(keys)), strict=True))
    insert_rows(conn, tags, [
        {**made.tags[k], "id": ids[k],
         "synonym_of_id": ids[made.synonym_of[k]] if k in made.synonym_of else None}
        for k in keys])
    insert_rows(conn, relationship_members, [
        {"tag_id": ids[k], "position": i, "kind": kind, "member_key": member}
        for k in keys if k[0] == "relationship"
        for kind, found in [members(made.tags[k]["name"])] if kind
        for i, member in enumerate(found, 1)])
    insert_rows(conn, tag_parents, [{"child_id": ids[c], "parent_id": ids[p]}
                                    for c, p in made.parents])
    return True
