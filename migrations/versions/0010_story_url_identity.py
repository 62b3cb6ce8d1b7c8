"""The story's URL as an identity, `works.url_key`.

Why: FanFicFare downloads and saved fanfiction.net pages name their story by its address on
any site, and a newer download must update the work instead of adding a second one. The key
is the URL without what varies between downloads of one story (scheme, `www.`/`m.`, a
chapter number, a slash at the end), made by `catalog.storyurl.key`. Every URL stored
before this revision is an AO3 work's, written from its AO3 id, so its key is made from that
id here.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("works", schema=None) as batch_op:
        batch_op.add_column(sa.Column("url_key", sa.Text(), nullable=True))
        batch_op.create_index(batch_op.f("ix_works_url_key"), ["url_key"], unique=False)
    works = sa.table("works", sa.column("url", sa.Text), sa.column("ao3_id", sa.Integer),
                     sa.column("url_key", sa.Text))
    op.execute(works.update()
               .where(works.c.url.is_not(None), works.c.ao3_id.is_not(None))
               .values(url_key=sa.literal("archiveofourown.org/works/")
                       + sa.cast(works.c.ao3_id, sa.Text)))


def downgrade() -> None:
    with op.batch_alter_table("works", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_works_url_key"))
        batch_op.drop_column("url_key")
