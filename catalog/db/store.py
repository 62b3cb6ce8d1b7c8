"""Writing resolved entries: insert, update in place, or recognise as unchanged/duplicate.

Identity is the source path: the same source with the same text hash and metadata is
`unchanged`; a changed file from the same source updates its work (same id); the same text
from another path is a `duplicate` of the work that has it.

Rows are written with Core statements (one executemany per child table), not ORM objects:
an ingest writes thousands of works and the unit of work's per-row bookkeeping was most of
its cost. Lookups go through `Known`, which one batch shares.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import cache
from typing import Any

from sqlalchemy import Table, delete, func, insert, select, update
from sqlalchemy.orm import Session

from catalog.db.known import Known, WorkRow
from catalog.db.models import (
    Author,
    Chapter,
    Collection,
    RelationshipMember,
    Series,
    Tag,
    Work,
    WorkAuthor,
    WorkCollection,
    WorkSeries,
    WorkTag,
    author_display,
)
from catalog.ingest.record import CatalogEntry, ChapterRecord
from catalog.query import fulltext
from catalog.textnorm import collapse, name_key
from catalog.wrangle.edit import new_tag_rows

INGESTED, UPDATED, UNCHANGED, DUPLICATE = "ingested", "updated", "unchanged", "duplicate"
_BYLINE = re.compile(r"^(.*?)\s*\(([^()]+)\)$")
WORKS: Table = Work.__table__  # type: ignore[assignment]
CHAPTERS: Table = Chapter.__table__  # type: ignore[assignment]
CHILDREN: tuple[Any, ...] = tuple(
    m.__table__ for m in (Chapter, WorkAuthor, WorkTag, WorkSeries, WorkCollection))
AUTHORS: Table = Author.__table__  # type: ignore[assignment]
TAGS: Table = Tag.__table__  # type: ignore[assignment]
MEMBERS: Table = RelationshipMember.__table__  # type: ignore[assignment]
SERIES: Table = Series.__table__  # type: ignore[assignment]
COLLECTIONS: Table = Collection.__table__  # type: ignore[assignment]


@dataclass(frozen=True)
class Outcome:
    status: str
    work_id: int
    duplicate_of: int | None = None


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def parse_author(value: str) -> tuple[str, str | None]:
    """'Lamplighter (lamplighter)' -> ('Lamplighter', 'lamplighter'); 'Moth Wing' -> (…, None)."""
    value = collapse(value)
    m = _BYLINE.match(value)
    return (collapse(m.group(1)), collapse(m.group(2))) if m and m.group(1) else (value, None)


def store(session: Session, entry: CatalogEntry, *, allow_duplicates: bool = False,
          known: Known | None = None, hashes: tuple[str, str] | None = None) -> Outcome:
    """Write one entry in the caller's transaction and say what happened. `hashes` are
    the entry's (sha256, meta_hash) when already computed."""
    known = known or Known()
    work = _find(session, entry, known)
    if work is not None and entry.partial:
        entry, hashes = _merge_chapters(session, work, entry), None
    sha, meta = hashes or (entry.sha256, entry.meta_hash)
    if work is not None:
        if work.sha256 == sha and work.meta_hash == meta:
            return Outcome(UNCHANGED, work.id)
        session.execute(update(WORKS).where(WORKS.c.id == work.id).values(
            **_columns(entry, sha, meta), modified_at=entry.modified or utcnow()))
        for table in CHILDREN:
            session.execute(delete(table).where(table.c.work_id == work.id))
        _children(session, work.id, entry, known)
        known.changed_work(work, WorkRow(work.id, entry.source, entry.ao3_id, sha, meta))
        return Outcome(UPDATED, work.id)
    if not allow_duplicates:
        twin = known.work_with_text(session, sha)
        if twin is not None:
            return Outcome(DUPLICATE, twin, duplicate_of=twin)
    return Outcome(INGESTED, _insert(session, entry, sha, meta, known))


def _insert(session: Session, entry: CatalogEntry, sha: str, meta: str, known: Known) -> int:
    now = utcnow()
    values = {**_columns(entry, sha, meta), "ingested_at": entry.ingested or now,
              "modified_at": entry.modified or now}
    explicit = entry.id is not None and session.get(Work, entry.id) is None
    if explicit:
        values["id"] = entry.id
    work_id = int(session.execute(_returning_id(WORKS), values).scalar_one())
    row = WorkRow(work_id, entry.source, entry.ao3_id, sha, meta)
    if explicit:
        known.changed_work(row)  # a restored id may be lower than a work already known
        if session.get_bind().dialect.name == "postgresql":
            _advance_sequence(session)
    else:
        known.added_work(row)
    _children(session, work_id, entry, known)
    return work_id


@cache
def _returning_id(table: Table) -> Any:
    """One INSERT … RETURNING id statement per table, built once: the rows come as
    parameters, so SQLAlchemy compiles it once instead of once per row."""
    return insert(table).returning(table.c.id)


def _advance_sequence(session: Session) -> None:
    """A restored id does not move PostgreSQL's id sequence: move it past the largest id."""
    largest = select(func.max(Work.id)).scalar_subquery()
    session.execute(select(func.setval(func.pg_get_serial_sequence("works", "id"), largest)))


