"""The catalogue's benchmark, in one command: `make bench` (or `python bench/run.py`).

It generates a deterministic AO3-shaped corpus (bench/generate.py) in a temporary directory,
ingests it into a fresh SQLite catalogue and measures what a user waits for: ingest
throughput and memory, word counting, `list` latency (in-process and as a whole CLI
process), export, and the database's size. Figures are printed as a table and written to
bench/out/results.json (gitignored) so runs can be compared.

Cheap steps are repeated `--runs` times and reported as median (min–max); the ingest is one
run (it is the expensive step, and a second ingest of the same files would measure the
`unchanged` path instead). See bench/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import calibre_compare as calibre
from generate import DEFAULT_SEED, UNITS_PER_DIR, Corpus, write_corpus
from rich.console import Console
from rich.table import Table

BENCH = Path(__file__).resolve().parent
OUT = BENCH / "out"
MB = 1e6
TEXT_WORDS = 4_000  # the ingest target is stated for text files this long
T = TypeVar("T")
log = Console(stderr=True)


# --- collecting figures -----------------------------------------------------------------


@dataclass
class Figure:
    """One number the benchmark reports; `low`/`high` are min/max over `runs` runs."""

    section: str
    name: str
    value: float
    unit: str
    low: float | None = None
    high: float | None = None
    runs: int = 1
    note: str = ""


@dataclass
class Report:
    """All figures plus the context needed to compare two runs (machine, versions, sizes)."""

    meta: dict[str, Any] = field(default_factory=dict)
    figures: list[Figure] = field(default_factory=list)

    def add(self, section: str, name: str, value: float, unit: str, note: str = "") -> None:
        self.figures.append(Figure(section, name, value, unit, note=note))

    def timed(self, section: str, name: str, seconds: list[float], unit: str = "ms",
              note: str = "") -> None:
        """Median (min–max) of repeated timings, in ms or s."""
        scale = 1000.0 if unit == "ms" else 1.0
        values = [s * scale for s in seconds]
        self.figures.append(Figure(section, name, statistics.median(values), unit,
                                   min(values), max(values), len(values), note))

    def rate(self, section: str, name: str, amount: float, seconds: list[float], unit: str,
             note: str = "") -> None:
        """Throughput `amount / time`: median (min–max) over the runs."""
        rates = [amount / s for s in seconds]
        low, high = (min(rates), max(rates)) if len(rates) > 1 else (None, None)
        self.figures.append(Figure(section, name, statistics.median(rates), unit, low, high,
                                   len(rates), note))

    def as_json(self) -> dict[str, Any]:
        return {"meta": self.meta, "figures": [asdict(f) for f in self.figures]}


def repeat(fn: Callable[[], T], runs: int) -> tuple[list[float], T]:
    """Wall times of `runs` calls of fn, and the last result."""
    times: list[float] = []
    result: T | None = None
    for _ in range(max(1, runs)):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return times, result  # type: ignore[return-value]


# --- steps ------------------------------------------------------------------------------


def step_generate(report: Report, root: Path, works: int, seed: int) -> Corpus:
    log.print(f"[bold]generate[/] {works:,} works (seed {seed}) → {root}")
    (seconds,), corpus = repeat(lambda: write_corpus(root, works, seed), 1)
    s = "corpus"
    report.add(s, "works", works, "works", ", ".join(f"{k} {v}" for k, v in
                                                      sorted(corpus.formats.items())))
    report.add(s, "files", corpus.files, "files", "a sidecar pair is two files")
    report.add(s, "size", corpus.bytes / MB, "MB", f"{corpus.bytes / works / 1000:.1f} kB/work")
    report.add(s, "generation time", seconds, "s", f"{corpus.bytes / MB / seconds:.0f} MB/s")
    report.meta["corpus"] = corpus.summary()
    return corpus


def ingest_process(db: Path, paths: list[Path], profile: Path | None = None) -> dict[str, Any]:
    """Run bench/ingest_worker.py on `paths` into `db`; its JSON report (or {} if profiling)."""
    argv = [sys.executable, str(BENCH / "ingest_worker.py"), "--db", str(db)]
    if profile:
        argv += ["--profile", str(profile)]
    done = subprocess.run(argv + [str(p) for p in paths], check=True,
                          stdout=subprocess.PIPE, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1]) if not profile else {}


class Steal:
    """The share of CPU time the hypervisor gave to other machines while a step ran (Linux's
    `steal` in /proc/stat): on a shared virtual machine it moves figures by tens of per
    cent, so each ingest figure says how much there was."""

    def __init__(self) -> None:
        self.start = self._ticks()

    @staticmethod
    def _ticks() -> tuple[int, int] | None:
        try:
            fields = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
        except (OSError, ValueError):
            return None
        return (fields[7] if len(fields) > 7 else 0), sum(fields[:8])

    def note(self) -> str:
        end = self._ticks()
        if self.start is None or end is None or end[1] == self.start[1]:
            return ""
        share = (end[0] - self.start[0]) / (end[1] - self.start[1])
        return f", CPU steal {share:.0%}"


def step_ingest(report: Report, corpus: Corpus, db: Path) -> dict[str, Any]:
    log.print(f"[bold]ingest[/] {corpus.works:,} works → {db}")
    steal = Steal()
    result = ingest_process(db, [corpus.root])
    seconds, statuses = result["seconds"], result["statuses"]
    s = "ingest"
    note = f"1 run, fresh SQLite file, in-process API call timed{steal.note()}"
    report.add(s, "time", seconds, "s", note)
    report.add(s, "works/s", statuses.get("ingested", 0) / seconds, "works/s",
               ", ".join(f"{k} {v}" for k, v in sorted(statuses.items())))
    report.add(s, "MB/s", corpus.bytes / MB / seconds, "MB/s", "file bytes read per second")
    report.add(s, "RSS before ingest", result["rss_baseline_kb"] / 1024, "MiB",
               "imports + schema migration")
    report.add(s, f"peak RSS, {corpus.works:,} works", result["rss_peak_kb"] / 1024, "MiB",
               "ru_maxrss of the ingest process")
    if result.get("rss_worker_peak_kb"):
        report.add(s, "peak RSS of a parsing worker", result["rss_worker_peak_kb"] / 1024,
                   "MiB", "ru_maxrss of the largest worker process")
    if statuses.get("ingested", 0) != corpus.works:
        log.print(f"[yellow]warning:[/] not every work was ingested: {statuses}")
    return result


def step_text_ingest(report: Report, corpus: Corpus, tmp: Path) -> None:
    """The issue's own case: plain text files of about 4,000 words, nothing else."""
    files = calibre.text_files(corpus.root)
    folder = calibre.linked(files, tmp / "texts")
    log.print(f"[bold]ingest[/] {len(files):,} plain text files only")
    steal = Steal()
    result = ingest_process(tmp / "texts.db", [folder])
    seconds, done = result["seconds"], result["statuses"].get("ingested", 0)
    size = sum(f.stat().st_size for f in files)
    report.add("ingest", "text files only: works/s", done / seconds, "works/s",
               f"{done:,} plain text files, {size / len(files) / 1000:.1f} kB each, "
               f"{seconds:.1f} s{steal.note()}")


