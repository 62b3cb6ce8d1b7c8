"""Output that file text cannot turn against the reader: escaped for terminals, exact for
machines, formulas neutralised in CSV, and export files written safely.

The catalogue is built by ingesting hostile files, and the real CLI runs in a subprocess,
so what is checked is the bytes a terminal or a spreadsheet would receive.
"""

from __future__ import annotations

import csv
import io
import json
import os
import resource
import signal
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, new_database

ESC = b"\x1b"
BIDI = "\u202e"
TITLE = "Evil \x1b[2J[bold red]x[/] :smile: \u202e"
HYPERLINK = '=HYPERLINK("http://evil.example/")'
# A text file: its name forges a line, its header repaints the screen.
TEXT_NAME = "evil\nok: forged.txt"
TEXT_FILE = (f"Title: {TITLE}\nTags: {HYPERLINK}, +SUM(1), \x1b]0;pwned\x07 tag\n"
             "Summary: short \x1b[31mred\n\nOnce \x1b[2J upon a time.\n")
STORY = '=1+1, "quoted", commas\nnext line\tTAB \x0b\x1f\x7f end\n'
RECORD: dict[str, Any] = {
    "id": 7, "title": "J\x1b[1mtitle", "format": "jsonl",
    "source": "/archive/\x1b[2Jsrc\nfake: line.html",
    "summary": "first line\nsecond\x1b[0m line", "notes": "@notes\x07",
    "characters": ["\x1b[31mRed"], "freeform": ["-cmd|' /C calc'!A0", "Plain"],
    "series": [{"name": "Ser\x1bies", "part": 2}], "collections": ["Col\x1blection"],
    "chapter_list": [{"position": 1, "title": "Ch\x1b[2Jone", "format": "text",
                      "text": STORY}],
}


