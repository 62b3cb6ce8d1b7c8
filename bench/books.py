"""Books out: `catalog export --format epub` (and html) of 1,000 works of the cached SQLite
catalogue of 100,000 works, as a process of its own: time, works per second and peak
RSS. Rows replace their namesakes in bench/results.json; RESULTS.md is rewritten."""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from scale import (  # noqa: E402
    Result,
    catalogue,
    catalogue_options,
    measure,
    replace_rows,
    run_process,
)

EXE = str(Path(sys.executable).with_name("catalog"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=3)
    catalogue_options(parser)
    args = parser.parse_args()
    url = catalogue("sqlite", args.n, args.cache, None, args.seed)
    rows: list[Result] = []
    for fmt in ("epub", "html"):
        times, peaks, size = [], [], 0
        for _ in range(args.runs):
            folder = Path(tempfile.mkdtemp(prefix="catalog-books-"))
            try:
                seconds, peak = run_process([EXE, "--db", url, "export",
                                             f"id:1..{args.works}", "--format", fmt,
                                             "-o", str(folder / "books")])
                size = sum(p.stat().st_size for p in (folder / "books").iterdir())
            finally:
                shutil.rmtree(folder)
            times.append(seconds)
            peaks.append(peak)
        best = min(times)
        rows.append(measure(f"export {args.works:,} works as {fmt} (process)", "sqlite",
                            args.n, times, max(peaks),
                            note=f"{args.works / best:,.0f} works/s at best; "
                                 f"{size / args.works / 1000:,.1f} kB a book"))
    replace_rows(rows, args.out, args.markdown)
    for r in rows:
        print(f"{r['median_s']:8.2f} s  peak {r['peak_mb']:,.0f} MB  {r['measure']}  "
              f"{r['note']}")


if __name__ == "__main__":
    main()