def step_fixed_texts(report: Report, tmp: Path, count: int, seed: int, runs: int) -> Path:
    """The issue's target case: plain text files of 4,000 words each (the mixed corpus's
    lengths are lognormal, its mean twice the median). Each run is a fresh catalogue."""
    root = tmp / f"texts-{TEXT_WORDS}"
    corpus = write_corpus(root, count, seed, words=TEXT_WORDS, fmt="text")
    log.print(f"[bold]ingest[/] {count:,} plain text files of {TEXT_WORDS:,} words, "
              f"{runs} run(s)")
    seconds, steal = [], Steal()
    for run in range(runs):
        result = ingest_process(tmp / f"texts-{TEXT_WORDS}-{run}.db", [root])
        if result["statuses"].get("ingested", 0) != count:
            log.print(f"[yellow]warning:[/] not every file was ingested: {result['statuses']}")
        seconds.append(result["seconds"])
    note = (f"{count:,} files, {corpus.bytes / count / 1000:.1f} kB each, fresh SQLite file"
            f"{steal.note()}")
    report.rate("ingest", f"{TEXT_WORDS:,}-word text files: works/s", count, seconds,
                "works/s", note)
    report.rate("ingest", f"{TEXT_WORDS:,}-word text files: MB/s", corpus.bytes / MB, seconds,
                "MB/s", "file bytes read per second")
    return root


def step_calibre(report: Report, root: Path, tmp: Path, runs: int) -> None:
    if not calibre.available():
        log.print("[yellow]calibre[/] calibredb is not installed: no comparison "
                  "(apt-get install calibre)")
        return
    files = calibre.text_files(root, calibre.FILES)
    log.print(f"[bold]calibre[/] the same {len(files):,} text files in calibre and here")
    calibre.compare(files, tmp, runs, catalog_command(), calibre.ENV, report.add)


