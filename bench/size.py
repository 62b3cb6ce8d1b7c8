"""Catalogues of 4,000-word text files on SQLite: the ingest as a whole process into a new
catalogue (1,000 and N files, with peak memory) and into an existing one (N more: the
steady state; each N-file ingest runs --runs times, each run into its own catalogue, and
the row is their median), the size against the files with bytes per work by table
(SQLite's dbstat), what reads every stored text back (`show --text`, `export`, `db
reindex`), and, where Debian's calibre is installed, the small ingest paired with `calibredb
add` of the same files (alternating, each into a new catalogue and a new library). With
`--postgres URL` (a server; `.ci/with-postgres` exports one), the same ingest into a new
PostgreSQL catalogue, its size against the files, bytes per work by table, and what TOAST
made of the texts.

    python bench/size.py [--n 10000] [--small 1000] [--runs 3] [--postgres URL]

Rows `size: …` replace their namesakes in bench/results.json; RESULTS.md is rewritten. To
compare two versions, run it from each (PYTHONPATH=OTHER-CHECKOUT python bench/size.py
--out /tmp/before.json --markdown /tmp/before.md).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import calibre_compare as calibre  # noqa: E402
from generate import DEFAULT_SEED, write_corpus  # noqa: E402
from scale import (  # noqa: E402
    Result,
    drop_copy,
    measure,
    replace_rows,
    run_process,
    value_row,
)

EXE = str(Path(sys.executable).with_name("catalog"))
WORDS = 4_000
SHOWN_TABLES = 6  # the largest tables get a row each; the rest one row together


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, default=BENCH / "results.json")
    parser.add_argument("--markdown", type=Path, default=BENCH / "RESULTS.md")
    parser.add_argument("--postgres", default=os.environ.get("CATALOG_TEST_DB_URL"),
                        help="a PostgreSQL server's URL: measure it too")
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--only-postgres", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="catalog-size-") as tmp:
        rows: list[Result] = []
        if not args.only_postgres:
            rows += measure_size(Path(tmp), args.n, args.small, args.runs, args.seed)
        if args.postgres and not args.sqlite_only:
            rows += measure_postgresql(Path(tmp), args.postgres, args.n, args.seed)
    replace_rows(rows, args.out, args.markdown)
    for r in rows:
        shown = (f"{r['median_s'] * 1000:9.1f} ms" if r["median_s"] is not None
                 else f"{r['value']:9,.2f} {r['unit']}")
        print(f"{shown}  {r['measure']}  {r.get('note', '')}")


def measure_size(tmp: Path, n: int, small: int, runs: int, seed: int) -> list[Result]:
    rows = [_ingest(tmp, small, seed, "a new catalogue")[0]]
    rows += _against_calibre(tmp, small, seed, runs)
    row, db, first = _ingest(tmp, n, seed, "a new catalogue", runs=runs)
    rows.append(row)
    row, db, second = _ingest(tmp, n, seed + 1, "an existing catalogue", runs=runs, base=db)
    rows.append(row)
    files = first + second
    stored = _checkpointed(db)
    total = 2 * n
    rows.append(value_row(f"size: database / story files, {total:,} {WORDS:,}-word texts",
                          "sqlite", total, round(stored / files, 3), "×",
                          f"{stored / 1e6:,.1f} MB for {files / 1e6:,.1f} MB of files "
                          f"({files / total / 1000:.1f} kB a file)"))
    tables = _bytes_by_table(db)
    for name, size in tables[:SHOWN_TABLES]:
        rows.append(value_row(f"size: bytes a work, {name}", "sqlite", total,
                              round(size / total, 3), "bytes"))
    others = tables[SHOWN_TABLES:]
    rows.append(value_row("size: bytes a work, every other table and index", "sqlite", total,
                          round(sum(size for _, size in others) / total, 3), "bytes",
                          ", ".join(name for name, _ in others[:4])
                          + (f" and {len(others) - 4} more" if len(others) > 4 else "")))
    for label, argv in (
            ("show --text", ["--db", str(db), "show", "{id}", "--text"]),
            ("export jsonl with texts", ["--db", str(db), "export", "-o",
                                         str(tmp / "out.jsonl"), "--force"]),
            ("db reindex", ["--db", str(db), "db", "reindex"])):
        rows.append(_reads(label, argv, total, runs, db))
    return rows


def _ingest(tmp: Path, n: int, seed: int, into: str, *, runs: int = 1,
            base: Path | None = None) -> tuple[Result, Path, int]:
    """`catalog ingest` of n new files as a process, `runs` times, each into a new
    catalogue or a new copy of `base`: its row (the median; the machine's speed drifts, and
    one run can be a lucky or a slow one), the last catalogue, the files' bytes."""
    corpus = write_corpus(tmp / f"texts-{n}-{seed}", n, seed, words=WORDS, fmt="text")
    times: list[float] = []
    peaks: list[float] = []
    for run in range(runs):
        target = tmp / f"size-{n}-{seed}-{run}.db"
        if run:
            drop_copy(str(tmp / f"size-{n}-{seed}-{run - 1}.db"), "sqlite")  # one on disk
        if base is not None:
            shutil.copyfile(base, target)  # checkpointed when its writer closed: no log
        seconds, peak = run_process([EXE, "--db", str(target), "ingest", str(corpus.root)])
        times.append(seconds)
        peaks.append(peak)
    rate = n / statistics.median(times)
    row = measure(f"size: ingest {n:,} {WORDS:,}-word text files into {into} (process)",
                  "sqlite", n, times, max(peaks),
                  note=f"{rate:,.0f} works/s{f' (median of {runs})' if runs > 1 else ''}; "
                       f"{corpus.bytes / n / 1000:.1f} kB a file")
    return row, target, corpus.bytes


