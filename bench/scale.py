"""Query, stats and export figures on large catalogues (100k and 1M works), on SQLite and
PostgreSQL: the part of `make bench` that the file-ingest benchmark cannot reach.

Catalogues are written by `bench/populate.py` (the generator's rows, bulk-inserted) and kept
in `--cache` between runs, since a million works takes a while to write. Each figure is the
median of `--runs` warm runs with min and max; whole `catalog` processes are timed as a
shell would see them, and exports run as processes of their own so that their peak memory
(`ru_maxrss` of that process alone) is honest.

    python bench/scale.py --n 100000 --n 1000000                  # SQLite
    python bench/scale.py --n 100000 --postgres postgresql+psycopg://…/postgres
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from populate import populate  # noqa: E402
from sqlalchemy import func, select, text  # noqa: E402

from catalog.catalogue import CAPTION_CAP, Catalogue  # noqa: E402
from catalog.store import tables  # noqa: E402

Result = dict[str, Any]
# Processes run as installed ones do: with their compiled bytecode.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


@dataclass(frozen=True)
class Q:
    """A `list` call: the query text and the page the table would show."""

    label: str
    text: str
    limit: int = 50
    offset: int = 0

    def argv(self) -> list[str]:
        window = ["--limit", str(self.limit)] + (["--offset", str(self.offset)]
                                                 if self.offset else [])
        return ([self.text] if self.text else []) + window


def measure(label: str, backend: str, n: int, times: list[float], peak_mb: float | None = None,
            note: str = "") -> Result:
    return {"measure": label, "backend": backend, "n": n,
            "median_s": round(statistics.median(times), 6), "min_s": round(min(times), 6),
            "max_s": round(max(times), 6), "peak_mb": peak_mb, "runs": len(times),
            "note": note}


def value_row(label: str, backend: str, n: int, value: float, unit: str | None,
              note: str = "") -> Result:
    """A figure that is not a time (a size, a rate): no median, min or max."""
    return {"measure": label, "backend": backend, "n": n, "median_s": None, "min_s": None,
            "max_s": None, "peak_mb": None, "value": value,
            **({"unit": unit} if unit is not None else {}), "note": note}


def timed(fn: Callable[[], Any], runs: int, warm: bool = True) -> tuple[list[float], Any]:
    result = fn() if warm else None
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return times, result


def queries(lib: Catalogue, n: int) -> list[Q]:
    """The issue's fixed set, aimed at this catalogue's own popular and rare tags."""
    t = tables.tags.c
    with lib.connect() as conn:
        def top(tag_type: str, k: int) -> list[str]:
            return list(conn.scalars(select(t.name).where(t.type == tag_type)
                                     .order_by(t.work_count.desc()).limit(k)))
        rare = conn.scalar(select(t.name).where(t.type == "freeform", t.work_count > 0)
                           .order_by(t.work_count, t.id).limit(1))
        word = one_percent_word(conn, n)
        f1, f2, f3 = top("freeform", 3)
        fandom = top("fandom", 1)[0]
    return [
        Q("one popular tag", f'tag:"{fandom}"'),
        Q("2 popular tags -tag rating words, sort -updated",
          f'tag:"{f1}" tag:"{f2}" -tag:"{f3}" rating:mature words:1000..20000 sort:-updated'),
        Q("a rare tag", f'tag:"{rare}"'),
        Q("a metatag", 'fandom:"Bench Multiverse"'),
        Q(f"free-text word in ~1% of works ({word})", word),
        Q("--offset 10000, sort -updated", "sort:-updated", offset=10_000),
    ]


def one_percent_word(conn: Any, n: int) -> str:
    """A word of the freeform tag names (indexed with each work) on about 1% of works."""
    t = tables.tags.c
    counts: dict[str, int] = {}
    for name, works in conn.execute(select(t.name, t.work_count).where(t.type == "freeform")):
        for word in set(re.findall(r"[A-Za-z]{5,}", name)):
            counts[word.lower()] = counts.get(word.lower(), 0) + works
    return min(counts, key=lambda w: (abs(counts[w] - n / 100), w))


def step_queries(lib: Catalogue, url: str, backend: str, n: int, runs: int) -> list[Result]:
    from catalog.query.compiler import Query, count, work_ids
    from catalog.query.language import parse
    from catalog.store.engine import serial

    out: list[Result] = []
    qs = queries(lib, n)
    with lib.connect() as conn:
        for q in qs:
            parsed = parse(q.text)
            query = Query(where=parsed.where, sort=parsed.sort or "id", limit=q.limit,
                          offset=q.offset)
            serial(conn)  # as `catalog list` plans a page
            times, ids = timed(lambda query=query: conn.execute(
                work_ids(conn, query)).scalars().all(), runs)
            conn.rollback()
            out.append(measure(f"list in-process: {q.label}", backend, n, times,
                               note=f"{len(ids)} ids; query {q.text!r}"))
            whole = Query(where=parsed.where)
            times, total = timed(lambda whole=whole: conn.execute(
                count(conn, whole, CAPTION_CAP)).scalar(), runs)
            conn.rollback()
            shown = f"more than {CAPTION_CAP:,}" if total > CAPTION_CAP else f"{total:,}"
            out.append(measure(f"table caption count in-process: {q.label}", backend, n,
                               times, note=f"{shown} matching works"))
    exe = str(Path(sys.executable).with_name("catalog"))
    for q in qs:
        argv = [exe, "--db", url, "list", *q.argv(), "--format", "ids"]
        times, _ = timed(lambda argv=argv: subprocess.run(argv, check=True, env=ENV,
                                                          capture_output=True), runs)
        out.append(measure(f"catalog list process: {q.label}", backend, n, times,
                           note="--format ids --limit 50"))
    argv = [exe, "--db", url, "list", qs[0].text, "--limit", "50"]
    times, _ = timed(lambda: subprocess.run(argv, check=True, capture_output=True, env=ENV),
                     runs)
    out.append(measure(f"catalog list process, table: {qs[0].label}", backend, n, times,
                       note="table of 50 rows with the caption's count"))
    for argv, label in (([exe, "--help"], "catalog --help"),
                        ([exe, "--version"], "catalog --version")):
        times, _ = timed(lambda argv=argv: subprocess.run(argv, check=True, env=ENV,
                                                          capture_output=True), runs)
        out.append(measure(f"start-up: {label}", backend, n, times))
    return out


def blocklist(lib: Catalogue) -> list[str]:
    """Twenty entries as a reader keeps them: three archive warnings, relationships and
    characters they avoid, fandoms they do not read, a character only in one fandom, and
    additional tags (none of the ten most used: a reader who blocks "Romance" reads
    little)."""
    t = tables.tags.c
    with lib.connect() as conn:
        def ranked(tag_type: str, start: int, k: int) -> list[str]:
            return list(conn.scalars(select(t.name).where(t.type == tag_type, t.work_count > 0)
                                     .order_by(t.work_count.desc(), t.id)
                                     .offset(start).limit(k)))
        ships = ranked("relationship", 0, 4)
        characters = ranked("character", 3, 3)
        fandoms = ranked("fandom", 8, 3)
        freeforms = ranked("freeform", 10, 6)
    entries = ["warning:mcd", "warning:underage", "warning:noncon"]
    entries += [f'relationship:"{name}"' for name in ships]
    entries += [f'character:"{name}"' for name in characters[:2]]
    entries += [f'fandom:"{name}"' for name in fandoms]
    entries += [f'fandom:"{fandoms[0]}" character:"{characters[2]}"']
    entries += [f'tag:"{name}"' for name in freeforms[:5]]
    entries += [f'rating:explicit tag:"{freeforms[5]}"', 'tag:"nothing anyone wrote"']
    return entries[:20]


def step_blocklist(lib: Catalogue, backend: str, n: int, runs: int) -> list[Result]:
    """The page of 50 ids for the query set with a 20-entry blocklist, in-process; the
    entries are removed again afterwards."""
    from catalog.query.compiler import Query, work_ids
    from catalog.query.language import parse
    from catalog.store.engine import serial

    entries = blocklist(lib)
    ids = [lib.block(entry) for entry in entries]
    out: list[Result] = []
    try:
        with lib.connect() as conn:
            for q in queries(lib, n):
                parsed = parse(q.text)
                query = Query(where=parsed.where, sort=parsed.sort or "id", limit=q.limit,
                              offset=q.offset, block=True)
                serial(conn)
                times, found = timed(lambda query=query: conn.execute(
                    work_ids(conn, query)).scalars().all(), runs)
                conn.rollback()
                out.append(measure(f"list in-process, {len(entries)}-entry blocklist: "
                                   f"{q.label}", backend, n, times,
                                   note=f"{len(found)} ids; query {q.text!r}"))
    finally:
        for block_id in ids:
            lib.unblock(block_id)
    return out


def step_stats(lib: Catalogue, backend: str, n: int, runs: int) -> list[Result]:
    from catalog.query.compiler import Query
    from catalog.query.stats import stats

    with lib.session() as session:
        times, result = timed(lambda: stats(session, Query()), max(1, runs - 1), warm=False)
    return [measure("stats, whole catalogue", backend, n, times,
                    note=f"{result.get('works', '?'):,} works")]


# Starts the measured command and reports its peak RSS (KiB). Linux keeps a forked child's
# high-water mark across exec, so a child forked from this large process would report this
# process's size; forked from a small interpreter, it reports its own.
PEAK = ("import resource, subprocess, sys\n"
        "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        "sys.exit(done.returncode)")


def run_process(argv: list[str]) -> tuple[float, float]:
    """Wall time and peak RSS (MB) of one child process."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", PEAK, *argv], capture_output=True,
                          text=True, env=ENV)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{argv} failed ({done.returncode}): {done.stderr[-500:]}")
    return seconds, int(done.stdout.split()[-1]) / 1024


