"""A fresh catalogue's cost: `catalog --db NEW ingest one.txt` against the same command into
an existing catalogue, as whole processes (paired, median of --runs), and the time
`Catalogue(NEW).engine` takes inside a process that has already opened a catalogue (its
imports and database driver loaded): creating the schema, the fixed vocabularies and the
shipped one. On SQLite, and on PostgreSQL with --postgres or $CATALOG_TEST_DB_URL (`make
bench` runs it under .ci/with-postgres). Rows replace their namesakes (same measure,
backend and n) in bench/results.json; RESULTS.md is rewritten."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from generate import write_corpus  # noqa: E402
from scale import (  # noqa: E402
    ENV,
    Result,
    measure,
    replace_rows,
    run_process,
)
from sqlalchemy import create_engine, make_url, text  # noqa: E402

EXE = str(Path(sys.executable).with_name("catalog"))
WORDS = 4_000
# Times Catalogue(NEW).engine after opening EXISTING (imports and driver loaded first).
PROBE = """
import json, sys, time
from catalog.catalogue import Catalogue
times = {}
for label, url in (("existing", sys.argv[1]), ("new", sys.argv[2])):
    start = time.perf_counter()
    lib = Catalogue(url)
    with lib.connect() as conn:
        pass
    times[label] = time.perf_counter() - start
    lib.dispose()
print(json.dumps(times))
"""


class Databases:
    """New, empty catalogues: files in a folder, or databases on a PostgreSQL server."""

    def __init__(self, folder: Path, server: str | None) -> None:
        self.folder, self.server = folder, server
        self.admin = create_engine(server, isolation_level="AUTOCOMMIT") if server else None
        self.made: list[str] = []

    def new(self) -> str:
        name = f"bench_fresh_{uuid.uuid4().hex[:10]}"
        if self.admin is None:
            return str(self.folder / f"{name}.db")
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        self.made.append(name)
        return make_url(self.server or "").set(database=name).render_as_string(
            hide_password=False)

    def drop(self) -> None:
        if self.admin is None:
            return
        with self.admin.connect() as conn:
            for name in self.made:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()


@contextmanager
def databases(folder: Path, server: str | None) -> Iterator[Databases]:
    made = Databases(folder, server)
    try:
        yield made
    finally:
        made.drop()


def ingest(url: str, story: Path) -> tuple[float, float]:
    return run_process([EXE, "--db", url, "ingest", str(story)])


def probe(existing: str, new: str) -> dict[str, float]:
    done = subprocess.run([sys.executable, "-c", PROBE, existing, new], capture_output=True,
                          text=True, env=ENV, check=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def measure_backend(backend: str, dbs: Databases, stories: list[Path],
                    runs: int) -> list[Result]:
    existing = dbs.new()
    ingest(existing, stories[-1])
    new_times, old_times, extra, peaks, ready = [], [], [], [], []
    for story in stories[:runs]:
        new_seconds, new_peak = ingest(dbs.new(), story)
        old_seconds, _ = ingest(existing, story)
        new_times.append(new_seconds)
        old_times.append(old_seconds)
        extra.append(new_seconds - old_seconds)
        peaks.append(new_peak)
        ready.append(probe(existing, dbs.new()))
    words = f"one {WORDS:,}-word text file"
    return [
        measure("fresh catalogue ready", backend, 0, [r["new"] for r in ready],
                note="Catalogue(NEW).engine in a process that opened a catalogue first: "
                     "schema, fixed and shipped vocabularies; opening the existing one "
                     f"took {1000 * sorted(r['existing'] for r in ready)[runs // 2]:.0f} ms"),
        measure("fresh catalogue ready: process over an existing catalogue", backend, 0,
                extra, note=f"paired differences of the two rows below ({words})"),
        measure("fresh catalogue: catalog ingest, new catalogue (process)", backend, 0,
                new_times, max(peaks), note=words),
        measure("fresh catalogue: catalog ingest, existing catalogue (process)", backend, 1,
                old_times, note=words),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--postgres", default=os.environ.get("CATALOG_TEST_DB_URL"),
                        help="a PostgreSQL server URL (its maintenance database)")
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--out", type=Path, default=BENCH / "results.json")
    parser.add_argument("--markdown", type=Path, default=BENCH / "RESULTS.md")
    args = parser.parse_args()
    servers = {"sqlite": None}
    if args.postgres and not args.sqlite_only:
        servers["postgresql"] = args.postgres
    rows: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="catalog-fresh-") as tmp:
        corpus = write_corpus(Path(tmp) / "stories", args.runs + 1, words=WORDS, fmt="text")
        stories = sorted(p for folder in corpus.dirs for p in folder.iterdir())
        for backend, server in servers.items():
            with databases(Path(tmp), server) as dbs:
                rows += measure_backend(backend, dbs, stories, args.runs)
    replace_rows(rows, args.out, args.markdown)
    for r in rows:
        peak = "" if r["peak_mb"] is None else f"  peak {r['peak_mb']:,.0f} MB"
        print(f"{r['backend']:10} {r['median_s'] * 1000:8.1f} ms "
              f"({r['min_s'] * 1000:.0f}–{r['max_s'] * 1000:.0f}){peak}  {r['measure']}")


if __name__ == "__main__":
    main()
