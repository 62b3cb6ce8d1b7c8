"""A reader's status for each work (`catalog mark`), with what the work held when it was
marked: an ingest that adds chapters or words to a work marked reading or read shows
it as `reading:updated` until it is marked again."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from catalog.curate import blocking
from catalog.errors import CatalogError
from catalog.store.store import utcnow
from catalog.store.tables import reading, works

STATUSES = ("later", "reading", "read", "dropped")
R, W = reading.c, works.c


def mark(session: Session, work_ids: Iterable[int], status: str,
         chapter: int | None = None) -> int:
    """Set (or with "none" clear) the status of works that exist; how many."""
    if status not in (*STATUSES, "none"):
        raise CatalogError(f"unknown status {status!r}: use one of "
                           f"{', '.join((*STATUSES, 'none'))}")
    ids = list(dict.fromkeys(work_ids))
    session.execute(delete(reading).where(R.work_id.in_(ids)))
    if status == "none":
        blocking.refresh(session, ids)  # a block may name a status
        return len(ids)
    now = utcnow()
    rows: list[dict[str, Any]] = []
    for work_id, chapters, words in session.execute(
            select(W.id, W.chapter_count, W.words).where(W.id.in_(ids))):
        if chapter is not None and chapter > chapters:
            raise CatalogError(f"--chapter {chapter}: work {work_id} has {chapters} "
                               f"chapter{'' if chapters == 1 else 's'}")
        rows.append({"work_id": work_id, "status": status, "chapter": chapter,
                     "marked_at": now, "chapters_seen": chapters, "words_seen": words})
    if rows:
        session.execute(reading.insert(), rows)
    blocking.refresh(session, ids)
    return len(rows)

