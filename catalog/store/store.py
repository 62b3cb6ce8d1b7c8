"""Writing resolved entries: insert, update in place, or recognise as unchanged/duplicate.

Identity is the source path: the same source with the same text hash and metadata is
`unchanged`; a changed file from the same source updates its work (same id); the same text
from another path is a `duplicate` of the work that has it.

Rows are written with Core statements (one executemany per child table), not ORM objects:
an ingest writes thousands of works and the unit of work's per-row bookkeeping was most of
its cost. Lookups go through `Known`, which one batch shares.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import cache
from typing import Any

from sqlalchemy import Table, delete, func, insert, select, update
from sqlalchemy.orm import Session

from catalog import layers
from catalog.model import SOURCE_FILE, CatalogEntry, ChapterRecord, TagRef
from catalog.store import fulltext, userdata
from catalog.store.known import Known, WorkRow
from catalog.store.models import Work
from catalog.store.names import author_key, ensure_authors, ensure_named, ensure_tags
from catalog.store.packed import pack
from catalog.store.rows import insert_rows
from catalog.store.tables import (
    chapters,
    collections,
    series,
    work_authors,
    work_collections,
    work_series,
    work_tags,
    works,
)
from catalog.textnorm import name_key

INGESTED, UPDATED, UNCHANGED, DUPLICATE = "ingested", "updated", "unchanged", "duplicate"
WORKS, CHAPTERS, SERIES, COLLECTIONS = works, chapters, series, collections
WORK_AUTHORS, WORK_TAGS, WORK_SERIES, WORK_COLLECTIONS = (
    work_authors, work_tags, work_series, work_collections)
CHILDREN = (CHAPTERS, WORK_AUTHORS, WORK_TAGS, WORK_SERIES, WORK_COLLECTIONS)


@dataclass(frozen=True)
class Outcome:
    status: str
    work_id: int
    duplicate_of: int | None = None


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def store(session: Session, entry: CatalogEntry, *, allow_duplicates: bool = False,
          known: Known, hashes: tuple[str, str] | None = None) -> Outcome:
    """Write one entry in the caller's transaction and say what happened. `hashes` are
    the entry's (sha256, meta_hash) when already computed."""
    entry = rated(session, entry, known)
    work = _find(session, entry, known)
    if work is not None and entry.partial:
        entry, hashes = _merge_chapters(session, work, entry), None
    sha, meta = hashes or (entry.sha256, entry.meta_hash)
    if work is not None:
        stored = userdata.user_layers(userdata.layers_of(session, [work.id]).get(work.id, {}))
        laid = layers.merge(stored, entry.layers)
        if work.sha256 == sha and work.meta_hash == meta and laid == stored:
            return Outcome(UNCHANGED, work.id)
        shown = layers.effective(entry, laid)
        session.execute(update(WORKS).where(WORKS.c.id == work.id).values(
            **work_columns(shown, sha, meta), modified_at=entry.modified or utcnow()))
        for table in CHILDREN:
            session.execute(delete(table).where(table.c.work_id == work.id))
        _children(session, work.id, shown, known)
        userdata.save(session, work.id, layers.meta_of(entry), laid)
        userdata.save_reading(session, work.id, entry.reading)
        known.changed_work(work, WorkRow(work.id, entry.source, entry.ao3_id, sha, meta,
                                         entry.url_key))
        return Outcome(UPDATED, work.id)
    if not allow_duplicates:
        twin = known.work_with_text(session, sha)
        if twin is not None:
            return Outcome(DUPLICATE, twin, duplicate_of=twin)
    laid = layers.merge({}, entry.layers)
    work_id = _insert(session, layers.effective(entry, laid), sha, meta, known)
    userdata.save(session, work_id, layers.meta_of(entry), laid)
    userdata.save_reading(session, work_id, entry.reading)
    return Outcome(INGESTED, work_id)


