"""The catalogue as a library: one object that owns the engine, keeps the schema at head
and hands out sessions (ORM) and connections (Core, for readers that need no objects).
Every command goes through it; nothing here prints. The ORM is imported only when a
session is asked for.

    from catalog import Catalogue
    with Catalogue.open("~/fic.db") as cat:
        print(cat.info()["works"])
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from itertools import chain
from os import PathLike
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self, TextIO, TypeVar

from sqlalchemy import Connection, Engine, delete, func, make_url, select

from catalog.config import DEFAULT_MAX_SIZE, resolve_db_url, sqlite_path
from catalog.curate import blocking
from catalog.errors import CatalogError, NotFoundError
from catalog.export import records
from catalog.model import Work
from catalog.query.compiler import Lookups, Query, blocked_works, count, work_ids
from catalog.query.options import Filters, build
from catalog.store import fulltext, tables
from catalog.store.engine import make_engine, read_only, serial, unmapped
from catalog.store.migrate import (
    check_known,
    current_revision,
    ensure_schema,
    head_revision,
    history,
    upgrade,
)
from catalog.textnorm import escape_line

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from catalog.check import Finding
    from catalog.curate.edits import Edit, Edited
    from catalog.ingest.report import Ingesting, IngestReport
    from catalog.ingest.resolve import IngestOptions
    from catalog.store.compact import Compacted
    from catalog.wrangle.actions import Wrangled
    from catalog.wrangle.ao3dump import ImportReport
    from catalog.wrangle.vocabulary import LoadReport

T = TypeVar("T")
__all__ = ["CAPTION_CAP", "Catalogue", "CheckReport", "Filters", "Page", "Query"]

# A page's caption counts matches up to here: an exact count of a popular tag in a million
# works costs more than the page (`stats` counts them all).
CAPTION_CAP = 10_000


@dataclass(frozen=True)
class Page:
    """One page of matching works and how many match in all, counted up to `cap` (`total`
    is then cap + 1: "more than cap")."""

    works: list[Work]
    total: int
    offset: int
    cap: int | None
    hidden: int = 0  # matches the blocklist left out, counted up to `cap` as `total` is

    @property
    def more(self) -> bool:
        return self.cap is not None and self.total > self.cap


@dataclass(frozen=True)
class CheckReport:
    """What `check` found (problems and information) and, with repair, what it did."""

    findings: list[Finding]
    repaired: list[str]

    @property
    def problems(self) -> int:
        # each layer loaded by the methods that use it
        from catalog.check import PROBLEM

        return sum(f.kind == PROBLEM for f in self.findings)


class Catalogue:
    """A catalogue database, upgraded to the newest schema on first use."""

    def __init__(self, url: str | None = None, *, upgrade: bool = True,
                 write: bool = False) -> None:
        self.url = resolve_db_url(url)
        self._upgrade = upgrade
        self._write = write

    @classmethod
    def open(cls, url: str | None = None, *, write: bool = False) -> Self:
        """The catalogue at `url` (a path, a SQLAlchemy URL, or None for the default);
        `write` takes the writer's lock for each transaction."""
        return cls(url, write=write)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.dispose()

    @cached_property
    def engine(self) -> Engine:
        engine = make_engine(self.url, immediate=self._write)
        if self._upgrade:
            ensure_schema(engine, seed=load_default_vocabulary)
        return engine

    @cached_property
    def writer(self) -> Engine:
        """The engine of changes: each transaction takes the write lock as it begins, so a
        second writer waits instead of failing half way (ReadOnlyError on a catalogue this
        process may only read). An in-memory database is one per engine: it writes through
        its one engine."""
        if self._write or (self.url.startswith("sqlite") and sqlite_path(self.url) is None):
            return self.engine
        self.engine  # noqa: B018 - the schema is brought to head first
        return make_engine(self.url, immediate=True)

    def upgrade(self, revision: str = "head") -> str | None:
        """Upgrade the schema to `revision` (Alembic's names: head, 0004, +1); returns the
        revision the catalogue is at afterwards."""
        upgrade(self.engine, revision, seed=load_default_vocabulary)
        return self.revision()[0]

    def revision(self) -> tuple[str | None, str]:
        """(the catalogue's schema revision, the newest this catalog knows); a revision
        from a newer catalog is refused (CatalogError)."""
        with self.connect() as conn:
            revision = current_revision(conn)
        check_known(revision)
        return revision, head_revision()

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        # the ORM only where objects are needed
        from sqlalchemy.orm import sessionmaker

        return sessionmaker(self.engine, expire_on_commit=False)

    def session(self) -> Session:
        return self.sessions()

    @cached_property
    def _writer_sessions(self) -> sessionmaker[Session]:
        # the ORM only where objects are needed
        from sqlalchemy.orm import sessionmaker

        return sessionmaker(self.writer, expire_on_commit=False)

    def _writing_session(self) -> Session:
        """A session whose transactions take the write lock as they begin."""
        return self._writer_sessions()

    def connect(self) -> Connection:
        """A Core connection (use it as a context manager), for reading without the ORM."""
        return self.engine.connect()

    def dispose(self) -> None:
        """Close the engines' pooled connections (a server counts them)."""
        for name in ("writer", "engine"):
            if name in self.__dict__:
                self.__dict__[name].dispose()

    @property
    def read_only(self) -> str | None:
        """Why this process may only read the catalogue (None when it may write)."""
        path = sqlite_path(self.url)
        return read_only(path) if path is not None else None

    # Ingesting ----------------------------------------------------------------------------

    def ingest(self, paths: Iterable[str | PathLike[str]], *,
               options: IngestOptions | None = None, jobs: int | None = None,
               input_format: str | None = None, max_size: int = DEFAULT_MAX_SIZE,
               dry_run: bool = False, allow_duplicates: bool = False,
               follow_symlinks: bool = False) -> IngestReport:
        """Read story files and folders (recursively; "-" is a JSONL export on stdin) into
        the catalogue. A file that cannot be read fails alone, with its reason in the
        report; the rest lands. `options` adds metadata to every file; `dry_run` does
        everything but keep the result."""
        # each layer loaded by the methods that use it
        from catalog.ingest.report import IngestReport

        run = self.ingesting(paths, options=options, jobs=jobs, input_format=input_format,
                             max_size=max_size, dry_run=dry_run,
                             allow_duplicates=allow_duplicates, follow_symlinks=follow_symlinks)
        return IngestReport(list(run), dry_run)

    def ingesting(self, paths: Iterable[str | PathLike[str]], *,
                  options: IngestOptions | None = None, jobs: int | None = None,
                  input_format: str | None = None, max_size: int = DEFAULT_MAX_SIZE,
                  dry_run: bool = False, allow_duplicates: bool = False,
                  follow_symlinks: bool = False,
                  on_read: Callable[[str], None] | None = None,
                  count: bool = True) -> Ingesting:
        """`ingest` as it happens, for a progress display: the files found, then a report
        per file as each is done; `on_read` hears of each file as it is read (reports
        come a batch at a time, when the batch is written). With `count` False the files
        are not counted first (`total` is None): parsing starts with the first file found
        instead of after the last (half a second of 10,000 files' ingest)."""
        # each layer loaded by the methods that use it
        from catalog.ingest.discover import discover
        from catalog.ingest.pipeline import IngestSettings, ingest_units
        from catalog.ingest.report import Ingesting
        from catalog.ingest.resolve import IngestOptions

        if input_format is not None and input_format not in self.input_formats():
            raise CatalogError(f"unknown input format {input_format!r}; "
                               f"use one of {', '.join(self.input_formats())}")
        settings = IngestSettings(options=(options or IngestOptions()).validated(),
                                  max_size=max_size, input_format=input_format,
                                  dry_run=dry_run, allow_duplicates=allow_duplicates,
                                  follow_symlinks=follow_symlinks)
        if jobs is not None:
            settings.jobs = jobs
        settings.pack = self.url.startswith("sqlite")  # PostgreSQL compresses on its own
        named = [p if p == "-" else str(Path(p).expanduser()) for p in map(str, paths)]
        found = discover(named, input_format, follow_symlinks=follow_symlinks)
        listed = list(found) if count else None
        # A JSONL file holds many works: its count is only known as it is read.
        total = (None if listed is None or any(getattr(i, "reader", "") == "jsonl"
                                               for i in listed) else len(listed))
        target = self._dry_run_target() if dry_run else self
        return Ingesting(total, ingest_units(target._writing_session,
                                             found if listed is None else listed, settings,
                                             on_read))

    def _dry_run_target(self) -> Catalogue:
        """A dry run against a catalogue file that does not exist yet runs on a throwaway
        in-memory one, so that no file is made."""
        path = sqlite_path(self.url)
        if path is not None and not path.exists():
            return Catalogue("sqlite://")
        return self

    @staticmethod
    def input_formats() -> list[str]:
        """The names `input_format` takes (`text`, `ao3-html`, `epub`, `jsonl`, …)."""
        # each layer loaded by the methods that use it
        from catalog.ingest.readers import reader_names

        return list(reader_names())

    # Finding works ------------------------------------------------------------------------

    @staticmethod
    def query(text: str = "", filters: Filters | None = None) -> Query:
        """A query from the query language's text and filter options (QueryError when the
        text does not parse)."""
        return build(text, filters)

    def works(self, query: str | Query = "", *, limit: int | None = None,
              offset: int | None = None, texts: bool = False) -> Iterator[Work]:
        """The records of the matching works, in the query's order, read a batch at a time
        (memory stays flat however many match). `texts` adds each story's text and
        chapters. A query that cannot run fails here, before the first record."""
        conn, stmt = self._selected(query, limit, offset)
        if texts:
            unmapped(conn)
        return _streamed(conn, records.stream(conn, stmt, texts=texts))

    def ids(self, query: str | Query = "", *, limit: int | None = None,
            offset: int | None = None) -> Iterator[int]:
        """The ids of the matching works, in the query's order, as they are read."""
        conn, stmt = self._selected(query, limit, offset)
        return _streamed(conn, iter(conn.scalars(stmt)))

    def _selected(self, query: str | Query, limit: int | None, offset: int | None
                  ) -> tuple[Connection, Any]:
        """A connection (Core only: records need no ORM objects) and the planned SELECT of
        the matching ids; the connection is closed if planning fails."""
        q = self._window(query, limit, offset)
        conn = self.connect()
        try:
            serial(conn)
            return conn, work_ids(conn, q)
        except BaseException:
            conn.close()
            raise

    def count(self, query: str | Query = "", *, cap: int | None = None) -> int:
        """How many works match; with `cap`, counting stops past it (cap + 1 then)."""
        with self.connect() as conn:
            return int(conn.scalar(count(conn, self._window(query, None, None), cap)) or 0)

    def page(self, query: str | Query = "", *, limit: int | None = None,
             offset: int | None = None, cap: int | None = CAPTION_CAP) -> Page:
        """A page of records with the number of matches (up to `cap`), as a table shows."""
        q = self._window(query, limit, offset)
        lookups = Lookups()  # the count and the page planned from one set of lookups
        with self.connect() as conn:
            total = int(conn.scalar(count(conn, q, cap, lookups)) or 0)
            hidden = 0
            if q.block is not False and lookups.blocking:
                hidden = int(conn.scalar(count(conn, replace(q, only_blocked=True), cap,
                                               lookups)) or 0)
            serial(conn)  # the count may use parallel workers, the page does not
            ids = list(conn.scalars(work_ids(conn, q, lookups)))
            return Page(records.build(conn, ids), total, q.offset, cap, hidden)

    def work(self, work_id: int) -> Work:
        """One work's record with its text and chapters (NotFoundError when there is none)."""
        with self.connect() as conn:
            found = records.build(conn, [work_id], texts=True)
        if not found:
            raise NotFoundError(f"no work with id {work_id}; `catalog list` shows the ids")
        return found[0]

    def stats(self, query: str | Query = "", *, top: int = 10) -> dict[str, Any]:
        """Totals and the most used tags of the matching works: {works, words,
        average_words, complete, top: {section: [{name, works}]}}."""
        # each layer loaded by the methods that use it
        from catalog.query.stats import stats

        with self.session() as session:
            return stats(session, self._window(query, None, None), top)

    def facets(self, query: str | Query = "", *, top: int = 10, sample: int = 500
               ) -> dict[str, Any]:
        """The most used tags of each type among the matching works, for a filter sidebar:
        {"top": {section: [{name, works}]}, "sample": the most works counted (None: the
        whole catalogue, exactly)}. Otherwise `sample` of the matches are counted (the
        first the database finds), so its cost does not grow with the query."""
        # each layer loaded by the methods that use it
        from catalog.query.stats import facets

        with self.session() as session:
            return facets(session, self._window(query, None, None), top, sample)

    def spread(self, query: str | Query = "") -> dict[str, list[tuple[str, int]]]:
        """How the matching works spread over AO3's length steps and the years they were
        updated: {"words": [(step, works)], "years": [(year, works)]}."""
        # each layer loaded by the methods that use it
        from catalog.query.stats import spread

        with self.session() as session:
            return spread(session, self._window(query, None, None))

    def series(self, query: str | Query = "") -> list[dict[str, Any]]:
        """The series among the matching works, each with its parts in order, the part
        numbers not in the catalogue, total words and whether all of it is complete:
        {name, parts: [{part, id, title, words, complete}], missing, works, words,
        complete}."""
        # each layer loaded by the methods that use it
        from catalog.query.series import series

        with self.connect() as conn:
            return series(conn, self._window(query, None, None))

    def authors(self, query: str | Query = "", *, limit: int | None = 100, offset: int = 0
                ) -> list[dict[str, Any]]:
        """The creators of the matching works, most works first: [{name, pseud, works}]
        (`name` as bylines show it, `pseud` what the `author:` field matches)."""
        # each layer loaded by the methods that use it
        from catalog.query.people import authors

        with self.connect() as conn:
            return authors(conn, self._window(query, None, None), limit, offset)

    def dupes(self, query: str | Query = "", *, by: str = "title-author"
              ) -> list[dict[str, Any]]:
        """Groups of matching works that look like one story in several files: the same
        title and creators (`by="title-author"`) or the same text (`by="text"`):
        {title, authors, works: [{id, title, authors, words, chapters, expected_chapters,
        complete, format, source, updated, ao3_id}]}."""
        # each layer loaded by the methods that use it
        from catalog.query.dupes import dupes

        with self.connect() as conn:
            return dupes(conn, self._window(query, None, None), by)

    def export(self, target: Path | TextIO, query: str | Query = "", *,
               format: str = "jsonl", texts: bool = True, force: bool = False,
               formula_guard: bool = True) -> int:
        """Write the matching works' records to a file (atomically; an existing one only
        with `force`) or an open text stream; returns how many works were written. JSON
        Lines with texts is lossless: it opens with everything else the user made (tags
        with their wrangling, saved searches, the blocklist; see `export.kinds`), and
        `ingest` reads it all back. (Without texts an export is data, not a backup.)"""
        # each layer loaded by the methods that use it
        from catalog.export import kinds
        from catalog.export.files import write_file

        q = self._window(query, None, None)
        q = replace(q, block=bool(q.block))  # a copy of the catalogue unless asked

        def out(stream: TextIO) -> int:
            works = self.works(q, texts=texts)
            if format != "jsonl" or not texts:  # only the restorable export carries them
                return self.write(works, stream, format=format, formula_guard=formula_guard)
            with self.connect() as conn:  # what the user made, read before the works
                made = list(kinds.records(conn))
            return self.write(chain(made, works), stream, format=format,
                              formula_guard=formula_guard) - len(made)

        return write_file(target, out, force=force) if isinstance(target, Path) else out(target)

    def export_books(self, target: Path, query: str | Query = "", *, format: str = "epub",
                     force: bool = False) -> list[Path]:
        """Write the matching works as books (`format` epub or html): one work to `target`
        itself, several into the folder `target` as `{id}-{slug}.epub`. Every target is
        checked first (an existing file is refused without `force`); each file is
        written atomically. Returns the files written."""
        # each layer loaded by the methods that use it
        from catalog.export import books

        if format not in books.FORMATS:
            raise CatalogError(f"unknown book format {format!r}; use epub or html")
        q = self._window(query, None, None)
        q = replace(q, block=bool(q.block))  # a copy of the catalogue unless asked
        paths = books.targets(self.works(q), target, format)
        if not paths:
            raise NotFoundError("no works match: nothing to export")
        books.check(paths, target, force=force)
        books.write(self.works(q, texts=True), paths, format, force=force)
        return list(paths.values())

    def book(self, work_id: int, format: str = "epub") -> tuple[str, bytes]:
        """One work as a book, an EPUB 3 or AO3's download HTML (`format="html"`): its
        file name (`{id}-{slug}.epub`) and bytes."""
        # each layer loaded by the methods that use it
        from catalog.export import books

        if format not in books.FORMATS:
            raise CatalogError(f"unknown book format {format!r}; use epub or html")
        record = self.work(work_id)
        return books.file_name(record, format), books.render(record, format)

    @staticmethod
    def write(records: Iterable[dict[str, Any]], out: TextIO, *, format: str = "jsonl",
              columns: Sequence[str] | None = None, formula_guard: bool = True) -> int:
        """Write records (works, tags) to a text stream as json, jsonl or csv (under a
        header of `columns`); returns how many."""
        # each layer loaded by the methods that use it
        from catalog.export.formats import writer

        return writer(format, formula_guard=formula_guard, columns=columns)(records, out)

    @staticmethod
    def history() -> list[tuple[str, str | None, str]]:
        """The schema revisions, newest first: (revision, the one before, message)."""
        return history()

    def _window(self, query: str | Query, limit: int | None, offset: int | None) -> Query:
        q = build(query) if isinstance(query, str) else query
        if limit is not None:
            q = replace(q, limit=limit)
        if offset is not None:
            q = replace(q, offset=offset)
        return q

    # Changing the catalogue ----------------------------------------------------------------

    def remove(self, work_ids: Sequence[int]) -> list[tuple[int, str]]:
        """Remove works (with their chapters and tag links) in one transaction; every id
        must exist, or nothing is removed. Returns (id, title) of each."""
        with self.writer.begin() as conn:
            found = dict(conn.execute(select(tables.works.c.id, tables.works.c.title)
                                      .where(tables.works.c.id.in_(set(work_ids)))).all())
            missing = [str(i) for i in work_ids if i not in found]
            if missing:
                raise NotFoundError(f"no work with id {', '.join(missing)}; "
                                    "nothing was removed")
            conn.execute(delete(tables.works).where(tables.works.c.id.in_(list(found))))
        return [(i, found[i]) for i in dict.fromkeys(work_ids)]

    # Curation -----------------------------------------------------------------------------

    def edit(self, work_ids: Sequence[int] = (), what: Edit | None = None, *,
             where: str | Query | None = None) -> Edited:
        """Lay the user's edit over works (by id, or every work a query matches): kept
        apart from what their files say, so a re-ingest keeps it and `reset` undoes it.
        Every id must exist, or nothing is changed."""
        # each layer loaded by the methods that use it
        from catalog.curate import edits

        what = what or edits.Edit()
        what.change()  # a bad edit is refused before any work is looked up
        ids = list(work_ids)
        if where is not None:  # curation reaches blocked works too, unless asked not to
            q = self._window(where, None, None)
            ids += list(self.ids(replace(q, block=bool(q.block))))
        with self._writing_session() as session, session.begin():
            _require_works(session, ids, "edited")
            return edits.edit(session, ids, what)

    def mark(self, work_ids: Sequence[int], status: str, *, chapter: int | None = None
             ) -> int:
        """Set the reading status of works: later, reading, read, dropped, or none to
        clear it; marking again clears `reading:updated`. Every id must exist."""
        # each layer loaded by the methods that use it
        from catalog.curate import reading

        with self._writing_session() as session, session.begin():
            _require_works(session, work_ids, "marked")
            return reading.mark(session, work_ids, status, chapter)

    def save_search(self, name: str, query: str) -> bool:
        """Save QUERY as NAME, used in any query as `@NAME`; True if it replaced one.
        A query that does not parse, names a saved search that does not exist, or would
        refer to itself is refused."""
        # each layer loaded by the methods that use it
        from catalog.curate import lists

        with self._writing_session() as session, session.begin():
            return lists.save_search(session, name, query)

    def searches(self) -> list[dict[str, Any]]:
        """The saved searches: {name, query, created}, by name."""
        # each layer loaded by the methods that use it
        from catalog.curate import lists

        with self.session() as session:
            return lists.searches(session)

    def remove_search(self, name: str) -> str:
        """Remove a saved search (not one a block or another search still uses)."""
        # each layer loaded by the methods that use it
        from catalog.curate import lists

        with self._writing_session() as session, session.begin():
            return lists.remove_search(session, name)

    def block(self, query: str) -> int:
        """Add a blocklist entry: works it matches are left out of listings and totals
        (never out of access by id). Returns its id."""
        # each layer loaded by the methods that use it
        from catalog.curate import lists

        with self._writing_session() as session, session.begin():
            return lists.add_block(session, query)

    def blocks(self) -> list[dict[str, Any]]:
        """The blocklist: {id, query, created, works (how many it matches)}."""
        # each layer loaded by the methods that use it
        from catalog.curate import lists

        with self.session() as session:
            return lists.block_list(session)

    def unblock(self, block_id: int) -> str:
        """Remove a blocklist entry by id; returns its query."""
        # each layer loaded by the methods that use it
        from catalog.curate import lists

        with self._writing_session() as session, session.begin():
            return lists.remove_block(session, block_id)

    # Tags and wrangling --------------------------------------------------------------------

    def tags(self, *, type: str | None = None, unwrangled: bool = False,
             search: str | None = None, include_unused: bool = False,
             limit: int | None = None, block: bool = True) -> list[dict[str, Any]]:
        """Tags with the number of works given each, most used first within each type:
        {type, name, works, status (canonical, synonym, unwrangled), synonym_of}; works
        the blocklist matches are not counted unless `block` is False."""
        # each layer loaded by the methods that use it
        from catalog.wrangle import actions

        with self.session() as session:
            hidden = blocked_works(session) if block else None
            return actions.tags(session, tag_type=type, unwrangled=unwrangled, search=search,
                                include_unused=include_unused, limit=limit, hidden=hidden)

    def tag_info(self, name: str, *, type: str | None = None) -> dict[str, Any]:
        """Everything wrangling knows about one tag: status, synonyms, metatags, subtags,
        fandoms, relationship members and the works it finds."""
        # each layer loaded by the methods that use it
        from catalog.wrangle import actions

        with self.session() as session:
            return actions.info(session, name, type)

    def synonym(self, name: str, canonical: str, *, type: str | None = None) -> Wrangled:
        """Make NAME a synonym of CANONICAL: a filter on either finds both."""
        # each layer loaded by the methods that use it
        from catalog.wrangle import actions

        return self._wrangling(lambda s: actions.synonym(s, name, canonical, type))

    def make_canonical(self, name: str, *, type: str | None = None) -> Wrangled:
        """Make NAME a canonical tag (unlinking it from a canonical it was a synonym of)."""
        # each layer loaded by the methods that use it
        from catalog.wrangle import actions

        return self._wrangling(lambda s: actions.canonical(s, name, type))

    def add_parent(self, child: str, parent: str) -> Wrangled:
        """Make PARENT a metatag of CHILD, or the fandom of a character, relationship or
        additional tag: a filter on PARENT finds CHILD's works."""
        # each layer loaded by the methods that use it
        from catalog.wrangle import actions

        return self._wrangling(lambda s: actions.parent(s, child, parent))

    def rename(self, old: str, new: str, *, type: str | None = None) -> Wrangled:
        """NEW becomes the canonical name and OLD its synonym."""
        # each layer loaded by the methods that use it
        from catalog.wrangle import actions

        return self._wrangling(lambda s: actions.rename(s, old, new, type))

    def vocabulary(self, *, all_tags: bool = False) -> dict[str, Any]:
        """The catalogue's wrangling as a version 2 vocabulary (`vocab load` reads it):
        every canonical tag with its synonyms, parents and fandoms; tags imported from
        AO3's data dump only with `all_tags`."""
        # each layer loaded by the methods that use it
        from catalog.wrangle import vocab_export

        with self.session() as session:
            return vocab_export.export(session, all_tags=all_tags)

    def export_vocabulary(self, target: Path | TextIO, *, all_tags: bool = False,
                          force: bool = False) -> None:
        """Write `vocabulary()` as YAML to a file (atomically; an existing one only with
        `force`) or an open text stream."""
        # each layer loaded by the methods that use it
        from catalog.export.files import write_file
        from catalog.wrangle.vocab_export import dump

        text = dump(self.vocabulary(all_tags=all_tags))
        if isinstance(target, Path):
            write_file(target, lambda stream: stream.write(text), force=force)
        else:
            target.write(text)

    def load_vocabulary(self, path: Path) -> LoadReport:
        """Load a vocabulary file (YAML; loading it again changes nothing)."""
        # each layer loaded by the methods that use it
        from catalog.wrangle.vocabulary import load

        return self._wrangling(lambda s: load(s, path))

    def import_ao3_tags(self, path: Path, progress: Callable[[int], None] | None = None
                        ) -> ImportReport:
        """Import AO3's data-dump tag table (tags-*.csv) as canonical tags and synonyms,
        in one transaction; `progress` is told the bytes read so far."""
        # each layer loaded by the methods that use it
        from catalog.wrangle.ao3dump import import_tags

        return self._wrangling(lambda s: import_tags(s, path, progress))

    def _wrangling(self, action: Callable[[Session], T]) -> T:
        """Run a wrangling action in one writing transaction, with the blocked works
        refreshed in it: wrangling decides what a blocklist entry matches."""
        with self._writing_session() as session, session.begin():
            done = action(session)
            blocking.refresh(session)
            return done

    # The database itself -------------------------------------------------------------------

    def check(self, *, repair: bool = False) -> CheckReport:
        """Check the catalogue (see `catalog.check`); `repair` first fixes what is safe."""
        # each layer loaded by the methods that use it
        from catalog import check

        repaired: list[str] = []
        if repair:
            with self.writer.begin() as conn:
                repaired = check.repair(conn)
        with self.connect() as conn:
            unmapped(conn)  # the check reads the whole file once: through the cache
            return CheckReport(list(check.check(conn)), repaired)

    def backup(self, target: Path, *, force: bool = False) -> int:
        """A consistent copy of a SQLite catalogue at `target`; returns its size in bytes."""
        # each layer loaded by the methods that use it
        from catalog.store.backup import backup

        try:
            return backup(self.engine, target, force=force)
        except OSError as exc:
            raise CatalogError(f"{escape_line(target)}: {exc.strerror or exc}") from None

    def compact(self) -> Compacted | None:
        """Pack the chapter texts stored before ingest packed them and give the freed space
        back (SQLite); None for PostgreSQL, which compresses stored text itself."""
        # each layer loaded by the methods that use it
        from catalog.store.compact import compact

        return compact(self.writer)

    def reindex(self) -> tuple[int, int]:
        """Rebuild the full-text index: (works indexed, stale documents dropped)."""
        with self.writer.begin() as conn:
            stale = fulltext.stale(conn)
            return fulltext.rebuild(conn), stale

    def display_url(self) -> str:
        path = sqlite_path(self.url)
        if path is not None:
            return str(path)
        return make_url(self.url).render_as_string(hide_password=True)

    def info(self) -> dict[str, object]:
        """Where the catalogue is, its schema revision and what it holds."""
        Tag, WorkTag = tables.tags.c, tables.work_tags.c
        with self.connect() as s:
            revision = current_revision(s)
            counts = {
                "works": s.scalar(select(func.count()).select_from(tables.works)),
                "chapters": s.scalar(select(func.count()).select_from(tables.chapters)),
                "words": s.scalar(select(func.coalesce(func.sum(tables.works.c.words), 0))),
                "authors": s.scalar(select(func.count()).select_from(tables.authors)),
                "tags": s.scalar(select(func.count(func.distinct(WorkTag.tag_id)))),
            }
            by_type: dict[str, int] = dict(s.execute(
                select(Tag.type, func.count(func.distinct(Tag.id)))
                .join(tables.work_tags, WorkTag.tag_id == Tag.id).group_by(Tag.type)
            ).all())
            stale = fulltext.stale(s)
        path = sqlite_path(self.url)
        return {
            "database": self.display_url(),
            "backend": self.engine.dialect.name,
            "revision": revision, "head": head_revision(), "read_only": self.read_only,
            "size_bytes": path.stat().st_size if path and path.exists() else None,
            **counts, "tags_by_type": by_type, "stale_search_documents": stale,
        }


def _streamed(conn: Connection, rows: Iterator[T]) -> Iterator[T]:
    """`rows` as they are read, then the connection closed (also when the reader stops)."""
    with conn:
        yield from rows


def load_default_vocabulary(conn: Connection) -> None:
    """A new catalogue (or one upgraded to tag wrangling) starts with the shipped
    vocabulary, in the upgrading transaction: in bulk when it has no tags of its own yet,
    else through the loader, which decides against what is there."""
    # each layer loaded by the methods that use it
    from catalog.wrangle.seed import insert_default

    if insert_default(conn):
        return
    # the ORM only where objects are needed
    from sqlalchemy.orm import Session

    from catalog.wrangle.vocabulary import load

    with Session(bind=conn, join_transaction_mode="create_savepoint") as session:
        load(session)
        session.commit()


def _require_works(session: Session, work_ids: Sequence[int], done: str) -> None:
    """Every id names a work, or a NotFoundError naming those that do not."""
    found = set(session.scalars(select(tables.works.c.id)
                                .where(tables.works.c.id.in_(set(work_ids)))))
    missing = [str(i) for i in dict.fromkeys(work_ids) if i not in found]
    if missing:
        raise NotFoundError(f"no work with id {', '.join(missing)}; nothing was {done}")
