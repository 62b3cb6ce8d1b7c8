"""Wrangling as a user asks for it: tags named as typed, with the rules for a name that
does not exist yet or that several tags of different types share. Each action runs in the
caller's transaction and says what it did as plain values (no ORM objects leave here)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased

from catalog import vocab
from catalog.errors import NotFoundError, WranglingError
from catalog.store.models import Tag, WorkTag
from catalog.textnorm import name_key
from catalog.wrangle import edit
from catalog.wrangle.report import tag_report


@dataclass(frozen=True)
class Wrangled:
    """What an action did: the tag's type and name, the other tag involved (the canonical
    of a synonym, the parent, the new name) and how they are now linked."""

    type: str
    name: str
    other: str | None = None
    link: str | None = None  # "synonym", "canonical", "metatag", "fandom", "renamed"
    created: str | None = None  # a tag the action made, canonical, of `type`


def synonym(session: Session, name: str, canonical: str, tag_type: str | None) -> Wrangled:
    """NAME becomes a synonym of CANONICAL (same type). A CANONICAL not there yet is made
    canonical with NAME's type; a NAME not there yet is made with CANONICAL's type."""
    created = None
    try:
        target = edit.find(session, canonical, tag_type)
    except NotFoundError:
        source = edit.find(session, name, tag_type)
        target = _new_canonical(session, source.type, canonical)
        created = target.name
    try:
        same_type = [t for t in _candidates(session, name) if t.type == target.type]
        tag = same_type[0] if same_type else edit.find(session, name, tag_type)
    except NotFoundError:
        tag = edit.new_tag(session, target.type, name)
        session.flush()
    edit.make_synonym(session, tag, target)
    return Wrangled(target.type, tag.name, target.name, "synonym", created)


def canonical(session: Session, name: str, tag_type: str | None) -> Wrangled:
    """NAME becomes canonical (a synonym is unlinked from its canonical first)."""
    tag = edit.find(session, name, tag_type)
    edit.make_canonical(session, tag)
    return Wrangled(tag.type, tag.name, link="canonical")


def parent(session: Session, child: str, parent_name: str) -> Wrangled:
    """PARENT becomes a metatag of CHILD (same type) or, for a character, relationship or
    additional tag, its fandom; names several types share must pair one way only. A
    PARENT not there yet is made, canonical, with CHILD's type (AO3's metatags are
    canonical tags)."""
    children = _candidates(session, child)
    try:
        parents = _candidates(session, parent_name)
    except NotFoundError:
        kid = edit.find(session, child)  # one type, or the error asking for one
        made = _new_canonical(session, kid.type, parent_name)
        edit.add_parent(session, kid, made)
        return Wrangled(kid.type, kid.name, made.name, "metatag", made.name)
    pairs = [(c, p) for c in children for p in parents
             if c.type == p.type or (p.type == "fandom" and c.type in edit.FANDOM_CHILDREN)]
    if not pairs:
        edit.add_parent(session, children[0], parents[0])  # raises the type-mismatch error
    if len(pairs) > 1:
        raise WranglingError(f"{child!r} and {parent_name!r} name tags of several types; "
                             "make the names unambiguous with `catalog tag info`")
    c, p = pairs[0]
    edit.add_parent(session, c, p)
    return Wrangled(c.type, c.name, p.name, "metatag" if c.type == p.type else "fandom")


def _new_canonical(session: Session, tag_type: str, name: str) -> Tag:
    """A new canonical tag (never a new rating, warning or category: AO3 fixes those)."""
    tag = edit.new_tag(session, tag_type, name, canonical=True)
    edit.make_canonical(session, tag)
    session.flush()
    return tag


def rename(session: Session, old: str, new: str, tag_type: str | None) -> Wrangled:
    """NEW becomes the canonical name and OLD its synonym (works keep the name they were
    given); a tag no work or link holds is simply renamed."""
    tag = edit.find(session, old, tag_type)
    new_tag = edit.rename(session, tag, new)
    if new_tag is tag:
        return Wrangled(tag.type, tag.name, link="renamed")
    return Wrangled(tag.type, tag.name, new_tag.name, "synonym")


def info(session: Session, name: str, tag_type: str | None) -> dict[str, Any]:
    """Everything wrangling knows about one tag (see `catalog.wrangle.report`)."""
    return tag_report(session, edit.find(session, name, tag_type))


def tags(session: Session, *, tag_type: str | None = None, unwrangled: bool = False,
         search: str | None = None, include_unused: bool = False,
         limit: int | None = None, hidden: Any = None) -> list[dict[str, Any]]:
    """Tags with the number of works given each, most used first within each type (in
    AO3's type order): {type, name, works, status, synonym_of}. The works `hidden`
    selects (the blocklist's) are not counted."""
    target = aliased(Tag)
    works = func.count(WorkTag.work_id).label("works")
    linked = WorkTag.tag_id == Tag.id
    if hidden is not None:
        linked = and_(linked, WorkTag.work_id.not_in(hidden))
    stmt = (select(Tag.type, Tag.name, Tag.canonical, target.name.label("synonym_of"), works)
            .select_from(Tag).outerjoin(WorkTag, linked)
            .outerjoin(target, target.id == Tag.synonym_of_id)
            .group_by(Tag.id, Tag.type, Tag.name, Tag.canonical, target.name))
    if tag_type is not None:
        stmt = stmt.where(Tag.type == tag_type)
    if unwrangled:
        stmt = stmt.where(Tag.canonical.is_(False), Tag.synonym_of_id.is_(None))
    if search:
        stmt = stmt.where(Tag.name_key.contains(name_key(search), autoescape=True))
    if not include_unused:
        stmt = stmt.having(works > 0)
    rows = list(session.execute(stmt).all())
    order = {t: i for i, t in enumerate(vocab.TAG_TYPES)}
    rows.sort(key=lambda r: (order[r.type], -r.works, r.name.casefold()))
    return [{"type": r.type, "name": r.name, "works": r.works,
             "status": "canonical" if r.canonical else
             ("synonym" if r.synonym_of else "unwrangled"),
             "synonym_of": r.synonym_of} for r in rows[:limit]]


def _candidates(session: Session, name: str) -> list[Tag]:
    found = list(session.scalars(select(Tag).where(Tag.name_key == name_key(name))))
    if not found:
        raise NotFoundError(f"no tag named {name!r} (see `catalog tags --search`)")
    return found
