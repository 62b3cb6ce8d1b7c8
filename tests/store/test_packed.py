"""Chapter text compressed on SQLite where that is smaller, read back as it was written by
every path that reads it: show, export, the full-text index, db check and reindex."""

from __future__ import annotations

import json
import sqlite3
import zlib
from pathlib import Path
from typing import Any

from catalog.store.packed import pack, unpack
from tests.conftest import Cli, sqlite_only
from tests.factories import make_work

PROSE = " ".join(f"Willow read the {n}th page of the grimoire twice, and then again."
                 for n in range(400))


def test_pack_keeps_every_text_and_only_packs_what_it_shrinks() -> None:
    for text in ("", "short", "ü" * 600, PROSE, "\x00\ud7ff" * 300):
        assert unpack(pack(text)) == text
    assert isinstance(pack(PROSE), bytes) and len(pack(PROSE)) < len(PROSE) / 3
    assert pack("short") == "short"


def test_pack_writes_zstandard_and_reads_the_zlib_of_earlier_catalogues() -> None:
    """Earlier versions deflated with zlib; those rows stay readable beside newer ones."""
    packed = pack(PROSE)
    assert isinstance(packed, bytes) and packed.startswith(b"\x28\xb5\x2f\xfd")
    assert unpack(zlib.compress(PROSE.encode("utf-8"), 1)) == PROSE


def _catalogue(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "long.txt").write_text(make_work(PROSE, title="Long"), "utf-8")
    (tmp_path / "s" / "short.txt").write_text(make_work("Dawn hid.", title="Short"), "utf-8")
    cli("ingest", str(tmp_path / "s"))


def test_every_reader_of_the_text_sees_it_whole(cli: Cli, tmp_path: Path) -> None:
    _catalogue(cli, tmp_path)
    long_id = cli.ids("title:long")[0]
    assert cli("show", str(long_id), "--text", "--no-pager").stdout.split() == PROSE.split()
    [record] = [r for r in json.loads(cli("export", "--format", "json").stdout)
                if r["title"] == "Long"]
    assert record["text"].strip() == PROSE
    assert cli.ids("grimoire") == [long_id] and cli.ids("dawn") != []
    assert cli("db", "check").stdout.rstrip().endswith("no problems")
    cli("db", "reindex")
    assert cli.ids("grimoire") == [long_id]


@sqlite_only
def test_text_packed_with_zlib_reads_everywhere(cli: Cli, db_path: Any, tmp_path: Path) -> None:
    """A catalogue whose texts an earlier version deflated: show, export, search after a
    reindex and db check all see the text."""
    _catalogue(cli, tmp_path)
    con = sqlite3.connect(db_path)
    con.execute("UPDATE chapters SET text = ? WHERE typeof(text) = 'blob'",
                (zlib.compress(PROSE.encode("utf-8"), 1),))
    con.commit()
    con.close()
    long_id = cli.ids("title:long")[0]
    assert cli("show", str(long_id), "--text", "--no-pager").stdout.split() == PROSE.split()
    assert PROSE in cli("export", "--format", "jsonl").stdout
    cli("db", "reindex")
    assert cli.ids("grimoire") == [long_id]
    assert cli("db", "check").stdout.rstrip().endswith("no problems")


@sqlite_only
def test_sqlite_stores_the_long_text_deflated(cli: Cli, db_path: Any, tmp_path: Path) -> None:
    _catalogue(cli, tmp_path)
    con = sqlite3.connect(db_path)
    stored = dict(con.execute("SELECT w.title, typeof(c.text) || ':' || length(c.text) "
                              "FROM chapters c JOIN works w ON w.id = c.work_id").fetchall())
    con.close()
    kind, size = stored["Long"].split(":")
    assert kind == "blob" and int(size) < len(PROSE.encode()) / 3
    assert stored["Short"].startswith("text:")


def test_a_file_packed_by_the_workers_is_unchanged_when_read_again(cli: Cli,
                                                                   tmp_path: Path) -> None:
    """The deflated text made where files are parsed is no part of what the file says:
    ingesting the same files again (in workers, then in this process) changes nothing."""
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(60):  # enough for the parsing workers
        (folder / f"{n}.txt").write_text(make_work(PROSE + f" {n}.", title=f"T{n}"), "utf-8")
    cli("ingest", str(folder))
    assert "unchanged 60" in cli("ingest", str(folder)).stderr
    assert "unchanged 60" in cli("ingest", "-j", "1", str(folder)).stderr
