"""Hostile inputs run through the real CLI in a subprocess, so that each test can hold the
run to a generous bound of time and peak memory measured for that process alone."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.hostile.process import Run, run_catalog


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
