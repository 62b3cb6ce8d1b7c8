"""`catalog serve` under load: latency with one connection and throughput with eight.

Starts `catalog serve` as a process on a populated catalogue (bench/scale.py's cached
SQLite catalogue of 100,000 works by default), then measures
- p50 and p95 latency over `--requests` sequential requests on one kept-alive connection,
  for `/works.json` with a three-tag filter, the `/works` front page, and `/works` with the
  same filter (its sidebar counts the tags of the matches);
- requests per second with 8 connections for 10 s, with `wrk` (Debian's package).
The rows replace those of the same measure in bench/results.json; RESULTS.md is rewritten.
"""

from __future__ import annotations

import argparse
import http.client
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from scale import (  # noqa: E402
    Result,
    catalogue,
    catalogue_options,
    measure,
    queries,
    replace_rows,
    value_row,
)

from catalog.catalogue import Catalogue  # noqa: E402

EXE = str(Path(sys.executable).with_name("catalog"))


def start(url: str) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen([EXE, "--db", url, "serve", "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None
    line = process.stdout.readline()
    if " at http://" not in line:
        process.kill()
        raise RuntimeError(f"catalog serve did not start: {line!r}")
    return process, line.rsplit(" at ", 1)[1].strip()


def latencies(base: str, path: str, count: int) -> list[float]:
    """Seconds per request, one connection kept alive, after two warm-up requests."""
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=60)
    times = []
    for i in range(count + 2):
        start_at = time.perf_counter()
        conn.request("GET", path)
        answer = conn.getresponse()
        body = answer.read()
        if answer.status != 200:
            raise RuntimeError(f"{path}: {answer.status} {body[:200]!r}")
        if i >= 2:
            times.append(time.perf_counter() - start_at)
    conn.close()
    return times


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[-1]


def throughput(base: str, path: str, seconds: int) -> float:
    done = subprocess.run(["wrk", "-t2", "-c8", f"-d{seconds}s", base.rstrip("/") + path],
                          capture_output=True, text=True, check=True)
    found = re.search(r"Requests/sec:\s+([\d.]+)", done.stdout)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", done.stdout)
    if not found or errors:
        raise RuntimeError(f"wrk: {done.stdout}")
    return float(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--seconds", type=int, default=10)
    catalogue_options(parser)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("bench/serve.py needs wrk: apt-get install wrk")
    url = catalogue("sqlite", args.n, args.cache, None, args.seed)
    lib = Catalogue(url)
    tags = re.findall(r'-?tag:"[^"]*"', queries(lib, args.n)[1].text)  # two in, one out
    lib.dispose()
    three = " ".join(tags)
    pages = [("/works.json, three-tag filter", "/works.json?" + urlencode({"q": three})),
             ("/works page, front", "/works"),
             ("/works page, three-tag filter", "/works?" + urlencode({"q": three}))]
    rows: list[Result] = []
    process, base = start(url)
    try:
        for label, path in pages:
            times = latencies(base, path, args.requests)
            rows.append(measure(f"serve, one connection, p50: {label}", "sqlite", args.n,
                                times, note=f"p95 {p95(times) * 1000:.1f} ms over "
                                            f"{len(times)} requests; {three!r}"))
            rows.append({**measure(f"serve, one connection, p95: {label}", "sqlite", args.n,
                                   [p95(times)]), "runs": len(times)})
        for label, path in pages[:2]:
            rate = throughput(base, path, args.seconds)
            rows.append(value_row(f"serve, 8 connections (wrk): {label}", "sqlite", args.n,
                                  round(rate, 1), "requests/s",
                                  f"wrk -t2 -c8 -d{args.seconds}s"))
    finally:
        process.terminate()
        process.wait(timeout=30)
    replace_rows(rows, args.out, args.markdown)
    for r in rows:
        shown = (f"{r['median_s'] * 1000:8.1f} ms" if r["median_s"] is not None
                 else f"{r['value']:8.1f} {r['unit']}")
        print(f"{shown}  {r['measure']}  {r.get('note', '')}")


if __name__ == "__main__":
    main()
