"""The creators of the matching works, most works first (the OPDS feed's "By author")."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from catalog.query.compiler import Query, condition
from catalog.store import tables
from catalog.store.tables import author_display

if TYPE_CHECKING:
    from catalog.store.fulltext import Executor

W, A, WA = tables.works.c, tables.authors.c, tables.work_authors.c


def authors(conn: Executor, query: Query, limit: int | None, offset: int = 0
            ) -> list[dict[str, Any]]:
    """[{name, pseud, works}]: `name` as bylines show it (`pseud (login)`), `pseud` what
    `author:` matches; by works, then name."""
    n = func.count(func.distinct(WA.work_id)).label("works")
    rows = conn.execute(
        select(A.pseud, A.login, n).join(tables.work_authors, WA.author_id == A.id)
        .where(WA.work_id.in_(select(W.id).where(condition(conn, query))))
        .group_by(A.id, A.pseud, A.login).order_by(n.desc(), A.name_key)
        .limit(limit).offset(offset))
    return [{"name": author_display(pseud, login), "pseud": pseud, "works": works}
            for pseud, login, works in rows]
