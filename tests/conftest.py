"""Shared fixtures: a real database per test and the real CLI.

Tests never touch the user's default catalogue: CATALOG_DB points at a temporary SQLite
file, or, when CATALOG_TEST_DB_URL names a PostgreSQL server (`make test-postgres`), at a
fresh database on it, copied from a migrated template so each test starts at head.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from catalog.cli.app import app

ROOT = Path(__file__).resolve().parents[1]
# The shared reference material (seeds, corpus, AO3 facts) sits beside the checkout; it is
# read in place, never copied into the repository.
SHARED = Path(os.environ.get("CATALOG_SHARED", ROOT.parent / "shared"))
if not (SHARED / "reference").is_dir():
    raise RuntimeError(f"shared reference material not found at {SHARED}; "
                       "set CATALOG_SHARED to its path")
SEEDS = ROOT / "seeds"
SERVER = os.environ.get("CATALOG_TEST_DB_URL")
POSTGRES = bool(SERVER)
sqlite_only = pytest.mark.skipif(POSTGRES, reason="inspects SQLite files and pragmas; "
                                                   "the PostgreSQL run covers the rest")
REFERENCE_SEED = SHARED / "seeds" / "000_6972f77d5f5fbec3.txt"


class _Server:
    """Throwaway databases on the test server, each a copy of one migrated template."""

    TEMPLATE = "catalog_test_template"

    def __init__(self, url: str) -> None:
        from sqlalchemy import create_engine, make_url

        self.url = make_url(url)
        self.admin = create_engine(self.url, isolation_level="AUTOCOMMIT")
        self.names = itertools.count()
        self.ready = False

    def _run(self, statement: str) -> None:
        from sqlalchemy import text

        with self.admin.connect() as conn:
            conn.execute(text(statement))

    def _name(self) -> str:
        return f"catalog_test_{os.getpid()}_{next(self.names)}_{uuid.uuid4().hex[:8]}"

    def _quoted(self, name: str) -> str:
        return self.admin.dialect.identifier_preparer.quote(name)

    def _url(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    def create(self, empty: bool = False) -> str:
        if empty:
            name = self._name()
            self._run(f"CREATE DATABASE {self._quoted(name)}")
            return self._url(name)
        if not self.ready:
            self._run(f"DROP DATABASE IF EXISTS {self._quoted(self.TEMPLATE)} WITH (FORCE)")
            self._run(f"CREATE DATABASE {self._quoted(self.TEMPLATE)}")
            from catalog.catalogue import Catalogue

            template = Catalogue(self._url(self.TEMPLATE))
            _ = template.engine  # migrates to head and loads the shipped vocabulary
            template.dispose()
            self.ready = True
        name = self._name()
        self._run(f"CREATE DATABASE {self._quoted(name)} TEMPLATE "
                  f"{self._quoted(self.TEMPLATE)}")
        return self._url(name)

    def drop(self, url: str) -> None:
        from sqlalchemy import make_url

        name = make_url(url).database or ""
        self._run(f"DROP DATABASE IF EXISTS {self._quoted(name)} WITH (FORCE)")


_SERVER = _Server(SERVER) if SERVER else None
_CREATED: list[str] = []


def new_database(path: Path, *, empty: bool = False) -> str:
    """A new catalogue: the SQLite file `path`, or a fresh database on the server (a copy
    of the migrated template, or with `empty` a database without any schema)."""
    if _SERVER is None:
        return str(path)
    url = _SERVER.create(empty)
    _CREATED.append(url)
    return url


_TEMPLATE: list[Path] = []


def migrated_database(path: Path) -> str:
    """A catalogue already at head with the shipped vocabulary, made by copying one
    migrated template (a file for SQLite, a database on the server), not by migrating
    again: what a test that is not about creating a catalogue starts from."""
    if _SERVER is not None:
        return new_database(path)  # every server database is a copy of the template
    if not _TEMPLATE:
        import tempfile

        from catalog.catalogue import Catalogue

        template = Path(tempfile.mkdtemp(prefix="catalog-template-")) / "template.db"
        made = Catalogue(str(template))
        _ = made.engine  # migrates to head and loads the shipped vocabulary
        made.dispose()
        _TEMPLATE.append(template)
    shutil.copyfile(_TEMPLATE[0], path)
    return str(path)


@pytest.fixture
def migrated(tmp_path: Path) -> Any:
    """The URL or path of a fresh copy of the migrated template catalogue."""
    db = migrated_database(tmp_path / "migrated.db")
    yield db if POSTGRES else Path(db)
    if _SERVER is not None:
        _SERVER.drop(db)
        _CREATED.remove(db)


@pytest.fixture(autouse=True, scope="session")
def _drop_databases() -> Iterator[None]:
    yield
    if _SERVER is not None:
        for url in _CREATED:
            _SERVER.drop(url)


@pytest.fixture(autouse=True)
def _isolated_catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    db = new_database(tmp_path / "catalog.db")
    monkeypatch.setenv("CATALOG_DB", db)
    yield db if POSTGRES else Path(db)
    if _SERVER is not None:
        _SERVER.drop(db)
        _CREATED.remove(db)


@pytest.fixture
def db_path(_isolated_catalogue: Any) -> Any:
    """The test's catalogue: a `Path` (SQLite) or a URL string (PostgreSQL)."""
    return _isolated_catalogue


class Cli:
    """Runs `catalog …` in-process against the test's database."""

    def __init__(self, db: Path | str) -> None:
        self.db = db
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None, ok: bool | None = True) -> Any:
        result = self.runner.invoke(app, ["--db", str(self.db), *args], input=input)
        if ok is True:
            assert result.exit_code == 0, (result.output, result.exception)
        elif ok is False:
            assert result.exit_code != 0, result.output
        return result

    def records(self, *args: str) -> list[dict[str, Any]]:
        result = self("list", *args, "--format", "json")
        return json.loads(result.stdout)

    def ids(self, *args: str) -> list[int]:
        return [int(x) for x in self("list", "--format", "ids", *args).stdout.split()]


@pytest.fixture
def cli(db_path: Any) -> Cli:
    return Cli(db_path)


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """Write a story file (text or bytes) under the test's directory and return its path."""

    def _write(name: str, content: str | bytes) -> Path:
        path = tmp_path / "stories" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return _write


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A catalogue of the real corpus and one hostile work, once per module (for tests
    that only read it: the served pages, the books)."""
    from tests.corpus import corpus_catalogue

    db = corpus_catalogue(tmp_path_factory.mktemp("corpus"))
    yield db
    if _SERVER is not None:
        _SERVER.drop(db)
        _CREATED.remove(db)
