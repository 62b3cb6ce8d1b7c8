"""Ingest progress: it moves a file at a time (not a batch at a time), and its line keeps
a fixed-width counter and the rate first, the name of the file being read last and cut to
fit, so a long name never pushes the counter off an 80-column line."""

from __future__ import annotations

import gc
import io
import multiprocessing
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from catalog.catalogue import Catalogue
from catalog.cli import ingest as ingest_command
from tests.conftest import ROOT
from tests.factories import make_work, write_works
from tests.terminal import on_a_terminal


def test_each_file_is_heard_of_as_it_is_read(migrated: Any, tmp_path: Path) -> None:
    folder = write_works(tmp_path / "w", {f"{n}.txt": make_work(f"Story {n} words.",
                                                                title=f"S{n}")
                                          for n in range(250)})
    events: list[str] = []
    lib = Catalogue(str(migrated))
    run = lib.ingesting([folder], jobs=1, on_read=lambda path: events.append("read"))
    for _ in run:
        events.append("report")
    assert events.count("read") == events.count("report") == 250
    # a batch's files are all heard of before its reports: the display moves per file
    assert events.index("report") >= 200
    lib.dispose()


def test_the_line_keeps_the_counter_first_and_cuts_the_name(monkeypatch: pytest.MonkeyPatch
                                                              ) -> None:
    screen = io.StringIO()
    console = Console(file=screen, width=80, force_terminal=True, color_system=None)
    monkeypatch.setattr(ingest_command, "progress_enabled", lambda: True)
    monkeypatch.setattr(ingest_command, "stderr", lambda: console)
    long_name = "a-story-file-whose-name-goes-on-" * 6 + ".txt"
    with ingest_command._progress() as progress:
        assert progress is not None
        task = progress.add_task("", total=1200, of="1,200")
        progress.update(task, advance=37, description=ingest_command._shown(
            f"/home/reader/fic/{long_name}"))
        progress.refresh()
    lines = [line for line in screen.getvalue().replace("\r", "\n").splitlines()
             if "files/s" in line]
    assert lines, screen.getvalue()
    line = lines[-1].replace("\x1b[2K", "")
    assert line.lstrip().startswith("37/1,200") and len(line) <= 80
    assert line.index("files/s") < line.index("a-story-file") and "…" in line
    assert "/home/reader" not in line  # the file's name, not its folders


def test_the_summary_is_on_the_screen_or_else_on_stderr(tmp_path: Path, db_path: Any) -> None:
    story = tmp_path / "one.txt"
    story.write_text("Title: One\n\nA story.\n", "utf-8")
    screen = on_a_terminal(str(db_path), "ingest", str(story), env={"COLUMNS": "80"})
    assert "ingested 1 · updated 0" in screen
    piped = subprocess.run([sys.executable, "-m", "catalog", "--db", str(db_path), "ingest",
                            "-v", str(story)], capture_output=True, text=True, cwd=ROOT)
    assert piped.stdout.startswith("unchanged: ") and "ingested" not in piped.stdout
    assert piped.stderr.startswith("ingested 0 · updated 0 · unchanged 1")


def _collector() -> tuple[int, int]:
    return gc.get_threshold()[0], gc.get_freeze_count()


def test_an_ingest_collects_cycles_rarely_and_its_workers_too() -> None:
    """Inside an ingest the objects loaded before it are frozen out of the cycle collector
    and young objects are collected every YOUNG_OBJECTS allocations, in the parsing
    workers forked then as in the writer; afterwards the process is as it was."""
    before = gc.get_threshold()
    with ingest_command._collecting_rarely():
        assert gc.get_threshold() == (ingest_command.YOUNG_OBJECTS, *before[1:])
        assert gc.get_freeze_count() > 1000  # the modules and classes loaded so far
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
            young, frozen = pool.submit(_collector).result()
        assert young == ingest_command.YOUNG_OBJECTS and frozen > 1000
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
