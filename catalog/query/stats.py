"""`catalog stats`: totals and the most used tags of the works a query matches.

Tags are counted under their canonical name, so "Spillow" and "Spike/Willow" add up to one
relationship; a work counts once per tag however many synonyms it uses.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from catalog.db.models import SOURCE_INFERRED, Tag, Work, WorkTag
from catalog.query.compiler import Query, condition

SECTIONS = (("fandom", "fandoms"), ("relationship", "relationships"),
            ("character", "characters"), ("freeform", "additional_tags"),
            ("rating", "ratings"), ("warning", "warnings"), ("category", "categories"))


def stats(session: Session, query: Query, top: int = 10) -> dict[str, Any]:
    """{works, words, average_words, complete, top: {section: [{name, works}]}}."""
    matching = select(Work.id).where(condition(session, query))
    works, words, complete = session.execute(
        select(func.count(), func.coalesce(func.sum(Work.words), 0),
               func.coalesce(func.sum(func.cast(Work.complete, type_=func.count().type)), 0))
        .where(Work.id.in_(matching))).one()
    out: dict[str, Any] = {"works": works, "words": int(words),
                           "average_words": round(words / works) if works else 0,
                           "complete": int(complete), "top": {}}
    for tag_type, section in SECTIONS:
        limit = None if tag_type in ("rating", "warning", "category") else top
        out["top"][section] = _top(session, matching, tag_type, limit, query.given_only)
    return out


def _top(session: Session, matching: Any, tag_type: str, limit: int | None,
         given_only: bool) -> list[dict[str, Any]]:
    canonical = aliased(Tag)
    root = func.coalesce(Tag.synonym_of_id, Tag.id)
    n = func.count(func.distinct(WorkTag.work_id)).label("works")
    stmt = (select(canonical.name, n)
            .select_from(WorkTag).join(Tag, Tag.id == WorkTag.tag_id)
            .join(canonical, canonical.id == root)
            .where(WorkTag.work_id.in_(matching), Tag.type == tag_type)
            .group_by(canonical.id, canonical.name)
            .order_by(n.desc(), canonical.name).limit(limit))
    if given_only:
        stmt = stmt.where(WorkTag.source != SOURCE_INFERRED)
    return [{"name": name, "works": count} for name, count in session.execute(stmt)]
