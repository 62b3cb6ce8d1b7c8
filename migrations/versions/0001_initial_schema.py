"""Initial schema: works, chapters, authors, tags and the links between them.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('authors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pseud', sa.Text(), nullable=False),
    sa.Column('login', sa.Text(), nullable=True),
    sa.Column('name_key', sa.Text(), nullable=False),
    sa.Column('pseud_key', sa.Text(), nullable=False),
    sa.Column('login_key', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_authors')),
    sa.UniqueConstraint('name_key', name=op.f('uq_authors_name_key'))
    )
    with op.batch_alter_table('authors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_authors_login_key'), ['login_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_authors_pseud_key'), ['pseud_key'], unique=False)

    op.create_table('tags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('type', sa.String(length=16), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('name_key', sa.Text(), nullable=False),
    sa.Column('canonical', sa.Boolean(), nullable=False),
    sa.Column('synonym_of_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['synonym_of_id'], ['tags.id'], name=op.f('fk_tags_synonym_of_id_tags'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tags')),
    sa.UniqueConstraint('type', 'name_key', name=op.f('uq_tags_type_name_key'))
    )
    with op.batch_alter_table('tags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tags_name_key'), ['name_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_tags_synonym_of_id'), ['synonym_of_id'], unique=False)

    op.create_table('works',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('title_key', sa.Text(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('language', sa.String(length=35), nullable=True),
    sa.Column('rating_raw', sa.Text(), nullable=True),
    sa.Column('rating_raw_key', sa.Text(), nullable=True),
    sa.Column('published', sa.Date(), nullable=True),
    sa.Column('updated', sa.Date(), nullable=True),
    sa.Column('chapter_count', sa.Integer(), nullable=False),
    sa.Column('expected_chapters', sa.Integer(), nullable=True),
    sa.Column('complete', sa.Boolean(), nullable=False),
    sa.Column('words', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('meta_hash', sa.String(length=64), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('format', sa.String(length=32), nullable=False),
    sa.Column('ingested_at', sa.DateTime(), nullable=False),
    sa.Column('modified_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_works'))
    )
    with op.batch_alter_table('works', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_works_ingested_at'), ['ingested_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_works_language'), ['language'], unique=False)
        batch_op.create_index(batch_op.f('ix_works_published'), ['published'], unique=False)
        batch_op.create_index(batch_op.f('ix_works_rating_raw_key'), ['rating_raw_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_works_sha256'), ['sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_works_source'), ['source'], unique=False)
        batch_op.create_index(batch_op.f('ix_works_title_key'), ['title_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_works_updated'), ['updated'], unique=False)
        batch_op.create_index(batch_op.f('ix_works_words'), ['words'], unique=False)

    op.create_table('chapters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('work_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('text_format', sa.String(length=16), nullable=False),
    sa.Column('words', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['work_id'], ['works.id'], name=op.f('fk_chapters_work_id_works'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chapters')),
    sa.UniqueConstraint('work_id', 'position', name=op.f('uq_chapters_work_id_position'))
    )
    op.create_table('work_authors',
    sa.Column('work_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['authors.id'], name=op.f('fk_work_authors_author_id_authors'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['work_id'], ['works.id'], name=op.f('fk_work_authors_work_id_works'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('work_id', 'author_id', name=op.f('pk_work_authors'))
    )
    with op.batch_alter_table('work_authors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_work_authors_author_id'), ['author_id'], unique=False)

    op.create_table('work_tags',
    sa.Column('work_id', sa.Integer(), nullable=False),
    sa.Column('tag_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tag_id'], ['tags.id'], name=op.f('fk_work_tags_tag_id_tags'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['work_id'], ['works.id'], name=op.f('fk_work_tags_work_id_works'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('work_id', 'tag_id', name=op.f('pk_work_tags'))
    )
    with op.batch_alter_table('work_tags', schema=None) as batch_op:
        batch_op.create_index('ix_work_tags_tag_id_work_id', ['tag_id', 'work_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('work_tags', schema=None) as batch_op:
        batch_op.drop_index('ix_work_tags_tag_id_work_id')

    op.drop_table('work_tags')
    with op.batch_alter_table('work_authors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_work_authors_author_id'))

    op.drop_table('work_authors')
    op.drop_table('chapters')
    with op.batch_alter_table('works', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_works_words'))
        batch_op.drop_index(batch_op.f('ix_works_updated'))
        batch_op.drop_index(batch_op.f('ix_works_title_key'))
        batch_op.drop_index(batch_op.f('ix_works_source'))
        batch_op.drop_index(batch_op.f('ix_works_sha256'))
        batch_op.drop_index(batch_op.f('ix_works_rating_raw_key'))
        batch_op.drop_index(batch_op.f('ix_works_published'))
        batch_op.drop_index(batch_op.f('ix_works_language'))
        batch_op.drop_index(batch_op.f('ix_works_ingested_at'))

    op.drop_table('works')
    with op.batch_alter_table('tags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tags_synonym_of_id'))
        batch_op.drop_index(batch_op.f('ix_tags_name_key'))

    op.drop_table('tags')
    with op.batch_alter_table('authors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_authors_pseud_key'))
        batch_op.drop_index(batch_op.f('ix_authors_login_key'))

    op.drop_table('authors')
