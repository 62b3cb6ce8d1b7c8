"""AO3's fixed vocabularies: ratings, archive warnings and categories, with the shorthands
writers use stored as their synonyms (a frozen copy: later changes need a new revision).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VOCABULARY: list[tuple[str, str, tuple[str, ...]]] = [
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
]

tags = sa.table(
    "tags",
    sa.column("id", sa.Integer), sa.column("type", sa.String), sa.column("name", sa.Text),
    sa.column("name_key", sa.Text), sa.column("canonical", sa.Boolean),
    sa.column("synonym_of_id", sa.Integer),
)


def _key(value: str) -> str:
    folded = unicodedata.normalize("NFKC", value).casefold()
    bare = "".join(c for c in unicodedata.normalize("NFD", folded) if not unicodedata.combining(c))
    return " ".join(unicodedata.normalize("NFC", bare).split())


def upgrade() -> None:
    """Insert each name, or take over the tag a 0001-era catalogue already has for it (an
    ingested file's rating was stored as a plain tag), keeping its links to works."""
    conn = op.get_bind()
    for tag_type, name, aliases in VOCABULARY:
        canonical_id = _tag(conn, tag_type, name, canonical=True, synonym_of=None)
        for alias in aliases:
            _tag(conn, tag_type, alias, canonical=False, synonym_of=canonical_id)


def _tag(conn: sa.Connection, tag_type: str, name: str, *, canonical: bool,
         synonym_of: int | None) -> int:
    values = {"name": name, "canonical": canonical, "synonym_of_id": synonym_of}
    key = _key(name)
    found = conn.execute(sa.select(tags.c.id).where(tags.c.type == tag_type,
                                                    tags.c.name_key == key)).scalar()
    if found is not None:
        conn.execute(tags.update().where(tags.c.id == found).values(values))
        return int(found)
    return int(conn.execute(tags.insert().returning(tags.c.id),
                            {"type": tag_type, "name_key": key, **values}).scalar_one())


def downgrade() -> None:
    op.execute(tags.delete().where(tags.c.type.in_(["rating", "warning", "category"])))
