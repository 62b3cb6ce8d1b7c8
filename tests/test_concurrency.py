"""Several `catalog ingest` processes on one SQLite file: no errors, nothing lost or doubled."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path


def test_parallel_ingests_into_a_new_catalogue(tmp_path: Path) -> None:
    db = tmp_path / "shared.db"
    dirs = []
    for p in range(3):
        d = tmp_path / f"batch{p}"
        d.mkdir()
        for i in range(40):
            (d / f"s{i}.txt").write_text(f"Title: B{p} S{i}\nTags: Common, Batch {p}\n\n"
                                         f"Story {p} {i} text.\n", "utf-8")
        dirs.append(d)
    exe = Path(sys.executable).parent / "catalog"
    env = {**os.environ, "CATALOG_DB": str(db)}
    procs = [subprocess.Popen([exe, "ingest", str(d)], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for d in dirs]
    results = [(p.wait(timeout=120), *p.communicate()) for p in procs]
    for code, out, err in results:
        assert code == 0, err
        assert "ingested 40 ·" in out and "failed 0" in out
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM works").fetchone()[0] == 120
    assert con.execute("SELECT count(*) FROM tags WHERE name = 'Common'").fetchone()[0] == 1
    assert con.execute("SELECT count(*) FROM alembic_version").fetchone()[0] == 1
