"""Series as a unit (`catalog series`): each series among the matching works with its
parts in order, the part numbers missing from the catalogue, total words and whether
every part is complete."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from catalog.query.compiler import Query, condition
from catalog.store import tables
from catalog.textnorm import name_key

if TYPE_CHECKING:
    from catalog.store.fulltext import Executor

W, S, WS = tables.works.c, tables.series.c, tables.work_series.c


def series(session: Executor, query: Query) -> list[dict[str, Any]]:
    """[{name, parts: [{part, id, title, words, complete}], missing, works, words,
    complete}], by series name."""
    matching = select(W.id).where(condition(session, query))
    rows = session.execute(
        select(S.id, S.name, WS.part, W.id, W.title, W.words, W.complete)
        .join(tables.work_series, WS.series_id == S.id).join(tables.works, W.id == WS.work_id)
        .where(W.id.in_(matching)))
    grouped: dict[int, list[Any]] = defaultdict(list)
    names: dict[int, str] = {}
    for series_id, name, part, work_id, title, words, complete in rows:
        names[series_id] = name
        grouped[series_id].append({"part": part, "id": work_id, "title": title,
                                   "words": words, "complete": bool(complete)})
    out = []
    for series_id, parts in grouped.items():
        parts.sort(key=lambda p: (p["part"] is None, p["part"] or 0, p["id"]))
        numbered = {p["part"] for p in parts if p["part"] is not None}
        missing = sorted(set(range(1, max(numbered, default=0) + 1)) - numbered)
        out.append({"name": names[series_id], "parts": parts, "missing": missing,
                    "works": len(parts), "words": sum(p["words"] for p in parts),
                    "complete": all(p["complete"] for p in parts) and not missing})
    out.sort(key=lambda s: (name_key(s["name"]), s["name"]))
    return out

