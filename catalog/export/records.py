"""Work records: the stable, documented shape every output and export uses.

Keys (later versions add keys, never rename or drop one): id, title, authors, fandoms,
rating, warnings, categories, relationships, characters, freeform, language, words,
chapters, expected_chapters, complete, summary, notes, published, updated, source, format,
sha256; then rating_raw, user_tags, ingested, modified, series, collections, completed,
ao3_id, url, stated_words, encoding; then inferred (tags found by inference, also in
their list key: type, name, mentions); then edits (null, or what the user laid over the
file: {"edit": the `catalog edit` layer, "user": the ingest options' layer, "file": the
file's values they cover}; see `catalog.layers`) and reading (null, or {status, chapter,
marked, chapters_seen, words_seen}). With texts (export): text and
chapter_list (each chapter's text is in it only when there are several chapters).
Records are built a batch of ids at a time, so memory stays flat, with Core statements
only: a Session or a plain Connection will do, and building records needs no ORM.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from itertools import groupby
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import ColumnElement, CursorResult, Select, func, select

from catalog import fields, model
from catalog.model import (
    LIST_KEYS,
    SOURCE_FILE,
    SOURCE_INFERRED,
    SOURCE_USER,
    join_chapters,
    utc_iso,
)
from catalog.store import tables
from catalog.store.tables import author_display

if TYPE_CHECKING:
    from catalog.store.fulltext import Executor

# The columns of the tables read.
Work, Chapter, Tag, WorkTag = (tables.works.c, tables.chapters.c, tables.tags.c,
                               tables.work_tags.c)
Author, WorkAuthor = tables.authors.c, tables.work_authors.c
Series, WorkSeries = tables.series.c, tables.work_series.c
Collection, WorkCollection = tables.collections.c, tables.work_collections.c
Layer, Reading = tables.work_layers.c, tables.reading.c

RECORD_KEYS = fields.RECORD_KEYS  # the record's keys, in order, from the field table
BATCH = 500
# The works columns a record shows, in the order `_record` unpacks them.
WORK_COLUMNS = (Work.id, Work.title, Work.summary, Work.notes, Work.language, Work.rating_raw,
                Work.published, Work.updated, Work.chapter_count, Work.expected_chapters,
                Work.complete, Work.words, Work.sha256, Work.source, Work.format,
                Work.ingested_at, Work.modified_at, Work.completed, Work.ao3_id, Work.url,
                Work.stated_words, Work.encoding)


class Names:
    """Tag (type, name) and author bylines by id, remembered across the batches of one
    export: a million records name the same few thousand tags millions of times, and a
    join per link row was most of an export's database time."""

    LIMIT = 200_000  # ids remembered before starting afresh: bounds memory

    def __init__(self) -> None:
        self.tags: dict[int, tuple[str, str]] = {}
        self.authors: dict[int, str] = {}

    def learn(self, session: Executor, tag_ids: set[int], author_ids: set[int]) -> None:
        for memo in (self.tags, self.authors):
            if len(memo) > self.LIMIT:
                memo.clear()
        for part in _chunks(tag_ids - self.tags.keys()):
            self.tags.update((i, (t, n)) for i, t, n in session.execute(
                select(Tag.id, Tag.type, Tag.name).where(Tag.id.in_(part))).all())
        for part in _chunks(author_ids - self.authors.keys()):
            self.authors.update((i, author_display(p, login)) for i, p, login in session.execute(
                select(Author.id, Author.pseud, Author.login).where(Author.id.in_(part))).all())


def _chunks(ids: set[int]) -> list[list[int]]:
    items = sorted(ids)
    return [items[i:i + BATCH] for i in range(0, len(items), BATCH)]


def _of(column: Any, ids: Sequence[int]) -> ColumnElement[bool]:
    """Rows of these works. Dense ids (an export's batch) become a range: one cached
    statement and an index range scan, where an IN list of hundreds of values was compiled
    afresh for every batch. Sparse ids keep the list, so a range never reads the rows of
    many works that were not asked for."""
    lo, hi = min(ids), max(ids)
    rows: ColumnElement[bool] = (column.between(lo, hi) if hi - lo < 2 * len(ids)
                                 else column.in_(ids))
    return rows


def _grouped(session: Executor, stmt: Select[Any]) -> dict[int, list[tuple[Any, ...]]]:
    """The rows of `stmt` (work_id first, then in order) as lists by work id. The driver's
    own tuples are taken, all at once: link columns (integers and text) need no conversion,
    and a million works have tens of millions of links, where a result row object or a
    fetch per row cost more than the database did."""
    result = cast("CursorResult[Any]", session.execute(stmt))
    try:
        rows = result.cursor.fetchall()
    finally:
        result.close()
    return {work_id: list(links) for work_id, links in groupby(rows, _first)}


_first = itemgetter(0)


