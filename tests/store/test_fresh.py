"""A new catalogue is created at head in one step (`catalog.store.fresh`, the shipped
vocabulary in bulk by `catalog.wrangle.seed`) instead of replaying the migrations: it must
be the catalogue the migrations make, schema and rows, on either backend."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

from catalog.catalogue import Catalogue
from catalog.store import fresh, migrate
from catalog.store.tables import POSTGRESQL_ONLY_INDEXES
from catalog.wrangle import seed
from catalog.wrangle.vocabfile import default_path, read
from catalog.wrangle.vocabulary import load
from tests.conftest import POSTGRES, Cli, new_database

VOCABULARY_TABLES = ("tags", "tag_parents", "relationship_members")


def _loaded_by_the_orm(conn: Connection) -> None:
    """The seed as it was before the bulk one: the vocabulary loader, object by object."""
    with Session(bind=conn, join_transaction_mode="create_savepoint") as session:
        load(session)
        session.commit()


def _by_alembic(tmp_path: Path) -> str:
    """A catalogue made the old way: every migration from an empty database (0001 first,
    so the rest find a catalogue and run too), the vocabulary through the loader."""
    url = new_database(tmp_path / "upgraded.db", empty=True)
    lib = Catalogue(url, upgrade=False)
    migrate.upgrade(lib.engine, "0001")
    migrate.upgrade(lib.engine, "head", seed=_loaded_by_the_orm)
    lib.dispose()
    return url


def _fresh(tmp_path: Path) -> str:
    url = new_database(tmp_path / "fresh.db", empty=True)
    lib = Catalogue(url)
    _ = lib.engine
    lib.dispose()
    return url


def _read(url: str, query: str) -> list[tuple[Any, ...]]:
    lib = Catalogue(url, upgrade=False)
    with lib.engine.connect() as conn:
        rows = [tuple(row) for row in conn.execute(text(query))]
    lib.dispose()
    return sorted(rows, key=repr)


# SQLite keeps each object's CREATE statement as it was written: an upgraded table's was
# written by Alembic's batch copies and ALTER TABLE, a new one's by SQLAlchemy. Quoting,
# spacing and the order of a table's constraints differ; columns (in order), types,
# defaults, constraints, indexes, triggers and the FTS5 table must not.
_CONSTRAINT = re.compile(r"^(CONSTRAINT|PRIMARY KEY|UNIQUE|FOREIGN KEY|CHECK)\b")


def _normalized(sql: str | None) -> str | None:
    if sql is None:
        return None
    flat = re.sub(r"\s*([(),])\s*", r"\1", re.sub(r"\s+", " ", sql.replace('"', ""))).strip()
    head, paren, body = flat.partition("(")
    if not head.startswith("CREATE TABLE") or not body.endswith(")"):
        return flat
    items = _top_level(body[:-1])
    columns = [i for i in items if not _CONSTRAINT.match(i)]
    return head + paren + ",".join(columns + sorted(set(items) - set(columns))) + ")"


def _top_level(body: str) -> list[str]:
    """The comma-separated items of a CREATE TABLE's body, brackets respected."""
    items, depth, start = [], 0, 0
    for i, ch in enumerate(body):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if ch == "," and depth == 0:
            items.append(body[start:i])
            start = i + 1
    return [*items, body[start:]]


SQLITE_SCHEMA = "SELECT type, name, tbl_name, sql FROM sqlite_master"
POSTGRESQL_SCHEMA = {
    "columns": "SELECT table_name, ordinal_position, column_name, data_type, "
               "character_maximum_length, is_nullable, column_default "
               "FROM information_schema.columns WHERE table_schema = 'public'",
    "constraints": "SELECT conrelid::regclass::text, conname, contype, "
                   "pg_get_constraintdef(oid) FROM pg_constraint "
                   "WHERE connamespace = 'public'::regnamespace",
    "indexes": "SELECT tablename, indexname, indexdef FROM pg_indexes "
               "WHERE schemaname = 'public'",
    "triggers": "SELECT tgrelid::regclass::text, tgname, pg_get_triggerdef(oid) "
                "FROM pg_trigger WHERE NOT tgisinternal",
    "functions": "SELECT proname, pg_get_functiondef(oid) FROM pg_proc "
                 "WHERE pronamespace = 'public'::regnamespace AND prokind = 'f'",
    "extensions": "SELECT extname, extversion FROM pg_extension",
    "sequences": "SELECT sequence_name, data_type, start_value, increment "
                 "FROM information_schema.sequences WHERE sequence_schema = 'public'",
}


FTS5_CONFIG = "SELECT k, v FROM works_fts_config WHERE k = 'automerge'"


def _schema(url: str) -> dict[str, list[tuple[Any, ...]]]:
    if POSTGRES:
        return {kind: _read(url, query) for kind, query in POSTGRESQL_SCHEMA.items()}
    rows = _read(url, SQLITE_SCHEMA)
    return {"sqlite_master": sorted(((t, n, tn, _normalized(sql)) for t, n, tn, sql in rows),
                                    key=repr)}