def step_export(url: str, backend: str, n: int, tmp: Path) -> list[Result]:
    exe = str(Path(sys.executable).with_name("catalog"))
    out: list[Result] = []
    for flag in ("--no-texts", "--texts"):
        target = tmp / f"export-{backend}-{n}.jsonl"
        seconds, peak = run_process([exe, "--db", url, "export", flag, "-o", str(target),
                                     "--force"])
        size = target.stat().st_size
        target.unlink()
        out.append(measure(f"export JSONL {flag.removeprefix('--')}", backend, n, [seconds],
                           peak, note=f"{size / 1e6:,.0f} MB, {n / seconds:,.0f} works/s"))
    return out


def step_check(url: str, backend: str, n: int, tmp: Path) -> list[Result]:
    """`db check` of the whole catalogue, and `db check --repair`, as processes, on a copy:
    the populated catalogue keeps AO3-like word counts over short texts (see populate.py),
    which the check rightly reports for nearly every work. The repair makes the copy
    consistent, so the timed check is that of a sound catalogue."""
    exe = str(Path(sys.executable).with_name("catalog"))
    copy = _copy(url, backend, tmp)
    try:
        seconds, peak = run_process([exe, "--db", copy, "db", "check", "--repair"])
        out = [measure("db check --repair (from drifted word counts)", backend, n, [seconds],
                       peak, note="recounts every text, sets counts, rebuilds the index")]
        seconds, peak = run_process([exe, "--db", copy, "db", "check"])
        out.append(measure("db check, whole catalogue", backend, n, [seconds], peak,
                           note=f"{n / seconds:,.0f} works/s"))
        return out
    finally:
        drop_copy(copy, backend)


