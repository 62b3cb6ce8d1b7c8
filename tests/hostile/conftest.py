"""Hostile inputs run through the real CLI in a subprocess, so that each test can hold the
run to a generous bound of time and peak memory measured for that process alone."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest


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
# (VmHWM: ru_maxrss would carry the pytest process's size over through fork and exec) and
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


@pytest.fixture
def run(db_path: Any) -> Callable[..., Run]:
    """The real CLI against the test's catalogue, in a subprocess."""

    def _run(*args: str, **kwargs: Any) -> Run:
        return run_catalog(db_path, *args, **kwargs)

    return _run


@pytest.fixture
def good(tmp_path: Path) -> Callable[[Path, int], list[Path]]:
    """Write `n` good story files into a folder: the batch a bad file must not spoil."""

    def _good(folder: Path, n: int = 60) -> list[Path]:
        folder.mkdir(parents=True, exist_ok=True)
        paths = []
        for i in range(n):
            path = folder / f"good{i:03}.txt"
            path.write_text(f"Title: Good {i}\nRating: G\n\nA good story, number {i}.\n",
                            encoding="utf-8")
            paths.append(path)
        return paths

    return _good
