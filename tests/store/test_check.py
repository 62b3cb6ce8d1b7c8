"""`catalog db check [--repair]`: each kind of drift built by the test, found in one line,
and repaired where that is safe."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from catalog.catalogue import Catalogue
from tests.conftest import POSTGRES, Cli


@pytest.fixture
def catalogue(cli: Cli, write: Callable[..., Path], tmp_path: Path) -> Cli:
    for i in range(4):
        write(f"s{i}.txt", f"Title: Story {i}\nTags: Shared, Own {i}\n\nOne two three {i}.\n")
    cli("ingest", str(tmp_path / "stories"))
    return cli


def _sql(db: Any, *statements: str) -> None:
    lib = Catalogue(str(db))
    with lib.engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))
    lib.dispose()


def _problems(result: Any) -> list[str]:
    return [line for line in result.stdout.splitlines() if line.startswith("problem:")]


def test_a_sound_catalogue_has_no_problems(catalogue: Cli) -> None:
    result = catalogue("db", "check")
    assert _problems(result) == [] and result.stdout.rstrip().endswith("no problems")


def test_drift_is_found_a_line_each_and_repaired(catalogue: Cli, db_path: Any) -> None:
    _sql(db_path,
         "UPDATE chapters SET words = 99 WHERE work_id = 2",
         "UPDATE works SET words = 7 WHERE id = 3",
         "UPDATE tags SET work_count = 40 WHERE name = 'Shared'",
         "INSERT INTO tags (type, name, name_key, canonical, common, work_count) "
         "VALUES ('freeform', 'Lonely', 'lonely', false, false, 0)",
         "DELETE FROM search_docs WHERE work_id = 4",
         "UPDATE works SET url = 'https://www.fanfiction.net/s/77/1/x' WHERE id = 1")
    result = catalogue("db", "check", ok=False)
    assert result.exit_code == 1
    problems = _problems(result)
    assert "problem: work 2: chapter 1 stores 99 words; its text has 4" in problems
    assert any(p.startswith("problem: work 2 stores 4 words; its chapters have 99")
               for p in problems)
    assert "problem: work 3 stores 7 words; its chapters have 4" in problems
    assert any("(Shared) counts 40 works; it is on 4" in p for p in problems)
    assert any("(freeform: Lonely) is an orphan" in p for p in problems)
    assert "problem: 1 works have no full-text document: words in queries miss them" \
        in problems
    assert "problem: 1 works have a story URL key that is not their URL's: a newer " \
        "download of them would be added as a new work" in problems
    assert result.stdout.rstrip().endswith(f"{len(problems)} problems")
    repaired = catalogue("db", "check", "--repair")
    assert "repaired: deleted 1 orphan tags" in repaired.stdout
    assert "repaired: set the story URL keys of 1 works" in repaired.stdout
    assert _problems(repaired) == [] and repaired.stdout.rstrip().endswith("no problems")
    assert [r["words"] for r in catalogue.records()] == [4, 4, 4, 4]
    assert catalogue.ids("three") == [1, 2, 3, 4]  # the index holds work 4 again


def test_vocabulary_and_wrangled_tags_are_never_orphans(catalogue: Cli) -> None:
    catalogue("tag", "synonym", "Own Uno", "Own 1")
    result = catalogue("db", "check")
    assert not [line for line in result.stdout.splitlines() if "orphan" in line]


@pytest.mark.skipif(POSTGRES, reason="SQLite's integrity and foreign key checks")
def test_a_broken_reference_is_a_problem(catalogue: Cli, db_path: Any) -> None:
    lib = Catalogue(str(db_path))
    raw = lib.engine.raw_connection()  # autocommit, outside SQLAlchemy's transaction
    raw.cursor().execute("PRAGMA foreign_keys=OFF")
    raw.cursor().execute("DELETE FROM works WHERE id = 1")
    raw.close()
    lib.dispose()
    problems = _problems(catalogue("db", "check", ok=False))
    assert any("points to a missing works row" in p for p in problems)
