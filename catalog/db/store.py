"""Writing resolved entries: insert, update in place, or recognise as unchanged/duplicate.

Identity is the source path: the same source with the same text hash and metadata is
`unchanged`; a changed file from the same source updates its work (same id); the same text
from another path is a `duplicate` of the work that has it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TypeVar

from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session

from catalog.db.models import (
    Author,
    Chapter,
    Collection,
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
from catalog.wrangle.edit import new_tag

INGESTED, UPDATED, UNCHANGED, DUPLICATE = "ingested", "updated", "unchanged", "duplicate"
Named = TypeVar("Named", Series, Collection)
_BYLINE = re.compile(r"^(.*?)\s*\(([^()]+)\)$")


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


def store(session: Session, entry: CatalogEntry, *, allow_duplicates: bool = False) -> Outcome:
    """Write one entry in the caller's transaction and say what happened."""
    work = _find_by_source(session, entry)
    if work is not None and entry.partial:
        entry = _merge_chapters(work, entry)
    sha, meta = entry.sha256, entry.meta_hash
    if work is not None:
        if work.sha256 == sha and work.meta_hash == meta:
            return Outcome(UNCHANGED, work.id)
        _fill(session, work, entry, sha, meta)
        work.modified_at = entry.modified or utcnow()
        session.flush()
        _index(session, work.id, entry)
        return Outcome(UPDATED, work.id)
    if not allow_duplicates:
        twin = session.scalars(select(Work.id).where(Work.sha256 == sha).limit(1)).first()
        if twin is not None:
            return Outcome(DUPLICATE, twin, duplicate_of=twin)
    now = utcnow()
    work = Work(ingested_at=entry.ingested or now, modified_at=entry.modified or now)
    explicit = entry.id is not None and session.get(Work, entry.id) is None
    if explicit and entry.id is not None:
        work.id = entry.id
    _fill(session, work, entry, sha, meta)
    session.add(work)
    session.flush()
    if explicit and session.get_bind().dialect.name == "postgresql":
        _advance_sequence(session)
    _index(session, work.id, entry)
    return Outcome(INGESTED, work.id)


def _advance_sequence(session: Session) -> None:
    """A restored id does not move PostgreSQL's id sequence: move it past the largest id."""
    largest = select(func.max(Work.id)).scalar_subquery()
    session.execute(select(func.setval(func.pg_get_serial_sequence("works", "id"), largest)))


def _index(session: Session, work_id: int, entry: CatalogEntry) -> None:
    fulltext.index(session, work_id, title=entry.title, summary=entry.summary,
                   tags=[t.name for t in entry.tags],
                   chapters=[(c.text, c.text_format) for c in entry.chapters])


def _merge_chapters(work: Work, entry: CatalogEntry) -> CatalogEntry:
    """A page showing some chapters of a catalogued work replaces those chapters only."""
    chapters: dict[int, ChapterRecord] = {
        c.position: ChapterRecord(text=c.text, text_format=c.text_format, title=c.title,
                                  summary=c.summary, notes=c.notes, words=c.words,
                                  position=c.position)
        for c in work.chapters
    }
    chapters.update({c.position or 0: c for c in entry.numbered()})
    # AO3 shows the work's notes on its first chapter and end notes on its last: keep both.
    return replace(entry, chapters=[chapters[k] for k in sorted(chapters)],
                   summary=entry.summary or work.summary,
                   notes=_union(work.notes, entry.notes))


def _union(old: str | None, new: str | None) -> str | None:
    if not old or not new or new in old:
        return old or new
    return f"{old}\n\n{new}"


def _find_by_source(session: Session, entry: CatalogEntry) -> Work | None:
    """The work this entry is a newer version of: same AO3 work id (another download of the
    same work, in any format), else same id and source (a restore), else same source."""
    if entry.ao3_id is not None:
        work = session.scalars(select(Work).where(Work.ao3_id == entry.ao3_id)
                               .order_by(Work.id).limit(1)).first()
        if work is not None:
            return work
    if entry.id is not None:
        work = session.get(Work, entry.id)
        if work is not None and work.source == entry.source:
            return work
    return session.scalars(
        select(Work).where(Work.source == entry.source).order_by(Work.id).limit(1)
    ).first()


