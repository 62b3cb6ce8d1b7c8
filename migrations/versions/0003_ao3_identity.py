"""AO3 downloads: the work id as identity, URL, series, collections, the stated word
count, the completion date and the encoding a file was read with.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('collections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('name_key', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_collections')),
    sa.UniqueConstraint('name_key', name=op.f('uq_collections_name_key'))
    )
    op.create_table('series',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('name_key', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_series')),
    sa.UniqueConstraint('name_key', name=op.f('uq_series_name_key'))
    )
    op.create_table('work_collections',
    sa.Column('work_id', sa.Integer(), nullable=False),
    sa.Column('collection_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['collection_id'], ['collections.id'], name=op.f('fk_work_collections_collection_id_collections'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['work_id'], ['works.id'], name=op.f('fk_work_collections_work_id_works'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('work_id', 'collection_id', name=op.f('pk_work_collections'))
    )
    with op.batch_alter_table('work_collections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_work_collections_collection_id'), ['collection_id'], unique=False)

    op.create_table('work_series',
    sa.Column('work_id', sa.Integer(), nullable=False),
    sa.Column('series_id', sa.Integer(), nullable=False),
    sa.Column('part', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['series_id'], ['series.id'], name=op.f('fk_work_series_series_id_series'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['work_id'], ['works.id'], name=op.f('fk_work_series_work_id_works'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('work_id', 'series_id', name=op.f('pk_work_series'))
    )
    with op.batch_alter_table('work_series', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_work_series_series_id'), ['series_id'], unique=False)

    with op.batch_alter_table('works', schema=None) as batch_op:
        batch_op.add_column(sa.Column('completed', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('ao3_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('url', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('stated_words', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('encoding', sa.String(length=32), nullable=True))
        batch_op.create_index(batch_op.f('ix_works_ao3_id'), ['ao3_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('works', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_works_ao3_id'))
        batch_op.drop_column('encoding')
        batch_op.drop_column('stated_words')
        batch_op.drop_column('url')
        batch_op.drop_column('ao3_id')
        batch_op.drop_column('completed')

    with op.batch_alter_table('work_series', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_work_series_series_id'))

    op.drop_table('work_series')
    with op.batch_alter_table('work_collections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_work_collections_collection_id'))

    op.drop_table('work_collections')
    op.drop_table('series')
    op.drop_table('collections')
