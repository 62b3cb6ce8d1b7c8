"""`catalog stats`: totals and the most used tags of the works a query matches.

Tags are counted under their canonical name, so "Spillow" and "Spike/Willow" add up to one
relationship; a work counts once per tag however many synonyms it uses.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import case, extract, func, select
from sqlalchemy.orm import Session, aliased

from catalog import vocab
from catalog.model import SOURCE_INFERRED
from catalog.query.compiler import Query, condition, meant
from catalog.store.models import Tag, Work, WorkTag

SECTIONS = (("fandom", "fandoms"), ("relationship", "relationships"),
            ("character", "characters"), ("freeform", "additional_tags"),
            ("rating", "ratings"), ("warning", "warnings"), ("category", "categories"))


def stats(session: Session, query: Query, top: int = 10) -> dict[str, Any]:
    """{works, words, average_words, complete, top: {section: [{name, works}]}}."""
    everything = meant(session, query) is None
    totals = select(func.count(), func.coalesce(func.sum(Work.words), 0),
                    func.coalesce(func.sum(func.cast(Work.complete, type_=func.count().type)), 0))
    matching = select(Work.id).where(condition(session, query))
    works, words, complete = session.execute(
        totals if everything else totals.where(Work.id.in_(matching))).one()
    out: dict[str, Any] = {"works": works, "words": int(words),
                           "average_words": round(words / works) if works else 0,
                           "complete": int(complete), "top": {}}
    for tag_type, section in SECTIONS:
        limit = None if tag_type in vocab.FIXED_TYPES else top
        out["top"][section] = (
            _top_of_all(session, tag_type, limit) if everything and not query.given_only
            else _top(session, matching, tag_type, limit, query.given_only))
    return out


def _top_of_all(session: Session, tag_type: str, limit: int | None) -> list[dict[str, Any]]:
    """`_top` over the whole catalogue from the kept tag counts: a canonical tag with no
    synonyms in use has its own count exactly; for one with several, the largest count is a
    lower bound and the sum an upper bound, and only groups that could still make the top
    are counted from the links (a work tagged with two synonyms counts once)."""
    root = func.coalesce(Tag.synonym_of_id, Tag.id)
    groups: dict[int, dict[int, int]] = defaultdict(dict)  # root -> {tag id: works}
    for group, tag_id, works in session.execute(select(root, Tag.id, Tag.work_count).where(
            Tag.type == tag_type, Tag.work_count > 0)):
        groups[group][tag_id] = works
    exact = {g: next(iter(c.values())) for g, c in groups.items() if len(c) == 1}
    lowest = sorted((max(c.values()) for c in groups.values()), reverse=True)
    floor = lowest[limit - 1] if limit is not None and len(lowest) >= limit else 0
    unsure = [g for g, c in groups.items() if len(c) > 1 and sum(c.values()) >= floor]
    for group in unsure:
        exact[group] = session.scalar(select(func.count(func.distinct(WorkTag.work_id)))
                                      .where(WorkTag.tag_id.in_(list(groups[group])))) or 0
    best = sorted(exact.items(), key=lambda item: -item[1])
    if limit is not None:  # ties at the cut are ordered by name below, so keep them all
        best = [item for item in best if item[1] >= best[min(limit, len(best)) - 1][1]]
    names = {tag_id: name for tag_id, name in session.execute(
        select(Tag.id, Tag.name).where(Tag.id.in_([g for g, _ in best])))}
    ranked = sorted(((names[g], c) for g, c in best), key=lambda item: (-item[1], item[0]))
    return [{"name": name, "works": count} for name, count in ranked[:limit]]


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


# AO3's own length steps, in words.
LENGTHS = ((0, "under 1k"), (1_000, "1k–5k"), (5_000, "5k–10k"), (10_000, "10k–20k"),
           (20_000, "20k–50k"), (50_000, "50k–100k"), (100_000, "100k+"))


def spread(session: Session, query: Query) -> dict[str, list[tuple[str, int]]]:
    """How the matching works spread: {"words": [(length step, works)], "years":
    [(year, works)]}, by the year a work was last updated (or posted)."""
    matching = Work.id.in_(select(Work.id).where(condition(session, query)))
    step = case(*((Work.words >= low, i) for i, (low, _) in reversed(list(
        enumerate(LENGTHS)))), else_=0)
    counts: dict[int, int] = {i: n for i, n in session.execute(
        select(step, func.count()).where(matching).group_by(step))}
    year = extract("year", func.coalesce(Work.updated, Work.published))
    years = session.execute(select(year, func.count()).where(matching, year.is_not(None))
                            .group_by(year).order_by(year)).all()
    return {"words": [(label, counts.get(i, 0)) for i, (_, label) in enumerate(LENGTHS)],
            "years": [(str(int(y)), n) for y, n in years]}
