"""Start-up stays lean: what a command imports (modules, never timings), and the fast option
converter agreeing with Typer's own."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from catalog.cli.app import app
from catalog.cli.params import FastConverter
from tests.conftest import SEEDS

HEAVY = ("sqlalchemy", "sqlalchemy.orm", "alembic", "pydantic", "markdown_it", "rich",
         "rich.markdown", "yaml")


def imported(*args: str, env: dict[str, str] | None = None) -> set[str]:
    """The heavy modules a fresh `catalog ARGS…` process has imported when it ends."""
    code = ("import json, sys\nfrom catalog.cli.app import main\n"
            f"sys.argv = ['catalog', *{list(args)!r}]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]), file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, check=True)
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["list", "--help"],
                                  ["ingest", "--help"], ["export", "--help"], ["db", "--help"],
                                  ["tag", "synonym", "--help"]], ids=" ".join)
def test_help_imports_neither_the_orm_nor_alembic_nor_rich_help(args: list[str]) -> None:
    assert imported(*args) == set()


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("startup") / "c.db"
    result = CliRunner().invoke(app, ["--db", str(db), "ingest", str(SEEDS)])
    assert result.exit_code == 0, result.output
    return db


@pytest.mark.parametrize("fmt", ["ids", "table", "csv", "json"])
@pytest.mark.parametrize("query", ["character:spike", 'tag:"Spike/Willow"', "willow"])
def test_list_on_a_current_catalogue_needs_no_alembic_and_no_orm(seeded: Path, query: str,
                                                                  fmt: str) -> None:
    found = imported("--db", str(seeded), "list", query, "--format", fmt, "--limit", "3")
    assert "sqlalchemy" in found  # Core is used …
    assert found.isdisjoint({"alembic", "sqlalchemy.orm", "pydantic"})  # … and no more
    assert ("rich" in found) == (fmt == "table")  # only a table is drawn with rich


def test_export_needs_no_orm(seeded: Path, tmp_path: Path) -> None:
    found = imported("--db", str(seeded), "export", "-o", str(tmp_path / "out.jsonl"))
    assert (tmp_path / "out.jsonl").stat().st_size > 0
    assert found.isdisjoint({"alembic", "sqlalchemy.orm"})


def test_a_new_catalogue_is_made_without_alembic_or_the_orm(tmp_path: Path) -> None:
    """Created at head from the tables and stamped, the vocabulary inserted in bulk."""
    found = imported("--db", str(tmp_path / "new.db"), "list", "--format", "ids")
    assert found.isdisjoint({"alembic", "sqlalchemy.orm"})
    assert "yaml" in found  # the shipped vocabulary was read: the catalogue was made
    assert imported("--db", str(tmp_path / "new.db"), "list").isdisjoint({"alembic", "yaml"})


def _params() -> list[Any]:
    root = typer.main.get_command(app)
    found: list[Any] = []

    def walk(command: Any) -> None:
        found.extend(p for p in command.params if hasattr(p, "type_descriptor"))
        for sub in getattr(command, "commands", {}).values():
            walk(sub)

    walk(root)
    return found


SAMPLES = [None, "", "spike", "0", "12", "007", "-3", "1e3", " 4", "table", "ids", "TABLE",
           "character", True, False, 5, ["a", "b"], ("1", "2"), [], ("x",)]


def test_typer_keeps_the_hook_the_fast_converter_uses() -> None:
    """Typer is pinned below its next minor version because `cli/params.py` sets a private
    attribute of its parameters; an upgrade that moves it must fail here, loudly, not make
    every `list` 80 ms slower unnoticed."""
    assert hasattr(typer.core, "_TyperParameter"), "Typer's parameter class moved"
    params = _params()
    assert params, "no Typer parameters with a type descriptor"
    command = typer.main.get_command(app)
    from catalog.cli.params import install

    install(command)
    listing = command.commands["list"]  # type: ignore[attr-defined]
    hooked = [p for p in listing.params if hasattr(p, "type_descriptor")]
    assert hooked and all(isinstance(p._runtime_param, FastConverter) for p in hooked)


def test_fast_converter_agrees_with_typer() -> None:
    """For every parameter and value: the same result as Typer's converter, or Typer's
    own error (the fast one hands every value it does not handle to Typer)."""
    ctx = typer.main.get_command(app).make_context("catalog", ["info"],
                                                   resilient_parsing=True)
    checked = 0
    for param in _params():
        real = param.get_runtime_param()
        fast = FastConverter(param.type_descriptor)
        for value in SAMPLES:
            try:
                expected: Any = real.coerce(value, param=param, ctx=ctx)
            except Exception as exc:  # noqa: BLE001 - compared below
                expected = (type(exc), str(exc))
            param._runtime_param = fast
            try:
                got: Any = fast.coerce(value, param=param, ctx=ctx)
            except Exception as exc:  # noqa: BLE001
                got = (type(exc), str(exc))
            param._runtime_param = real
            assert (got, type(got)) == (expected, type(expected)), (param.name, value)
            checked += 1
    assert checked > 500


@pytest.mark.parametrize(("args", "message"), [
    (["list", "--limit", "-1"], "--limit"),
    (["list", "--format", "bogus"], "bogus"),
    (["show", "three"], "valid integer"),
])
def test_bad_option_values_get_typers_errors(args: list[str], message: str) -> None:
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2 and message in result.output


def test_list_help_keeps_examples_whole_and_filters_apart() -> None:
    result = CliRunner().invoke(app, ["list", "--help"], env={"COLUMNS": "60"})
    lines = result.output.splitlines()
    example = ("catalog list 'character:spike -warning:mcd rating:<=teen "
               "words:1000..5000 sort:-words'")
    assert any(line.strip() == example for line in lines)  # one per line, even when narrow
    assert "Filters:" in lines and lines.index("Options:") < lines.index("Filters:")
    assert "--fandom" in result.output.split("Filters:")[1]
