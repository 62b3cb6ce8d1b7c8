"""One output bundle: `--format` by the same names in every command that prints records,
and the old spellings still read (hidden) for one release."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Cli

STORY = "Title: One\nFandom: Firefly\nCharacters: Kaylee Frye\n\nShiny words here.\n"


@pytest.fixture
def filled(cli: Cli, write: Callable[..., Path]) -> Cli:
    cli("ingest", str(write("one.txt", STORY)))
    return cli


# command arguments -> the formats it takes
COMMANDS: list[tuple[list[str], tuple[str, ...]]] = [
    (["list"], ("table", "json", "jsonl", "csv", "ids")),
    (["tags"], ("table", "json", "jsonl", "csv")),
    (["fields"], ("table", "json", "jsonl", "csv")),
    (["stats"], ("table", "json", "jsonl")),
    (["show", "1"], ("table", "json", "jsonl")),
    (["info"], ("table", "json", "jsonl")),
    (["tag", "info", "Kaylee Frye"], ("table", "json", "jsonl")),
    (["export"], ("jsonl", "json", "csv")),
]


@pytest.mark.parametrize(("args", "formats"), COMMANDS, ids=lambda a: " ".join(a)
                         if isinstance(a, list) else "")
def test_each_command_prints_each_of_its_formats(filled: Cli, args: list[str],
                                                 formats: tuple[str, ...]) -> None:
    for fmt in formats:
        out = filled(*args, "--format", fmt).stdout
        assert out.strip(), (args, fmt)
        if fmt == "json":
            json.loads(out)
        elif fmt == "jsonl":
            assert all(json.loads(line) for line in out.splitlines())
        elif fmt == "csv":
            rows = list(csv.reader(io.StringIO(out)))
            assert len(rows) >= 2 and len({len(r) for r in rows}) == 1
        elif fmt == "ids":
            assert out.split() == ["1"]
    for other in {"bogus", "csv", "table"} - set(formats):
        refused = filled(*args, "--format", other, ok=False)
        assert refused.exit_code == 2 and other in refused.output


@pytest.mark.parametrize("args", [["stats"], ["show", "1"], ["info"],
                                  ["tag", "info", "Kaylee Frye"]], ids=" ".join)
def test_json_is_still_read_and_hidden(filled: Cli, args: list[str]) -> None:
    assert filled(*args, "--json").stdout == filled(*args, "--format", "json").stdout
    assert "--json" not in filled(*args, "--help").stdout


def test_ingest_reports_in_each_format(cli: Cli, write: Callable[..., Path]) -> None:
    path = str(write("one.txt", STORY))
    text = cli("ingest", path, "--format", "text", "--dry-run")  # the old name of table
    assert text.stderr.startswith("dry run: ingested 1")
    rows = list(csv.DictReader(io.StringIO(cli("ingest", path, "--format", "csv").stdout)))
    assert [(r["status"], r["title"]) for r in rows] == [("ingested", "One")]
    again = cli("ingest", path, "--format", "jsonl")
    assert json.loads(again.stdout)["status"] == "unchanged"
    assert again.stderr.startswith("ingested 0 · updated 0 · unchanged 1")
