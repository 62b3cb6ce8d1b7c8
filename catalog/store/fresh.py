"""A new catalogue in one step: the head schema created from the tables and stamped with
the head revision, instead of replaying every migration.

Replaying them cost a new catalogue most of a second (importing Alembic, then SQLite's
table copies); the result is the same schema, which a test compares with an upgraded
catalogue's on both backends. The tables come from `catalog.store.tables`; what they cannot
declare is here, as the migrations that introduced it made it (they keep their own frozen
copies): the full-text index (0004, `fulltext.create`), the tag-count triggers (0005),
PostgreSQL's newest-first date indexes (0006, 0008) and AO3's fixed vocabularies (0002).
Alembic is not imported: `alembic_version` is written as Alembic writes it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Connection, MetaData, PrimaryKeyConstraint, String, Table, inspect

from catalog.store import fulltext
from catalog.store.rowids import allocate
from catalog.store.rows import insert_rows
from catalog.store.tables import metadata, tags
from catalog.textnorm import name_key

# Alembic's own version table, created the way Alembic creates it.
ALEMBIC_VERSION = Table(
    "alembic_version", MetaData(),
    Column("version_num", String(32), nullable=False),
    PrimaryKeyConstraint("version_num", name="alembic_version_pkc"),
)

# AO3's ratings, archive warnings and categories with the shorthands writers use, stored as
# their synonyms: what migration 0002 inserts, in its order (so the ids are the same).
FIXED_VOCABULARY: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("rating", "Not Rated", ("NR", "Unrated", "No Rating")),
    ("rating", "General Audiences", ("G", "K", "K+", "PG", "General", "Gen Audiences")),
    ("rating", "Teen And Up Audiences", ("T", "PG-13", "PG13", "PG 13", "PG-15", "PG15", "Teen",
                                         "Teen And Up", "Teen+", "Teens")),
    ("rating", "Mature", ("M", "R")),
    ("rating", "Explicit", ("E", "MA", "NC-17", "NC17", "NC 17", "NC-18", "NC18", "X", "XXX",
                            "Adult")),
    ("warning", "Creator Chose Not To Use Archive Warnings", (
        "CNTW", "Choose Not To Warn", "Chose Not To Warn", "Choose Not To Use Archive Warnings")),
    ("warning", "No Archive Warnings Apply", ("None", "No Warnings", "NAWA",
                                              "No Warnings Apply")),
    ("warning", "Graphic Depictions Of Violence", ("Violence", "Graphic Violence", "GDoV")),
    ("warning", "Major Character Death", ("MCD",)),
    ("warning", "Rape/Non-Con", ("Non-Con", "Noncon", "Non Con", "Rape", "Rape/Noncon")),
    ("warning", "Underage Sex", ("Underage",)),
    ("category", "Gen", ("General",)),
    ("category", "F/M", ("Het", "M/F")),
    ("category", "M/M", ("Slash",)),
    ("category", "F/F", ("Femslash", "Femmeslash")),
    ("category", "Multi", ("Multiple",)),
    ("category", "Other", ()),
)

# Each tag's number of works, kept by triggers on work_tags (migration 0005); on SQLite a
# bulk insert adds its counts itself (migration 0012, `catalog.store.links`).
COUNT_TRIGGERS: dict[str, tuple[str, ...]] = {
    "sqlite": (
        "CREATE TRIGGER work_tags_counted AFTER INSERT ON work_tags "
        "WHEN NOT EXISTS (SELECT 1 FROM links_uncounted) BEGIN "
        "UPDATE tags SET work_count = work_count + 1 WHERE id = NEW.tag_id; END",
        "CREATE TRIGGER work_tags_uncounted AFTER DELETE ON work_tags BEGIN "
        "UPDATE tags SET work_count = work_count - 1 WHERE id = OLD.tag_id; END",
        "CREATE TRIGGER work_tags_recounted AFTER UPDATE OF tag_id ON work_tags BEGIN "
        "UPDATE tags SET work_count = work_count - 1 WHERE id = OLD.tag_id; "
        "UPDATE tags SET work_count = work_count + 1 WHERE id = NEW.tag_id; END",
    ),
    "postgresql": (
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
        "REFERENCING NEW TABLE AS new_links FOR EACH STATEMENT EXECUTE FUNCTION "
        "work_tags_count()",
        "CREATE TRIGGER work_tags_uncounted AFTER DELETE ON work_tags "
        "REFERENCING OLD TABLE AS old_links FOR EACH STATEMENT EXECUTE FUNCTION "
        "work_tags_count()",
        "CREATE TRIGGER work_tags_recounted AFTER UPDATE ON work_tags "
        "REFERENCING OLD TABLE AS old_links NEW TABLE AS new_links "
        "FOR EACH STATEMENT EXECUTE FUNCTION work_tags_count()",
    ),
}

# PostgreSQL's newest-first date indexes (migrations 0006, 0008; `POSTGRESQL_ONLY_INDEXES`):
# the order of a newest-first page, which SQLite's walk of its one index gives.
DESCENDING_INDEX = ("CREATE INDEX ix_works_{0}_desc ON works "
                    "({0} DESC NULLS LAST, id DESC) INCLUDE (words, blocked)")
DESCENDING_COLUMNS = ("updated", "published")  # constants: no user input


def is_empty(conn: Connection) -> bool:
    """Whether the database has no catalogue at all (no revision, no works table): only
    then is the head schema created whole; anything else goes through the migrations."""
    found = inspect(conn)
    return not (found.has_table(ALEMBIC_VERSION.name) or found.has_table("works"))


def create(conn: Connection, revision: str) -> None:
    """The head schema, the fixed vocabularies and `revision` stamped, in the caller's
    transaction (which holds the write lock: see `catalog.store.migrate`)."""
    metadata.create_all(conn, checkfirst=False)
    fulltext.create(conn)
    for statement in COUNT_TRIGGERS.get(conn.dialect.name, ()):
        conn.exec_driver_sql(statement)
    if conn.dialect.name == "postgresql":
        for column in DESCENDING_COLUMNS:
            conn.exec_driver_sql(DESCENDING_INDEX.format(column))
    insert_fixed_vocabulary(conn)
    ALEMBIC_VERSION.create(conn)
    conn.execute(ALEMBIC_VERSION.insert().values(version_num=revision))


def insert_fixed_vocabulary(conn: Connection) -> None:
    """Each rating, warning and category, canonical, followed by its shorthands."""
    count = sum(1 + len(aliases) for _, _, aliases in FIXED_VOCABULARY)
    ids = iter(allocate(conn, tags, count))
    rows = []
    for tag_type, name, aliases in FIXED_VOCABULARY:
        canonical = next(ids)
        rows.append(_tag(canonical, tag_type, name, None))
        rows += [_tag(next(ids), tag_type, alias, canonical) for alias in aliases]
    insert_rows(conn, tags, rows)


def _tag(tag_id: int, tag_type: str, name: str, synonym_of: int | None) -> dict[str, Any]:
    return {"id": tag_id, "type": tag_type, "name": name, "name_key": name_key(name),
            "canonical": synonym_of is None, "synonym_of_id": synonym_of, "ao3_id": None,
            "common": False, "work_count": 0}
