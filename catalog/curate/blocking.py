"""Keeping `works.blocked`, whether the blocklist matches each work, so that a listing
leaves blocked works out by a column of the row it reads. Every write that can change
which works an entry matches refreshes it in its own transaction: the blocklist and saved
searches (all works), wrangling (all works), an ingest batch, an edit or a reading mark
(those works). `catalog db check` recomputes it and reports any difference; `--repair`
rewrites it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from sqlalchemy import select, update

from catalog.query.compiler import Query, blocklisted, condition
from catalog.query.saved import Expander
from catalog.store.known import chunks
from catalog.store.tables import works

if TYPE_CHECKING:  # no ORM at import: the facade loads this for every command
    from sqlalchemy import Connection
    from sqlalchemy.orm import Session

W = works.c


def refresh(session: Session | Connection, work_ids: Iterable[int] | None = None) -> None:
    """Recompute which of these works (every work when None) the blocklist matches."""
    ids = None if work_ids is None else sorted(set(work_ids))
    if ids is not None and not ids:
        return
    if not blocklisted(session):
        if ids is None:  # the last entry went: nothing is blocked
            session.execute(update(works).where(W.blocked.is_(True)).values(blocked=False))
        return
    entries = Expander(session).blocked()
    assert entries is not None
    matched = condition(session, Query(where=entries, block=False), sets=True)
    for part in [None] if ids is None else chunks(ids):
        scope = [] if part is None else [W.id.in_(part)]
        session.execute(update(works).where(*scope, W.blocked.is_(True), ~matched)
                        .values(blocked=False))
        session.execute(update(works).where(*scope, W.blocked.is_(False), matched)
                        .values(blocked=True))


def drift(session: Session | Connection) -> tuple[int, int]:
    """(works blocked but not marked so, works marked but no longer blocked)."""
    kept = set(session.scalars(select(W.id).where(W.blocked.is_(True))))
    entries = Expander(session).blocked()
    should: set[int] = set()
    if entries is not None:
        matched = condition(session, Query(where=entries, block=False), sets=True)
        should = set(session.scalars(select(W.id).where(matched)))
    return len(should - kept), len(kept - should)
