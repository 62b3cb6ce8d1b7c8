"""The same 1,000 text files in calibre and in the catalogue, measured in one run: adding
them (`calibredb add -r` against `catalog ingest`) and the same tag searches (`calibredb
search` against `catalog list --format ids`), each side as a whole process and inside one
process (calibre's own database API through `calibre-debug`, our query compiler).

calibre reads no tags from a text file, so before searching, each calibre book is given the
tags the catalogue read from the same file (matched by file name, which calibre takes as the
title); that step is not timed. Each search's result count is compared too: a ratio means
nothing if the two sides found different works.

Used by bench/run.py when Debian's calibre is installed (`apt-get install calibre`).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FILES = 1000
# Processes run as installed ones do: with their compiled bytecode.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
# Our record keys whose names become calibre tags (calibre has one flat tag list).
TAG_KEYS = ("fandoms", "warnings", "categories", "relationships", "characters", "freeform")

# Runs inside calibre (calibre-debug): give books their tags, or time searches in-process.
CALIBRE_SCRIPT = r"""
import json, sys, time
from calibre.library import db
action, library, data = sys.argv[1], sys.argv[2], json.loads(open(sys.argv[3]).read())
api = db(library).new_api
if action == "tag":
    by_title = {api.field_for("title", i): i for i in api.all_book_ids()}
    api.set_field("tags", {by_title[t]: tags for t, tags in data.items() if t in by_title})
    print(json.dumps({"tagged": sum(t in by_title for t in data)}))
else:
    out = {}
    for query in data["queries"]:
        found, times = api.search(query), []
        for _ in range(data["runs"]):
            api.clear_search_caches()  # calibre remembers results: time the search itself
            start = time.perf_counter()
            found = api.search(query)
            times.append(time.perf_counter() - start)
        out[query] = {"times": times, "count": len(found)}
    print(json.dumps(out))
