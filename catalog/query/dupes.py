"""Likely duplicates (`catalog dupes`): groups of matching works that are the same story
by another file.

A reader's library gathers copies: the AO3 HTML beside an EPUB a friend sent, a text
file pasted from an old archive, the same file kept twice with `--allow-duplicates`. AO3
downloads of one work already become one work (the AO3 id); what is left is found by two
keys, as calibre's duplicate finder and beets' `duplicates` do:

- `title-author`: the same title and the same creators (compared as `title:` and
  `author:` compare: case, accents and spacing aside; pseuds, so `pseud (login)` and a
  bare `pseud` agree);
- `text`: the same text, letter for letter.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, func, select

from catalog.errors import CatalogError
from catalog.query.compiler import Query, condition
from catalog.store import tables
from catalog.store.tables import author_display
from catalog.textnorm import name_key

if TYPE_CHECKING:
    from catalog.store.fulltext import Executor

KEYS = ("title-author", "text")
W, A, WA = tables.works.c, tables.authors.c, tables.work_authors.c


def dupes(conn: Executor, query: Query, by: str = "title-author") -> list[dict[str, Any]]:
    """[{title, authors, works: [{id, title, authors, words, chapters, expected_chapters,
    complete, format, source, updated, ao3_id}]}], groups of two or more matching works,
    by title; each group's works by id."""
    if by not in KEYS:
        raise CatalogError(f"unknown duplicate key {by!r}; use one of: {', '.join(KEYS)}")
    matching = select(W.id).where(condition(conn, query))
    column = W.title_key if by == "title-author" else W.sha256
    shared = (select(column).where(W.id.in_(matching)).group_by(column)
              .having(func.count() > 1))
    chosen = select(W.id).where(W.id.in_(matching), column.in_(shared))
    rows = conn.execute(
        select(W.id, W.title, W.title_key, W.sha256, W.words, W.chapter_count,
               W.expected_chapters, W.complete, W.format, W.source, W.updated, W.ao3_id)
        .where(W.id.in_(chosen)).order_by(W.id)).all()
    creators = _creators(conn, chosen)
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        names = creators.get(row.id, [])
        key = ((row.title_key, frozenset(key for _, _, key in names))
               if by == "title-author" else (row.sha256,))
        groups[key].append(_entry(row, names))
    found = [{"title": works[0]["title"], "authors": works[0]["authors"], "works": works}
             for works in groups.values() if len(works) > 1]
    found.sort(key=lambda g: (name_key(g["title"]), g["works"][0]["id"]))
    return found


def _creators(conn: Executor, chosen: Select[Any]
              ) -> dict[int, list[tuple[str, str | None, str]]]:
    """Each chosen work's (pseud, login, pseud key) in byline order."""
    out: dict[int, list[tuple[str, str | None, str]]] = defaultdict(list)
    rows = conn.execute(select(WA.work_id, A.pseud, A.login, A.pseud_key)
                        .join(tables.authors, A.id == WA.author_id)
                        .where(WA.work_id.in_(chosen)).order_by(WA.work_id, WA.position))
    for work_id, pseud, login, key in rows:
        out[work_id].append((pseud, login, key))
    return out


def _entry(row: Any, names: list[tuple[str, str | None, str]]) -> dict[str, Any]:
    return {"id": row.id, "title": row.title,
            "authors": [author_display(pseud, login) for pseud, login, _ in names],
            "words": row.words, "chapters": row.chapter_count,
            "expected_chapters": row.expected_chapters, "complete": bool(row.complete),
            "format": row.format, "source": row.source,
            "updated": row.updated.isoformat() if row.updated else None,
            "ao3_id": row.ao3_id}