def test_a_new_catalogue_has_the_schema_the_migrations_make(tmp_path: Path) -> None:
    made_url, upgraded_url = _fresh(tmp_path), _by_alembic(tmp_path)
    made, upgraded = _schema(made_url), _schema(upgraded_url)
    for kind in upgraded:
        assert made[kind] == upgraded[kind], kind
    names = {row[1] for row in upgraded.get("sqlite_master", upgraded.get("triggers", []))}
    assert {"work_tags_counted", "work_tags_uncounted", "work_tags_recounted"} <= names
    if POSTGRES:
        assert {row[1] for row in made["indexes"]} >= POSTGRESQL_ONLY_INDEXES
        assert ("unaccent",) in {row[:1] for row in made["extensions"]}
    else:
        assert "works_fts" in names
        assert (_read(made_url, FTS5_CONFIG) == _read(upgraded_url, FTS5_CONFIG)
                == [("automerge", 16)])


def test_a_new_catalogue_has_the_vocabulary_rows_the_loader_writes(tmp_path: Path) -> None:
    """The same tags (ids included), parent links and relationship members, and the next
    tag id the same, as AO3's fixed vocabularies (0002) and the shipped file loaded
    object by object."""
    made, upgraded = _fresh(tmp_path), _by_alembic(tmp_path)
    for table in VOCABULARY_TABLES:
        assert _read(made, f"SELECT * FROM {table}") == _read(upgraded, f"SELECT * FROM {table}")
    counter = ("SELECT sequencename, last_value FROM pg_sequences" if POSTGRES
               else "SELECT name, seq FROM sqlite_sequence")
    assert _read(made, counter) == _read(upgraded, counter)
    assert len(_read(made, "SELECT id FROM tags WHERE type = 'fandom'")) > 1
    assert _read(made, "SELECT count(*) FROM tag_parents") > [(0,)]


def test_a_new_catalogue_is_stamped_at_head_and_the_db_commands_work(tmp_path: Path) -> None:
    url = _fresh(tmp_path)
    assert _read(url, "SELECT version_num FROM alembic_version") == [(migrate.head_revision(),)]
    cli = Cli(url)
    assert "up to date" in cli("db", "current").stdout
    assert migrate.head_revision() in cli("db", "upgrade").stdout
    assert "0001" in cli("db", "history").stdout


def test_db_upgrade_of_an_empty_database_creates_it_at_head(tmp_path: Path) -> None:
    url = new_database(tmp_path / "empty.db", empty=True)
    Cli(url)("db", "upgrade")
    assert _read(url, "SELECT version_num FROM alembic_version") == [(migrate.head_revision(),)]
    assert _read(url, "SELECT count(*) FROM tags") == _read(_fresh(tmp_path), "SELECT count(*) "
                                                                             "FROM tags")


def test_an_older_catalogue_still_goes_through_the_migrations(tmp_path: Path) -> None:
    url = new_database(tmp_path / "old.db", empty=True)
    lib = Catalogue(url, upgrade=False)
    migrate.upgrade(lib.engine, "0003")
    with lib.engine.connect() as conn:
        assert not fresh.is_empty(conn)
    lib.dispose()
    lib = Catalogue(url)
    with lib.engine.connect() as conn:
        assert migrate.current_revision(conn) == migrate.head_revision()
    lib.dispose()
    assert _read(url, "SELECT count(*) FROM tags") == _read(_fresh(tmp_path), "SELECT count(*) "
                                                                             "FROM tags")


def test_processes_creating_one_new_catalogue_at_once_create_it_once(tmp_path: Path) -> None:
    url = new_database(tmp_path / "shared.db", empty=True)
    code = ("import sys; from catalog.catalogue import Catalogue; "
            "lib = Catalogue(sys.argv[1]); lib.engine; lib.dispose()")
    procs = [subprocess.Popen([sys.executable, "-c", code, url], stderr=subprocess.PIPE,
                              text=True) for _ in range(3)]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    assert _read(url, "SELECT version_num FROM alembic_version") == [(migrate.head_revision(),)]
    assert _read(url, "SELECT count(*) FROM tags") == _read(_fresh(tmp_path), "SELECT count(*) "
                                                                             "FROM tags")


def test_a_file_that_needs_the_loaders_decisions_is_left_to_it() -> None:
    sections = read(default_path())
    assert seed.rows(sections) is not None
    twice = {"fandoms": [{"name": "Firefly"}, {"name": "firefly"}]}
    assert seed.rows(twice) is None
    unknown_parent = {"fandoms": [{"name": "Firefly", "parents": ["Whedonverse"]}]}
    assert seed.rows(unknown_parent) is None
    loop = {"fandoms": [{"name": "A", "parents": ["B"]}, {"name": "B", "parents": ["A"]}]}
    assert seed.rows(loop) is None
    fixed = {"ratings": [{"name": "Explicit", "synonyms": ["Lemon"]}]}
    assert seed.rows(fixed) is None
