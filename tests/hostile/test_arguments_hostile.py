"""A query term that looks like a short option is a query term, never an option's value."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from catalog.cli.terms import reordered
from tests.conftest import Cli


@pytest.fixture
def catalogue(cli: Cli, write: Callable[..., Path]) -> Cli:
    write("one.txt", "Title: Oneshot\nFandom: Xfiles\n\nA oneshot story.\n")
    write("two.txt", "Title: Twoshot\nFandom: Other\n\nAnother story entirely.\n")
    cli("ingest", str(write("three.txt", "Title: Third\n\nThird text.\n").parent))
    return cli


def test_list_reads_a_dashed_field_as_an_exclusion(catalogue: Cli) -> None:
    titles = [r["title"] for r in catalogue.records("-fandom:xfiles")]
    assert sorted(titles) == ["Third", "Twoshot"]


def test_export_does_not_take_a_dashed_word_as_its_output_file(
        catalogue: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = catalogue("export", "-oneshot", "--format", "jsonl", "--no-texts")
    assert not (tmp_path / "neshot").exists()
    titles = [json.loads(line)["title"] for line in result.stdout.splitlines()]
    assert "Oneshot" not in titles and len(titles) == 2


def test_real_options_and_double_dash_keep_working(catalogue: Cli, tmp_path: Path) -> None:
    out = tmp_path / "x.jsonl"
    catalogue("export", "-o", str(out), "--no-texts", "-fandom:other")
    assert sorted(json.loads(x)["title"] for x in out.read_text().splitlines()) == [
        "Oneshot", "Third"]
    listed = catalogue("list", "-f", "ids", "--limit", "1", "--", "-fandom:other")
    assert listed.stdout.split() == ["1"]
    assert os.path.exists(out)


@pytest.mark.parametrize(("args", "expected"), [
    (["-oneshot"], ["--", "-oneshot"]),
    (["-o", "f", "a", "-b:c"], ["-o", "f", "--", "a", "-b:c"]),
    (["--limit=3", "x", "--", "-y"], ["--limit=3", "--", "x", "-y"]),
    (["--limit", "-3"], ["--limit", "-3"]),  # an option's value, whatever it looks like
    (["-v", "-x"], ["-v", "-x"]),  # unknown short options go to the parser, which says so
    (["a", "--bogus"], ["--bogus", "--", "a"]),
])
def test_reordered(args: list[str], expected: list[str]) -> None:
    options = {"-o": True, "--limit": True, "-v": False}
    assert reordered(args, options) == expected
