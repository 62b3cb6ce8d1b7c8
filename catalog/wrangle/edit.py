"""The wrangling operations behind `catalog tag …`, in the caller's transaction.

AO3's rules: a synonym points to one canonical tag of its own type; a metatag is a canonical
parent of the same type and the links never loop; characters, relationships and additional
tags belong to fandoms. A work keeps the tag name it was given: these operations only link
names, so every change can be undone by linking differently.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from catalog import vocab
from catalog.errors import NotFoundError, WranglingError
from catalog.model import SOURCE_FILE
from catalog.store.models import RelationshipMember, Tag, TagParent, Work, WorkTag
from catalog.textnorm import collapse, name_key
from catalog.wrangle.graph import NAMES_MEMO, canonical_relationships, expand, same_members
from catalog.wrangle.relationships import members

FANDOM_CHILDREN = vocab.FANDOM_CHILDREN
FIXED = vocab.FIXED_TYPES
# A file's warning or category that AO3 does not know becomes an additional tag (see
# ingest.resolve), so only ratings take synonyms beyond AO3's shorthands.
UNMAPPED_AS_FREEFORM = ("warning", "category")
_BRACKETED = re.compile(r"^(.+?)\s*\(([^()]+)\)$")


def find(session: Session, name: str, tag_type: str | None = None) -> Tag:
    """The tag called `name`; with several types of that name, `tag_type` must choose."""
    stmt = select(Tag).where(Tag.name_key == name_key(name))
    if tag_type:
        stmt = stmt.where(Tag.type == tag_type)
    tags = list(session.scalars(stmt))
    if not tags:
        kind = f"{tag_type} tag" if tag_type else "tag"
        raise NotFoundError(f"no {kind} named {name!r} (see `catalog tags --search`)")
    if len(tags) > 1:
        types = ", ".join(sorted(t.type for t in tags))
        raise WranglingError(f"{name!r} is a tag of several types ({types}); "
                             "choose one with --type")
    return tags[0]


def new_tag(session: Session, tag_type: str, name: str, *, canonical: bool = False,
            wrangle: bool = True) -> Tag:
    """A new tag; a relationship gets its members and, when exactly one canonical
    relationship has the same members, becomes its synonym ("Willow/Spike") unless
    `wrangle` is off (the caller links it)."""
    values, member_rows = new_tag_rows(session, tag_type, name, canonical=canonical,
                                       wrangle=wrangle)
    tag = Tag(**values)
    tag.members = [RelationshipMember(**m) for m in member_rows]
    session.add(tag)
    return tag


def new_tag_rows(session: Session, tag_type: str, name: str, *, canonical: bool = False,
                 wrangle: bool = True) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The `tags` row and `relationship_members` rows (without tag_id) of a new tag, as
    `new_tag` makes it: for writers that insert many tags without ORM objects."""
    name = collapse(name)
    values: dict[str, Any] = {"type": tag_type, "name": name, "name_key": name_key(name),
                              "canonical": canonical, "synonym_of_id": None}
    member_rows: list[dict[str, Any]] = []
    if tag_type == "relationship":
        kind, keys = members(name)
        member_rows = [{"position": i, "kind": kind, "member_key": k}
                       for i, k in enumerate(keys, 1) if kind]
        if kind and wrangle and not canonical:
            values["synonym_of_id"] = _canonical_with_members(session, name)
    elif tag_type == "character" and wrangle and not canonical:
        values["synonym_of_id"] = _disambiguated_character(session, values["name_key"])
        if values["synonym_of_id"] is not None:

            session.info.get(NAMES_MEMO, {}).clear()  # a new spelling of a character
    return values, member_rows


def new_tags_rows(session: Session, wanted: list[tuple[str, str]]
                  ) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """`new_tag_rows` for many (type, name) pairs: the relationships among them are matched
    to canonical relationships together, in a few queries instead of several each."""
    made = [new_tag_rows(session, t, n, wrangle=t != "relationship") for t, n in wanted]
    paired = [values["name"] for values, members in made if members]
    if paired:
        canonical = canonical_relationships(session, paired)
        for values, members in made:
            if members:
                values["synonym_of_id"] = canonical.get(values["name"])
    return made