def rated(session: Session, entry: CatalogEntry, known: Known) -> CatalogEntry:
    """The entry with the rating its file wrote ("Lemon") read through the catalogue's
    rating synonyms: one the user made (`tag synonym Lemon Explicit --type rating`)
    counts like AO3's own, on every work ingested after it as on those before."""
    if not entry.rating_raw:
        return entry
    canonical = known.rating_named(session, entry.rating_raw)
    if canonical is None:
        return entry
    tags = [TagRef("rating", canonical, t.source, t.mentions)
            if t.type == "rating" and t.source == SOURCE_FILE else t for t in entry.tags]
    return replace(entry, tags=tags)


def _insert(session: Session, entry: CatalogEntry, sha: str, meta: str, known: Known) -> int:
    now = utcnow()
    values = {**work_columns(entry, sha, meta), "ingested_at": entry.ingested or now,
              "modified_at": entry.modified or now}
    explicit = entry.id is not None and session.get(Work, entry.id) is None
    if explicit:
        values["id"] = entry.id
    work_id = int(session.execute(_returning_id(WORKS), values).scalar_one())
    row = WorkRow(work_id, entry.source, entry.ao3_id, sha, meta, entry.url_key)
    if explicit:
        known.changed_work(row)  # a restored id may be lower than a work already known
        if session.get_bind().dialect.name == "postgresql":
            advance_sequence(session)
    else:
        known.added_work(row)
    _children(session, work_id, entry, known)
    return work_id


@cache
def _returning_id(table: Table) -> Any:
    """One INSERT … RETURNING id statement per table, built once: the rows come as
    parameters, so SQLAlchemy compiles it once instead of once per row."""
    return insert(table).returning(table.c.id)


def advance_sequence(session: Session) -> None:
    """A restored id does not move PostgreSQL's id sequence: move it past the largest id."""
    largest = select(func.max(Work.id)).scalar_subquery()
    session.execute(select(func.setval(func.pg_get_serial_sequence("works", "id"), largest)))


def work_columns(entry: CatalogEntry, sha: str, meta: str) -> dict[str, Any]:
    """The works row of an entry, except its timestamps."""
    return {
        "title": entry.title, "title_key": name_key(entry.title), "summary": entry.summary,
        "notes": entry.notes, "language": entry.language, "rating_raw": entry.rating_raw,
        "rating_raw_key": name_key(entry.rating_raw) if entry.rating_raw else None,
        "published": entry.published, "updated": entry.updated,
        "chapter_count": len(entry.chapters), "expected_chapters": entry.expected_chapters,
        "complete": entry.complete, "words": entry.words, "sha256": sha, "meta_hash": meta,
        "source": entry.source, "format": entry.format, "completed": entry.completed,
        "ao3_id": entry.ao3_id, "url": entry.url, "url_key": entry.url_key,
        "stated_words": entry.stated_words,
        "encoding": entry.encoding,
    }


def _children(session: Session, work_id: int, entry: CatalogEntry, known: Known) -> None:
    """Chapters, links and the full-text document of a work whose old ones are gone."""
    ensure_names(session, [entry], known)
    conn = session.connection()
    packing = conn.dialect.name == "sqlite"
    for table, rows in child_rows(work_id, entry, known, packing=packing).items():
        insert_rows(conn, table, rows)
    fulltext.index(session, work_id, title=entry.title, summary=entry.summary,
                   tags=[t.name for t in entry.tags],
                   chapters=[(c.text, c.text_format) for c in entry.chapters])


def ensure_names(session: Session, entries: list[CatalogEntry], known: Known) -> None:
    """Every tag, author, series and collection these entries name, found or created."""
    ensure_tags(session, [(t.type, t.name) for e in entries for t in e.tags], known)
    ensure_authors(session, [a for e in entries for a in e.authors], known)
    ensure_named(session, SERIES, [n for e in entries for n, _ in e.series], known)
    ensure_named(session, COLLECTIONS, [n for e in entries for n in e.collections], known)


Rows = list[dict[str, Any]]


