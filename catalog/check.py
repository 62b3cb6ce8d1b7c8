"""`catalog db check`: a catalogue that checks itself, and repairs what is safe to repair.

A catalogue drifts quietly: a crash, a copy, an edited export restored, an older program.
Each check reads the database as it is and says what does not hold, one finding a line:
the database engine's own structural checks, every stored word count against its stored
text, each tag's kept work count against its links, the full-text index, the works
marked blocked against the blocklist, each story URL's identity key against its URL, and
tags left with no work, no wrangling and no vocabulary. Stale documents that the
contentless index keeps by design are information, not problems. `repair` fixes the
counts and keys, rebuilds the index and deletes the orphans; it never touches a text. It
sits above the store, beside ingest and query, whose word count and index it uses.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import Connection, Select, Subquery, bindparam, func, select, text, update

from catalog import storyurl
from catalog.curate import blocking
from catalog.errors import driver_message, refused_as_read_only
from catalog.ingest.resolve import count_chapter
from catalog.model import ChapterRecord
from catalog.store import fulltext, tables

Work, Chapter, Tag = tables.works.c, tables.chapters.c, tables.tags.c
WorkTag, TagParent, Docs = tables.work_tags.c, tables.tag_parents.c, tables.search_docs.c
PROBLEM, INFO = "problem", "info"
BATCH = 500


@dataclass(frozen=True)
class Finding:
    kind: str  # PROBLEM or INFO
    text: str


def check(conn: Connection) -> Iterator[Finding]:
    """Every finding, the structural ones first."""
    yield from _structure(conn)
    yield from _word_counts(conn)
    yield from _tag_counts(conn)
    yield from _index(conn)
    missing, extra = blocking.drift(conn)
    if missing or extra:
        yield Finding(PROBLEM, f"the works marked blocked are out of date: {missing:,} "
                               f"the blocklist matches are not marked, {extra:,} marked "
                               "that it no longer matches")
    wrong = len(_url_keys(conn))
    if wrong:
        yield Finding(PROBLEM, f"{wrong:,} works have a story URL key that is not their URL's: "
                               "a newer download of them would be added as a new work")
    for tag_id, tag_type, name in conn.execute(_orphans()):
        yield Finding(PROBLEM, f"tag {tag_id} ({tag_type}: {name}) is an orphan: on no work, "
                               "in no wrangling and no vocabulary")


def _structure(conn: Connection) -> Iterator[Finding]:
    if conn.dialect.name == "sqlite":
        for (line,) in conn.exec_driver_sql("PRAGMA integrity_check"):
            if line != "ok":
                yield Finding(PROBLEM, f"integrity: {line}")
        for table, rowid, parent, _ in conn.exec_driver_sql("PRAGMA foreign_key_check"):
            yield Finding(PROBLEM, f"{table} row {rowid} points to a missing {parent} row")
        return
    if conn.execute(text("SELECT 1 FROM pg_extension WHERE extname = 'amcheck'")).first():
        indexes = conn.execute(text(
            "SELECT c.oid, c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_am a ON a.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE a.amname = 'btree' AND n.nspname = current_schema()")).all()
        for oid, name in indexes:
            try:
                with conn.begin_nested():
                    conn.execute(text("SELECT bt_index_check(:oid)"), {"oid": oid})
            except Exception as exc:  # amcheck raises on a corrupt index: report it
                yield Finding(PROBLEM, f"index {name}: {str(exc).splitlines()[0]}")
    else:
        yield Finding(INFO, "PostgreSQL: the amcheck extension is not installed, so index "
                            "structure was not checked (CREATE EXTENSION amcheck)")


def _word_counts(conn: Connection) -> Iterator[Finding]:
    """Each chapter's words recounted from its text; each work's words and chapters
    against its chapters'."""
    for _id, work_id, position, words, counted in _recounted(conn):
        if counted != words:
            yield Finding(PROBLEM, f"work {work_id}: chapter {position} stores {words:,} "
                                   f"words; its text has {counted:,}")
    sums = (select(Chapter.work_id, func.sum(Chapter.words).label("words"),
                   func.count().label("chapters")).group_by(Chapter.work_id).subquery())
    for work_id, words, total, chapters, count in conn.execute(
            select(Work.id, Work.words, sums.c.words, Work.chapter_count, sums.c.chapters)
            .join(sums, sums.c.work_id == Work.id)
            .where((Work.words != sums.c.words) | (Work.chapter_count != sums.c.chapters))):
        if words != total:
            yield Finding(PROBLEM, f"work {work_id} stores {words:,} words; its chapters "
                                   f"have {total:,}")
        if chapters != count:
            yield Finding(PROBLEM, f"work {work_id} stores {chapters} chapters; it has {count}")


def _recounted(conn: Connection) -> Iterator[tuple[int, int, int, int, int]]:
    """(chapter id, work id, position, stored words, words its text has), read a batch
    of works at a time so that memory does not grow with the catalogue."""
    last = 0
    while True:
        rows = conn.execute(
            select(Chapter.id, Chapter.work_id, Chapter.position, Chapter.text,
                   Chapter.text_format, Chapter.words)
            .where(Chapter.work_id.in_(select(Work.id).where(Work.id > last)
                                       .order_by(Work.id).limit(BATCH)))
            .order_by(Chapter.work_id, Chapter.position)).all()
        if not rows:
            return
        for chapter_id, work_id, position, body, fmt, words in rows:
            counted = count_chapter(ChapterRecord(text=body, text_format=fmt))
            yield chapter_id, work_id, position, words, counted
        last = rows[-1].work_id


