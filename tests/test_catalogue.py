"""The public API: `from catalog import Catalogue` and the names beside it, on every backend."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import catalog
from catalog import CatalogError, Catalogue, ReadOnlyError
from catalog.store.migrate import head_revision
from tests.conftest import ROOT, Cli


def test_every_public_name_resolves() -> None:
    for name in catalog.__all__:
        assert getattr(catalog, name) is not None, name
    assert issubclass(ReadOnlyError, CatalogError)


def test_importing_the_package_loads_no_database_layer() -> None:
    code = ("import sys, catalog, catalog.wordcount\n"
            "print(sorted(m for m in sys.modules\n"
            "             if m.startswith(('sqlalchemy', 'catalog.store'))))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout
    assert out.strip() == "[]"


def test_open_as_a_context_manager_and_read_the_schema(db_path: Path | str,
                                                       cli: Cli, tmp_path: Path) -> None:
    story = tmp_path / "s.txt"
    story.write_text("Title: One\nFandom: F\n\nA few words.\n", encoding="utf-8")
    cli("ingest", str(story))
    with Catalogue.open(str(db_path)) as cat:
        assert cat.revision() == (head_revision(), head_revision())
        info = cat.info()
        assert info["works"] == 1 and info["revision"] == head_revision()
        assert cat.upgrade() == head_revision()
    assert "engine" in cat.__dict__  # used, then disposed on leaving the block