def _copy(url: str, backend: str, tmp: Path) -> str:
    """A throwaway copy of a cached catalogue (a file copy, or a PostgreSQL template)."""
    if backend == "sqlite":
        target = tmp / "check-copy.db"
        subprocess.run(["cp", url, str(target)], check=True)
        return str(target)
    from sqlalchemy import make_url

    server = make_url(url)
    admin = Catalogue(server.set(database="postgres").render_as_string(hide_password=False),
                    upgrade=False)
    with admin.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        quote = conn.dialect.identifier_preparer.quote
        conn.execute(text(f"DROP DATABASE IF EXISTS {quote('bench_check')}"))
        conn.execute(text(f"CREATE DATABASE {quote('bench_check')} "
                          f"TEMPLATE {quote(str(server.database))}"))
    admin.dispose()
    return server.set(database="bench_check").render_as_string(hide_password=False)


def drop_copy(copy: str, backend: str) -> None:
    """Remove the copy made for a measurement: the SQLite file with its log, or `bench_check`."""
    if backend == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(copy + suffix).unlink(missing_ok=True)
        return
    from sqlalchemy import make_url

    admin = Catalogue(make_url(copy).set(database="postgres")
                    .render_as_string(hide_password=False), upgrade=False)
    with admin.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("DROP DATABASE IF EXISTS bench_check"))
    admin.dispose()


def step_size(lib: Catalogue, url: str, backend: str, n: int) -> list[Result]:
    if backend == "sqlite":
        path = Path(url)
        size = sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())
    else:
        with lib.connect() as conn:
            size = int(conn.scalar(select(func.pg_database_size(func.current_database()))))
    return [value_row("database bytes per work", backend, n, round(size / n), None,
                      f"{size / 1e9:.2f} GB in all")]