def build(session: Executor, ids: Sequence[int], *, texts: bool = False,
          names: Names | None = None) -> list[model.Work]:
    """Records for `ids`, in that order (missing ids are left out)."""
    if not ids:
        return []
    names = names or Names()
    works = {w[0]: w for w in session.execute(
        select(*WORK_COLUMNS).where(_of(Work.id, ids))).all()}
    authors = _grouped(session, select(WorkAuthor.work_id, WorkAuthor.author_id)
                       .where(_of(WorkAuthor.work_id, ids))
                       .order_by(WorkAuthor.work_id, WorkAuthor.position))
    # NULL for the usual source: no string to make for nearly every link.
    tags = _grouped(session, select(WorkTag.work_id, WorkTag.tag_id, WorkTag.written,
                                    func.nullif(WorkTag.source, SOURCE_FILE), WorkTag.mentions)
                    .where(_of(WorkTag.work_id, ids))
                    .order_by(WorkTag.work_id, WorkTag.position))
    names.learn(session, {t[1] for links in tags.values() for t in links},
                {a for links in authors.values() for _, a in links})
    chapters = {i: list(rows) for i, rows in groupby(session.execute(
        select(tables.chapters).where(_of(Chapter.work_id, ids))
        .order_by(Chapter.work_id, Chapter.position)), attrgetter("work_id"))} if texts else {}
    series = _grouped(session, select(WorkSeries.work_id, Series.name, WorkSeries.part)
                      .join(tables.series, Series.id == WorkSeries.series_id)
                      .where(_of(WorkSeries.work_id, ids))
                      .order_by(WorkSeries.work_id, WorkSeries.position))
    collections = _grouped(session, select(WorkCollection.work_id, Collection.name)
                           .join(tables.collections,
                                 Collection.id == WorkCollection.collection_id)
                           .where(_of(WorkCollection.work_id, ids))
                           .order_by(WorkCollection.work_id, WorkCollection.position))
    edits = {i: {layer: json.loads(data) for _, layer, data in rows}
             for i, rows in _grouped(session, select(Layer.work_id, Layer.layer, Layer.data)
                                     .where(_of(Layer.work_id, ids))
                                     .order_by(Layer.work_id, Layer.layer)).items()}
    reading = {row[0]: _reading(row) for row in session.execute(
        select(*READING_COLUMNS).where(_of(Reading.work_id, ids)))}
    no: list[Any] = []
    return [_record(works[i], [names.authors[a] for _, a in authors.get(i, no)],
                    names.tags, tags.get(i, no), chapters.get(i, no) if texts else None,
                    series.get(i, no), [c for _, c in collections.get(i, no)],
                    edits.get(i), reading.get(i))
            for i in ids if i in works]


READING_COLUMNS = (Reading.work_id, Reading.status, Reading.chapter, Reading.marked_at,
                   Reading.chapters_seen, Reading.words_seen)


def _reading(row: Sequence[Any]) -> dict[str, Any]:
    _, status, chapter, marked, chapters_seen, words_seen = row
    return {"status": status, "chapter": chapter, "marked": utc_iso(marked),
            "chapters_seen": chapters_seen, "words_seen": words_seen}


def _record(work: Sequence[Any], authors: list[str], tag_names: dict[int, tuple[str, str]],
            links: list[tuple[int, int, str | None, str | None, int | None]],
            chapters: list[Any] | None, series: list[tuple[int, str, int | None]],
            collections: list[str], edits: dict[str, Any] | None = None,
            reading: dict[str, Any] | None = None) -> model.Work:
    lists: dict[str, list[str]] = {key: [] for key in LIST_KEYS}
    rating = None
    user_tags: list[dict[str, Any]] = []
    inferred: list[dict[str, Any]] = []
    for _, tag_id, written, origin, mentions in links:
        tag_type, name = tag_names[tag_id]
        if written is not None:
            name = written
        if tag_type == "rating":
            rating = name
        else:
            lists[tag_type].append(name)
        if origin == SOURCE_USER:
            user_tags.append({"type": tag_type, "name": name})
        elif origin == SOURCE_INFERRED:
            inferred.append({"type": tag_type, "name": name, "mentions": mentions})
    (work_id, title, summary, notes, language, rating_raw, published, updated, chapter_count,
     expected_chapters, complete, words, sha256, source, text_format, ingested, modified,
     completed, ao3_id, url, stated_words, encoding) = work  # unpacked: by name cost more
    record = model.Work({
        "id": work_id, "title": title, "authors": authors, "fandoms": lists["fandom"],
        "rating": rating, "warnings": lists["warning"], "categories": lists["category"],
        "relationships": lists["relationship"], "characters": lists["character"],
        "freeform": lists["freeform"], "language": language, "words": words,
        "chapters": chapter_count, "expected_chapters": expected_chapters,
        "complete": bool(complete), "summary": summary, "notes": notes,
        "published": published.isoformat() if published else None,
        "updated": updated.isoformat() if updated else None,
        "source": source, "format": text_format, "sha256": sha256,
        "rating_raw": rating_raw, "user_tags": user_tags,
        "ingested": utc_iso(ingested), "modified": utc_iso(modified),
        "series": [{"name": n, "part": p} for _, n, p in series],
        "collections": collections, "completed": completed.isoformat() if completed else None,
        "ao3_id": ao3_id, "url": url, "stated_words": stated_words, "encoding": encoding,
        "inferred": inferred, "edits": edits, "reading": reading,
    })
    if chapters is not None:
        record["text"] = join_chapters(c.text for c in chapters)
        # A one-chapter work's chapter text is `text`: not written twice.
        record["chapter_list"] = [
            {"position": c.position, "title": c.title, "summary": c.summary, "notes": c.notes,
             "words": c.words, "format": c.text_format,
             **({"text": c.text} if len(chapters) > 1 else {})}
            for c in chapters
        ]
    return record


def stream(session: Executor, stmt: Select[Any], *, texts: bool = False
           ) -> Iterator[model.Work]:
    """Records for every id the statement selects, built a batch at a time."""
    batch: list[int] = []
    names = Names()
    with _fewer_collections():
        for work_id in session.scalars(stmt.execution_options(yield_per=BATCH)):
            batch.append(work_id)
            if len(batch) == BATCH:
                yield from build(session, batch, texts=texts, names=names)
                batch = []
        yield from build(session, batch, texts=texts, names=names)


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Run the cyclic garbage collector less often while streaming: records hold no cycles
    and live for one batch, yet the millions of containers they are built of set off a
    collection every 700 allocations, a sixth of an export's time."""
    before = gc.get_threshold()
    gc.set_threshold(50_000, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)
