"""Hostile inputs run through the real CLI in a subprocess, so that each test can hold the
run to a generous bound of time and peak memory measured for that process alone."""

from __future__ import annotations

import os
import subprocess
import sys
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


def run_catalog(db: Any, *args: str, stdin: bytes | None = None, timeout: float = 120,
                env: dict[str, str] | None = None) -> Run:
    """`python -m catalog --db DB ARGS…`, reaped with wait4 to read its own peak RSS (that
    of its largest process, parsing workers included)."""
    start = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "catalog", "--db", str(db), *args],
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, **(env or {})})
    killer = threading.Timer(timeout, proc.kill)
    killer.start()
    with ThreadPoolExecutor(3) as pool:
        out = pool.submit(proc.stdout.read)  # type: ignore[union-attr]
        err = pool.submit(proc.stderr.read)  # type: ignore[union-attr]
        if stdin is not None:
            pool.submit(_feed, proc.stdin, stdin)
        _, status, usage = os.wait4(proc.pid, 0)
    killer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.monotonic() - start
    assert seconds < timeout, f"catalog {' '.join(args)[:200]} ran over {timeout} s"
    return Run(proc.returncode, out.result().decode("utf-8", "replace"),
               err.result().decode("utf-8", "replace"), seconds, usage.ru_maxrss / 1024)


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
