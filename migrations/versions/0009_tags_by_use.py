"""An index of tags by type and use, `(type, work_count)`.

Why: the top tags of a type over the whole catalogue (`catalog stats`, the served list's
sidebar) read every tag of the type to find the few most used: 25,000 relationships at
100,000 works, 90 ms for the seven types. Read from the top of this index they take a few
milliseconds.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_tags_type_work_count", "tags", ["type", "work_count"])


def downgrade() -> None:
    op.drop_index("ix_tags_type_work_count", table_name="tags")
