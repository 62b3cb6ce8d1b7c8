"""The ingest pipeline: discover units, parse them (in worker processes when there are
many), store them in batched transactions, and report one line per outcome in input order.

A failure (unreadable file, bad record, database error) fails that file only; the rest
lands. `dry_run` does everything but commit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import chain, islice

from sqlalchemy.orm import Session

from catalog.ingest.discover import discover
from catalog.ingest.prepare import Parsed
from catalog.ingest.readers import Unit
from catalog.ingest.report import (
    FAILED,
    SKIPPED,
    SUMMARY_KEYS,
    FileReport,
    summarise,
    summary_line,
)
from catalog.ingest.settings import IngestSettings
from catalog.ingest.workers import MIN_UNITS, in_process, in_workers
from catalog.ingest.writer import write
from catalog.model import Prepared
from catalog.wrangle.infer import Lexicon

__all__ = ["FAILED", "SKIPPED", "SUMMARY_KEYS", "FileReport", "IngestSettings", "ingest",
           "ingest_units", "summarise", "summary_line"]


def ingest(session_factory: Callable[[], Session], paths: Iterable[str],
           settings: IngestSettings) -> Iterator[FileReport]:
    """Ingest every story under `paths`, yielding a report per file as it is done."""
    found = discover(paths, settings.input_format, follow_symlinks=settings.follow_symlinks)
    return ingest_units(session_factory, found, settings)


def ingest_units(session_factory: Callable[[], Session], items: Iterable[Unit | FileReport],
                 settings: IngestSettings, on_read: Callable[[str], None] | None = None
                 ) -> Iterator[FileReport]:
    """Ingest units already found by `discover` (so a caller can count them first).
    `on_read` hears of each file (or export record) as it is read, before its batch is
    written: a progress display moves a file at a time, not a batch at a time."""
    parsed = parse(session_factory, items, settings)
    if on_read is not None:
        parsed = _observed(parsed, on_read)
    return write(session_factory, parsed, settings)


def _observed(parsed: Iterable[Parsed], on_read: Callable[[str], None]) -> Iterator[Parsed]:
    for item in parsed:
        if isinstance(item, FileReport):
            on_read(item.path)
        elif isinstance(item, Prepared):
            on_read(item.entry.source)
        yield item


def parse(session_factory: Callable[[], Session], items: Iterable[Unit | FileReport],
          settings: IngestSettings) -> Iterator[Parsed]:
    """Parsed items in input order: in worker processes when there are more than
    MIN_UNITS units and more than one job, else here."""
    lexicon = _lexicon_loader(session_factory)
    it = iter(items)
    head = list(islice(it, MIN_UNITS + 1))
    units = sum(isinstance(i, Unit) for i in head)
    if settings.jobs > 1 and units > MIN_UNITS:
        yield from in_workers(chain(head, it), settings, lexicon(), settings.jobs)
    else:
        yield from in_process(chain(head, it), settings, lexicon)


def _lexicon_loader(session_factory: Callable[[], Session]) -> Callable[[], Lexicon]:
    """The inference lexicon, read from the catalogue once, when it is first needed."""
    loaded: list[Lexicon] = []

    def load() -> Lexicon:
        if not loaded:
            with session_factory() as session:
                loaded.append(Lexicon.load(session))
        return loaded[0]

    return load
