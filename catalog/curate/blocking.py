"""Keeping `blocked_works`, the works the blocklist matches, so that a listing leaves them
out with one key lookup per work. Every write that can change which works an entry
matches refreshes it in its own transaction: the blocklist and saved searches (all works),
wrangling (all works), an ingest batch, an edit or a reading mark (those works). `catalog
db check` recomputes it and reports any difference; `--repair` rewrites it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from sqlalchemy import delete, insert, select

from catalog.query.compiler import Query, condition
from catalog.query.saved import Expander
from catalog.store.known import chunks
from catalog.store.tables import blocked_works, blocks, works

if TYPE_CHECKING:  # no ORM at import: the facade loads this for every command
    from sqlalchemy import Connection
    from sqlalchemy.orm import Session

W, BW = works.c, blocked_works.c


def refresh(session: Session | Connection, work_ids: Iterable[int] | None = None) -> None:
    """Recompute which of these works (every work when None) the blocklist matches."""
    ids = None if work_ids is None else sorted(set(work_ids))
    if ids is not None and not ids:
        return
    if session.scalar(select(blocks.c.id).limit(1)) is None:
        if ids is None:  # the last entry went: nothing is blocked
            session.execute(delete(blocked_works))
        return
    entries = Expander(session).blocked()
    assert entries is not None
    matched = condition(session, Query(where=entries, block=False), sets=True)
    if ids is None:
        session.execute(delete(blocked_works))
        session.execute(insert(blocked_works).from_select(
            ["work_id"], select(W.id).where(matched)))
        return
    for part in chunks(ids):
        session.execute(delete(blocked_works).where(BW.work_id.in_(part)))
        session.execute(insert(blocked_works).from_select(
            ["work_id"], select(W.id).where(W.id.in_(part), matched)))


def drift(session: Session | Connection) -> tuple[int, int]:
    """(works blocked but not kept as such, works kept but no longer blocked)."""
    kept = set(session.scalars(select(BW.work_id)))
    entries = Expander(session).blocked()
    should: set[int] = set()
    if entries is not None:
        matched = condition(session, Query(where=entries, block=False), sets=True)
        should = set(session.scalars(select(W.id).where(matched)))
    return len(should - kept), len(kept - should)
