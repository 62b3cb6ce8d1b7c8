"""Compacting a SQLite catalogue: the chapter texts stored before ingest packed them (plain,
or deflated with zlib by an earlier version) packed the way ingest packs them now, then
VACUUM, so that the pages they freed go back to the file system.

The texts are packed a few megabytes per transaction, each taking the write lock as an
ingest does, so readers and writers go on meanwhile and an interruption leaves every text
whole (packed or not, both read the same). VACUUM rewrites the file in one step and needs
as much free disk space as the catalogue, for a moment.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, and_, bindparam, func, literal, or_, select, update

from catalog.config import sqlite_path
from catalog.store.packed import SMALLEST, ZSTD_MAGIC, pack
from catalog.store.tables import chapters

BATCH_ROWS = 500
BATCH_CHARS = 16 * 2**20  # of text per transaction: bounds memory when chapters are long
C = chapters.c
# Chapters worth packing: plain text long enough, or bytes packed some other way than zstd.
UNPACKED = or_(and_(func.typeof(C.text) == "text", func.length(C.text) >= SMALLEST),
               and_(func.typeof(C.text) == "blob",
                    func.substr(C.text, 1, len(ZSTD_MAGIC)) != literal(ZSTD_MAGIC)))


@dataclass(frozen=True)
class Compacted:
    chapters: int  # chapters whose stored text changed
    before: int  # bytes of the database file and its log, before and after
    after: int


def compact(writer: Engine) -> Compacted | None:
    """Pack every chapter text ingest would pack, then VACUUM; None when the catalogue is
    not a SQLite file (PostgreSQL compresses stored text itself)."""
    path = sqlite_path(writer.url.render_as_string(hide_password=False))
    if path is None:
        return None
    before = _size(path)
    changed, last = 0, 0
    while True:
        with writer.connect() as conn:  # which chapters: a read, no lock held
            found = conn.execute(select(C.id, func.length(C.text)).where(C.id > last, UNPACKED)
                                 .order_by(C.id).limit(BATCH_ROWS)).all()
        if not found:
            break
        for group in _groups([(int(i), int(n)) for i, n in found]):
            changed += _pack(writer, group)
        last = int(found[-1][0])
    raw = writer.raw_connection()  # VACUUM runs outside a transaction: no BEGIN first
    try:
        raw.cursor().execute("VACUUM")
        raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        raw.close()
    return Compacted(changed, before, _size(path))


def _groups(found: list[tuple[int, int]]) -> list[list[int]]:
    """Chapter ids in runs of at most BATCH_CHARS characters (a longer chapter alone)."""
    groups: list[list[int]] = [[]]
    size = 0
    for chapter_id, length in found:
        if groups[-1] and size + length > BATCH_CHARS:
            groups.append([])
            size = 0
        groups[-1].append(chapter_id)
        size += length
    return groups


def _pack(writer: Engine, ids: list[int]) -> int:
    """Pack these chapters in one transaction; how many changed."""
    with writer.begin() as conn:
        rows = [{"chapter": i, "packed": packed}
                for i, text in conn.execute(select(C.id, C.text).where(C.id.in_(ids)))
                if isinstance(packed := pack(text), bytes)]
        if rows:
            conn.execute(update(chapters).where(C.id == bindparam("chapter"))
                         .values(text=bindparam("packed")), rows)
    return len(rows)


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())
