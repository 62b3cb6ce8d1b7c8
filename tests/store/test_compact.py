"""`catalog db compact`: texts stored before ingest packed them (plain, or with an earlier
version's zlib) are packed as ingest packs them now, and the file gives the space back;
every reader still sees each text whole."""

from __future__ import annotations

import json
import sqlite3
import zlib
from pathlib import Path
from typing import Any

from catalog.store.packed import ZSTD_MAGIC, unpack
from tests.conftest import POSTGRES, Cli, sqlite_only
from tests.factories import make_work

PROSE = " ".join(f"Tara turned the {n}th card over, and the tower came up again."
                 for n in range(400))


def _stored(db_path: Any) -> dict[str, bytes | str]:
    con = sqlite3.connect(db_path)
    rows = dict(con.execute("SELECT w.title, c.text FROM chapters c "
                            "JOIN works w ON w.id = c.work_id").fetchall())
    con.close()
    return rows


def _unpacked_catalogue(cli: Cli, db_path: Any, tmp_path: Path) -> None:
    """Twelve long texts as an older catalogue stored them: eight plain, four with zlib;
    and one short text, which stays plain."""
    folder = tmp_path / "s"
    folder.mkdir()
    for n in range(12):
        (folder / f"{n}.txt").write_text(make_work(f"{PROSE} {n}.", title=f"T{n}"), "utf-8")
    (folder / "short.txt").write_text(make_work("Dawn hid.", title="Short"), "utf-8")
    cli("ingest", str(folder))
    con = sqlite3.connect(db_path)
    for chapter_id, text in con.execute("SELECT id, text FROM chapters").fetchall():
        plain = unpack(text)
        old = zlib.compress(plain.encode("utf-8"), 1) if chapter_id % 3 == 0 else plain
        con.execute("UPDATE chapters SET text = ? WHERE id = ?", (old, chapter_id))
    con.commit()
    con.execute("VACUUM")
    con.close()


@sqlite_only
def test_compact_packs_old_texts_and_gives_the_space_back(cli: Cli, db_path: Any,
                                                          tmp_path: Path) -> None:
    _unpacked_catalogue(cli, db_path, tmp_path)
    before = Path(db_path).stat().st_size
    plain = sum(len(v) for v in _stored(db_path).values() if isinstance(v, str))
    out = cli("db", "compact").stdout
    assert out.startswith("packed 12 chapters; ") and "MB ->" in out
    stored = _stored(db_path)
    assert all(isinstance(v, bytes) and v.startswith(ZSTD_MAGIC)
               for k, v in stored.items() if k != "Short")
    assert stored["Short"] == "Dawn hid.\n"
    assert before - Path(db_path).stat().st_size > plain / 2  # the plain texts' pages freed
    assert cli("db", "compact").stdout.startswith("packed 0 chapters; ")


@sqlite_only
def test_every_reader_sees_the_compacted_texts_whole(cli: Cli, db_path: Any,
                                                     tmp_path: Path) -> None:
    _unpacked_catalogue(cli, db_path, tmp_path)
    cli("db", "compact")
    records = {r["title"]: r["text"] for r in json.loads(cli("export", "--format",
                                                             "json").stdout)}
    assert records["T7"].strip() == f"{PROSE} 7."
    [work_id] = cli.ids("title:T3")
    assert cli("show", str(work_id), "--text", "--no-pager").stdout.split()[-1] == "3."
    assert "unchanged 13" in cli("ingest", str(tmp_path / "s")).stderr
    assert cli("db", "check").stdout.rstrip().endswith("no problems")
    cli("db", "reindex")
    assert len(cli.ids("tower")) == 12


def test_compact_says_what_it_does_on_either_backend(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(make_work(PROSE, title="A"), "utf-8")
    cli("ingest", str(tmp_path / "a.txt"))
    out = cli("db", "compact").stdout
    if POSTGRES:
        assert "PostgreSQL compresses stored text itself" in out
    else:
        assert out.startswith("packed 0 chapters; ")  # ingest packed it already
    assert "catalog db compact" in cli("db", "compact", "--help").stdout