def _disambiguated_character(session: Session, key: str) -> int | None:
    """'Faith (Buffy the Vampire Slayer)' -> the one canonical character called 'Faith'
    that belongs to a fandom called 'Buffy the Vampire Slayer'."""
    m = _BRACKETED.match(key)
    if not m:
        return None

    bare, fandom_key = m.group(1), m.group(2)
    with session.no_autoflush:
        roots = {sid or tid for tid, sid in session.execute(
            select(Tag.id, Tag.synonym_of_id).where(Tag.type == "character",
                                                    Tag.name_key == bare))}
        fandoms = {sid or tid for tid, sid in session.execute(
            select(Tag.id, Tag.synonym_of_id).where(Tag.type == "fandom",
                                                    Tag.name_key == fandom_key))}
        if not roots or not fandoms:
            return None
        covered = expand(session, fandoms)
        fitting = set(session.scalars(select(TagParent.child_id).where(
            TagParent.child_id.in_(roots), TagParent.parent_id.in_(covered))))
    return fitting.pop() if len(fitting) == 1 else None


def _canonical_with_members(session: Session, name: str) -> int | None:
    with session.no_autoflush:
        found = same_members(session, [name])
        ids = list(session.scalars(select(Tag.id).where(Tag.id.in_(found), Tag.canonical)))
    return ids[0] if len(ids) == 1 else None


def get_or_create(session: Session, tag_type: str, name: str) -> Tag:
    with session.no_autoflush:
        found = session.scalars(select(Tag).where(
            Tag.type == tag_type, Tag.name_key == name_key(name))).first()
    return found or new_tag(session, tag_type, name)


def _refuse_new_fixed(tag: Tag) -> None:
    if tag.type in FIXED and not vocab.is_fixed_name(tag.type, tag.name):
        raise WranglingError(f"{tag.type}s are AO3's fixed vocabulary: {tag.name!r} can only "
                             "be a synonym of one of them")


def make_canonical(session: Session, tag: Tag) -> None:
    """Mark a tag canonical; a synonym is unlinked from its canonical first."""
    _refuse_new_fixed(tag)
    tag.synonym_of_id = None
    tag.canonical = True
    session.flush()


def make_synonym(session: Session, tag: Tag, canonical: Tag) -> None:
    """Point `tag` (and its own synonyms, parents and subtags) at `canonical`."""
    if tag.type != canonical.type:
        raise WranglingError(f"{tag.name!r} is a {tag.type} and {canonical.name!r} a "
                             f"{canonical.type}: a synonym must have its canonical's type")
    if tag.id is not None and tag.id == canonical.id:
        raise WranglingError(f"{tag.name!r} cannot be a synonym of itself")
    if tag.type in UNMAPPED_AS_FREEFORM and tag.synonym_of_id != canonical.id:
        raise WranglingError(
            f"new {tag.type} synonyms are refused: a {tag.type} AO3 does not know is kept as "
            f"an additional tag, so the synonym would change no work; wrangle that tag "
            f"instead (catalog tag synonym {tag.name!r} TAG --type freeform)")
    if canonical.synonym_of_id is not None:
        target = session.get(Tag, canonical.synonym_of_id)
        raise WranglingError(f"{canonical.name!r} is itself a synonym of "
                             f"{target.name if target else '?'!r}: use that name")
    if not canonical.canonical:
        make_canonical(session, canonical)
    session.flush()
    if tag.canonical:
        _move_links(session, tag, canonical)
    tag.canonical = False
    tag.synonym_of_id = canonical.id
    session.flush()
    if tag.type == "rating":
        rerate(session, tag)


