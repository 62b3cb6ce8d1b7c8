"""The one writer: prepared entries stored in batches, many files per transaction.

Each batch is one transaction (so the write lock is held per batch and other writers
interleave between batches), each file in it one SAVEPOINT: a database error in one file
rolls back that file alone, the rest of the batch lands. A dry run rolls every savepoint
back. If the commit itself fails nothing of the batch landed, and every file of it says so.

The run of new works a batch opens with needs no savepoint of its own: nothing comes before
it, so rolling the transaction back undoes exactly that run. SQLite keeps a savepoint's
undo copy of every page the run changes, which cost 12–17% of a bulk ingest's writer.
If the database refuses such a run, the whole batch is written again the careful way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import cast

from sqlalchemy.orm import Session, SessionTransaction

from catalog import vocab
from catalog.curate import blocking
from catalog.errors import reason
from catalog.ingest import restore
from catalog.ingest.prepare import Parsed
from catalog.ingest.report import FAILED, FileReport, failed
from catalog.ingest.settings import IngestSettings
from catalog.model import CatalogEntry, Kept, Prepared
from catalog.store import bulk
from catalog.store.engine import write_cache
from catalog.store.known import Known
from catalog.store.store import INGESTED, UPDATED, Outcome, store
from catalog.textnorm import name_key
from catalog.wrangle.edit import new_tags_rows
from catalog.wrangle.graph import NAMES_MEMO

BATCH_FILES = 200
BATCH_BYTES = 16 * 2**20  # of story text: bounds memory when works are long
LONG_TEXT = 8 * 2**20  # of one work's text: its batch writes through a lean cache


def batches(parsed: Iterable[Parsed]) -> Iterator[list[Parsed]]:
    """Consecutive runs of parsed items, cut by file count and text size, and where an
    export's own records (Kept) give way to works: those are stored first, on their own,
    so the works after them find the tags they made."""
    batch: list[Parsed] = []
    size = 0
    for item in parsed:
        if batch and isinstance(item, Kept) != isinstance(batch[0], Kept):
            yield batch
            batch, size = [], 0
        batch.append(item)
        if isinstance(item, Prepared):
            size += len(item.body)  # the story text's size: the chapters may be packed
        if len(batch) >= BATCH_FILES or size >= BATCH_BYTES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def write(session_factory: Callable[[], Session], parsed: Iterable[Parsed],
          settings: IngestSettings) -> Iterator[FileReport]:
    """Store every prepared entry; reports come back in input order."""
    known = Known(new_tags_rows)  # carried from batch to batch (`Known.resume`)
    for batch in batches(parsed):
        if isinstance(batch[0], Kept):
            yield from write_kept(session_factory, cast("list[Kept]", batch), settings)
            known.forget()  # restored tags may have been renamed or merged
        elif not any(isinstance(item, Prepared) for item in batch):
            yield from batch  # type: ignore[misc]  # only reports: nothing to write
        else:
            yield from write_batch(session_factory, cast("list[Prepared | FileReport]", batch),
                                   settings, known)


def write_kept(session_factory: Callable[[], Session], batch: list[Kept],
               settings: IngestSettings) -> list[FileReport]:
    """An export's tags, saved searches and blocks, restored in one transaction, each in
    its own savepoint: a bad one is reported (`file:LINE: reason`), the rest land."""
    reports: list[FileReport] = []
    with session_factory() as session:
        session.begin()
        for item in batch:
            savepoint = session.begin_nested()
            try:
                restore.kept(session, item)
            except Exception as exc:  # whatever it is, it is this line's failure
                savepoint.rollback()
                reports.append(failed(item.where, reason(exc)))
            else:
                savepoint.commit()
        blocking.refresh(session)  # the restored tags, searches and blocks decide it
        if settings.dry_run:
            session.rollback()
        else:
            session.commit()
    return reports


def write_batch(session_factory: Callable[[], Session], batch: list[Prepared | FileReport],
                settings: IngestSettings, known: Known) -> list[FileReport]:
    """One transaction for the batch, one savepoint per file. `known` comes from the
    writer's previous batch: what it still holds true is kept (`Known.resume`)."""
    lean = any(isinstance(item, Prepared) and len(item.body) > LONG_TEXT for item in batch)
    with session_factory() as session:
        try:
            _begin(session, lean, known)
            try:
                reports = _store_all(session, batch, settings, known, first_run_bare=True)
            except _Refused:
                session.rollback()
                known.forget()
                _begin(session, lean, known)
                reports = _store_all(session, batch, settings, known)
            blocking.refresh(session, [r.id for r in reports if r.id is not None
                                       and r.status in (INGESTED, UPDATED)])
            if settings.dry_run:
                session.rollback()
                known.forget()
            else:
                session.commit()
        except Exception as exc:  # the commit itself: nothing of the batch landed
            session.rollback()
            known.forget()
            why = f"database error: {reason(exc)}"
            return [item if isinstance(item, FileReport) else failed(item.entry.source, why)
                    for item in batch]
    return reports


