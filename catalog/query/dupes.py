"""Likely duplicates (`catalog dupes`): groups of matching works that are the same story
in several files, each group with its ids and the reason; nothing is ever merged.

A reader's library gathers copies: the AO3 HTML beside a FanFicFare copy of the same story
from fanfiction.net, a text file pasted from an old archive, the same file kept twice with
`--allow-duplicates`. AO3 downloads of one work already become one work (the AO3 id);
what is left is found by two keys, as calibre's duplicate finder and beets' `duplicates`
do:

- `title-author`: the same title and first creator once case, accents, punctuation and
  spacing are set aside (so "Hot Water!" by "Antennapedia" is "hot water" by
  "antennapedia"), and word counts within 2% of each other: two sites count a little
  differently, a different story of the same name does not come that close;
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
from catalog.textnorm import collapse, name_key

if TYPE_CHECKING:
    from catalog.store.fulltext import Executor

KEYS = ("title-author", "text")
WORDS_WITHIN = 0.02
W, A, WA = tables.works.c, tables.authors.c, tables.work_authors.c


def dupes(conn: Executor, query: Query, by: str = "title-author") -> list[dict[str, Any]]:
    """[{title, authors, ids, reason, works: [{id, title, authors, words, chapters,
    expected_chapters, complete, format, source, updated, ao3_id}]}]: groups of two or
    more matching works, by title; each group's works by id."""
    if by not in KEYS:
        raise CatalogError(f"unknown duplicate key {by!r}; use one of: {', '.join(KEYS)}")
    matching = select(W.id).where(condition(conn, query))
    grouped = _same_text(conn, matching) if by == "text" else _same_story(conn, matching)
    every = sorted({work_id for ids, _ in grouped for work_id in ids})
    details = _details(conn, every)
    found = []
    for ids, reason in grouped:
        works = [details[i] for i in sorted(ids)]
        found.append({"title": works[0]["title"], "authors": works[0]["authors"],
                      "ids": [w["id"] for w in works], "reason": reason, "works": works})
    found.sort(key=lambda g: (name_key(g["title"]), g["ids"][0]))
    return found


def _same_text(conn: Executor, matching: Select[Any]) -> list[tuple[list[int], str]]:
    shared = (select(W.sha256).where(W.id.in_(matching)).group_by(W.sha256)
              .having(func.count() > 1))
    groups: dict[str, list[int]] = defaultdict(list)
    for work_id, sha in conn.execute(select(W.id, W.sha256).where(
            W.id.in_(matching), W.sha256.in_(shared)).order_by(W.id)):
        groups[sha].append(work_id)
    return [(ids, "the same text") for ids in groups.values()]


def story_key(title: str, first_author: str) -> tuple[str, str]:
    """Title and first creator with case, accents, punctuation and spacing set aside."""
    def bare(text: str) -> str:
        return collapse("".join(ch if ch.isalnum() else " " for ch in name_key(text)))
    return bare(title), bare(first_author)


def _same_story(conn: Executor, matching: Select[Any]) -> list[tuple[list[int], str]]:
    firsts: dict[int, str] = {}
    for work_id, pseud in conn.execute(
            select(WA.work_id, A.pseud).join(tables.authors, A.id == WA.author_id)
            .where(WA.work_id.in_(matching)).order_by(WA.work_id.desc(), WA.position.desc())):
        firsts[work_id] = pseud  # the lowest position is read last
    buckets: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for work_id, title, words in conn.execute(
            select(W.id, W.title, W.words).where(W.id.in_(matching))):
        buckets[story_key(title, firsts.get(work_id, ""))].append((words, work_id))
    out = []
    for members in buckets.values():
        if len(members) > 1:
            out += _close_in_words(sorted(members))
    return out


def _close_in_words(members: list[tuple[int, int]]) -> list[tuple[list[int], str]]:
    """Runs of (words, id), sorted by words, whose counts are within 2% of each other."""
    groups: list[tuple[list[int], str]] = []
    run: list[tuple[int, int]] = []
    for item in members + [(-1, -1)]:  # a sentinel closes the last run
        if run and item[0] >= 0 and item[0] - run[0][0] <= WORDS_WITHIN * item[0]:
            run.append(item)
            continue
        if len(run) > 1:
            low, high = run[0][0], run[-1][0]
            spread = (f"{low:,} words" if low == high
                      else f"{low:,} and {high:,} words, within 2%")
            groups.append(([work_id for _, work_id in run],
                           f"the same title and first creator; {spread}"))
        run = [item]
    return groups


def _details(conn: Executor, ids: list[int]) -> dict[int, dict[str, Any]]:
    out: dict[int, dict[str, Any]] = {}
    names: dict[int, list[str]] = defaultdict(list)
    for start in range(0, len(ids), 500):
        part = ids[start:start + 500]
        for work_id, pseud, login in conn.execute(
                select(WA.work_id, A.pseud, A.login).join(tables.authors, A.id == WA.author_id)
                .where(WA.work_id.in_(part)).order_by(WA.work_id, WA.position)):
            names[work_id].append(author_display(pseud, login))
        for row in conn.execute(
                select(W.id, W.title, W.words, W.chapter_count, W.expected_chapters,
                       W.complete, W.format, W.source, W.updated, W.ao3_id)
                .where(W.id.in_(part))):
            out[row.id] = {"id": row.id, "title": row.title, "authors": names[row.id],
                           "words": row.words, "chapters": row.chapter_count,
                           "expected_chapters": row.expected_chapters,
                           "complete": bool(row.complete), "format": row.format,
                           "source": row.source,
                           "updated": row.updated.isoformat() if row.updated else None,
                           "ao3_id": row.ao3_id}
    return out
