"""Many plain rows in one executemany, without SQLAlchemy's per-row parameter handling.

A bulk ingest writes a hundred thousand chapter, link and full-text rows per minute, and
turning each row's dict into the driver's parameters took about a tenth of the writer's
time. The statement is still SQLAlchemy's own, compiled once per table, column set and
dialect, with every value a bound parameter; only the rows go to the driver directly. A
table whose columns need a bind processor (dates on SQLite, say) goes the usual way.
"""

from __future__ import annotations

from functools import lru_cache
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, TableClause, insert
from sqlalchemy.engine.interfaces import Dialect


def insert_rows(conn: Connection, table: TableClause, rows: list[dict[str, Any]]) -> None:
    """INSERT every row (all with the same keys) with one executemany."""
    if not rows:
        return
    keys = tuple(rows[0])
    plan = _plan(table, keys, conn.dialect)
    if plan is None:
        conn.execute(insert(table), rows)
        return
    sql, order = plan
    if order is None:  # a dialect with named parameters takes the dicts as they are
        conn.exec_driver_sql(sql, rows)
    elif len(order) == 1:
        conn.exec_driver_sql(sql, [(row[order[0]],) for row in rows])
    else:
        values = itemgetter(*order)
        conn.exec_driver_sql(sql, [values(row) for row in rows])


@lru_cache(maxsize=64)
def _plan(table: TableClause, keys: tuple[str, ...], dialect: Dialect
          ) -> tuple[str, tuple[str, ...] | None] | None:
    """(SQL, parameter order or None for named parameters), or None when a value needs
    converting on its way to the driver."""
    compiled = insert(table).compile(dialect=dialect, column_keys=list(keys),
                                     for_executemany=True)
    if any(bind.type.bind_processor(dialect) is not None
           for bind in compiled.binds.values()):
        return None
    if set(compiled.binds) != set(keys):
        return None  # a column default or an unexpected key: let SQLAlchemy decide
    order = tuple(compiled.positiontup) if compiled.positional and compiled.positiontup else None
    return str(compiled), order