def _columns(entry: CatalogEntry, sha: str, meta: str) -> dict[str, Any]:
    """The works row of an entry, except its timestamps."""
    return {
        "title": entry.title, "title_key": name_key(entry.title), "summary": entry.summary,
        "notes": entry.notes, "language": entry.language, "rating_raw": entry.rating_raw,
        "rating_raw_key": name_key(entry.rating_raw) if entry.rating_raw else None,
        "published": entry.published, "updated": entry.updated,
        "chapter_count": len(entry.chapters), "expected_chapters": entry.expected_chapters,
        "complete": entry.complete, "words": entry.words, "sha256": sha, "meta_hash": meta,
        "source": entry.source, "format": entry.format, "completed": entry.completed,
        "ao3_id": entry.ao3_id, "url": entry.url, "stated_words": entry.stated_words,
        "encoding": entry.encoding,
    }


def _children(session: Session, work_id: int, entry: CatalogEntry, known: Known) -> None:
    """Chapters, links and the full-text document of a work whose old ones are gone."""
    session.execute(insert(CHAPTERS), [
        {"work_id": work_id, "position": c.position, "title": c.title, "summary": c.summary,
         "notes": c.notes, "text": c.text, "text_format": c.text_format,
         "words": c.words or 0} for c in entry.numbered()])
    _links(session, WorkAuthor.__table__, "author_id", work_id,
           [{"author_id": a} for a in _authors(session, entry.authors, known)])
    tags = _tags(session, [(t.type, t.name) for t in entry.tags], known)
    _links(session, WorkTag.__table__, "tag_id", work_id, [
        {"tag_id": tag_id, "source": t.source, "mentions": t.mentions,
         "written": t.name if t.name != name else None}
        for t, (tag_id, name) in zip(entry.tags, tags, strict=True)])
    _links(session, WorkSeries.__table__, "series_id", work_id, [
        {"series_id": i, "part": part} for i, (_, part) in zip(
            _named(session, SERIES, [n for n, _ in entry.series], known), entry.series,
            strict=True)])
    _links(session, WorkCollection.__table__, "collection_id", work_id, [
        {"collection_id": i} for i in _named(session, COLLECTIONS,
                                             entry.collections, known)])
    fulltext.index(session, work_id, title=entry.title, summary=entry.summary,
                   tags=[t.name for t in entry.tags],
                   chapters=[(c.text, c.text_format) for c in entry.chapters])


def _links(session: Session, table: Any, key: str, work_id: int,
           rows: list[dict[str, Any]]) -> None:
    """Insert link rows in order (positions from 1), each target once."""
    seen: set[int] = set()
    values: list[dict[str, Any]] = []
    for row in rows:
        if row[key] not in seen:
            seen.add(row[key])
            values.append({**row, "work_id": work_id, "position": len(values) + 1})
    if values:
        session.execute(insert(table), values)


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
    same work, in any format), else same id and source (a restore), else same source."""
    if entry.ao3_id is not None:
        work = known.work_by_ao3(session, entry.ao3_id)
        if work is not None:
            return work
    if entry.id is not None:
        row = session.execute(select(*(WORKS.c[k] for k in WorkRow._fields))
                              .where(WORKS.c.id == entry.id)).first()
        if row is not None and row.source == entry.source:
            return WorkRow(*row)
    return known.work_by_source(session, entry.source)


def _authors(session: Session, displays: list[str], known: Known) -> list[int]:
    """Author ids for the bylines, found or created."""
    parsed = [parse_author(d) for d in displays]
    keys = [name_key(author_display(p, login)) for p, login in parsed]
    known.learn_authors(session, keys)
    out = []
    for (pseud, login), key in zip(parsed, keys, strict=True):
        author_id = known.authors.get(key)
        if author_id is None:
            author_id = int(session.execute(_returning_id(AUTHORS), {
                "pseud": pseud, "login": login, "name_key": key, "pseud_key": name_key(pseud),
                "login_key": name_key(login) if login else None}).scalar_one())
            known.authors[key] = author_id
        out.append(author_id)
    return out


def _tags(session: Session, wanted: list[tuple[str, str]], known: Known) -> list[tuple[int, str]]:
    """(id, name) of the tags for (type, name) pairs, found or created (wrangled as
    `new_tag` does, written with Core)."""
    keys = [(t, name_key(n)) for t, n in wanted]
    known.learn_tags(session, keys)
    members: list[dict[str, Any]] = []
    out = []
    for (tag_type, name), key in zip(wanted, keys, strict=True):
        found = known.tags.get(key)
        if found is None:
            values, member_rows = new_tag_rows(session, tag_type, name)
            tag_id = int(session.execute(_returning_id(TAGS), values).scalar_one())
            members += [{**m, "tag_id": tag_id} for m in member_rows]
            found = known.tags[key] = (tag_id, values["name"])
        out.append(found)
    if members:
        session.execute(insert(MEMBERS), members)
    return out


def _named(session: Session, table: Table, names: list[str], known: Known) -> list[int]:
    """Series or collection ids by name, found or created."""
    keys = [name_key(n) for n in names]
    known.learn_named(session, table, keys)
    out = []
    for name, key in zip(names, keys, strict=True):
        row_id = known.named.get((table.name, key))
        if row_id is None:
            row_id = int(session.execute(_returning_id(table),
                                         {"name": name, "name_key": key}).scalar_one())
            known.named[(table.name, key)] = row_id
        out.append(row_id)
    return out
