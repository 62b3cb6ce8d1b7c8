"""A run's links from works to tags, with each tag's count added once.

`tags.work_count` is kept by triggers on `work_tags` (migration 0005). SQLite's trigger runs
for each row: a bulk ingest's 16 links a work were 16 updates of a tag's row and of its
entry in `ix_tags_type_work_count`. For a run of new works the trigger is told to stand
aside (a row in `links_uncounted`, which its WHEN clause checks, migration 0012) and each
tag gets one update for the run. All of it is in the caller's transaction: a rollback
undoes the links, the counts and the marker together, and no commit ever sees the
marker. PostgreSQL's triggers count once per statement already.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import Connection, bindparam, delete, insert, update

from catalog.store.rows import insert_rows
from catalog.store.tables import links_uncounted, tags, work_tags

_ADD = (update(tags).where(tags.c.id == bindparam("tag"))
        .values(work_count=tags.c.work_count + bindparam("added")))


def insert_links(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """INSERT the work_tags rows and count them: on SQLite, one update per tag."""
    if conn.dialect.name != "sqlite" or not rows:
        insert_rows(conn, work_tags, rows)
        return
    conn.execute(insert(links_uncounted).values(id=1))
    try:
        insert_rows(conn, work_tags, rows)
    finally:  # the marker never outlives the call, even when the caller then rolls back
        conn.execute(delete(links_uncounted))
    added = Counter(row["tag_id"] for row in rows)
    conn.execute(_ADD, [{"tag": tag, "added": n} for tag, n in added.items()])