def _true_counts() -> Subquery:
    return (select(WorkTag.tag_id, func.count().label("works"))
            .group_by(WorkTag.tag_id).subquery())


def _tag_counts(conn: Connection) -> Iterator[Finding]:
    links = _true_counts()
    actual = func.coalesce(links.c.works, 0)
    for tag_id, name, kept, real in conn.execute(
            select(Tag.id, Tag.name, Tag.work_count, actual)
            .outerjoin(links, links.c.tag_id == Tag.id)
            .where(Tag.work_count != actual)):
        yield Finding(PROBLEM, f"tag {tag_id} ({name}) counts {kept:,} works; it is on {real:,}")


def _index(conn: Connection) -> Iterator[Finding]:
    if conn.dialect.name == "sqlite":
        try:
            with conn.begin_nested():
                conn.exec_driver_sql("INSERT INTO works_fts(works_fts, rank) "
                                     "VALUES ('integrity-check', 0)")
        except Exception as exc:
            if refused_as_read_only(exc):  # FTS5's check is an INSERT: it must write
                yield Finding(INFO, "full-text index: not checked, as FTS5's check writes "
                                    "and this catalogue is read-only (check a copy made "
                                    "with catalog db backup)")
            else:
                yield Finding(PROBLEM, f"full-text index: {driver_message(exc)} "
                                       "(repair with --repair or catalog db reindex)")
    missing = conn.execute(select(func.count()).select_from(tables.works).where(
        ~Work.id.in_(select(Docs.work_id)))).scalar_one()
    if missing:
        yield Finding(PROBLEM, f"{missing:,} works have no full-text document: words in "
                               "queries miss them")
    stale = fulltext.stale(conn)
    if stale:
        yield Finding(INFO, f"{stale:,} stale full-text documents (left by updates and "
                            "removals, as the index keeps no texts; db reindex compacts them)")


def _orphans() -> Select[int, str, str]:
    linked = select(WorkTag.tag_id).union(
        select(TagParent.child_id), select(TagParent.parent_id),
        select(Tag.synonym_of_id).where(Tag.synonym_of_id.is_not(None)))
    return (select(Tag.id, Tag.type, Tag.name)
            .where(~Tag.canonical, Tag.synonym_of_id.is_(None), Tag.ao3_id.is_(None),
                   ~Tag.id.in_(linked))
            .order_by(Tag.id))


def _url_keys(conn: Connection) -> dict[int, str | None]:
    """Works whose `url_key` is not `storyurl.key(url)`: id -> the right key."""
    rows = conn.execute(select(Work.id, Work.url, Work.url_key)
                        .where(Work.url.is_not(None) | Work.url_key.is_not(None)))
    return {work_id: right for work_id, url, stored in rows
            if (right := storyurl.key(url)) != stored}


def repair(conn: Connection) -> list[str]:
    """Fix what is safe: counts from the texts and links, the index, the orphans. Returns
    what was done, a line each."""
    done: list[str] = []
    wrong = [(chapter_id, counted) for chapter_id, _, _, words, counted in _recounted(conn)
             if counted != words]
    if wrong:  # one statement run for every row (executemany), not a statement each
        conn.execute(update(tables.chapters).where(Chapter.id == bindparam("chapter"))
                     .values(words=bindparam("counted")),
                     [{"chapter": chapter_id, "counted": counted}
                      for chapter_id, counted in wrong])
    fixed = len(wrong)
    sums = select(func.sum(Chapter.words)).where(Chapter.work_id == Work.id).scalar_subquery()
    count = select(func.count()).where(Chapter.work_id == Work.id).scalar_subquery()
    works = conn.execute(update(tables.works).where(
        (Work.words != sums) | (Work.chapter_count != count))
        .values(words=sums, chapter_count=count)).rowcount
    if fixed or works:
        done.append(f"recounted the words of {fixed:,} chapters and {works:,} works")
    real = (select(func.count()).where(WorkTag.tag_id == Tag.id).scalar_subquery())
    tags = conn.execute(update(tables.tags).where(Tag.work_count != real)
                        .values(work_count=real)).rowcount
    if tags:
        done.append(f"set the work counts of {tags:,} tags")
    orphans = [tag_id for tag_id, _, _ in conn.execute(_orphans())]
    if orphans:
        conn.execute(tables.tags.delete().where(Tag.id.in_(orphans)))
        done.append(f"deleted {len(orphans):,} orphan tags")
    keys = _url_keys(conn)
    if keys:
        conn.execute(update(tables.works).where(Work.id == bindparam("work"))
                     .values(url_key=bindparam("key")),
                     [{"work": work_id, "key": key} for work_id, key in keys.items()])
        done.append(f"set the story URL keys of {len(keys):,} works")
    if any(blocking.drift(conn)):
        blocking.refresh(conn)
        done.append("recomputed the works the blocklist leaves out")
    stale = fulltext.stale(conn)
    indexed = fulltext.rebuild(conn)
    done.append(f"rebuilt the full-text index of {indexed:,} works"
                + (f", dropping {stale:,} stale documents" if stale else ""))
    return done