def rerate(session: Session, synonym: Tag) -> None:
    """Works whose file wrote this rating synonym ("Lemon") now have the rating it is a
    synonym of: a rating synonym takes effect on the works already catalogued, not only on
    new ones. A rating the user gave at ingest stays theirs."""
    session.flush()
    written_key, rating_id = synonym.name_key, synonym.synonym_of_id
    session.execute(
        update(WorkTag)
        .where(WorkTag.source == SOURCE_FILE, WorkTag.tag_id != rating_id,
               WorkTag.tag_id.in_(select(Tag.id).where(Tag.type == "rating")),
               WorkTag.work_id.in_(select(Work.id).where(Work.rating_raw_key == written_key)))
        .values(tag_id=rating_id))


def _move_links(session: Session, old: Tag, new: Tag) -> None:
    """Hand a canonical tag's synonyms, parents and subtags to the tag replacing it."""
    session.execute(update(Tag).where(Tag.synonym_of_id == old.id)
                    .values(synonym_of_id=new.id))
    for column, other in ((TagParent.child_id, TagParent.parent_id),
                          (TagParent.parent_id, TagParent.child_id)):
        for (linked,) in session.execute(select(other).where(column == old.id)).all():
            if linked != new.id:
                pair = ({"child_id": new.id, "parent_id": linked} if column is TagParent.child_id
                        else {"child_id": linked, "parent_id": new.id})
                _link(session, **pair)
        session.execute(delete(TagParent).where(column == old.id))


def _link(session: Session, child_id: int, parent_id: int) -> None:
    if session.get(TagParent, (child_id, parent_id)) is None:
        session.add(TagParent(child_id=child_id, parent_id=parent_id))
        session.flush()


def add_parent(session: Session, child: Tag, parent: Tag) -> None:
    """A metatag (same type) or a fandom for a character, relationship or additional tag."""
    same = child.type == parent.type
    if not same and not (parent.type == "fandom" and child.type in FANDOM_CHILDREN):
        raise WranglingError(
            f"{parent.name!r} ({parent.type}) cannot be a parent of {child.name!r} "
            f"({child.type}): parents are metatags of the same type, or fandoms of "
            "characters, relationships and additional tags")
    for tag in (child, parent):
        if tag.synonym_of_id is not None:
            target = session.get(Tag, tag.synonym_of_id)
            raise WranglingError(f"{tag.name!r} is a synonym of "
                                 f"{target.name if target else '?'!r}: wrangle that tag")
        if not tag.canonical:
            make_canonical(session, tag)
    session.flush()
    if same and (child.id == parent.id or child.id in ancestors(session, parent.id)):
        raise WranglingError(f"making {parent.name!r} a parent of {child.name!r} would make "
                             "a loop: metatags cannot be their own subtags")
    _link(session, child.id, parent.id)


def ancestors(session: Session, tag_id: int) -> set[int]:
    """Metatags of a tag, transitively (same type only)."""
    tag_type = session.scalar(select(Tag.type).where(Tag.id == tag_id))
    found: set[int] = set()
    frontier = {tag_id}
    while frontier:
        frontier = set(session.scalars(
            select(TagParent.parent_id).join(Tag, Tag.id == TagParent.parent_id)
            .where(TagParent.child_id.in_(frontier), Tag.type == tag_type))) - found
        found |= frontier
    return found


def rename(session: Session, old: Tag, new_name: str) -> Tag:
    """NEW becomes the canonical name and OLD its synonym; works keep OLD as given."""
    if old.synonym_of_id is not None:
        target = session.get(Tag, old.synonym_of_id)
        raise WranglingError(f"{old.name!r} is a synonym of "
                             f"{target.name if target else '?'!r}: rename that tag")
    if name_key(new_name) == old.name_key:
        old.name = collapse(new_name)  # only the spelling changes
        session.flush()
        return old
    new = get_or_create(session, old.type, new_name)
    session.flush()
    if new.synonym_of_id is not None and new.synonym_of_id != old.id:
        raise WranglingError(f"{new.name!r} is already a synonym of another tag")
    _refuse_new_fixed(new)
    new.synonym_of_id = None
    new.canonical = True
    session.flush()
    make_synonym(session, old, new)
    return new