def run(db: Any, *args: str, ok: bool = True, wide: bool = True,
        **kwargs: Any) -> subprocess.CompletedProcess[bytes]:
    """`catalog --db DB ARGS…` in a subprocess; raw bytes, as a terminal would get them."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("COLUMNS", None)
    if wide:  # no folding inside the strings looked for
        env["COLUMNS"] = "400"
    result = subprocess.run([sys.executable, "-m", "catalog", "--db", str(db), *args],
                            capture_output=True, env=env, cwd=ROOT, check=False, **kwargs)
    if ok:
        assert result.returncode == 0, result.stderr.decode(errors="replace")
    return result


def ingest(tmp: Path) -> str:
    db = new_database(tmp / "hostile.db")
    stories = tmp / "stories"
    stories.mkdir()
    (stories / TEXT_NAME).write_text(TEXT_FILE, "utf-8")
    (stories / "record.jsonl").write_text(json.dumps(RECORD) + "\n", "utf-8")
    run(db, "ingest", str(stories))
    return db


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    return ingest(tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="module")
def records(db: str) -> dict[int, dict[str, Any]]:
    return {r["id"]: r for r in json.loads(run(db, "list", "--format", "json").stdout)}


def text_id(records: dict[int, dict[str, Any]]) -> int:
    return next(i for i, r in records.items() if r["id"] != RECORD["id"])


def human(result: subprocess.CompletedProcess[bytes]) -> str:
    """The output a person sees, checked for raw escapes and bidi overrides."""
    both = result.stdout + result.stderr
    assert ESC not in both and b"\x07" not in both
    text = both.decode("utf-8")
    assert BIDI not in text
    return result.stdout.decode("utf-8")


def test_works_table_escapes_every_cell(db: str) -> None:
    out = human(run(db, "list"))
    assert "Evil \\x1b[2J[bold red]x[/] :smile: \\u202e" in out  # no markup, no emoji
    assert "J\\x1b[1mtitle" in out


def test_works_table_fits_80_columns(db: str) -> None:
    out = human(run(db, "list", wide=False))
    assert out and max(len(line) for line in out.splitlines()) <= 80


def test_show_escapes_each_field(db: str, records: dict[int, dict[str, Any]]) -> None:
    out = human(run(db, "show", str(RECORD["id"])))
    for shown in ("J\\x1b[1mtitle", "\\x1b[31mRed", "Part 2 of Ser\\x1bies", "Col\\x1blection",
                  "Ch\\x1b[2Jone", "/archive/\\x1b[2Jsrc\\nfake: line.html", "@notes\\x07"):
        assert shown in out, shown
    lines = out.splitlines()
    assert not any(line.lstrip().startswith("fake:") for line in lines)  # no forged line
    summary = next(i for i, line in enumerate(lines) if "first line" in line)
    assert "second\\x1b[0m line" in lines[summary + 1]  # a block keeps its line breaks
    page = human(run(db, "show", str(text_id(records))))
    assert "[bold red]x[/]" in page and "evil\\nok: forged.txt" in page
    assert not any(line.startswith("ok: forged") for line in page.splitlines())


def test_show_text_keeps_lines_and_escapes_the_rest(db: str) -> None:
    out = human(run(db, "show", str(RECORD["id"]), "--text"))
    # read as a story: the chapter's title as its heading, line breaks kept, spacing
    # folded as a page folds it, every other control character shown escaped
    assert out == ('Chapter 1: Ch\\x1b[2Jone\n' + "=" * 20 + '\n\n'
                   '=1+1, "quoted", commas\nnext line TAB \\x1f\\x7f end\n')
    assert "\x1b" not in out


def test_tags_stats_and_tag_info_escape(db: str) -> None:
    tags = human(run(db, "tags"))
    assert "\\x1b]0;pwned\\x07 tag" in tags and "\\x1b[31mRed" in tags
    stats = human(run(db, "stats"))
    assert "\\x1b]0;pwned\\x07 tag" in stats
    info = human(run(db, "tag", "info", "\x1b[31mRed"))
    assert "\\x1b[31mRed" in info and "J\\x1b[1mtitle" in info
    missing = run(db, "tag", "info", "no\x1b[2Jsuch", ok=False)
    assert missing.returncode == 1 and ESC not in missing.stderr


def test_remove_message_escapes(tmp_path: Path) -> None:
    db = ingest(tmp_path)
    out = human(run(db, "remove", str(RECORD["id"])))
    assert out == "removed #7 J\\x1b[1mtitle\n"


def test_machine_formats_keep_the_exact_text(db: str, records: dict[int, dict[str, Any]]
                                             ) -> None:
    mine = records[RECORD["id"]]
    for key in ("title", "source", "summary", "notes", "characters", "collections"):
        assert mine[key] == RECORD[key], key
    assert records[text_id(records)]["title"] == TITLE
    lines = run(db, "list", "--format", "jsonl").stdout.decode().splitlines()
    assert {json.loads(line)["title"] for line in lines} == {TITLE, RECORD["title"]}
    shown = json.loads(run(db, "show", str(RECORD["id"]), "--json").stdout)
    assert shown["text"] == STORY
    assert json.loads(run(db, "export").stdout.splitlines()[-1])["text"] == STORY


def csv_rows(result: subprocess.CompletedProcess[bytes]) -> list[dict[str, str]]:
    """Rows as Python's csv module reads them back (newline='' keeps quoted breaks)."""
    return list(csv.DictReader(io.StringIO(result.stdout.decode("utf-8"), newline="")))


def test_csv_neutralises_formulas(db: str) -> None:
    for args in (("list", "--format", "csv"), ("export", "--format", "csv")):
        by_id = {row["id"]: row for row in csv_rows(run(db, *args))}
        row = by_id[str(RECORD["id"])]
        assert row["freeform"] == "'-cmd|' /C calc'!A0, Plain"
        assert row["notes"] == "'@notes\x07"
        text_row = next(r for i, r in by_id.items() if i != str(RECORD["id"]))
        assert text_row["freeform"].startswith(f"'{HYPERLINK}, +SUM(1)")
    tags = {row["name"] for row in csv_rows(run(db, "tags", "--format", "csv"))}
    assert {f"'{HYPERLINK}", "'+SUM(1)", "'-cmd|' /C calc'!A0", "\x1b[31mRed"} <= tags
    assert HYPERLINK not in tags


