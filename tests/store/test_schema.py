"""The schema is the migrations' (a new catalogue is created at head with the same one:
tests/store/test_fresh.py), and matches the ORM models exactly."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, select, text

from catalog import __version__, vocab
from catalog.catalogue import Catalogue
from catalog.store import migrate
from catalog.store.base import Base
from catalog.store.engine import serial
from catalog.store.models import Tag
from catalog.store.tables import POSTGRESQL_ONLY_INDEXES
from catalog.textnorm import name_key
from tests.conftest import Cli, new_database, sqlite_only


def test_migrated_schema_has_no_drift_from_models(db_path: Path) -> None:
    """The full-text index (an FTS5 virtual table and its shadow tables) is outside the
    models: it has no ORM mapping by design. So are PostgreSQL's descending date indexes,
    which the models' one schema for both backends cannot express."""
    lib = Catalogue(str(db_path))

    def modelled(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
        return not ((type_ == "table" and name.startswith("works_fts"))
                    or (type_ == "index" and name in POSTGRESQL_ONLY_INDEXES))

    with lib.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": modelled})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_descending_date_indexes_are_postgresql_only(db_path: Path) -> None:
    lib = Catalogue(str(db_path))
    with lib.engine.connect() as conn:
        names = {i["name"] for i in inspect(conn).get_indexes("works")}
        expected = POSTGRESQL_ONLY_INDEXES if conn.dialect.name == "postgresql" else set()
    assert names & POSTGRESQL_ONLY_INDEXES == expected


def test_head_revision_read_without_alembic_matches_alembic() -> None:
    scripts = ScriptDirectory.from_config(migrate.alembic_config())
    assert migrate.head_revision() == scripts.get_current_head()


@sqlite_only
def test_first_use_upgrades_to_head_and_sets_sqlite_pragmas(db_path: Path) -> None:
    lib = Catalogue(str(db_path))
    with lib.engine.connect() as conn:
        assert migrate.current_revision(conn) == migrate.head_revision()
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() > 0
    assert sqlite3.connect(db_path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_fixed_vocabularies_come_from_a_migration(db_path: Path) -> None:
    """Every rating, warning and category exists, canonical, with its shorthands as synonyms
    that agree with the mapping the readers use."""
    with Catalogue(str(db_path)).session() as s:
        tags = {(t.type, t.name_key): t for t in s.scalars(select(Tag))}
    for fixed in vocab.fixed_tags():
        canonical = tags[(fixed.type, name_key(fixed.name))]
        assert canonical.canonical and canonical.synonym_of_id is None
    for tag in tags.values():
        if tag.synonym_of_id is not None and tag.type in ("rating", "warning", "category"):
            target = next(t for t in tags.values() if t.id == tag.synonym_of_id)
            mapper = {"rating": vocab.map_rating, "warning": vocab.map_warning,
                      "category": vocab.map_category}[tag.type]
            assert mapper(tag.name) == target.name, tag.name


def test_db_commands(tmp_path: Path) -> None:
    cli = Cli(new_database(tmp_path / "empty.db", empty=True))
    assert "(empty)" in cli("db", "current").stdout
    out = cli("db", "upgrade").stdout
    assert migrate.head_revision() in out
    assert "up to date" in cli("db", "current").stdout
    history = cli("db", "history").stdout
    assert "0001" in history and "0002" in history


def test_info_reports_database_revision_and_counts(cli, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = cli("info").stdout
    assert str(db_path) in out and migrate.head_revision() in out and "works" in out


@sqlite_only
def test_upgrading_a_catalogue_from_before_wrangling(cli, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A catalogue from before wrangling keeps every row through the table copies SQLite
    migrations make (0003 copies `works`, 0004 `tags`: with foreign keys enforced, each
    copy would cascade-delete chapters and tag links), and gains relationship members, a
    full-text index of its works and the shipped vocabulary."""
    cli("db", "upgrade", "0002")
    con = sqlite3.connect(db_path)
    with con:
        con.execute(
            "INSERT INTO works (id, title, title_key, chapter_count, complete, words, sha256, "
            "meta_hash, source, format, ingested_at, modified_at) VALUES (7, 'Old', 'old', 1, "
            "1, 3, 'x', 'y', 'old.txt', 'text', '2020-01-01', '2020-01-01')")
        con.execute("INSERT INTO chapters (work_id, position, text, text_format, words) "
                    "VALUES (7, 1, 'Niblet went café hunting', 'text', 4)")
        con.execute("INSERT INTO tags (id, type, name, name_key, canonical) "
                    "VALUES (900, 'relationship', 'Willow/Spike', 'willow/spike', 0)")
        con.execute("INSERT INTO work_tags (work_id, tag_id, source, position) "
                    "VALUES (7, 900, 'file', 1)")
    con.close()
    cli("db", "upgrade")
    (record,) = cli.records()
    assert record["relationships"] == ["Willow/Spike"] and record["words"] == 3
    assert "Niblet" in cli("show", "7", "--text").stdout
    assert cli.ids("--", "cafe") == [7]
    assert cli.ids("--", 'relationship:"spike/willow rosenberg"') == [7]
    assert cli.ids("--", "fandom:btvs") == []
    assert "Spike (Buffy the Vampire Slayer)" in cli("tag", "info", "spike", "--type",
                                                     "character").stdout


def test_a_page_is_planned_without_parallel_workers_for_that_transaction_only(
        db_path: Path) -> None:
    lib = Catalogue(str(db_path))
    with lib.connect() as conn:
        serial(conn)
        if conn.dialect.name == "postgresql":
            setting = "SHOW max_parallel_workers_per_gather"
            assert conn.exec_driver_sql(setting).scalar() == "0"
            conn.rollback()
            assert conn.exec_driver_sql(setting).scalar() != "0"  # back to the server's
        else:  # nothing to change on SQLite, and nothing fails
            assert conn.exec_driver_sql("SELECT 1").scalar() == 1


def test_a_catalogue_from_a_newer_catalog_is_refused_in_one_line(cli: Cli, db_path: Path,
                                                                  write: Any) -> None:
    cli("info")
    lib = Catalogue(str(db_path))
    with lib.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    lib.dispose()
    story = write("s.txt", "Title: S\n\nText.\n")
    for args in (["list"], ["ingest", str(story)], ["db", "upgrade"], ["db", "current"]):
        result = cli(*args, ok=False)
        assert result.exit_code == 1
        assert result.stderr.strip() == (
            "error: this catalogue was written by a newer catalog (schema revision "
            f"9999_future; this is catalog {__version__}); upgrade catalog"), args
        assert "db upgrade" not in result.stderr
    lib = Catalogue(str(db_path), upgrade=False)
    with lib.engine.connect() as conn:  # nothing was migrated or written
        assert migrate.current_revision(conn) == "9999_future"
    lib.dispose()


def test_a_0001_catalogue_holding_a_rating_tag_upgrades_to_head(tmp_path: Path) -> None:
    url = new_database(tmp_path / "old.db", empty=True)
    lib = Catalogue(url, upgrade=False)
    migrate.upgrade(lib.engine, "0001")
    with lib.engine.begin() as conn:  # a file's rating, stored as a plain tag before 0002
        conn.execute(text(
            "INSERT INTO tags (type, name, name_key, canonical) "
            "VALUES ('rating', 'teen and up audiences', 'teen and up audiences', false)"))
        conn.execute(text(
            "INSERT INTO works (title, title_key, chapter_count, complete, words, sha256, "
            "meta_hash, source, format, ingested_at, modified_at) VALUES ('Old', 'old', 1, "
            "true, 2, 'x', 'y', '/old.txt', 'text', '2026-01-01', '2026-01-01')"))
        conn.execute(text("INSERT INTO chapters (work_id, position, text, text_format, words) "
                          "SELECT id, 1, 'Two words', 'text', 2 FROM works"))
        conn.execute(text("INSERT INTO work_tags SELECT works.id, tags.id, 'file', 0 "
                          "FROM works, tags"))
    lib.dispose()
    lib = Catalogue(url)
    with lib.engine.connect() as conn:
        assert migrate.current_revision(conn) == migrate.head_revision()
    lib.dispose()
    [record] = Cli(url).records()
    assert record["rating"] == "Teen And Up Audiences"
    assert Cli(url).ids("rating:teen") == [1]
