"""What the user keeps: layers over each work's file, reading status, saved searches and
the blocklist (with `works.blocked`, which works it matches, kept for listings).

Why: tags and values given at ingest were written into the work as if the file said them,
so ingesting the file again dropped them, and there was nowhere to keep an edit. Now a
work's file values and the user's layers are stored apart (`work_layers`: "file", "user",
"edit"; see `catalog.layers`). Upgrading moves each work's tags given at ingest (provenance
"user") into its "user" layer, so the next ingest of the same file keeps them; the file's
own values are what is left (a rating or warnings the options replaced were not kept
before this revision, so they become Not Rated and Creator Chose Not To Use Archive
Warnings, as for a file that states none).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NOT_RATED = "Not Rated"
CNTW = "Creator Chose Not To Use Archive Warnings"
TAG_ORDER = ("rating", "warning", "category", "fandom", "relationship", "character", "freeform")


def upgrade() -> None:
    op.create_table(
        "work_layers",
        sa.Column("work_id", sa.Integer, nullable=False),
        sa.Column("layer", sa.String(8), nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.ForeignKeyConstraint(["work_id"], ["works.id"], ondelete="CASCADE",
                                name="fk_work_layers_work_id_works"),
        sa.PrimaryKeyConstraint("work_id", "layer", name="pk_work_layers"))
    op.create_table(
        "reading",
        sa.Column("work_id", sa.Integer, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("chapter", sa.Integer),
        sa.Column("marked_at", sa.DateTime, nullable=False),
        sa.Column("chapters_seen", sa.Integer, nullable=False),
        sa.Column("words_seen", sa.Integer, nullable=False),
        sa.ForeignKeyConstraint(["work_id"], ["works.id"], ondelete="CASCADE",
                                name="fk_reading_work_id_works"),
        sa.PrimaryKeyConstraint("work_id", name="pk_reading"))
    op.create_index("ix_reading_status", "reading", ["status"])
    op.create_table(
        "saved_searches",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("name_key", sa.Text, nullable=False),
        sa.Column("query", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_saved_searches"),
        sa.UniqueConstraint("name_key", name="uq_saved_searches_name_key"))
    op.create_table(
        "blocks",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("query", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_blocks"),
        sqlite_autoincrement=True)
    # Whether the blocklist matches the work (nothing is blocked yet); added in place, as
    # a column with a constant default needs no copy of the table on SQLite.
    op.add_column("works", sa.Column("blocked", sa.Boolean, nullable=False,
                                     server_default=sa.false()))
    _move_given_tags_to_layers(op.get_bind())


def _move_given_tags_to_layers(conn: sa.Connection) -> None:
    """Each work with tags given at ingest gets a "user" layer holding them and a "file"
    row with the rest; nothing is rewritten in the work itself."""
    given = sorted({work_id for (work_id,) in conn.execute(
        sa.text("SELECT DISTINCT work_id FROM work_tags WHERE source = 'user'"))})
    for start in range(0, len(given), 500):
        part = given[start:start + 500]
        rows: list[dict[str, Any]] = []
        for work_id in part:
            rows += _layer_rows(conn, work_id)
        if rows:
            conn.execute(sa.text("INSERT INTO work_layers (work_id, layer, data) "
                                 "VALUES (:work_id, :layer, :data)"), rows)


def _layer_rows(conn: sa.Connection, work_id: int) -> list[dict[str, Any]]:
    work = conn.execute(sa.text(
        "SELECT title, summary, language, complete, expected_chapters FROM works "
        "WHERE id = :id"), {"id": work_id}).one()
    authors = [f"{pseud} ({login})" if login and login != pseud else pseud
               for pseud, login in conn.execute(sa.text(
                   "SELECT a.pseud, a.login FROM work_authors wa JOIN authors a "
                   "ON a.id = wa.author_id WHERE wa.work_id = :id ORDER BY wa.position"),
                   {"id": work_id})]
    tags = list(conn.execute(sa.text(
        "SELECT t.type, COALESCE(wt.written, t.name), wt.source, wt.mentions "
        "FROM work_tags wt JOIN tags t ON t.id = wt.tag_id WHERE wt.work_id = :id "
        "ORDER BY wt.position"), {"id": work_id}))
    kept = [[t, n, s, m] for t, n, s, m in tags if s != "user"]
    user = [(t, n) for t, n, s, _ in tags if s == "user"]
    layer: dict[str, Any] = {}
    ratings = [n for t, n in user if t == "rating"]
    if ratings:
        layer["rating"] = ratings[0]
        kept.append(["rating", NOT_RATED, "file", None])
    warnings = [n for t, n in user if t == "warning"]
    if warnings:
        layer["warnings"] = warnings
        if not any(t == "warning" for t, *_ in kept):
            kept.append(["warning", CNTW, "file", None])
    add = [[t, n] for t, n in user if t not in ("rating", "warning")]
    if add:
        layer["add"] = add
    kept.sort(key=lambda tag: TAG_ORDER.index(tag[0]))
    file_values = {"title": work.title, "summary": work.summary, "language": work.language,
                   "complete": bool(work.complete),
                   "expected_chapters": work.expected_chapters, "authors": authors,
                   "tags": kept}
    return [{"work_id": work_id, "layer": "file", "data": _dump(file_values)},
            {"work_id": work_id, "layer": "user", "data": _dump(layer)}]


def _dump(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def downgrade() -> None:
    for table in ("blocks", "saved_searches", "reading", "work_layers"):
        op.drop_table(table)
    with op.batch_alter_table("works") as batch:
        batch.drop_column("blocked")