def catalogue(backend: str, n: int, cache: Path, postgres: str | None, seed: int) -> str:
    """The URL of a populated catalogue of n works, written on first use."""
    if backend == "sqlite":
        path = cache / f"sqlite-{n}-{seed}.db"
        if not path.exists():
            print(f"populating {path}", file=sys.stderr)
            populate(str(path.with_suffix(".tmp")), n, seed, progress=True)
            path.with_suffix(".tmp").rename(path)
        return str(path)
    assert postgres is not None
    name = f"bench_{n}_{seed}"
    admin = Catalogue(postgres)
    with admin.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": name})
        if not exists:
            conn.execute(text("CREATE DATABASE " + conn.dialect.identifier_preparer.quote(name)))
    admin.dispose()
    from sqlalchemy import make_url

    url = make_url(postgres).set(database=name).render_as_string(hide_password=False)
    lib = Catalogue(url)
    with lib.connect() as conn:
        works = conn.scalar(select(func.count()).select_from(tables.works))
    lib.dispose()
    if works != n:
        print(f"populating {name}", file=sys.stderr)
        populate(url, n, seed, progress=True)
    return url


FILE_SECTIONS = ("corpus:", "ingest:", "word count:", "list (", "export:", "database:",
                 "calibre:")


def file_figures(path: Path) -> list[Result]:
    """The file-ingest benchmark's figures (bench/run.py) in this file's record shape."""
    if not path.exists():
        return []
    report = json.loads(path.read_text(encoding="utf-8"))
    n = report["meta"]["works"]
    scale = {"s": 1.0, "ms": 0.001}
    out: list[Result] = []
    for f in report["figures"]:
        record: Result = {"measure": f"{f['section']}: {f['name']}", "backend": "sqlite",
                          "n": n, "median_s": None, "min_s": None, "max_s": None,
                          "peak_mb": None, "runs": f["runs"], "note": f["note"]}
        if f["unit"] in scale:
            k = scale[f["unit"]]
            record.update(median_s=f["value"] * k, min_s=(f["low"] or f["value"]) * k,
                          max_s=(f["high"] or f["value"]) * k)
        elif f["unit"] == "MiB":
            record["peak_mb"] = round(f["value"] * 1.048576, 1)
        else:
            record.update(value=f["value"], unit=f["unit"])
            if f["low"] is not None:  # a rate over several runs: its spread too
                record.update(low=f["low"], high=f["high"])
        out.append(record)
    return out


def _stored(path: Path, keep: Callable[[Result], bool]) -> list[Result]:
    """The figures already in `path` that `keep` keeps, the file part's left out (a run
    brings its own)."""
    if not path.exists():
        return []
    return [r for r in json.loads(path.read_text(encoding="utf-8"))
            if keep(r) and not r["measure"].startswith(FILE_SECTIONS)]


def files_part(path: Path, out: Path) -> list[Result]:
    """The file part's figures: from its own run when there is one, else those kept in
    `out` (a run of this script alone does not measure files)."""
    if path.exists():
        return file_figures(path)
    if not out.exists():
        return []
    return [r for r in json.loads(out.read_text(encoding="utf-8"))
            if r["measure"].startswith(FILE_SECTIONS)]


def files_provenance(path: Path, markdown: Path | None = None) -> str:
    """When and where the file part ran, with its word-count speed as a gauge of the
    machine: figures from two runs compare only as far as their machines do. Without a
    run of its own, the line already in `markdown` stays with the figures it describes."""
    if not path.exists():
        if markdown is None or not markdown.exists():
            return ""
        lines = markdown.read_text(encoding="utf-8").splitlines()
        return next((line for line in lines if line.startswith("The file part")), "")
    report = json.loads(path.read_text(encoding="utf-8"))
    meta = report["meta"]
    gauge = next((f["value"] for f in report["figures"] if f["name"] == "count_text MB/s"), None)
    speed = f", where `count_text` ran at {gauge:.0f} MB/s" if gauge else ""
    return (f"The file part (n = {meta['works']:,}) ran on {meta['date'][:10]}, Python "
            f"{meta['python']}, SQLite {meta['sqlite']}, {meta['cpus']} CPUs{speed}.")


def catalogue_options(parser: argparse.ArgumentParser) -> None:
    """The options of a script that measures one generated catalogue and keeps its rows."""
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20240611)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/catalog-bench-cache"))
    parser.add_argument("--out", type=Path, default=BENCH / "results.json")
    parser.add_argument("--markdown", type=Path, default=BENCH / "RESULTS.md")


def replace_rows(rows: list[Result], out: Path, markdown: Path) -> None:
    """Rows measured now replace their namesakes (same measure, backend and n) in `out`;
    `markdown` is written again from the whole list."""
    keys = {(r["measure"], r["backend"], r["n"]) for r in rows}
    kept = _stored(out, lambda r: (r["measure"], r["backend"], r["n"]) not in keys)
    write_results(kept + rows, out, markdown,
                  files_provenance(BENCH / "out" / "results.json", markdown))


