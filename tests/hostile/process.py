"""`catalog` run as a whole process, with its wall time and peak memory: the hostile
tests hold each run to a bound, and bench/hostile.py records the same figures."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any


@dataclass
class Run:
    """One finished `catalog` process: its exit status, output, wall time and peak RSS."""

    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float

    def lines(self, prefix: str) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.startswith(prefix)]


# Runs `catalog` in the child and writes, at its exit, the high-water RSS of its own memory
# (VmHWM: ru_maxrss would carry the parent's size over through fork and exec) and
# the largest of its parsing workers.
_PEAK = """
import atexit, os, resource, runpy, sys
def _peak():
    with open('/proc/self/status') as f:
        hwm = next(int(x.split()[1]) for x in f if x.startswith('VmHWM'))
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    with open(os.environ['CATALOG_TEST_PEAK'], 'w') as f:
        f.write(str(max(hwm, kids)))
atexit.register(_peak)
sys.argv = ['catalog', *sys.argv[1:]]
runpy.run_module('catalog', run_name='__main__', alter_sys=True)
"""


def run_catalog(db: Any, *args: str, stdin: bytes | None = None, timeout: float = 120,
                env: dict[str, str] | None = None) -> Run:
    """`catalog --db DB ARGS…` in a new process, with its wall time and peak RSS."""
    with tempfile.NamedTemporaryFile("r", suffix=".peak") as peak_file:
        start = time.monotonic()
        proc = subprocess.Popen(
            [sys.executable, "-c", _PEAK, "--db", str(db), *args],
            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env={**os.environ, **(env or {}), "CATALOG_TEST_PEAK": peak_file.name})
        killer = threading.Timer(timeout, proc.kill)
        killer.start()
        with ThreadPoolExecutor(3) as pool:
            out = pool.submit(proc.stdout.read)  # type: ignore[union-attr]
            err = pool.submit(proc.stderr.read)  # type: ignore[union-attr]
            if stdin is not None:
                pool.submit(_feed, proc.stdin, stdin)
            proc.wait()
        killer.cancel()
        seconds = time.monotonic() - start
        peak = int(peak_file.read() or 0) / 1024
    assert seconds < timeout, f"catalog {' '.join(args)[:200]} ran over {timeout} s"
    return Run(proc.returncode, out.result().decode("utf-8", "replace"),
               err.result().decode("utf-8", "replace"), seconds, peak)


def _feed(pipe: Any, data: bytes) -> None:
    try:
        pipe.write(data)
        pipe.close()
    except BrokenPipeError:
        pass
