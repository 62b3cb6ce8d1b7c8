"""`catalog db backup FILE`: a consistent, compact copy of a live SQLite catalogue."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from tests.conftest import POSTGRES, Cli


def test_backup_copies_the_catalogue_and_refuses_to_overwrite(
        cli: Cli, write: Callable[..., Path], tmp_path: Path) -> None:
    for i in range(5):
        write(f"s{i}.txt", f"Title: Story {i}\nFandom: F{i % 2}\n\nText number {i}.\n")
    cli("ingest", str(tmp_path / "stories"))
    copy = tmp_path / "copy.db"
    if POSTGRES:
        result = cli("db", "backup", str(copy), ok=False)
        assert "pg_dump" in result.stderr and not copy.exists()
        return
    result = cli("db", "backup", str(copy))
    assert f"to {copy}" in result.stdout
    assert Cli(copy).records() == cli.records()
    again = cli("db", "backup", str(copy), ok=False)
    assert again.stderr.strip() == f"error: {copy} already exists; use --force to overwrite it"
    cli("remove", "1")
    cli("db", "backup", "--force", str(copy))
    assert Cli(copy).ids() == cli.ids()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_backup_during_an_ingest_is_one_moment_of_it(cli: Cli, tmp_path: Path) -> None:
    if POSTGRES:
        return  # PostgreSQL catalogues are copied with pg_dump; the test above checks the hint
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(400):
        (folder / f"s{i:03}.txt").write_text(f"Title: T{i}\n\nWords {i} here.\n", "utf-8")
    cli("info")
    writer = subprocess.Popen([sys.executable, "-m", "catalog", "--db", str(cli.db), "ingest",
                               "-j", "1", str(folder)], stdout=subprocess.DEVNULL)
    copy = tmp_path / "mid.db"
    cli("db", "backup", str(copy))
    assert writer.wait(timeout=120) == 0
    records = Cli(copy).records()
    # Whole batches only: every work in the copy has its text, chapters and tags.
    assert len(records) % 200 == 0
    assert all(r["words"] == 2 and r["chapters"] == 1 for r in records)
