"""Keep each tag's number of works (`tags.work_count`), maintained by triggers on
`work_tags`.

Why: the query compiler chooses its plan by how many works each term's tags carry (drive a
query from a rare tag, scan in sort order past popular ones), and `catalog tags` shows the
counts; counting a popular tag's links in a million-work catalogue costs more than the
query. Triggers keep the count right on every path that adds or removes links (ingest,
updates, `remove`, cascades). PostgreSQL uses statement-level triggers over transition
tables, so a bulk insert updates each tag once.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE = (
    "CREATE TRIGGER work_tags_counted AFTER INSERT ON work_tags BEGIN "
    "UPDATE tags SET work_count = work_count + 1 WHERE id = NEW.tag_id; END",
    "CREATE TRIGGER work_tags_uncounted AFTER DELETE ON work_tags BEGIN "
    "UPDATE tags SET work_count = work_count - 1 WHERE id = OLD.tag_id; END",
    "CREATE TRIGGER work_tags_recounted AFTER UPDATE OF tag_id ON work_tags BEGIN "
    "UPDATE tags SET work_count = work_count - 1 WHERE id = OLD.tag_id; "
    "UPDATE tags SET work_count = work_count + 1 WHERE id = NEW.tag_id; END",
)
POSTGRESQL = (
    """CREATE FUNCTION work_tags_count() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE tags SET work_count = work_count - gone.n
          FROM (SELECT tag_id, count(*) AS n FROM old_links GROUP BY tag_id) AS gone
         WHERE tags.id = gone.tag_id;
      END IF;
      IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE tags SET work_count = work_count + added.n
          FROM (SELECT tag_id, count(*) AS n FROM new_links GROUP BY tag_id) AS added
         WHERE tags.id = added.tag_id;
      END IF;
      RETURN NULL;
    END $$""",
    "CREATE TRIGGER work_tags_counted AFTER INSERT ON work_tags "
    "REFERENCING NEW TABLE AS new_links FOR EACH STATEMENT EXECUTE FUNCTION work_tags_count()",
    "CREATE TRIGGER work_tags_uncounted AFTER DELETE ON work_tags "
    "REFERENCING OLD TABLE AS old_links FOR EACH STATEMENT EXECUTE FUNCTION work_tags_count()",
    "CREATE TRIGGER work_tags_recounted AFTER UPDATE ON work_tags "
    "REFERENCING OLD TABLE AS old_links NEW TABLE AS new_links "
    "FOR EACH STATEMENT EXECUTE FUNCTION work_tags_count()",
)
BACKFILL = ("UPDATE tags SET work_count = "
            "(SELECT count(*) FROM work_tags WHERE work_tags.tag_id = tags.id)")


def upgrade() -> None:
    op.add_column("tags", sa.Column("work_count", sa.Integer(), nullable=False,
                                    server_default="0"))
    dialect = op.get_bind().dialect.name
    for statement in {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(dialect, ()):
        op.execute(statement)
    op.execute(BACKFILL)


DROP = {
    "sqlite": ("DROP TRIGGER IF EXISTS work_tags_counted",
               "DROP TRIGGER IF EXISTS work_tags_uncounted",
               "DROP TRIGGER IF EXISTS work_tags_recounted"),
    "postgresql": ("DROP TRIGGER IF EXISTS work_tags_counted ON work_tags",
                   "DROP TRIGGER IF EXISTS work_tags_uncounted ON work_tags",
                   "DROP TRIGGER IF EXISTS work_tags_recounted ON work_tags",
                   "DROP FUNCTION IF EXISTS work_tags_count()"),
}


def downgrade() -> None:
    for statement in DROP.get(op.get_bind().dialect.name, ()):
        op.execute(statement)
    with op.batch_alter_table("tags") as batch:
        batch.drop_column("work_count")
