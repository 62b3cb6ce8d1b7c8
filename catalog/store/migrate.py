"""Schema upgrades through Alembic, with a start-up check that does not import it.

`ensure_schema` reads the stored revision with one query and compares it with the head
revision read from the migration files' text; Alembic is imported only when there is work.
A database with no catalogue at all gets the head schema whole (`catalog.store.fresh`),
stamped with the head revision, without Alembic: replaying every migration took most of a
second.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, inspect, text

from catalog import __version__
from catalog.config import sqlite_path
from catalog.errors import CatalogError, ReadOnlyError
from catalog.store import fresh, fulltext
from catalog.store.engine import make_engine

Seed = Callable[[Connection], None]  # fills a catalogue that crosses into tag wrangling

_REVISION = re.compile(r'^revision(?::\s*str)?\s*=\s*["\']([^"\']+)["\']', re.MULTILINE)
_DOWN = re.compile(r'^down_revision(?:[^=]*)=\s*["\']?([^"\'\n]*)["\']?', re.MULTILINE)


@cache
def migrations_dir() -> Path:
    """The Alembic script directory: the top-level `migrations/` shipped as catalog.migrations."""
    spec = importlib.util.find_spec("catalog.migrations")
    if spec and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    source_tree = Path(__file__).resolve().parents[2] / "migrations"
    if source_tree.is_dir():
        return source_tree
    raise CatalogError("the migration scripts are missing from this installation; "
                       "reinstall catalog")


@cache
def head_revision() -> str:
    """The newest revision, read from the scripts' text (the one no other revision follows)."""
    revisions, parents = _revisions()
    heads = revisions - parents
    if len(heads) != 1:
        raise CatalogError(f"migrations have {len(heads)} heads; expected one")
    return next(iter(heads))


@cache
def _revisions() -> tuple[frozenset[str], frozenset[str]]:
    """Every revision this catalog knows, and those another one follows."""
    revisions, parents = set(), set()
    for script in (migrations_dir() / "versions").glob("*.py"):
        body = script.read_text(encoding="utf-8")
        rev = _REVISION.search(body)
        if rev:
            revisions.add(rev.group(1))
            down = _DOWN.search(body)
            if down and down.group(1) not in ("", "None"):
                parents.add(down.group(1))
    return frozenset(revisions), frozenset(parents)


def check_known(revision: str | None) -> None:
    """Refuse a catalogue whose schema this program does not know: written by a newer
    catalog, it must not be downgraded or misread (and `db upgrade` cannot help)."""
    if revision is not None and revision not in _revisions()[0]:
        raise CatalogError(f"this catalogue was written by a newer catalog (schema revision "
                           f"{revision}; this is catalog {__version__}); upgrade catalog")


def current_revision(conn: Connection) -> str | None:
    """The revision stored in the database, or None for an empty database."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def alembic_config(conn: Connection | None = None) -> Any:
    # Alembic only when the schema changes
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    cfg.attributes["connection"] = conn
    return cfg


def ensure_schema(engine: Engine, seed: Seed | None = None) -> None:
    """Upgrade to head on first use; a no-op (one query) when the database is current.
    `seed` runs in the upgrading transaction when the catalogue gains tag wrangling (a new
    one always does): the layer above passes the default vocabulary's loader."""
    with engine.connect() as conn:
        revision = current_revision(conn)
    if revision == head_revision():
        return
    check_known(revision)
    try:
        upgrade(engine, seed=seed)
    except ReadOnlyError as exc:
        raise ReadOnlyError(exc.where, exc.why, f"its schema (revision {revision}) is older "
                            f"than this catalog's ({head_revision()}); upgrade a writable "
                            "copy (cp it, then `catalog --db COPY db upgrade`)") from None


def upgrade(engine: Engine, revision: str = "head", seed: Seed | None = None) -> None:
    """Run Alembic's upgrade inside one transaction holding the write lock, re-checking the
    revision once the lock is held so two first-time processes do not both migrate. An
    empty database going to head is created at head instead (and seeded)."""
    url = engine.url.render_as_string(hide_password=False)
    if sqlite_path(url) is not None:  # a file: take the write lock at BEGIN, and copy tables
        own = make_engine(url, immediate=True, foreign_keys=False)  # without cascading
    elif engine.dialect.name == "postgresql":  # the writers' lock: one process migrates
        own = make_engine(url, immediate=True)
    else:
        _upgrade(engine, revision, seed)
        return
    try:
        _upgrade(own, revision, seed)
    finally:
        own.dispose()


def _upgrade(engine: Engine, revision: str, seed: Seed | None) -> None:
    with engine.begin() as conn:
        before = current_revision(conn)
        if revision == "head" and before == head_revision():
            return
        check_known(before)
        if revision in ("head", head_revision()) and before is None and fresh.is_empty(conn):
            fresh.create(conn, head_revision())
            if seed is not None:
                seed(conn)
            return
        # Alembic only when the schema changes
        from alembic import command

        command.upgrade(alembic_config(conn), revision)
        _check_foreign_keys(conn)
        if before in _BEFORE_WRANGLING and current_revision(conn) not in _BEFORE_WRANGLING:
            fulltext.rebuild(conn)  # the works already catalogued join the new index
            if seed is not None:
                seed(conn)


def _check_foreign_keys(conn: Connection) -> None:
    """Refuse (and roll back) an upgrade that left a row pointing nowhere."""
    if conn.dialect.name != "sqlite":
        return
    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise CatalogError(f"the schema upgrade would leave {len(broken)} broken references "
                           f"(first in table {broken[0][0]}); nothing was changed")


# Revisions before tag wrangling and the full-text index (0004): crossing it indexes the
# works already there and seeds the vocabulary.
_BEFORE_WRANGLING = {None, "0001", "0002", "0003"}


def history() -> list[tuple[str, str | None, str]]:
    """(revision, down_revision, message) from newest to oldest."""
    # Alembic only when the schema changes
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(alembic_config())
    return [(s.revision, s.down_revision, s.doc or "")  # type: ignore[misc]
            for s in scripts.walk_revisions()]
