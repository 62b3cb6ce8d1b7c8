"""The ingest pipeline: discover units, read and resolve records, store each in its own
transaction, and report one line per outcome.

A failure (unreadable file, bad record, database error) rolls back that file's transaction
only; the rest of the batch lands. `dry_run` does everything but commit.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from catalog.db.store import store
from catalog.errors import CatalogError, InputError
from catalog.ingest.discover import Skipped, discover
from catalog.ingest.readers import Unit, get_reader
from catalog.ingest.record import WorkRecord
from catalog.ingest.resolve import IngestOptions, resolve
from catalog.wrangle.infer import Lexicon, infer

FAILED, SKIPPED = "failed", "skipped"
SUMMARY_KEYS = ("ingested", "updated", "unchanged", "duplicate", "failed")


@dataclass(frozen=True)
class FileReport:
    """What happened to one file (or one record of a JSONL file)."""

    path: str
    status: str
    id: int | None = None
    title: str | None = None
    words: int | None = None
    format: str | None = None
    duplicate_of: int | None = None
    error: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass
class IngestSettings:
    options: IngestOptions
    max_size: int
    input_format: str | None = None
    dry_run: bool = False
    allow_duplicates: bool = False


def _records(unit: Unit, max_size: int) -> Iterator[WorkRecord | InputError]:
    try:
        yield from get_reader(unit.reader)(unit, max_size)
    except InputError as exc:
        yield exc
    except (OSError, CatalogError) as exc:
        yield InputError(unit.label, str(exc))


def ingest(session_factory: Callable[[], Session], paths: Iterable[str],
           settings: IngestSettings) -> Iterator[FileReport]:
    """Ingest every story under `paths`, yielding a report per file as it is done."""
    return ingest_units(session_factory, discover(paths, settings.input_format), settings)


def ingest_units(session_factory: Callable[[], Session], items: Iterable[Unit | Skipped],
                 settings: IngestSettings) -> Iterator[FileReport]:
    """Ingest units already found by `discover` (so a caller can count them first)."""
    lexicon: list[Lexicon] = []
    for item in items:
        if isinstance(item, Skipped):
            yield FileReport(item.path, FAILED if item.error else SKIPPED, error=item.reason)
            continue
        for record in _records(item, settings.max_size):
            if not lexicon:
                with session_factory() as session:
                    lexicon.append(Lexicon.load(session))
            yield _store_one(session_factory, record, settings, lexicon[0])


def _store_one(session_factory: Callable[[], Session], record: WorkRecord | InputError,
               settings: IngestSettings, lexicon: Lexicon) -> FileReport:
    if isinstance(record, InputError):
        return FileReport(record.path, FAILED, error=record.reason)
    try:
        entry = infer(resolve(record, settings.options), lexicon)
    except InputError as exc:
        return FileReport(record.source, FAILED, error=exc.reason)
    with session_factory() as session:
        try:
            outcome = store(session, entry, allow_duplicates=settings.allow_duplicates)
            if settings.dry_run:
                session.rollback()
            else:
                session.commit()
        except SQLAlchemyError as exc:
            session.rollback()
            reason = str(exc.orig if hasattr(exc, "orig") else exc).splitlines()[0]
            return FileReport(record.source, FAILED, error=f"database error: {reason}")
    return FileReport(record.source, outcome.status, id=outcome.work_id, title=entry.title,
                      words=entry.words, format=entry.format, duplicate_of=outcome.duplicate_of)


def summarise(reports: Iterable[FileReport]) -> Counter[str]:
    return Counter(r.status for r in reports)


def summary_line(counts: Counter[str]) -> str:
    """`ingested N · updated N · unchanged N · duplicates N · failed N`."""
    names = {"duplicate": "duplicates"}
    return " · ".join(f"{names.get(k, k)} {counts.get(k, 0)}" for k in SUMMARY_KEYS)
