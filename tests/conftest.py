"""Shared fixtures: a real SQLite file per test and the real CLI.

Tests never touch the user's default catalogue: CATALOG_DB points at a temporary file.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
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
REFERENCE_SEED = SHARED / "seeds" / "000_6972f77d5f5fbec3.txt"


@pytest.fixture(autouse=True)
def _isolated_catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = tmp_path / "catalog.db"
    monkeypatch.setenv("CATALOG_DB", str(db))
    return db


@pytest.fixture
def db_path(_isolated_catalogue: Path) -> Path:
    return _isolated_catalogue


class Cli:
    """Runs `catalog …` in-process against the test's database."""

    def __init__(self, db: Path) -> None:
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
def cli(db_path: Path) -> Cli:
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