def step_memory(report: Report, corpus: Corpus, tmp: Path, full: dict[str, Any]) -> None:
    """Peak RSS of a small ingest against the full one: flat memory means no per-work growth."""
    small = min(1000, max(100, corpus.works // 5))
    paths = corpus.subset(small)
    count = min(corpus.works, len(paths) * UNITS_PER_DIR)
    if count >= corpus.works:
        return
    log.print(f"[bold]memory[/] ingest of the first {count:,} works for comparison")
    result = ingest_process(tmp / f"subset-{count}.db", paths)
    peak_small, peak_full = result["rss_peak_kb"] / 1024, full["rss_peak_kb"] / 1024
    report.add("ingest", f"peak RSS, {count:,} works", peak_small, "MiB",
               f"{count / result['seconds']:.0f} works/s")
    report.add("ingest", f"peak RSS growth {count:,} → {corpus.works:,} works",
               peak_full - peak_small, "MiB", f"× {peak_full / peak_small:.2f}")


def story_texts(corpus: Corpus, limit_bytes: int) -> Iterator[str]:
    """Story files (.txt and .md, headers included) in corpus order, up to limit_bytes."""
    total = 0
    for folder in corpus.dirs:
        for path in sorted(folder.iterdir()):
            if path.suffix not in (".txt", ".md"):
                continue
            data = path.read_bytes()
            total += len(data)
            yield data.decode("utf-8")
            if total >= limit_bytes:
                return


def step_wordcount(report: Report, corpus: Corpus, runs: int, sample_mb: float) -> None:
    from catalog.wordcount import count_text

    texts = list(story_texts(corpus, int(sample_mb * MB)))
    size = sum(len(t.encode("utf-8")) for t in texts)
    log.print(f"[bold]word count[/] count_text over {len(texts):,} files, {size / MB:.0f} MB")
    times, words = repeat(lambda: sum(count_text(t) for t in texts), runs)
    note = f"{len(texts):,} story files, {size / MB:.0f} MB" + (
        " (a sample)" if size < corpus.bytes * 0.9 else "")
    report.rate("word count", "count_text MB/s", size / MB, times, "MB/s", note)
    report.rate("word count", "count_text words/s", words / 1e6, times, "M words/s",
                f"{words:,} words")


@dataclass(frozen=True)
class Query:
    """A `list` query as the library takes it and as the command line spells it."""

    label: str
    text: str
    limit: int | None = None
    offset: int = 0

    def build(self) -> Any:
        from catalog.query.compiler import Query as Compiled
        from catalog.query.language import parse

        parsed = parse(self.text)
        return Compiled(where=parsed.where, sort=parsed.sort or "id", limit=self.limit,
                        offset=self.offset)

    @property
    def argv(self) -> list[str]:
        window = (["--limit", str(self.limit)] if self.limit is not None else []) + (
            ["--offset", str(self.offset)] if self.offset else [])
        return [self.text, *window] if self.text else window


def queries(corpus: Corpus) -> list[Query]:
    """Typical `list` calls aimed at the corpus's own popular and rare tags."""
    fandom = corpus.top("fandom", 1)[0]
    character = corpus.top("character", 1)[0]
    t1, t2, t3 = corpus.top("freeform", 3)
    rare = corpus.rare()
    offset = 5000 if corpus.works >= 5050 else corpus.works // 2
    return [
        Query("popular fandom (all ids)", f'fandom:"{fandom}"'),
        Query("popular character (all ids)", f'character:"{character}"'),
        Query("2 tags, −1 tag, rating, words, -updated, 50",
              f'tag:"{t1}" tag:"{t2}" -tag:"{t3}" rating:mature words:1000..20000 '
              "sort:-updated", limit=50),
        Query("rare tag", f'tag:"{rare}"'),
        Query(f"offset {offset:,}, limit 50, -updated", "sort:-updated", limit=50,
              offset=offset),
    ]


def step_list(report: Report, db: Path, qs: list[Query], runs: int) -> dict[str, int]:
    """In-process `work_ids` latency, warm (each query is run once untimed first)."""
    from catalog.catalogue import Catalogue
    from catalog.export.records import build
    from catalog.query.compiler import work_ids

    log.print("[bold]list[/] in-process queries")
    lib = Catalogue(f"sqlite:///{db}")
    found: dict[str, int] = {}
    with lib.session() as session:
        for q in qs:
            ids = session.scalars(work_ids(session, q.build())).all()
            times, ids = repeat(
                lambda q=q: session.scalars(work_ids(session, q.build())).all(), runs)
            found[q.label] = len(ids)
            report.timed("list (in-process)", q.label, times, note=_ids(len(ids)))
        page = session.scalars(work_ids(session, qs[0].build()).limit(50)).all()
        build(session, page)
        times, _ = repeat(lambda: build(session, page), runs)
        report.timed("list (in-process)", "records for 50 works (table rows)", times,
                     note="export.records.build, what the table shows")
    lib.engine.dispose()
    return found


def _ids(n: int) -> str:
    return f"{n:,} id" + ("" if n == 1 else "s")


def catalog_command() -> list[str]:
    """The installed `catalog` script beside this interpreter, else `python -m catalog`."""
    script = Path(sys.executable).with_name("catalog")
    return [str(script)] if script.exists() else [sys.executable, "-m", "catalog"]


def step_cli(report: Report, db: Path, qs: list[Query], runs: int,
             found: dict[str, int]) -> None:
    """Whole-process wall time, as a user (or a shell pipeline) sees it."""
    log.print("[bold]list[/] as CLI processes")
    base = [*catalog_command(), "--db", str(db)]

    def call(argv: list[str]) -> str:
        return subprocess.run(argv, check=True, capture_output=True, text=True).stdout

    times, _ = repeat(lambda: call([*catalog_command(), "--version"]), runs)
    report.timed("list (CLI process)", "catalog --version (start-up)", times)
    for q in qs:
        argv = [*base, "list", *q.argv, "--format", "ids"]
        times, out = repeat(lambda argv=argv: call(argv), runs)
        n = len(out.split())
        note = _ids(n) + ("" if n == found[q.label] else
                               f" [MISMATCH: in-process {found[q.label]:,}]")
        report.timed("list (CLI process)", q.label, times, note=note)


def step_export(report: Report, db: Path, tmp: Path, works: int, runs: int) -> None:
    from catalog.catalogue import Catalogue
    from catalog.export.formats import write_jsonl
    from catalog.export.records import stream
    from catalog.query.compiler import Query as Compiled
    from catalog.query.compiler import work_ids

    lib = Catalogue(f"sqlite:///{db}")
    target = tmp / "export.jsonl"
    for texts in (False, True):
        label = "with texts" if texts else "without texts"
        log.print(f"[bold]export[/] all works to JSONL {label}")

        def export(texts: bool = texts) -> int:
            with lib.session() as session, target.open("w", encoding="utf-8") as out:
                return write_jsonl(stream(session, work_ids(session, Compiled()), texts=texts),
                                   out)

        times, n = repeat(export, runs)
        size = target.stat().st_size
        report.timed("export", f"JSONL {label}", times, "s",
                     f"{n:,} records, {size / MB:.1f} MB written")
        report.rate("export", f"JSONL {label}, MB/s", size / MB, times, "MB/s")
        report.rate("export", f"JSONL {label}, works/s", works, times, "works/s")
    target.unlink()
    lib.engine.dispose()


def table_sizes(db: Path) -> dict[str, int]:
    """Bytes per table (its indexes included), from SQLite's dbstat table if compiled in."""
    con = sqlite3.connect(db)
    try:
        owner = dict(con.execute("SELECT name, tbl_name FROM sqlite_master"))
        rows = con.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name").fetchall()
    except sqlite3.OperationalError:
        return {}
    finally:
        con.close()
    sizes: dict[str, int] = {}
    for name, size in rows:
        table = owner.get(name, name)
        sizes[table] = sizes.get(table, 0) + size
    return dict(sorted(sizes.items(), key=lambda kv: -kv[1]))


def step_database(report: Report, db: Path, corpus: Corpus) -> None:
    files = [db, db.with_name(db.name + "-wal")]
    size = sum(p.stat().st_size for p in files if p.exists())
    s = "database"
    report.add(s, "size", size / MB, "MB", f"× {size / corpus.bytes:.2f} the corpus")
    report.add(s, "bytes per work", size / corpus.works, "B/work")
    sizes = table_sizes(db)
    for table, tsize in list(sizes.items())[:5]:
        report.add(s, f"  {table} (+ indexes)", tsize / corpus.works, "B/work",
                   f"{tsize / size:.0%} of the file")
    report.meta["table_bytes"] = sizes


def step_profile(corpus: Corpus, tmp: Path) -> None:
    paths = corpus.subset(500)
    OUT.mkdir(exist_ok=True)
    out = OUT / "ingest.prof"
    count = len(paths) * UNITS_PER_DIR
    log.print(f"[bold]profile[/] cProfile of an ingest of {count} works → {out}")
    ingest_process(tmp / "profile.db", paths, profile=out)


# --- output -----------------------------------------------------------------------------


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    if unit in ("works", "files"):
        return f"{value:,.0f}"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if abs(value) >= 100:
        return f"{value:.0f}"
    return f"{value:.1f}" if abs(value) >= 10 else f"{value:.2f}"


def print_table(report: Report) -> None:
    meta = report.meta
    table = Table(title=f"catalog benchmark — {meta['works']:,} works, {meta['runs']} runs, "
                        f"seed {meta['seed']}", title_justify="left")
    for name, justify in (("section", "left"), ("figure", "left"), ("median/value", "right"),
                          ("min", "right"), ("max", "right"), ("unit", "left"),
                          ("runs", "right"), ("note", "left")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    previous = None
    for f in report.figures:
        section = f.section if f.section != previous else ""
        if section and previous is not None:
            table.add_section()
        previous = f.section
        table.add_row(section, f.name, _fmt(f.value, f.unit), _fmt(f.low, f.unit),
                      _fmt(f.high, f.unit), f.unit, str(f.runs), f.note)
    Console(width=max(160, Console().width)).print(table)


def environment(args: argparse.Namespace) -> dict[str, Any]:
    import sqlalchemy

    return {
        "works": args.works, "runs": args.runs, "seed": args.seed,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
        "sqlalchemy": sqlalchemy.__version__, "platform": platform.platform(),
        "machine": platform.machine(), "cpus": _cpus(),
    }


def _cpus() -> int | None:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Benchmark the catalogue on a generated AO3-like corpus.")
    parser.add_argument("--works", type=int, default=10_000, help="corpus size (10000)")
    parser.add_argument("--runs", type=int, default=3,
                        help="repetitions of each cheap step; median (min–max) shown (3)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="corpus seed")
    parser.add_argument("--keep", action="store_true",
                        help="keep the temporary directory (corpus and database)")
    parser.add_argument("--text-files", type=int, default=5_000,
                        help=f"how many {TEXT_WORDS:,}-word text files to ingest (5000)")
    parser.add_argument("--sample-mb", type=float, default=64.0,
                        help="MB of story files the word-count figure counts (64)")
    parser.add_argument("--profile", action="store_true",
                        help="also cProfile an ingest of 500 works (bench/out/ingest.prof)")
    parser.add_argument("--out", type=Path, default=OUT / "results.json",
                        help="where to write the figures as JSON (bench/out/results.json)")
    args = parser.parse_args(argv)
    if args.works < 100 or args.runs < 1 or args.text_files < calibre.FILES:
        parser.error(f"--works must be at least 100, --runs at least 1 and --text-files "
                     f"at least {calibre.FILES:,}")
    return args


def run(args: argparse.Namespace, tmp: Path) -> Report:
    report = Report(meta=environment(args) | {"tmp": str(tmp)})
    corpus = step_generate(report, tmp / "corpus", args.works, args.seed)
    db = tmp / "catalog.db"
    full = step_ingest(report, corpus, db)
    step_memory(report, corpus, tmp, full)
    step_text_ingest(report, corpus, tmp)
    texts = step_fixed_texts(report, tmp, args.text_files, args.seed, args.runs)
    step_wordcount(report, corpus, args.runs, args.sample_mb)
    qs = queries(corpus)
    report.meta["queries"] = {q.label: q.argv for q in qs}
    found = step_list(report, db, qs, args.runs)
    step_cli(report, db, qs, args.runs, found)
    step_export(report, db, tmp, corpus.works, args.runs)
    step_database(report, db, corpus)
    step_calibre(report, texts, tmp, args.runs)
    if args.profile:
        step_profile(corpus, tmp)
    return report


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="catalog-bench-"))
    started = time.perf_counter()
    try:
        report = run(args, tmp)
    finally:
        if args.keep:
            log.print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    report.meta["bench_seconds"] = round(time.perf_counter() - started, 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report.as_json(), indent=2, ensure_ascii=False) + "\n",
                        encoding="utf-8")
    print_table(report)
    log.print(f"figures written to {args.out} (benchmark took {report.meta['bench_seconds']} s)")


if __name__ == "__main__":
    main()
