"""Hostile inputs, timed: `python bench/hostile.py` (also run by `make bench`).

Each case builds its input in a temporary folder (beside 60 good files where it is one
bad file of a batch), runs the real `catalog` as a whole process, and records its wall
time, its peak RSS (the larger of its own high-water mark and its largest parsing
worker's) and what it said. The figures go into bench/results.json as `hostile: …` rows,
replacing the previous ones, and bench/RESULTS.md is written again from the whole list.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))  # the tests' builders and process runner
from tests.epubs import container, epub, package  # noqa: E402
from tests.hostile.process import Run, run_catalog  # noqa: E402

MB = 2**20
PREFIX = "hostile: "


def catalog(db: Path, *args: str, stdin: bytes | None = None) -> Run:
    """Run `catalog --db DB ARGS…` as a whole process (tests/hostile/process.py)."""
    return run_catalog(db, *args, stdin=stdin, timeout=600)


def said(run: Run) -> str:
    """The first error line, or else the last line of output (the summary)."""
    lines = (run.stderr + run.stdout).splitlines()
    return next((x for x in lines if x.startswith("error:")), lines[-1] if lines else "")


# --- the inputs ---------------------------------------------------------------------------


def good_files(folder: Path, n: int = 60) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"good{i:03}.txt").write_text(
            f"Title: Good {i}\nRating: G\n\nA good story, number {i}.\n", "utf-8")


def batch_with(name: str, data: bytes) -> Callable[[Path], list[str]]:
    def build(tmp: Path) -> list[str]:
        good_files(tmp / "batch")
        (tmp / "batch" / name).write_bytes(data)
        return ["ingest", "-j", "2", str(tmp / "batch")]
    return build


def bad_jsonl(tmp: Path) -> list[str]:
    good = [json.dumps({"title": f"R{i}", "text": f"Text {i}.", "source": f"/r/{i}"})
            for i in range(60)]
    bad = [f'{{"id": {2**70}, "text": "x"}}', '{"title": 5, "text": "x"}',
           '{"title": "a\\ud800", "text": "x"}']
    (tmp / "dump.jsonl").write_text("\n".join(good[:30] + bad + good[30:]) + "\n", "utf-8")
    return ["ingest", "-j", "2", str(tmp / "dump.jsonl")]


def zero_link(tmp: Path) -> list[str]:
    (tmp / "zero.jsonl").symlink_to("/dev/zero")
    return ["ingest", str(tmp / "zero.jsonl")]


def fifo_in_folder(tmp: Path) -> list[str]:
    good_files(tmp / "batch")
    os.mkfifo(tmp / "batch" / "pipe.txt")
    return ["ingest", str(tmp / "batch")]


def big_text(encoding: str) -> Callable[[Path], list[str]]:
    def build(tmp: Path) -> list[str]:
        line = "“Café,” she said… naïve façade — déjà vu. " * 20 + "\n"
        data = (line * (60 * MB // len(line.encode(encoding)))).encode(encoding)
        (tmp / "big.txt").write_bytes(b"Title: Big\n\n" + data)
        return ["ingest", "--max-size", "100MB", str(tmp / "big.txt")]
    return build


def many_attributes(tmp: Path) -> list[str]:
    attrs = " ".join(f"a{i}" for i in range(80_000))
    page = f"<html><body><p {attrs}>Some words here.</p></body></html>"
    (tmp / "attrs.html").write_text(page, "utf-8")
    return ["ingest", "--input-format", "ao3-html", str(tmp / "attrs.html")]


def repeated_spine(tmp: Path) -> list[str]:
    chapter = b"<html><body><p>" + b"word " * 50_000 + b"</p></body></html>"
    opf = package('<item id="c" href="c.xhtml" media-type="application/xhtml+xml"/>',
                  '<itemref idref="c"/>' * 10_000)
    (tmp / "spine.epub").write_bytes(epub({"META-INF/container.xml": container(),
                                            "content.opf": opf, "c.xhtml": chapter}))
    return ["ingest", str(tmp / "spine.epub")]


def zip_bomb(tmp: Path) -> list[str]:
    opf = package('<item id="c" href="c.xhtml" media-type="application/xhtml+xml"/>',
                  '<itemref idref="c"/>')
    (tmp / "bomb.epub").write_bytes(epub({"META-INF/container.xml": container(),
                                           "content.opf": opf, "c.xhtml": b"\0" * (512 * MB)}))
    return ["ingest", str(tmp / "bomb.epub")]


def continued_header(tmp: Path) -> list[str]:
    lines = "".join(f"  continued line number {i}\n" for i in range(200_000))
    (tmp / "long.txt").write_text(f"Title: Long\nSummary: start\n{lines}\nBody.\n", "utf-8")
    return ["ingest", str(tmp / "long.txt")]


def query(text: str) -> Callable[[Path], list[str]]:
    return lambda tmp: ["list", "--format", "ids", text]


CASES: dict[str, Callable[[Path], list[str]]] = {
    "text header Chapters: 5/10^20 in 60 files, -j 2":
        batch_with("bad.txt", b"Title: Bad\nChapters: 5/99999999999999999999\n\nText.\n"),
    "front matter chapters: 10^20 in 60 files, -j 2":
        batch_with("bad.md", b"---\ntitle: Bad\nchapters: 99999999999999999999\n---\nText.\n"),
    "JSONL id 2^70, title 5, lone surrogate in 60 lines, -j 2": bad_jsonl,
    "JSONL symlink to /dev/zero": zero_link,
    "stdin: 256 MB of NULs, no line end": lambda tmp: ["ingest", "-"],
    "FIFO in a folder of 60 files": fifo_in_folder,
    "60 MB Windows-1252 text": big_text("cp1252"),
    "60 MB UTF-8 text": big_text("utf-8"),
    "HTML tag with 80,000 attributes": many_attributes,
    "EPUB spine repeating one 50k-word item 10,000 times": repeated_spine,
    "EPUB zip bomb (512 MB of NULs)": zip_bomb,
    "header value over 200,000 continuation lines": continued_header,
    "query: 2,000 unknown tags": query(" ".join(f"character:zz{i}" for i in range(2000))),
    "query: 2,000 OR'd words": query(" OR ".join(f"w{i}" for i in range(2000))),
    "query: 500-deep nesting": query("(" * 500 + "x" + ")" * 500),
}
STDIN = {"stdin: 256 MB of NULs, no line end": b"\0" * (256 * MB)}


def measure(name: str, runs: int) -> dict[str, object]:
    outcomes = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            args = CASES[name](Path(tmp))
            outcomes.append(catalog(Path(tmp) / "catalog.store", *args, stdin=STDIN.get(name)))
    times = [o.seconds for o in outcomes]
    last = outcomes[-1]
    return {"measure": PREFIX + name, "backend": "sqlite", "n": 1,
            "median_s": statistics.median(times), "min_s": min(times), "max_s": max(times),
            "peak_mb": max(o.peak_mb for o in outcomes), "runs": runs,
            "note": f"exit {last.returncode}: {said(last)[:120]}"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=BENCH / "results.json")
    parser.add_argument("--markdown", type=Path, default=BENCH / "RESULTS.md")
    parser.add_argument("--only", help="run the cases whose name contains this text")
    parser.add_argument("--skip", action="append", default=[],
                        help="leave out the cases whose name contains this text")
    args = parser.parse_args()
    rows = []
    for name in CASES:
        if (args.only and args.only not in name) or any(x in name for x in args.skip):
            continue
        row = measure(name, args.runs)
        print(f"{row['median_s']:8.2f} s {row['peak_mb']:7.0f} MB  {name}  [{row['note']}]",
              file=sys.stderr)
        rows.append(row)
    _store(rows, args.out, args.markdown)


def _store(rows: list[dict[str, object]], out: Path, markdown: Path) -> None:
    """Replace the hostile rows measured now in results.json; write RESULTS.md again."""
    from scale import files_provenance, write_results

    done = {r["measure"] for r in rows}
    kept = [r for r in (json.loads(out.read_text("utf-8")) if out.exists() else [])
            if r["measure"] not in done]
    today = datetime.now(UTC).date().isoformat()
    provenance = " ".join(filter(None, [
        files_provenance(BENCH / "out" / "results.json", markdown).split(" The `hostile:`")[0],
        f"The `hostile:` rows ran on {today} (bench/hostile.py, n = one input each)."]))
    write_results(kept + rows, out, markdown, provenance)


if __name__ == "__main__":
    main()
