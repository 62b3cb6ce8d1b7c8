"""Tag wrangling (metatags and fandom parents, relationship members, AO3 tag ids, inferred
mention counts) and the full-text index.

On SQLite the index is a contentless FTS5 table (`unicode61 remove_diacritics 2`: whole
words, case- and accent-insensitive) whose documents `search_docs` maps to works; on
PostgreSQL a table of `tsvector`s (`simple` configuration over `unaccent`, GIN indexes) whose
rows go with their `search_docs` row. Works already catalogued are indexed by the upgrade
that crosses this revision (`catalog.store.migrate`: the index is derived from the works, and
is built by the code that keeps it). The relationship parser below is this revision's own
copy, as a migration carries what it needs and never imports the application.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FTS_TABLE = (
    "CREATE VIRTUAL TABLE works_fts USING fts5("
    "title, summary, tags, body, content = '', tokenize = 'unicode61 remove_diacritics 2')"
)


def upgrade() -> None:
    op.create_table(
        "tag_parents",
        sa.Column("child_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["child_id"], ["tags.id"],
                                name=op.f("fk_tag_parents_child_id_tags"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["parent_id"], ["tags.id"],
                                name=op.f("fk_tag_parents_parent_id_tags"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("child_id", "parent_id", name=op.f("pk_tag_parents")),
    )
    op.create_index(op.f("ix_tag_parents_parent_id"), "tag_parents", ["parent_id"])
    op.create_table(
        "relationship_members",
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=1), nullable=False),
        sa.Column("member_key", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["tag_id"], ["tags.id"],
                                name=op.f("fk_relationship_members_tag_id_tags"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("tag_id", "position", name=op.f("pk_relationship_members")),
    )
    op.create_index(op.f("ix_relationship_members_member_key"), "relationship_members",
                    ["member_key"])
    with op.batch_alter_table("tags") as batch_op:
        batch_op.add_column(sa.Column("ao3_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("common", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.create_index(batch_op.f("ix_tags_ao3_id"), ["ao3_id"])
    with op.batch_alter_table("work_tags") as batch_op:
        batch_op.add_column(sa.Column("mentions", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("written", sa.Text(), nullable=True))
    op.create_table(
        "search_docs",
        sa.Column("doc_id", sa.Integer(), nullable=False),
        sa.Column("work_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["work_id"], ["works.id"],
                                name=op.f("fk_search_docs_work_id_works"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("doc_id", name=op.f("pk_search_docs")),
        sa.UniqueConstraint("work_id", name=op.f("uq_search_docs_work_id")),
        sqlite_autoincrement=True,  # a stale document keeps its id: never reuse one
    )
    _members_of_existing_relationships()
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute(FTS_TABLE)
    elif dialect == "postgresql":
        _postgresql_index()


def _postgresql_index() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    op.create_table(
        "works_fts",
        sa.Column("doc_id", sa.Integer(), nullable=False),
        sa.Column("part", sa.Integer(), nullable=False),
        sa.Column("document", postgresql.TSVECTOR(), nullable=False),
        sa.Column("summary", postgresql.TSVECTOR(), nullable=False),
        sa.ForeignKeyConstraint(["doc_id"], ["search_docs.doc_id"],
                                name=op.f("fk_works_fts_doc_id_search_docs"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("doc_id", "part", name=op.f("pk_works_fts")),
    )
    op.create_index("ix_works_fts_document", "works_fts", ["document"],
                    postgresql_using="gin")
    op.create_index("ix_works_fts_summary", "works_fts", ["summary"], postgresql_using="gin")


def _members_of_existing_relationships() -> None:
    """Relationship tags stored before this revision get their member rows."""
    conn = op.get_bind()
    tags = sa.table("tags", sa.column("id", sa.Integer), sa.column("type", sa.String),
                    sa.column("name", sa.Text))
    rows = conn.execute(sa.select(tags.c.id, tags.c.name)
                        .where(tags.c.type == "relationship")).all()
    table = sa.table("relationship_members", sa.column("tag_id", sa.Integer),
                     sa.column("position", sa.Integer), sa.column("kind", sa.String),
                     sa.column("member_key", sa.Text))
    values = [{"tag_id": tag_id, "position": i, "kind": kind, "member_key": key}
              for tag_id, name in rows
              for kind, keys in [members(name)] if kind
              for i, key in enumerate(keys, 1)]
    if values:
        conn.execute(table.insert(), values)


def members(name: str) -> tuple[str | None, list[str]]:
    """(kind, member keys) of a relationship name: 'A/B' romantic, 'A & B' platonic;
    separators inside brackets belong to a member's disambiguation."""
    for kind in ("/", "&"):
        parts = _split(name, kind)
        if len(parts) > 1 and all(parts):
            return kind, [_name_key(p) for p in parts]
    return None, []


def _split(name: str, separator: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(name):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(depth - 1, 0)
        elif ch == separator and depth == 0:
            parts.append(name[start:i])
            start = i + 1
    parts.append(name[start:])
    return [_collapse(p) for p in parts]


def _collapse(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip()


def _name_key(value: str) -> str:
    """NFKC, case-folded, accents stripped, whitespace collapsed."""
    folded = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", value).casefold())
    bare = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _collapse(unicodedata.normalize("NFC", bare))


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS works_fts")
    op.drop_table("search_docs")
    with op.batch_alter_table("work_tags") as batch_op:
        batch_op.drop_column("mentions")
        batch_op.drop_column("written")
    with op.batch_alter_table("tags") as batch_op:
        batch_op.drop_index(batch_op.f("ix_tags_ao3_id"))
        batch_op.drop_column("common")
        batch_op.drop_column("ao3_id")
    op.drop_table("relationship_members")
    op.drop_table("tag_parents")
