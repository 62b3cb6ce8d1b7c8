"""Many rows inserted with ids chosen up front, so one executemany writes them all.

`INSERT … RETURNING` cannot promise on SQLite that the ids come back in the rows' order, so
SQLAlchemy then inserts the rows one statement at a time, which was a third of a bulk
ingest's statements. Choosing the ids first is safe because every writer holds the write
lock for its whole transaction (SQLite's BEGIN IMMEDIATE, PostgreSQL's advisory lock), and
on PostgreSQL the ids come from the table's own sequence anyway.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table, func, select, text

from catalog.store.rows import insert_rows


def insert_with_ids(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> list[int]:
    """Insert rows (without ids) and return the ids given to them, in the rows' order."""
    if not rows:
        return []
    key = next(iter(table.primary_key.columns))
    ids = allocate(conn, table, len(rows))
    insert_rows(conn, table, [{**row, key.name: i} for row, i in zip(rows, ids, strict=True)])
    return ids


def allocate(conn: Connection, table: Table, n: int) -> list[int]:
    """n unused ids for `table`, ascending."""
    key = next(iter(table.primary_key.columns))
    if conn.dialect.name == "postgresql":
        sequence = func.pg_get_serial_sequence(table.name, key.name)
        return sorted(conn.scalars(select(func.nextval(sequence))
                                   .select_from(func.generate_series(1, n))))
    largest = conn.scalar(select(func.max(key))) or 0
    if table.dialect_options["sqlite"].get("autoincrement"):
        # AUTOINCREMENT never reuses an id, even a deleted row's: start past the record.
        used = conn.scalar(text("SELECT seq FROM sqlite_sequence WHERE name = :t"),
                           {"t": table.name})
        largest = max(largest, used or 0)
    return list(range(largest + 1, largest + 1 + n))
