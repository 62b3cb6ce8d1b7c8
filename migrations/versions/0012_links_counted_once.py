"""Each tag's count added once per bulk insert on SQLite: `links_uncounted`, which SQLite's
per-row trigger on `work_tags` consults.

Why: SQLite's trigger (migration 0005) runs for each link. A bulk ingest inserts about 16
links a work, and each one updated its tag's row and moved the tag's entry in
`ix_tags_type_work_count`: 10,000 new works made 160,000 such updates. The writer now puts a
row in `links_uncounted` while it inserts a run's links (all in its transaction), so the
trigger stands aside, and then adds each tag's count with one update. Every other path
that adds links (an edit, a merge, a single work) is counted by the trigger as before.
PostgreSQL's triggers already count once per statement: the table is there, unused.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of the trigger before and after (migrations carry their own data).
COUNTED = ("CREATE TRIGGER work_tags_counted AFTER INSERT ON work_tags BEGIN "
           "UPDATE tags SET work_count = work_count + 1 WHERE id = NEW.tag_id; END")
COUNTED_UNLESS_DEFERRED = (
    "CREATE TRIGGER work_tags_counted AFTER INSERT ON work_tags "
    "WHEN NOT EXISTS (SELECT 1 FROM links_uncounted) BEGIN "
    "UPDATE tags SET work_count = work_count + 1 WHERE id = NEW.tag_id; END")


def _trigger(statement: str) -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER work_tags_counted")
        op.execute(statement)


def upgrade() -> None:
    op.create_table("links_uncounted", sa.Column("id", sa.Integer, nullable=False),
                    sa.PrimaryKeyConstraint("id", name="pk_links_uncounted"))
    _trigger(COUNTED_UNLESS_DEFERRED)


def downgrade() -> None:
    _trigger(COUNTED)
    op.drop_table("links_uncounted")