def write_results(results: list[Result], json_path: Path, md_path: Path,
                  provenance: str = "") -> None:
    """bench/results.json (machines) and bench/RESULTS.md (people) from one list."""
    json_path.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n",
                         encoding="utf-8")
    lines = ["# Benchmark results", "",
             "Written by `make bench` (bench/scale.py); medians of warm runs, min–max in "
             "brackets. `n` is the number of works in the catalogue.", "",
             *([provenance, ""] if provenance else []),
             "| measure | backend | n | median | min–max | peak MB | note |",
             "|---|---|---:|---:|---:|---:|---|"]
    for r in results:
        if r["median_s"] is None:
            value = f"{_number(r.get('value'))} {r.get('unit', '')}".strip()
            spread = (f"{_number(r['low'])}–{_number(r['high'])}" if r.get("low") is not None
                      else "")
        else:
            value = _seconds(r["median_s"])
            spread = f"{_seconds(r['min_s'])}–{_seconds(r['max_s'])}"
        peak = "" if r["peak_mb"] is None else f"{r['peak_mb']:,.0f}"
        note = str(r.get("note", "")).replace("|", "\\|")
        lines.append(f"| {r['measure']} | {r['backend']} | {r['n']:,} | {value} | {spread} "
                     f"| {peak} | {note} |")
    md_path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _number(value: float | None) -> str:
    """A figure as people read it: whole numbers with separators, small ones to 3 digits."""
    if value is None:
        return ""
    if abs(value) >= 100 or float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:.3g}"


def _seconds(value: float) -> str:
    return f"{value * 1000:.1f} ms" if value < 10 else f"{value:.1f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, action="append", help="catalogue sizes")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20240611)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/catalog-bench-cache"))
    parser.add_argument("--postgres", default=os.environ.get("CATALOG_TEST_DB_URL"),
                        help="a PostgreSQL server URL (its maintenance database)")
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--export-min", type=int, default=1_000_000,
                        help="run exports and stats only at this size and above")
    parser.add_argument("--check-max", type=int, default=100_000,
                        help="run db check only at this size and below")
    parser.add_argument("--files", type=Path, default=BENCH / "out" / "results.json",
                        help="the file-ingest benchmark's figures to include")
    parser.add_argument("--out", type=Path, default=BENCH / "results.json")
    parser.add_argument("--markdown", type=Path, default=BENCH / "RESULTS.md")
    parser.add_argument("--postgres-only", action="store_true")
    parser.add_argument("--files-only", action="store_true",
                        help="only replace the file benchmark's figures in --out")
    parser.add_argument("--append", action="store_true",
                        help="keep the figures already in --out for other backends and sizes")
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    backends = ["sqlite"] + ([] if args.sqlite_only or not args.postgres else ["postgresql"])
    if args.postgres_only:
        backends = ["postgresql"]
    if args.files_only:
        kept = _stored(args.out, lambda r: True)
        write_results(file_figures(args.files) + kept, args.out, args.markdown,
                      files_provenance(args.files) + " The other figures are kept from "
                      "the last full run, which may have been on another machine.")
        return
    sizes = args.n or [100_000, 1_000_000]
    results: list[Result] = []
    if args.append:
        results = _stored(args.out, lambda r: not (r["backend"] in backends and r["n"] in sizes))
    results = files_part(args.files, args.out) + results
    if not args.append:  # bench/hostile.py's rows stay until it runs again
        results += _stored(args.out, lambda r: r["measure"].startswith("hostile: "))
    for n in sizes:
        for backend in backends:
            url = catalogue(backend, n, args.cache, args.postgres, args.seed)
            lib = Catalogue(url)
            print(f"measuring {backend} at {n:,} works", file=sys.stderr)
            results += step_queries(lib, url, backend, n, args.runs)
            results += step_blocklist(lib, backend, n, args.runs)
            results += step_size(lib, url, backend, n)
            lib.dispose()
            if n <= args.check_max:
                results += step_check(url, backend, n, args.cache)
            if n >= args.export_min:
                results += step_stats(lib, backend, n, args.runs)
                results += step_export(url, backend, n, args.cache)
            lib.dispose()
            write_results(results, args.out, args.markdown,
                          files_provenance(args.files, args.markdown))
    for r in results:
        value = "" if r["median_s"] is None else f"{r['median_s'] * 1000:9.1f} ms"
        print(f"{r['backend']:10} {r['n']:>9,} {value:>13}  {r['measure']}  {r['note']}")


if __name__ == "__main__":
    main()