def child_rows(work_id: int, entry: CatalogEntry, known: Known, *,
               packing: bool = False) -> dict[Table, Rows]:
    """The rows of every child table for one work, its names already in `known`; with
    `packing` (SQLite), chapter texts compressed where that is smaller."""
    tags = [known.tag(t.type, t.name) for t in entry.tags]
    return {
        CHAPTERS: [{"work_id": work_id, "position": position, "title": c.title,
                    "summary": c.summary, "notes": c.notes,
                    "text": _stored(c, packing),
                    "text_format": c.text_format, "words": c.words or 0}
                   for c, position in zip(entry.chapters, entry.positions(), strict=True)],
        WORK_AUTHORS: _links("author_id", work_id, [
            {"author_id": known.authors[author_key(a)]} for a in entry.authors]),
        WORK_TAGS: _links("tag_id", work_id, [
            {"tag_id": found[0], "source": t.source, "mentions": t.mentions,
             "written": t.name if t.name != found[1] else None}
            for t, found in zip(entry.tags, tags, strict=True)]),
        WORK_SERIES: _links("series_id", work_id, [
            {"series_id": known.named[(SERIES.name, name_key(n))], "part": part}
            for n, part in entry.series]),
        WORK_COLLECTIONS: _links("collection_id", work_id, [
            {"collection_id": known.named[(COLLECTIONS.name, name_key(n))]}
            for n in entry.collections]),
    }


def _stored(chapter: ChapterRecord, packing: bool) -> str | bytes:
    """The chapter's text as written: compressed already by the parsing workers, or here."""
    if not packing:
        return chapter.text
    return chapter.stored if chapter.stored is not None else pack(chapter.text)


def _links(key: str, work_id: int, rows: Rows) -> Rows:
    """Link rows in order (positions from 1), each target once."""
    seen: set[int] = set()
    values: list[dict[str, Any]] = []
    for row in rows:
        if row[key] not in seen:
            seen.add(row[key])
            values.append({**row, "work_id": work_id, "position": len(values) + 1})
    return values


def _merge_chapters(session: Session, work: WorkRow, entry: CatalogEntry) -> CatalogEntry:
    """A page showing some chapters of a catalogued work replaces those chapters only."""
    c = CHAPTERS.c
    chapters: dict[int, ChapterRecord] = {
        row.position: ChapterRecord(text=row.text, text_format=row.text_format,
                                    title=row.title, summary=row.summary, notes=row.notes,
                                    words=row.words, position=row.position)
        for row in session.execute(select(c.position, c.text, c.text_format, c.title,
                                          c.summary, c.notes, c.words)
                                   .where(c.work_id == work.id).order_by(c.position))
    }
    summary, notes = session.execute(select(WORKS.c.summary, WORKS.c.notes)
                                     .where(WORKS.c.id == work.id)).one()
    chapters.update({c.position or 0: c for c in entry.numbered()})
    # AO3 shows the work's notes on its first chapter and end notes on its last: keep both.
    return replace(entry, chapters=[chapters[k] for k in sorted(chapters)],
                   summary=entry.summary or summary, notes=_union(notes, entry.notes))


def _union(old: str | None, new: str | None) -> str | None:
    if not old or not new or new in old:
        return old or new
    return f"{old}\n\n{new}"


def _find(session: Session, entry: CatalogEntry, known: Known) -> WorkRow | None:
    """The work this entry is a newer version of: same AO3 work id (another download of the
    same work, in any format), else the same story URL (a newer FanFicFare download or saved
    page), else same id and source (a restore), else same source."""
    if entry.ao3_id is not None:
        work = known.work_by_ao3(session, entry.ao3_id)
        if work is not None:
            return work
    if entry.url_key is not None:
        work = known.work_by_url(session, entry.url_key)
        if work is not None:
            return work
    if entry.id is not None:
        row = session.execute(select(*(WORKS.c[k] for k in WorkRow._fields))
                              .where(WORKS.c.id == entry.id)).first()
        if row is not None and row.source == entry.source:
            return WorkRow(*row)
    return known.work_by_source(session, entry.source)