def _fill(session: Session, work: Work, entry: CatalogEntry, sha: str, meta: str) -> None:
    work.title, work.title_key = entry.title, name_key(entry.title)
    work.summary, work.notes, work.language = entry.summary, entry.notes, entry.language
    work.rating_raw = entry.rating_raw
    work.rating_raw_key = name_key(entry.rating_raw) if entry.rating_raw else None
    work.published, work.updated = entry.published, entry.updated
    work.chapter_count, work.expected_chapters = len(entry.chapters), entry.expected_chapters
    work.complete, work.words = entry.complete, entry.words
    work.sha256, work.meta_hash = sha, meta
    work.source, work.format = entry.source, entry.format
    work.completed, work.ao3_id, work.url = entry.completed, entry.ao3_id, entry.url
    work.stated_words, work.encoding = entry.stated_words, entry.encoding
    if inspect(work).persistent:
        # Replace children wholesale; flush the deletes first so unique keys do not clash.
        work.chapters.clear()
        work.author_links.clear()
        work.tag_links.clear()
        work.series_links.clear()
        work.collection_links.clear()
        session.flush()
    work.chapters = [
        Chapter(position=c.position, title=c.title, summary=c.summary, notes=c.notes,
                text=c.text, text_format=c.text_format, words=c.words or 0)
        for c in entry.numbered()
    ]
    authors = list({id(a): a for a in _authors(session, entry.authors)}.values())
    work.author_links = [WorkAuthor(author=a, position=i) for i, a in enumerate(authors, 1)]
    tags = _tags(session, [(t.type, t.name) for t in entry.tags])
    work.tag_links = [WorkTag(tag=tags[i], source=t.source, position=i + 1,
                              mentions=t.mentions,
                              written=t.name if t.name != tags[i].name else None)
                      for i, t in enumerate(entry.tags)]
    work.series_links = [
        WorkSeries(series=_named(session, Series, name), part=part, position=i)
        for i, (name, part) in enumerate(entry.series, start=1)
    ]
    work.collection_links = [
        WorkCollection(collection=_named(session, Collection, name), position=i)
        for i, name in enumerate(entry.collections, start=1)
    ]


def _named(session: Session, model: type[Named], name: str) -> Named:
    """A series or collection by name, found or created."""
    key = name_key(name)
    with session.no_autoflush:
        found = session.scalars(select(model).where(model.name_key == key)).first()
    if found is None:
        found = model(name=name, name_key=key)
        session.add(found)
    return found


def _authors(session: Session, displays: list[str]) -> list[Author]:
    """Authors for the bylines, found or created with one query for the whole work."""
    parsed = [parse_author(d) for d in displays]
    keys = [name_key(author_display(p, login)) for p, login in parsed]
    with session.no_autoflush:
        found = {a.name_key: a for a in session.scalars(
            select(Author).where(Author.name_key.in_(keys)))} if keys else {}
    out = []
    for (pseud, login), key in zip(parsed, keys, strict=True):
        if key not in found:
            found[key] = Author(pseud=pseud, login=login, name_key=key,
                                pseud_key=name_key(pseud),
                                login_key=name_key(login) if login else None)
            session.add(found[key])
        out.append(found[key])
    return out


def _tags(session: Session, wanted: list[tuple[str, str]]) -> list[Tag]:
    """Tags for (type, name) pairs, found or created with one query for the whole work."""
    keys = [(t, name_key(n)) for t, n in wanted]
    found: dict[tuple[str, str], Tag] = {}
    if keys:
        with session.no_autoflush:
            for tag in session.scalars(select(Tag).where(
                    Tag.name_key.in_({k for _, k in keys}), Tag.type.in_({t for t, _ in keys}))):
                found[(tag.type, tag.name_key)] = tag
    out = []
    for (tag_type, name), key in zip(wanted, keys, strict=True):
        if key not in found:
            found[key] = new_tag(session, tag_type, name)
        out.append(found[key])
    return out
