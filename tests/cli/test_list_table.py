"""`catalog list` as a table people read: a line a work that fits the terminal (the real
corpus at 80 and 200 columns), relationships and characters under it when wide or with
`--long`, columns chosen with `--columns`, and a pager only on a real terminal."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from catalog.catalogue import Catalogue
from catalog.cli.app import app
from catalog.cli.render import marks
from tests.conftest import ROOT
from tests.terminal import on_a_terminal


def _list(db: str, *args: str, width: int = 80, ok: bool = True) -> Any:
    result = CliRunner().invoke(app, ["--db", db, "list", *args], env={"COLUMNS": str(width)})
    if ok:
        assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def works(corpus_db: str) -> list[dict[str, Any]]:
    lib = Catalogue(corpus_db)
    found = lib.works(texts=False)
    lib.dispose()
    return list(found)


def _rows(out: str) -> list[str]:
    """The table's lines without its header and its caption."""
    return out.splitlines()[1:-1]


def test_at_80_columns_each_work_is_one_line(corpus_db: str, works: list[dict[str, Any]]
                                             ) -> None:
    out = _list(corpus_db).stdout
    lines = out.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    assert lines[0].split() == ["id", "title", "author", "fandom", "words", "ch"]
    assert lines[-1] == f"1–{len(works)} of {len(works)} works"
    rows = _rows(out)
    assert len(rows) == len(works)  # no wrapped cells, no second lines
    for row, work in zip(rows, works, strict=True):
        cells = row.split()
        assert cells[0] == str(work["id"])
        expected = work["expected_chapters"]
        assert cells[-1] == f"{work['chapters']}/{expected if expected is not None else '?'}"
        assert cells[-2] == f"{work['words']:,}" and f"  {marks(work)}  " in row


def test_the_marks_say_rating_warnings_and_completion(works: list[dict[str, Any]]) -> None:
    by_title = {w["title"]: w for w in works}
    assert marks(by_title["Those Few Who’ve Slipped the Surly Bonds"]) == "-!~"  # MCD, WIP
    assert marks(by_title["First as Farce"]) == "T?✓"  # creator chose not to warn
    assert marks(by_title["Fire and Feather"]) == "G ~"  # no warnings apply, 3/?
    assert marks(by_title["The right tool for everything"]) == "E?✓"


def test_at_200_columns_relationships_and_characters_follow_dimly(
        corpus_db: str, works: list[dict[str, Any]]) -> None:
    out = _list(corpus_db, width=200).stdout
    lines = out.splitlines()
    assert max(cell_len(line) for line in lines) <= 200
    farce = next(w for w in works if w["title"] == "First as Farce")
    at = next(i for i, line in enumerate(lines) if "First as Farce" in line)
    under = lines[at + 1]
    assert under.startswith("    ") and under.strip().startswith(farce["relationships"][0])
    assert under.index(farce["relationships"][0]) < under.index("·") < \
        under.index(farce["characters"][-1])  # AO3's order: relationships, then characters
    untagged = [w for w in works if not w["relationships"] and not w["characters"]]
    assert len(lines) == 2 + len(works) * 2 - len(untagged)


def test_long_shows_every_relationship_and_character_in_80_columns(
        corpus_db: str, works: list[dict[str, Any]]) -> None:
    out = _list(corpus_db, "--long", width=80).stdout
    assert max(cell_len(line) for line in out.splitlines()) <= 80
    home = next(w for w in works if w["title"].startswith("Keep the Home Fires"))
    block = out[out.index("Keep the Home Fires"):]
    block = block[:block.index("\n" + str(home["id"] + 1).rjust(2))]
    folded = " ".join(block.split())
    for name in home["relationships"] + home["characters"]:
        assert " ".join(name.split()) in folded, name


def test_columns_come_from_the_field_table(corpus_db: str, works: list[dict[str, Any]]) -> None:
    out = _list(corpus_db, "--columns", "id,title,ship,published,words", width=200).stdout
    assert out.splitlines()[0].split() == ["id", "title", "relationship", "published", "words"]
    farce = next(w for w in works if w["title"] == "First as Farce")
    row = next(line for line in out.splitlines() if "First as Farce" in line)
    assert farce["published"] in row and farce["relationships"][0] in row
    bad = _list(corpus_db, "--columns", "id,colour", ok=False)
    assert bad.exit_code == 2
    assert "no column 'colour'" in bad.output and "relationship" in bad.output


def test_a_pager_on_a_terminal_only(corpus_db: str, tmp_path: Path) -> None:
    paged = tmp_path / "paged.txt"
    env = {"PAGER": f"sh -c 'cat > {paged}'", "COLUMNS": "80", "TERM": "xterm"}
    screen = on_a_terminal(corpus_db, "list", env=env)
    table = paged.read_text("utf-8")
    assert "First as Farce" in table and "First as Farce" not in screen
    assert "\x1b[1m" in table  # styled for a terminal: `less -R` shows the bold header
    paged.unlink()
    screen = on_a_terminal(corpus_db, "list", "--no-pager", env=env)
    assert "First as Farce" in screen and not paged.exists()
    piped = subprocess.run([sys.executable, "-m", "catalog", "--db", corpus_db, "list"],
                           capture_output=True, text=True, cwd=ROOT, check=True,
                           env={**os.environ, **env})
    assert "First as Farce" in piped.stdout and not paged.exists()
    assert "\x1b" not in piped.stdout  # no styles into a pipe
