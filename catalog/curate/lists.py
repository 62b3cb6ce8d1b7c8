"""A reader's own lists: saved searches (`@NAME` in any query) and the blocklist. Each
entry is a query, checked when it is saved (it parses, names only saved searches that
exist, and never refers to itself), so a listing never fails on a stored entry."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from catalog.curate import blocking
from catalog.errors import CatalogError, NotFoundError
from catalog.model import utc_iso
from catalog.query.compiler import Query, count
from catalog.query.language import SAVED_NAME, QueryError, parse
from catalog.query.saved import Expander
from catalog.store.store import utcnow
from catalog.store.tables import blocks, saved_searches
from catalog.textnorm import name_key

S, B = saved_searches.c, blocks.c


def _checked(session: Session, text: str, own: str | None = None) -> None:
    parsed = parse(text)
    if parsed.where is None:
        raise QueryError("an empty query matches every work: give a query", 0)
    Expander(session).expand(parsed.where, (own,) if own else ())


def save_search(session: Session, name: str, text: str) -> bool:
    """Save (or replace) a search; True when it replaced one of the same name."""
    name = name.removeprefix("@")
    if not SAVED_NAME.fullmatch(name):
        raise CatalogError(f"{name!r} cannot name a saved search: use letters, digits, '-' "
                           "and '_' (at most 64), starting with a letter or digit")
    key = name_key(name)
    _checked(session, text, key)
    replaced = session.scalar(select(S.id).where(S.name_key == key)) is not None
    session.execute(delete(saved_searches).where(S.name_key == key))
    session.execute(saved_searches.insert().values(name=name, name_key=key, query=text,
                                                   created_at=utcnow()))
    _check_users(session)
    blocking.refresh(session)  # a block may use it
    return replaced


def _check_users(session: Session) -> None:
    """Every saved search and block still expands (a replaced search may now close a
    loop through another): checked before the transaction commits."""
    for name, text in session.execute(select(S.name, S.query)):
        try:
            _checked(session, text, name_key(name))
        except QueryError as exc:
            raise QueryError(f"saved search @{name} would break: {exc.reason}", 0) from None
    for block_id, text in session.execute(select(B.id, B.query)):
        try:
            _checked(session, text)
        except QueryError as exc:
            raise QueryError(f"block {block_id} would break: {exc.reason}", 0) from None


def searches(session: Session) -> list[dict[str, Any]]:
    return [{"name": name, "query": text, "created": utc_iso(created)}
            for name, text, created in session.execute(
                select(S.name, S.query, S.created_at).order_by(S.name_key))]


def remove_search(session: Session, name: str) -> str:
    """Remove a saved search; one a block or another search uses stays (an error)."""
    key = name_key(name.removeprefix("@"))
    found = session.scalar(select(S.name).where(S.name_key == key))
    if found is None:
        raise NotFoundError(f"no saved search @{name.removeprefix('@')} "
                            "(see `catalog search list`)")
    session.execute(delete(saved_searches).where(S.name_key == key))
    try:
        _check_users(session)
    except QueryError as exc:
        raise CatalogError(f"@{found} is still used: {exc.reason}; change or remove that "
                           "first") from None
    return str(found)


def add_block(session: Session, text: str) -> int:
    _checked(session, text)
    block_id = int(session.execute(blocks.insert().values(query=text, created_at=utcnow())
                                   .returning(B.id)).scalar_one())
    blocking.refresh(session)
    return block_id


def block_list(session: Session) -> list[dict[str, Any]]:
    """Each entry with how many works it matches (blocked or not by another)."""
    out = []
    for block_id, text, created in session.execute(
            select(B.id, B.query, B.created_at).order_by(B.id)):
        works = session.scalar(count(session, Query(where=parse(text).where, block=False)))
        out.append({"id": block_id, "query": text, "created": utc_iso(created),
                    "works": int(works or 0)})
    return out


def remove_block(session: Session, block_id: int) -> str:
    text = session.scalar(select(B.query).where(B.id == block_id))
    if text is None:
        ids = ", ".join(str(i) for i in session.scalars(select(B.id).order_by(B.id)))
        raise NotFoundError(f"no block {block_id} (the blocklist has: {ids or 'none'})")
    session.execute(delete(blocks).where(B.id == block_id))
    blocking.refresh(session)
    return str(text)



def restore_search(session: Session, data: dict[str, Any]) -> None:
    """A saved search from an export, as it was (the searches it names may come later)."""
    key = name_key(data["name"])
    session.execute(delete(saved_searches).where(S.name_key == key))
    session.execute(saved_searches.insert().values(
        name=data["name"], name_key=key, query=data["query"],
        created_at=data.get("created") or utcnow()))


def restore_block(session: Session, data: dict[str, Any]) -> None:
    """A blocklist entry from an export, with its id when that is free here."""
    values: dict[str, Any] = {"query": data["query"],
                              "created_at": data.get("created") or utcnow()}
    same = session.scalar(select(B.id).where(B.query == data["query"]))
    if same is not None:
        return
    if data.get("id") is not None and session.scalar(
            select(B.id).where(B.id == data["id"])) is None:
        values["id"] = data["id"]
    session.execute(blocks.insert().values(**values))

