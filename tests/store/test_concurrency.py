"""Several `catalog ingest` processes on one catalogue (a SQLite file, or the PostgreSQL test
server under `make test-postgres`): no errors, nothing lost or doubled."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from catalog.catalogue import Catalogue
from catalog.store.models import Tag, Work
from tests.conftest import new_database


def test_parallel_ingests_into_a_new_catalogue(tmp_path: Path) -> None:
    """Three processes, each with its own batch and all with one shared folder: every
    story lands once, the shared tag exists once, the schema is migrated once."""
    db = new_database(tmp_path / "shared.db")
    dirs = []
    for p in range(3):
        d = tmp_path / f"batch{p}"
        d.mkdir()
        for i in range(40):
            (d / f"s{i}.txt").write_text(f"Title: B{p} S{i}\nTags: Common, Batch {p}\n\n"
                                         f"Story {p} {i} text.\n", "utf-8")
        dirs.append(d)
    shared = tmp_path / "shared"
    shared.mkdir()
    for i in range(20):
        (shared / f"x{i}.txt").write_text(f"Title: X{i}\nTags: Common\n\nShared {i}.\n",
                                          "utf-8")
    exe = Path(sys.executable).parent / "catalog"
    env = {**os.environ, "CATALOG_DB": db}
    procs = [subprocess.Popen([exe, "ingest", str(d), str(shared)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for d in dirs]
    results = [(p.wait(timeout=120), *p.communicate()) for p in procs]
    for code, _, err in results:
        assert code == 0, err
        assert "failed 0" in err, err  # the summary: on stderr, stdout being a pipe
    assert sum(int(err.split("ingested ")[1].split()[0]) for _, _, err in results) == 140
    lib = Catalogue(db)
    with lib.session() as s:
        assert s.scalar(select(func.count()).select_from(Work)) == 140
        assert s.scalar(select(func.count(func.distinct(Work.source)))) == 140
        assert s.scalar(select(func.count()).select_from(Tag).where(Tag.name == "Common")) == 1
    with lib.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM alembic_version").scalar() == 1
    lib.dispose()