def _begin(session: Session, lean: bool, known: Known) -> None:
    session.begin()
    write_cache(session.connection(), lean=lean)
    known.resume(session)


class _Refused(Exception):
    """The database refused a run stored without a savepoint: write the batch again."""


def _store_all(session: Session, batch: list[Prepared | FileReport], settings: IngestSettings,
               known: Known, *, first_run_bare: bool = False) -> list[FileReport]:
    """Runs of plainly new entries in bulk, every other entry on its own, in input order;
    with `first_run_bare`, a run that opens the batch is stored without a savepoint."""
    session.info[NAMES_MEMO] = known.character_names  # emptied whenever names change
    prepared = [item for item in batch if isinstance(item, Prepared)]
    entries = [item.entry for item in prepared]
    known.works(session, sources=[e.source for e in entries],
                ao3_ids=[e.ao3_id for e in entries if e.ao3_id is not None],
                url_keys=[e.url_key for e in entries if e.url_key is not None],
                shas=[] if settings.allow_duplicates else [p.sha256 for p in prepared])
    known.learn_tags(session, {(t.type, name_key(t.name)) for e in entries for t in e.tags})
    claims, taken = bulk.Claims(), bulk.taken_ids(session, entries)
    reports: list[FileReport] = []
    run: list[Prepared] = []

    def stored(run: list[Prepared]) -> list[FileReport]:
        # Nothing was written before the batch's first report: that run may go bare.
        return _store_run(session, run, settings, known, bare=first_run_bare and not reports)

    for item in batch:
        if isinstance(item, Prepared) and bulk.fresh(
                item, known, claims, taken, allow_duplicates=settings.allow_duplicates):
            if run and (run[0].entry.id is None) != (item.entry.id is None):
                reports += stored(run)
                run = []
            run.append(item)
            continue
        reports += stored(run)
        run = []
        reports.append(item if isinstance(item, FileReport)
                       else _store_one(session, item, settings, known))
    return reports + stored(run)


def _store_run(session: Session, run: list[Prepared], settings: IngestSettings,
               known: Known, *, bare: bool = False) -> list[FileReport]:
    """New works in one savepoint; if the database refuses the run, each on its own, so
    that only the bad file fails. A `bare` run opens the transaction: it takes no savepoint
    and raises _Refused instead (not in a dry run, whose runs each roll back)."""
    if not run:
        return []
    if bare and not settings.dry_run:
        try:
            ids = bulk.insert_new(session, run, known)
        except Exception as exc:  # a driver's OverflowError is no SQLAlchemyError
            raise _Refused from exc
    else:
        savepoint = session.begin_nested()
        try:
            ids = bulk.insert_new(session, run, known)
        except Exception:
            _forget(session, savepoint, known)
            return [_store_one(session, item, settings, known) for item in run]
        if settings.dry_run:
            _forget(session, savepoint, known)
        else:
            savepoint.commit()
    return [_report(p, Outcome(INGESTED, work_id), _notice(session, p.entry, known))
            for p, work_id in zip(run, ids, strict=True)]


def _store_one(session: Session, item: Prepared, settings: IngestSettings,
               known: Known) -> FileReport:
    entry = item.entry
    savepoint = session.begin_nested()
    try:
        outcome = store(session, entry, allow_duplicates=settings.allow_duplicates,
                        known=known, hashes=(item.sha256, item.meta_hash))
    except Exception as exc:  # whatever the driver raises, it is this file's failure
        _forget(session, savepoint, known)
        return FileReport(entry.source, FAILED, error=f"database error: {reason(exc)}")
    notice = _notice(session, entry, known) if outcome.status in (INGESTED, UPDATED) else None
    if settings.dry_run:
        _forget(session, savepoint, known)
    else:
        savepoint.commit()
    return _report(item, outcome, notice)


def _report(item: Prepared, outcome: Outcome, notice: str | None = None) -> FileReport:
    entry = item.entry
    return FileReport(entry.source, outcome.status, id=outcome.work_id, title=entry.title,
                      words=entry.words, format=entry.format, duplicate_of=outcome.duplicate_of,
                      notice=notice)


def _notice(session: Session, entry: CatalogEntry, known: Known) -> str | None:
    """A rating the file wrote that neither AO3's table nor the catalogue's synonyms know:
    the work is Not Rated, and the user should hear which value did it."""
    raw = entry.rating_raw
    rating = next((t for t in entry.tags if t.type == "rating"), None)
    if (not raw or rating is None or "rating" in entry.layers.get("user", {})
            or vocab.read_rating(raw) is not None or known.rating_named(session, raw)):
        return None
    return (f"rating {raw!r} is not one AO3 knows: Not Rated, the value kept (map it: "
            f"catalog tag synonym {raw!r} RATING --type rating)")


def _forget(session: Session, savepoint: SessionTransaction, known: Known) -> None:
    """Roll a file back; what was learnt since may name rows that are gone now."""
    savepoint.rollback()
    known.forget()
    session.info[NAMES_MEMO] = known.character_names  # emptied by forget
