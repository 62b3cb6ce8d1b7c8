"""Parsing in worker processes, results in input order.

Reading, decoding, Markdown rendering, word counting, resolving and inference are CPU work
that needs no database, so they run in a pool of processes while this one writes. Units go
out in chunks (one pickling round trip per chunk, not per file) and at most a fixed number
of chunks are in flight, so memory does not grow with the corpus. A JSONL export is one
unit holding many works and may be standard input: it is parsed here, in its place.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from catalog.ingest.prepare import Parsed, prepare_unit
from catalog.ingest.readers import Unit
from catalog.ingest.report import FileReport
from catalog.ingest.settings import IngestSettings
from catalog.wrangle.infer import Lexicon

# Units per task: the first tasks are small, so that the writer starts at once, and each
# next one twice as big up to CHUNK. Each task costs the writer's process a round trip (a
# submit, a result unpickled, threads woken): 10,000 files into 10,000 took 18% less wall
# time in tasks of 128 than of 8, and peaked 31 MB higher with the results in flight.
FIRST_CHUNK = 8
CHUNK = 128
IN_FLIGHT = 2  # tasks queued per worker: enough to keep it busy while the writer commits
MIN_UNITS = 50  # fewer units parse in-process: starting processes would cost more
# The one writer is what an ingest waits for: workers a little nicer than it leave it a core
# when it needs one (10,000 files into 10,000 on 2 cores: 6% less wall time).
NICER = 5

_worker: tuple[IngestSettings, Lexicon] | None = None


def in_process(items: Iterable[Unit | FileReport], settings: IngestSettings,
               lexicon: Callable[[], Lexicon]) -> Iterator[Parsed]:
    """Parse every item here, loading the lexicon only once a unit is read."""
    for item in items:
        if isinstance(item, FileReport):  # a path found but not to be read
            yield item
        else:
            yield from prepare_unit(item, settings, lexicon())


def in_workers(items: Iterable[Unit | FileReport], settings: IngestSettings, lexicon: Lexicon,
               jobs: int) -> Iterator[Parsed]:
    """Parse the items in `jobs` processes; JSONL units and skipped paths are handled here,
    in their place, so the output keeps the input order."""
    pending: deque[_Chunk | Unit | FileReport] = deque()
    chunk: list[Unit] = []
    size = FIRST_CHUNK
    with ProcessPoolExecutor(jobs, mp_context=_context(), initializer=_start,
                             initargs=(settings, lexicon)) as pool:
        for item in items:
            if isinstance(item, Unit) and item.reader != "jsonl":
                chunk.append(item)
                if len(chunk) < size:
                    continue
                pending.append(_Chunk.submit(pool, chunk))
                chunk, size = [], min(size * 2, CHUNK)
            else:
                if chunk:
                    pending.append(_Chunk.submit(pool, chunk))
                    chunk = []
                pending.append(item)
            while len(pending) > IN_FLIGHT * jobs:
                yield from _settle(pending.popleft(), settings, lexicon)
        if chunk:
            pending.append(_Chunk.submit(pool, chunk))
        while pending:
            yield from _settle(pending.popleft(), settings, lexicon)


@dataclass
class _Chunk:
    """Units sent to a worker together, kept so that they can be parsed here instead if the
    worker cannot answer (a result that does not pickle, a pool broken by a killed worker)."""

    units: list[Unit]
    future: Future[list[list[Parsed]]] | None

    @classmethod
    def submit(cls, pool: ProcessPoolExecutor, units: list[Unit]) -> _Chunk:
        try:
            return cls(units, pool.submit(_prepare_chunk, units))
        except BrokenProcessPool:
            return cls(units, None)

    def results(self, settings: IngestSettings, lexicon: Lexicon) -> Iterator[Parsed]:
        try:
            parsed = self.future.result() if self.future is not None else None
        except Exception:  # parsed again here, one unit at a time, each failing alone
            parsed = None
        if parsed is None:
            parsed = [list(prepare_unit(unit, settings, lexicon)) for unit in self.units]
        for prepared in parsed:
            yield from prepared


def _settle(slot: _Chunk | Unit | FileReport, settings: IngestSettings,
            lexicon: Lexicon) -> Iterator[Parsed]:
    if isinstance(slot, FileReport):
        yield slot
    elif isinstance(slot, Unit):
        yield from prepare_unit(slot, settings, lexicon)
    else:
        yield from slot.results(settings, lexicon)


def _context() -> multiprocessing.context.BaseContext:
    """fork where there is one: a worker starts in milliseconds instead of re-importing the
    catalogue for a second; it only parses, never touches the parent's connections."""
    if sys.platform == "linux":
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _start(settings: IngestSettings, lexicon: Lexicon) -> None:
    global _worker
    _worker = (settings, lexicon)
    if hasattr(os, "nice"):  # not on Windows
        os.nice(NICER)


def _prepare_chunk(units: list[Unit]) -> list[list[Parsed]]:
    assert _worker is not None, "worker not initialised"
    settings, lexicon = _worker
    return [list(prepare_unit(unit, settings, lexicon)) for unit in units]