def test_no_formula_guard_writes_cells_as_they_are(db: str) -> None:
    rows = csv_rows(run(db, "export", "--format", "csv", "--no-formula-guard"))
    row = next(r for r in rows if r["id"] == str(RECORD["id"]))
    assert row["text"] == STORY and row["notes"] == "@notes\x07"
    listed = csv_rows(run(db, "list", "--format", "csv", "--no-formula-guard"))
    assert {r["title"] for r in listed} == {TITLE, RECORD["title"]}
    tags = csv_rows(run(db, "tags", "--format", "csv", "--no-formula-guard"))
    assert HYPERLINK in {r["name"] for r in tags}


def test_csv_story_text_loads_back(db: str, records: dict[int, dict[str, Any]]) -> None:
    rows = {int(r["id"]): r for r in csv_rows(run(db, "export", "--format", "csv"))}
    assert rows[RECORD["id"]]["text"] == "'" + STORY  # guarded: it starts with '='
    other = text_id(records)
    expected = json.loads(run(db, "show", str(other), "--json").stdout)["text"]
    assert rows[other]["text"] == expected and "\n" in expected


@pytest.mark.parametrize(("umask", "mode"), [("027", 0o640), ("022", 0o644)])
def test_export_file_gets_the_umask(db: str, tmp_path: Path, umask: str, mode: int) -> None:
    target = tmp_path / "out.jsonl"
    command = (f'umask {umask} && exec "$0" -m catalog --db "$1" export -o "$2"')
    result = subprocess.run(["sh", "-c", command, sys.executable, str(db), str(target)],
                            capture_output=True, cwd=ROOT, check=False)
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(target.stat().st_mode) == mode


def test_overwritten_export_keeps_its_permissions(db: str, tmp_path: Path) -> None:
    target = tmp_path / "private.jsonl"
    target.write_text("old", "utf-8")
    target.chmod(0o640)
    run(db, "export", "-o", str(target), "--force")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640 and target.read_text() != "old"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_export_to_a_full_device_is_one_error_line(db: str) -> None:
    result = run(db, "export", "-o", "/dev/full", ok=False)
    assert result.returncode == 1
    assert result.stderr.decode() == "error: /dev/full: No space left on device\n"
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)  # written to, never replaced


def _limit_file_size() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (256 * 1024, 256 * 1024))


def test_export_over_the_file_size_limit_leaves_nothing(tmp_path: Path) -> None:
    db = ingest(tmp_path)
    big = tmp_path / "big"
    big.mkdir()
    (big / "long.txt").write_text("Title: Long\n\n" + "word " * 200_000, "utf-8")
    run(db, "ingest", str(big))
    out = tmp_path / "exports"
    out.mkdir()
    target = out / "all.jsonl"
    result = run(db, "export", "-o", str(target), ok=False, preexec_fn=_limit_file_size)
    assert result.returncode == 1  # not killed by SIGXFSZ
    assert result.stderr.decode() == f"error: {target}: File too large\n"
    assert list(out.iterdir()) == []


@pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="no SIGXFSZ here")
def test_size_signal_is_ignored_only_while_writing() -> None:
    from catalog.export.files import _no_size_signal

    before = signal.signal(signal.SIGXFSZ, signal.SIG_DFL)  # as a host may leave it
    try:
        with _no_size_signal():
            assert signal.getsignal(signal.SIGXFSZ) == signal.SIG_IGN
        assert signal.getsignal(signal.SIGXFSZ) == signal.SIG_DFL
    finally:
        signal.signal(signal.SIGXFSZ, before)


def test_export_error_names_the_path_escaped(db: str, tmp_path: Path) -> None:
    target = tmp_path / "no\x1b[2Jdir" / "out.jsonl"
    result = run(db, "export", "-o", str(target), ok=False)
    assert result.returncode == 1 and ESC not in result.stderr
    assert result.stderr.decode() == (f"error: {tmp_path}/no\\x1b[2Jdir/out.jsonl: "
                                      "No such file or directory\n")
