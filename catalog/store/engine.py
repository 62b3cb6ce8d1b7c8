"""Engines with the connection settings the catalogue relies on.

SQLite gets WAL (readers never block the writer), enforced foreign keys (a removed work takes
its chapters and links with it) and a busy timeout (a second process waits instead of
failing). pysqlite's own transaction handling is switched off so that SAVEPOINTs work and a
writer can take its lock up front (`BEGIN IMMEDIATE`) instead of failing half way.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine, event, text

from catalog.config import sqlite_path
from catalog.errors import CatalogError, ReadOnlyError

BUSY_TIMEOUT_MS = 30_000
MMAP_BYTES = 2**31 - 2**16  # SQLite's default compile-time ceiling
CACHE_KIB = 64 * 1024
WAL_PAGES = 10_000  # pages in a writer's log before a checkpoint (4 KiB pages)
WRITER_LOCK = 7_316_221  # PostgreSQL advisory lock key held by every writing transaction


def make_engine(url: str, *, immediate: bool = False, foreign_keys: bool = True) -> Engine:
    """An engine for `url`; with `immediate`, SQLite transactions take the write lock at BEGIN.

    `foreign_keys=False` is for schema migrations only: SQLite changes a table by copying it
    and dropping the original, and with enforcement on that drop would cascade-delete every
    row that refers to the table."""
    if not url.startswith("sqlite"):
        engine = _create(url, pool_pre_ping=True)
        if immediate and engine.dialect.name == "postgresql":
            # One writer at a time, as SQLite's BEGIN IMMEDIATE: concurrent ingests then
            # never race to create the same tag or work.
            @event.listens_for(engine, "begin")
            def _writer_lock(conn: Any) -> None:
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITER_LOCK})

        return engine
    path = sqlite_path(url)
    why = read_only(path) if path is not None else None
    if why is not None and path is not None:
        if immediate:
            raise ReadOnlyError(path, why)
        return _read_only_engine(url, path)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CatalogError(f"cannot create the catalogue's folder {path.parent}: "
                               f"{exc.strerror or exc}; choose another with --db") from None
    engine = _create(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
    pragmas = [f"foreign_keys={'ON' if foreign_keys else 'OFF'}"]
    if path is not None:
        # Readers read pages through a memory map (no system call per page: a query
        # touching thousands of rows of a large catalogue is several times faster).
        # Writers do not: a growing file's new pages fault in one by one, and every page
        # touched would count in the writer's memory. A writer lets the log grow to about
        # 40 MB before copying it into the file (SQLite's default is 4 MB): an ingest's
        # batch is that big, and a checkpoint per commit was a fifth of its time.
        pragmas = ["journal_mode=WAL", "synchronous=NORMAL",
                   f"wal_autocheckpoint={WAL_PAGES}" if immediate else f"mmap_size={MMAP_BYTES}",
                   f"cache_size=-{CACHE_KIB}", *pragmas]
    _configure(engine, pragmas, "BEGIN IMMEDIATE" if immediate else "BEGIN")
    return engine


def _configure(engine: Engine, pragmas: list[str], begin: str) -> None:
    """Every new connection gets `pragmas` and leaves transactions to SQLAlchemy's `begin`."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in [*pragmas, f"busy_timeout={BUSY_TIMEOUT_MS}"]:
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql(begin)


def read_only(path: Path) -> str | None:
    """Why this process may not write the catalogue at `path` (None when it may): a
    read-only mount, or a file or folder it has no write permission for. SQLite writes its
    log and lock files beside the database, so the folder counts as much as the file."""
    if not path.exists():
        return None  # a new catalogue: creating it says plainly what fails
    folder = path.parent
    try:
        if os.statvfs(path).f_flag & os.ST_RDONLY:
            return "it is on a read-only file system"
    except OSError:
        pass
    if not os.access(path, os.W_OK):
        return "this user may not write the file"
    if not os.access(folder, os.W_OK):
        return f"this user may not write its folder {folder}"
    return None


def _read_only_engine(url: str, path: Path) -> Engine:
    """An engine that only reads. With a writable folder SQLite opens the file read-only
    and shares the write log with any writer (`mode=ro`). Without one it cannot make its
    lock file, so it opens the file as unchanging (`immutable`), which is right for
    read-only media and archives; a log left beside it by a crash still needs `mode=ro`
    (SQLite reads the log), which then works only if its lock file is there too."""
    log = path.with_name(path.name + "-wal")
    writable_folder = os.access(path.parent, os.W_OK)
    left_log = log.exists() and log.stat().st_size > 0
    mode = "mode=ro" if writable_folder or left_log else "immutable=1"
    uri = f"file:{quote(str(path))}?{mode}"

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000,
                               check_same_thread=False)

    engine = _create(url, creator=connect)
    _configure(engine, [f"mmap_size={MMAP_BYTES}", f"cache_size=-{CACHE_KIB}"], "BEGIN")
    return engine


def unmapped(conn: Connection) -> None:
    """Read this connection's pages through SQLite's cache instead of the memory map: a read
    of the whole catalogue (an export) would otherwise keep every page of the file mapped,
    and count it in the process's memory."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA mmap_size=0")


# An ingest writes each page of story text once and never reads it again: beyond the pages
# of the indexes it walks, a bigger cache only holds more of that text. 10,000 files into a
# catalogue of 10,000 ran as fast with 16 MB as with 64 MB, and peaked 51 MB lower.
INGEST_CACHE_KIB = 16 * 1024
LEAN_CACHE_KIB = 8 * 1024


def write_cache(conn: Connection, *, lean: bool) -> None:
    """An ingest's page cache for this transaction (SQLite): 16 MB, or 8 MB when `lean`.
    A very long text fills the cache with its own pages, written once and never read
    again, which added the whole cache to the peak memory of ingesting one large story."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(
            f"PRAGMA cache_size=-{LEAN_CACHE_KIB if lean else INGEST_CACHE_KIB}")


def serial(conn: Connection) -> None:
    """Plan the rest of this transaction without parallel workers (PostgreSQL): a page of
    results takes milliseconds, and starting workers for it took longer (a 43 ms page
    became 74 ms on two cores). Counting and statistics keep them."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SET LOCAL max_parallel_workers_per_gather = 0")


def _create(url: str, **kwargs: Any) -> Engine:
    """create_engine, with a missing database driver said plainly."""
    try:
        return create_engine(url, **kwargs)
    except ImportError as exc:
        raise CatalogError(f"the database driver for {url.split(':', 1)[0]} is not installed "
                           f"({exc.name}); for PostgreSQL: pip install 'catalog[postgresql]'"
                           ) from None
