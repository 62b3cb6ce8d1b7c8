"""Work records: the stable, documented shape every output and export uses.

Keys (later versions add keys, never rename or drop one): id, title, authors, fandoms,
rating, warnings, categories, relationships, characters, freeform, language, words,
chapters, expected_chapters, complete, summary, notes, published, updated, source, format,
sha256; then rating_raw, user_tags, ingested, modified, series, collections, completed,
ao3_id, url, stated_words, encoding; then inferred (tags found by inference, also in
their list key: type, name, mentions). With texts (export): text and
chapter_list (each chapter's text is in it only when there are several chapters).
Records are built a batch of ids at a time, so memory stays flat, with Core statements
only: a Session or a plain Connection will do, and building records needs no ORM.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import datetime
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from sqlalchemy import Row, Select, select

from catalog.db import tables
from catalog.db.tables import SOURCE_INFERRED, SOURCE_USER, author_display
from catalog.ingest.record import join_chapters

if TYPE_CHECKING:
    from catalog.query.fulltext import Executor

# The columns of the tables read.
Work, Chapter, Tag, WorkTag = (tables.works.c, tables.chapters.c, tables.tags.c,
                               tables.work_tags.c)
Author, WorkAuthor = tables.authors.c, tables.work_authors.c
Series, WorkSeries = tables.series.c, tables.work_series.c
Collection, WorkCollection = tables.collections.c, tables.work_collections.c

LIST_KEYS = {"fandom": "fandoms", "warning": "warnings", "category": "categories",
             "relationship": "relationships", "character": "characters", "freeform": "freeform"}
RECORD_KEYS = ("id", "title", "authors", "fandoms", "rating", "warnings", "categories",
               "relationships", "characters", "freeform", "language", "words", "chapters",
               "expected_chapters", "complete", "summary", "notes", "published", "updated",
               "source", "format", "sha256", "rating_raw", "user_tags", "ingested", "modified",
               "series", "collections", "completed", "ao3_id", "url", "stated_words",
               "encoding", "inferred")
BATCH = 500


def _iso(value: datetime) -> str:
    return value.isoformat() + "Z"


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


_in_order = itemgetter(0, 1)  # (work_id, position): plain tuples sort fast, Rows do not


def _chunks(ids: set[int]) -> list[list[int]]:
    items = sorted(ids)
    return [items[i:i + BATCH] for i in range(0, len(items), BATCH)]


def build(session: Executor, ids: Sequence[int], *, texts: bool = False,
          names: Names | None = None) -> list[dict[str, Any]]:
    """Records for `ids`, in that order (missing ids are left out)."""
    if not ids:
        return []
    names = names or Names()
    works = {w.id: w for w in session.execute(select(tables.works).where(Work.id.in_(ids)))}
    # Link rows are put in order here: an ORDER BY made the database sort every batch.
    author_links = sorted(session.execute(
        select(WorkAuthor.work_id, WorkAuthor.position, WorkAuthor.author_id)
        .where(WorkAuthor.work_id.in_(ids))).all(), key=_in_order)
    tag_links = sorted(session.execute(
        select(WorkTag.work_id, WorkTag.position, WorkTag.tag_id, WorkTag.written,
               WorkTag.source, WorkTag.mentions).where(WorkTag.work_id.in_(ids))).all(),
        key=_in_order)
    names.learn(session, {t for _, _, t, *_ in tag_links}, {a for *_, a in author_links})
    authors: dict[int, list[str]] = defaultdict(list)
    for work_id, _, author_id in author_links:
        authors[work_id].append(names.authors[author_id])
    tags: dict[int, list[tuple[str, str, str, int | None]]] = defaultdict(list)
    for work_id, _, tag_id, written, source, mentions in tag_links:
        tag_type, name = names.tags[tag_id]
        tags[work_id].append((tag_type, name if written is None else written, source, mentions))
    chapters: dict[int, list[Row[Any]]] = defaultdict(list)
    if texts:
        for chapter in session.execute(
            select(tables.chapters).where(Chapter.work_id.in_(ids))
            .order_by(Chapter.work_id, Chapter.position)
        ):
            chapters[chapter.work_id].append(chapter)
    series: dict[int, list[tuple[str, int | None]]] = defaultdict(list)
    for work_id, name, part in session.execute(
        select(WorkSeries.work_id, Series.name, WorkSeries.part)
        .join(tables.series, Series.id == WorkSeries.series_id)
        .where(WorkSeries.work_id.in_(ids)).order_by(WorkSeries.work_id, WorkSeries.position)
    ):
        series[work_id].append((name, part))
    collections: dict[int, list[str]] = defaultdict(list)
    for work_id, name in session.execute(
        select(WorkCollection.work_id, Collection.name)
        .join(tables.collections, Collection.id == WorkCollection.collection_id)
        .where(WorkCollection.work_id.in_(ids))
        .order_by(WorkCollection.work_id, WorkCollection.position)
    ):
        collections[work_id].append(name)
    return [_record(works[i], authors[i], tags[i], chapters[i] if texts else None,
                    series[i], collections[i])
            for i in ids if i in works]


def _record(work: Row[Any], authors: list[str], tags: list[tuple[str, str, str, int | None]],
            chapters: list[Row[Any]] | None, series: list[tuple[str, int | None]],
            collections: list[str]) -> dict[str, Any]:
    lists: dict[str, list[str]] = {key: [] for key in LIST_KEYS.values()}
    rating = None
    for tag_type, name, _source, _mentions in tags:
        if tag_type == "rating":
            rating = name
        else:
            lists[LIST_KEYS[tag_type]].append(name)
    record: dict[str, Any] = {
        "id": work.id, "title": work.title, "authors": authors, "fandoms": lists["fandoms"],
        "rating": rating, "warnings": lists["warnings"], "categories": lists["categories"],
        "relationships": lists["relationships"], "characters": lists["characters"],
        "freeform": lists["freeform"], "language": work.language, "words": work.words,
        "chapters": work.chapter_count, "expected_chapters": work.expected_chapters,
        "complete": bool(work.complete), "summary": work.summary, "notes": work.notes,
        "published": work.published.isoformat() if work.published else None,
        "updated": work.updated.isoformat() if work.updated else None,
        "source": work.source, "format": work.format, "sha256": work.sha256,
        "rating_raw": work.rating_raw,
        "user_tags": [{"type": t, "name": n} for t, n, s, _ in tags if s == SOURCE_USER],
        "ingested": _iso(work.ingested_at), "modified": _iso(work.modified_at),
        "series": [{"name": n, "part": p} for n, p in series],
        "collections": collections, "completed": work.completed.isoformat()
        if work.completed else None,
        "ao3_id": work.ao3_id, "url": work.url, "stated_words": work.stated_words,
        "encoding": work.encoding,
        "inferred": [{"type": t, "name": n, "mentions": m}
                     for t, n, s, m in tags if s == SOURCE_INFERRED],
    }
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
           ) -> Iterator[dict[str, Any]]:
    """Records for every id the statement selects, built a batch at a time."""
    batch: list[int] = []
    names = Names()
    for work_id in session.scalars(stmt.execution_options(yield_per=BATCH)):
        batch.append(work_id)
        if len(batch) == BATCH:
            yield from build(session, batch, texts=texts, names=names)
            batch = []
    yield from build(session, batch, texts=texts, names=names)