# PostgreSQL's own accounting: each table with its indexes and TOAST, and the chapters'
# texts as written against as stored (pg_column_size is the compressed size).
PG_TABLES = ("SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c "
             "JOIN pg_namespace n ON n.oid = c.relnamespace "
             "WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 2 DESC")
PG_TEXT = "SELECT sum(octet_length(text)), sum(pg_column_size(text)) FROM chapters"


def measure_postgresql(tmp: Path, server: str, n: int, seed: int) -> list[Result]:
    """n new files into a new PostgreSQL catalogue (a process), then its size by table."""
    from sqlalchemy import create_engine, make_url, text

    name = "catalog_size_bench"
    admin = create_engine(make_url(server).set(database="postgres"),
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        conn.execute(text(f"CREATE DATABASE {name}"))
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    corpus = write_corpus(tmp / f"texts-{n}-{seed}", n, seed, words=WORDS, fmt="text")
    seconds, peak = run_process([EXE, "--db", url, "ingest", str(corpus.root)])
    rows = [measure(f"size: ingest {n:,} {WORDS:,}-word text files into a new catalogue "
                    "(process)", "postgresql", n, [seconds], peak,
                    note=f"{n / seconds:,.0f} works/s")]
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("VACUUM ANALYZE"))
        total = int(conn.execute(text("SELECT pg_database_size(current_database())"))
                    .scalar_one())
        by_table = [(str(t), int(b)) for t, b in conn.execute(text(PG_TABLES))]
        written, stored = conn.execute(text(PG_TEXT)).one()
    engine.dispose()
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE {name}"))
    admin.dispose()
    rows.append(value_row(f"size: database / story files, {n:,} {WORDS:,}-word texts",
                          "postgresql", n, round(total / corpus.bytes, 3), "×",
                          f"{total / 1e6:,.1f} MB for {corpus.bytes / 1e6:,.1f} MB of files"))
    rows.append(value_row("size: chapter text as stored / as written (TOAST's pglz)",
                          "postgresql", n, round(int(stored) / int(written), 3), "×",
                          f"{int(stored) / n:,.0f} of {int(written) / n:,.0f} bytes a work"))
    for table, size in by_table[:SHOWN_TABLES]:
        rows.append(value_row(f"size: bytes a work, {table} (with indexes and TOAST)",
                              "postgresql", n, round(size / n, 3), "bytes"))
    rest = by_table[SHOWN_TABLES:]
    rows.append(value_row("size: bytes a work, every other table", "postgresql", n,
                          round(sum(size for _, size in rest) / n, 3), "bytes",
                          ", ".join(t for t, _ in rest[:4])
                          + (f" and {len(rest) - 4} more" if len(rest) > 4 else "")))
    return rows


def _against_calibre(tmp: Path, n: int, seed: int, runs: int) -> list[Result]:
    """`catalog ingest` and `calibredb add -r` of the same n text files, alternating, each
    into a new catalogue or library: calibre's time over ours, per pair."""
    if not calibre.available():
        print("calibredb is not installed: no calibre comparison (apt-get install calibre)")
        return []
    root = tmp / f"texts-{n}-{seed}"  # the corpus _ingest wrote
    ours, theirs = [], []
    for run in range(runs):
        seconds, _ = run_process([EXE, "--db", str(tmp / f"pair-{run}.db"), "ingest",
                                  str(root)])
        ours.append(seconds)
        library = tmp / f"calibre-{run}"
        theirs.append(calibre.wall(["calibredb", "add", "--library-path", str(library), "-r",
                                    str(root)])[0])
        shutil.rmtree(library)
    ratios = sorted(t / o for o, t in zip(ours, theirs, strict=True))
    label = f"{n:,} {WORDS:,}-word text files into a new catalogue"
    return [
        measure(f"size: calibredb add of {label.replace(' into a new catalogue', '')}",
                "sqlite", n, theirs, note=f"{n / min(theirs):,.0f} works/s at best"),
        measure(f"size: catalog ingest of {label}, paired with calibre", "sqlite", n, ours,
                note=f"{n / min(ours):,.0f} works/s at best"),
        value_row("size: calibredb add ÷ catalog ingest, same files", "sqlite", n,
                  round(ratios[len(ratios) // 2], 2), "×",
                  f"{ratios[0]:.1f}–{ratios[-1]:.1f}× over {runs} alternating pairs; "
                  "target ≥ 12×"),
    ]


def _reads(label: str, argv: list[str], n: int, runs: int, db: Path) -> Result:
    """A command that reads every stored text, as a process (`show` for 20 works)."""
    times: list[float] = []
    peaks: list[float] = []
    for _ in range(runs):
        if "{id}" in argv:
            seconds = 0.0
            for work_id in range(1, 21):
                took, peak = run_process([EXE, *(a.replace("{id}", str(work_id))
                                                 for a in argv)])
                seconds += took / 20
            peaks.append(peak)
        else:
            seconds, peak = run_process([EXE, *argv])
            peaks.append(peak)
        times.append(seconds)
    note = "a process per work, mean of 20 works" if "{id}" in argv else "a process"
    return measure(f"size: {label}", "sqlite", n, times, max(peaks), note=note)


def _checkpointed(db: Path) -> int:
    """The database file's size with its write-ahead log folded in."""
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    return db.stat().st_size


def _bytes_by_table(db: Path) -> list[tuple[str, int]]:
    """Bytes of pages per table and index (SQLite's dbstat), largest first."""
    con = sqlite3.connect(db)
    rows = con.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name "
                       "ORDER BY 2 DESC").fetchall()
    con.close()
    return [(str(name), int(size)) for name, size in rows]


if __name__ == "__main__":
    main()
