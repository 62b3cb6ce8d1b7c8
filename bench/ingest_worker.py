"""Ingest paths into a fresh catalogue in a process of its own, and report what it cost.

Why a separate process: peak memory (`ru_maxrss`) is a high-water mark for the whole
process, so the only honest figure for "what does an ingest of N works need" is a process
that does nothing else. The timed region is the library call itself (`ingest(...)`), not
interpreter start-up or the schema migration, so works/s matches an in-process call.

    python bench/ingest_worker.py --db /tmp/x.db DIR [DIR ...]       # prints one JSON object
    python bench/ingest_worker.py --db /tmp/x.db --profile out.prof DIR

With `--profile`, the ingest runs under cProfile, the stats are saved to the given file and
the top functions are printed to stderr (timings are then inflated by the profiler).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections import Counter
from pathlib import Path

MAX_SIZE = 64 * 2**20


def _maxrss_kb(who: int = resource.RUSAGE_SELF) -> int:
    """Peak resident set size of this process (or its largest finished child, the parsing
    workers) so far, in KiB (Linux reports KiB)."""
    peak = resource.getrusage(who).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak


def run_ingest(db: Path, paths: list[str]) -> Counter[str]:
    """Ingest `paths` with default options, as `catalog ingest` does; count the outcomes."""
    from catalog.catalogue import Catalogue
    from catalog.ingest.pipeline import IngestSettings, ingest
    from catalog.ingest.resolve import IngestOptions

    lib = Catalogue(f"sqlite:///{db.resolve()}", write=True)
    settings = IngestSettings(options=IngestOptions(), max_size=MAX_SIZE)
    statuses: Counter[str] = Counter()
    for report in ingest(lib.session, paths, settings):
        statuses[report.status] += 1
    lib.engine.dispose()
    return statuses


def prepare(db: Path) -> None:
    """Import everything and migrate the schema, so neither is in the timed region."""
    from catalog.catalogue import Catalogue
    from catalog.ingest.readers import get_reader
    from catalog.ingest.readers.markdown import render

    get_reader("text")
    render("warm *up*")
    lib = Catalogue(f"sqlite:///{db.resolve()}", write=True)
    with lib.session():
        pass
    lib.engine.dispose()


def profile(db: Path, paths: list[str], out: Path, top: int = 25) -> None:
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.runcall(run_ingest, db, paths)
    profiler.dump_stats(out)
    for key in ("tottime", "cumulative"):
        print(f"--- top {top} by {key} ---", file=sys.stderr)
        pstats.Stats(profiler, stream=sys.stderr).sort_stats(key).print_stats(top)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--profile", type=Path, help="run under cProfile, save stats here")
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args()
    prepare(args.db)
    baseline = _maxrss_kb()
    if args.profile:
        profile(args.db, args.paths, args.profile)
        return
    start = time.perf_counter()
    statuses = run_ingest(args.db, args.paths)
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "statuses": dict(statuses),
                      "rss_baseline_kb": baseline, "rss_peak_kb": _maxrss_kb(),
                      "rss_worker_peak_kb": _maxrss_kb(resource.RUSAGE_CHILDREN)}))


if __name__ == "__main__":
    main()
