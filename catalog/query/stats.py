"""`catalog stats`: totals and the most used tags of the works a query matches.

Tags are counted under their canonical name, so "Spillow" and "Spike/Willow" add up to one
relationship; a work counts once per tag however many synonyms it uses.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import case, extract, func, select
from sqlalchemy.orm import Session

from catalog import vocab
from catalog.model import SOURCE_INFERRED
from catalog.query.compiler import Lookups, Query, condition, meant
from catalog.store.models import Tag, Work, WorkTag

SECTIONS = (("fandom", "fandoms"), ("relationship", "relationships"),
            ("character", "characters"), ("freeform", "additional_tags"),
            ("rating", "ratings"), ("warning", "warnings"), ("category", "categories"))


def stats(session: Session, query: Query, top: int = 10) -> dict[str, Any]:
    """{works, words, average_words, complete, top: {section: [{name, works}]}}."""
    lookups = Lookups()  # the test for "everything" and the condition look up once
    everything = meant(session, query, lookups) is None
    totals = select(func.count(), func.coalesce(func.sum(Work.words), 0),
                    func.coalesce(func.sum(func.cast(Work.complete, type_=func.count().type)), 0))
    matching = select(Work.id).where(condition(session, query, lookups=lookups))
    works, words, complete = session.execute(
        totals if everything else totals.where(Work.id.in_(matching))).one()
    out: dict[str, Any] = {"works": works, "words": int(words),
                           "average_words": round(words / works) if works else 0,
                           "complete": int(complete), "top": {}}
    out["top"] = (_tops_of_all(session, top) if everything and not query.given_only
                  else _tops(session, matching.subquery(), top, query.given_only))
    return out


def _top_of_all(session: Session, tag_type: str, limit: int | None) -> list[dict[str, Any]]:
    """The most used tags of a type over the whole catalogue, from the kept tag counts: a
    canonical with no synonym in use has its own count exactly, read from the most used
    down along the (type, work_count) index; for a group with several names in use the
    largest count is a lower bound and the sum an upper bound, and only groups that could
    still make the top are counted from the links (a work tagged with two synonyms counts
    once)."""
    conn = session.connection()  # rows, not ORM objects
    used = (Tag.type == tag_type, Tag.work_count > 0)
    groups: dict[int, dict[int, int]] = defaultdict(dict)  # root -> {tag id: works}
    for canonical, tag_id, works in conn.execute(
            select(Tag.synonym_of_id, Tag.id, Tag.work_count)
            .where(*used, Tag.synonym_of_id.is_not(None))):
        groups[canonical or 0][tag_id] = works
    for tag_id, works in conn.execute(select(Tag.id, Tag.work_count)
                                      .where(Tag.id.in_(list(groups)), Tag.work_count > 0)):
        groups[tag_id][tag_id] = works
    shared = {g: c for g, c in groups.items() if len(c) > 1}
    members = {t: g for g, c in shared.items() for t in c}
    root = func.coalesce(Tag.synonym_of_id, Tag.id)
    walk = select(Tag.id, root, Tag.work_count).where(*used).order_by(
        Tag.work_count.desc(), Tag.id)
    if limit is not None:  # enough to hold `limit` groups of one name
        walk = walk.limit(limit + len(members))
    exact = {group: works for tag_id, group, works in conn.execute(walk)
             if tag_id not in members}
    lowest = sorted([*exact.values(), *(max(c.values()) for c in shared.values())],
                    reverse=True)
    floor = lowest[limit - 1] if limit is not None and len(lowest) >= limit else 0
    if floor:  # ties at the cut are ordered by name below: every name at the floor
        exact.update((group, works) for tag_id, group, works in conn.execute(
            select(Tag.id, root, Tag.work_count).where(*used, Tag.work_count == floor))
            if tag_id not in members)
    for group, counts in shared.items():
        if sum(counts.values()) >= floor:
            exact[group] = conn.scalar(select(func.count(func.distinct(WorkTag.work_id)))
                                       .where(WorkTag.tag_id.in_(list(counts)))) or 0
    best = sorted(exact.items(), key=lambda item: -item[1])
    if limit is not None:  # ties at the cut are ordered by name below, so keep them all
        best = [item for item in best if item[1] >= best[min(limit, len(best)) - 1][1]]
    names = {tag_id: name for tag_id, name in conn.execute(
        select(Tag.id, Tag.name).where(Tag.id.in_([g for g, _ in best])))}
    ranked = sorted(((names[g], c) for g, c in best), key=lambda item: (-item[1], item[0]))
    return [{"name": name, "works": count} for name, count in ranked[:limit]]


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


def facets(session: Session, query: Query, top: int, sample: int) -> dict[str, Any]:
    """The most used tags of each type among the matching works, for a filter sidebar:
    {"top": {section: [{name, works}]}, "sample": the most works counted, or None}. Over
    the whole catalogue the kept tag counts answer at once, exactly; otherwise `sample`
    matches (the first the database finds) are counted in one pass over their tag links,
    so a page costs the same however broad its query (exact when fewer match)."""
    lookups = Lookups()
    if meant(session, query, lookups) is None and not query.given_only:
        return {"top": _tops_of_all(session, top), "sample": None}
    # Any `sample` matches do: reading them in the page's order cost a sort of every match.
    where = condition(session, query, lookups=lookups)
    ids = select(Work.id).where(where).limit(sample).subquery()
    return {"top": _tops(session, ids, top, query.given_only), "sample": sample}


def _tops_of_all(session: Session, top: int) -> dict[str, list[dict[str, Any]]]:
    return {section: _top_of_all(session, tag_type,
                                 None if tag_type in vocab.FIXED_TYPES else top)
            for tag_type, section in SECTIONS}


def _tops(session: Session, ids: Any, top: int, given_only: bool
          ) -> dict[str, list[dict[str, Any]]]:
    """The most used tags of each type among the works of `ids` (a subquery of work
    ids), counted under their canonical in one pass over those works' tag links: the
    matching works drive the reading, so its cost follows their number, not the
    catalogue's."""
    root = func.coalesce(Tag.synonym_of_id, Tag.id).label("root")
    n = func.count(func.distinct(WorkTag.work_id))  # a work with two synonyms: once
    per_root = (select(Tag.type, root, n).select_from(ids)
                .join(WorkTag, WorkTag.work_id == ids.c.id).join(Tag, Tag.id == WorkTag.tag_id)
                .group_by(Tag.type, root))
    if given_only:
        per_root = per_root.where(WorkTag.source != SOURCE_INFERRED)
    conn = session.connection()  # rows, not ORM objects
    counted: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for tag_type, group, works in conn.execute(per_root):
        counted[tag_type].append((works, group))
    chosen: dict[str, list[tuple[int, int]]] = {}
    for tag_type, _ in SECTIONS:
        ranked = sorted(counted.get(tag_type, []), reverse=True)
        limit = None if tag_type in vocab.FIXED_TYPES else top
        chosen[tag_type] = ranked if limit is None or not ranked else [
            item for item in ranked if item[0] >= ranked[min(limit, len(ranked)) - 1][0]]
    names: dict[int, str] = {tag_id: name for tag_id, name in conn.execute(
        select(Tag.id, Tag.name).where(Tag.id.in_(
            [group for items in chosen.values() for _, group in items])))}
    out = {}
    for tag_type, section in SECTIONS:
        limit = None if tag_type in vocab.FIXED_TYPES else top
        named = sorted(((names[g], w) for w, g in chosen[tag_type]),
                       key=lambda item: (-item[1], item[0]))
        out[section] = [{"name": name, "works": works} for name, works in named[:limit]]
    return out