"""


@dataclass(frozen=True)
class Search:
    label: str
    ours: str  # our query language
    theirs: str  # calibre's search language


def available() -> bool:
    return bool(shutil.which("calibredb") and shutil.which("calibre-debug"))


def text_files(root: Path, limit: int | None = None) -> list[Path]:
    """Plain text stories (no metadata sidecar beside them), in a stable order."""
    files = sorted(p for p in root.rglob("*.txt") if not p.with_suffix(".yaml").exists())
    return files[:limit] if limit else files


def linked(files: list[Path], folder: Path) -> Path:
    """`files` in one folder of their own (hard links where possible), what both add."""
    folder.mkdir(parents=True, exist_ok=True)
    for f in files:
        target = folder / f.name
        try:
            os.link(f, target)
        except OSError:
            shutil.copyfile(f, target)
    return folder


def wall(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):  # calibredb search exits 1 when nothing matches
        raise RuntimeError(f"{argv[0]} failed ({done.returncode}): {done.stderr.strip()[-300:]}")
    return seconds, done.stdout


def _calibre(action: str, library: Path, data: Any, scratch: Path) -> Any:
    (scratch / "calibre-input.json").write_text(json.dumps(data), encoding="utf-8")
    (scratch / "calibre-script.py").write_text(CALIBRE_SCRIPT, encoding="utf-8")
    code = ("import runpy, sys; sys.argv = ['script', *" + repr(
        [action, str(library), str(scratch / "calibre-input.json")]) + "]; "
        f"runpy.run_path({str(scratch / 'calibre-script.py')!r}, run_name='__main__')")
    _, out = wall(["calibre-debug", "-c", code])
    return json.loads(out.strip().splitlines()[-1])


def searches(records: list[dict[str, Any]]) -> list[Search]:
    """Tag searches aimed at these works: the most used freeform tag and fandom, a tag on
    one work, and two popular tags with a third excluded."""
    freeform = Counter(t for r in records for t in r["freeform"])
    fandoms = Counter(t for r in records for t in r["fandoms"])
    (a, _), (b, _), (c, _) = freeform.most_common(3)
    rare = min(freeform, key=lambda t: (freeform[t], t))

    def ours(*names: str, without: str = "") -> str:
        return " ".join(f'tag:"{n}"' for n in names) + (f' -tag:"{without}"' if without else "")

    def theirs(*names: str, without: str = "") -> str:
        return " and ".join(f'tags:"={n}"' for n in names) + (
            f' and not tags:"={without}"' if without else "")

    top_fandom = fandoms.most_common(1)[0][0]
    return [Search("popular freeform tag", ours(a), theirs(a)),
            Search("popular fandom", ours(top_fandom), theirs(top_fandom)),
            Search("tag on one work", ours(rare), theirs(rare)),
            Search("2 popular tags, 1 excluded", ours(a, b, without=c),
                   theirs(a, b, without=c))]


def compare(files: list[Path], tmp: Path, runs: int, catalog: list[str],
            env: dict[str, str], add: Callable[..., None]) -> None:
    """Measure both sides on `files`; `add(section, name, value, unit, note)` records a
    figure, `catalog` is the argv that starts our CLI."""
    folder = linked(files, tmp / "calibre-texts")
    db, library = tmp / "calibre-compare.db", tmp / "calibre-library"
    ours_s, _ = wall([*catalog, "--db", str(db), "ingest", str(folder)], env)
    theirs_s, _ = wall(["calibredb", "add", "--library-path", str(library), "-r", str(folder)])
    add("calibre", f"add {len(files):,} text files: catalog ingest", ours_s, "s",
        f"{len(files) / ours_s:.0f} works/s, whole process")
    add("calibre", f"add {len(files):,} text files: calibredb add", theirs_s, "s",
        f"{len(files) / theirs_s:.0f} works/s, whole process")
    add("calibre", "add: calibre's time ÷ ours", theirs_s / ours_s, "×", "target ≥ 12×")

    _, exported = wall([*catalog, "--db", str(db), "export", "--no-texts"], env)
    records = [json.loads(line) for line in exported.splitlines() if line.strip()]
    tags = {Path(r["source"]).stem: sorted({*(t for k in TAG_KEYS for t in r[k]),
                                            *([r["rating"]] if r["rating"] else [])})
            for r in records}
    _calibre("tag", library, tags, tmp)
    qs = searches(records)
    inside = _calibre("search", library, {"queries": [q.theirs for q in qs], "runs": runs},
                      tmp)
    for q in qs:
        _compare_search(q, db, library, runs, catalog, env, inside[q.theirs], add)


def _compare_search(q: Search, db: Path, library: Path, runs: int, catalog: list[str],
                    env: dict[str, str], inside: dict[str, Any],
                    add: Callable[..., None]) -> None:
    ours_argv = [*catalog, "--db", str(db), "list", q.ours, "--format", "ids"]
    theirs_argv = ["calibredb", "search", "--library-path", str(library), q.theirs]
    ours = [wall(ours_argv, env) for _ in range(runs + 1)][1:]  # the first run warms up
    theirs = [wall(theirs_argv) for _ in range(runs + 1)][1:]
    ours_n = len(ours[0][1].split())
    theirs_n = len([i for i in theirs[0][1].strip().split(",") if i.strip()])
    agree = (f"both find {ours_n:,}" if ours_n == theirs_n
             else f"DIFFERENT: catalog {ours_n:,}, calibre {theirs_n:,}")
    ours_med = statistics.median(s for s, _ in ours)
    theirs_med = statistics.median(s for s, _ in theirs)
    add("calibre", f"search process, {q.label}: calibre's time ÷ ours", theirs_med / ours_med,
        "×", f"catalog {ours_med * 1000:.0f} ms, calibredb {theirs_med * 1000:.0f} ms; "
        f"{agree}; {q.ours}")
    ours_in = _in_process(db, q.ours, runs)
    theirs_in = statistics.median(inside["times"])
    add("calibre", f"search in-process, {q.label}: calibre's time ÷ ours",
        theirs_in / ours_in, "×", f"catalog {ours_in * 1000:.2f} ms, calibre "
        f"{theirs_in * 1000:.2f} ms (calibre found {inside['count']:,})")


def _in_process(db: Path, query: str, runs: int) -> float:
    """Median time of our compiled query for all matching ids, warm."""
    from catalog.catalogue import Catalogue
    from catalog.query.compiler import Query, work_ids
    from catalog.query.language import parse

    lib = Catalogue(str(db))
    parsed = parse(query)
    with lib.connect() as conn:
        stmt = work_ids(conn, Query(where=parsed.where))
        conn.execute(stmt).scalars().all()
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            conn.execute(stmt).scalars().all()
            times.append(time.perf_counter() - start)
    lib.dispose()
    return statistics.median(times)


if __name__ == "__main__":  # python bench/calibre_compare.py DIR: compare on DIR's text files
    from run import Report, catalog_command, print_table

    files = text_files(Path(sys.argv[1]), FILES)
    report = Report(meta={"works": len(files), "runs": 5, "seed": "-"})
    work = Path(sys.argv[2]) if len(sys.argv) > 2 else Path("/tmp/catalog-calibre")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    compare(files, work, 5, catalog_command(), ENV, report.add)
    print_table(report)
