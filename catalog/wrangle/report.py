"""What `catalog tag info` shows about one tag, as plain data."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from catalog.store.models import RelationshipMember, Tag, TagParent, Work, WorkTag
from catalog.wrangle.graph import tag_ids

WORKS_SHOWN = 10


def tag_report(session: Session, tag: Tag) -> dict[str, Any]:
    """Status, links and works of a tag (works found through every linked name)."""
    child, parent = aliased(Tag), aliased(Tag)
    parents = session.execute(
        select(parent.name, parent.type).join(TagParent, TagParent.parent_id == parent.id)
        .where(TagParent.child_id == tag.id).order_by(parent.name)).all()
    children = session.execute(
        select(child.name, child.type).join(TagParent, TagParent.child_id == child.id)
        .where(TagParent.parent_id == tag.id).order_by(child.type, child.name)).all()
    found = tag_ids(session, tag.type, tag.name)
    works = select(WorkTag.work_id).where(WorkTag.tag_id.in_(found)).distinct()
    shown = session.execute(select(Work.id, Work.title).where(Work.id.in_(works))
                            .order_by(Work.id).limit(WORKS_SHOWN)).all()
    canonical = session.get(Tag, tag.synonym_of_id) if tag.synonym_of_id else None
    return {
        "name": tag.name, "type": tag.type,
        "status": "canonical" if tag.canonical else "synonym" if canonical else "unwrangled",
        "synonym_of": canonical.name if canonical else None,
        "synonyms": list(session.scalars(select(Tag.name).where(
            Tag.synonym_of_id == tag.id).order_by(Tag.name))),
        "metatags": [n for n, t in parents if t == tag.type],
        "fandoms": [n for n, t in parents if t == "fandom" and tag.type != "fandom"],
        "subtags": [n for n, t in children if t == tag.type],
        "belonging": [f"{n} ({t})" for n, t in children if t != tag.type],
        "members": list(session.scalars(select(RelationshipMember.member_key).where(
            RelationshipMember.tag_id == tag.id).order_by(RelationshipMember.position))),
        "works_as_given": session.scalar(select(func.count()).select_from(WorkTag).where(
            WorkTag.tag_id == tag.id)),
        "works_found": session.scalar(select(func.count()).select_from(works.subquery())),
        "works": [{"id": i, "title": t} for i, t in shown],
        "ao3_id": tag.ao3_id,
    }
