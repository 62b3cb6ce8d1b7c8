"""The catalogue's tables in SQLAlchemy Core: the one definition of the schema.

The ORM classes in `catalog.store.models` are mapped onto these tables; readers that need no
objects (`list`, the query compiler, record building) use them directly, so a command
that only reads never imports the ORM or pays for configuring its mappers.

The model is AO3's. A work has chapters, authors (many, ordered) and tags. A tag has a
type (rating, warning, category, fandom, relationship, character, freeform), keeps the name
as written and is unique per type by its normalised `name_key`; wrangling links names
(synonyms, parents) without changing which name a work was given. The link from a work to
a tag records where the tag came from: the file, the user (command-line options) or
inference.

Each table's columns are in the order the migrations added them, so that a new catalogue
(created from these tables, `catalog.store.fresh`) is column for column an upgraded one.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

from catalog.store.packed import PackedText

# A naming convention, so Alembic's batch mode on SQLite can name and drop constraints the
# same way on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING_CONVENTION)



def _id() -> Column[int]:
    return Column("id", Integer, primary_key=True)


def _work_id(*, primary_key: bool = False, unique: bool | None = None) -> Column[int]:
    return Column("work_id", Integer, ForeignKey("works.id", ondelete="CASCADE"),
                  nullable=False, primary_key=primary_key, unique=unique)


works = Table(
    "works", metadata,
    _id(),
    Column("title", Text, nullable=False),
    Column("title_key", Text, nullable=False, index=True),
    Column("summary", Text),
    Column("notes", Text),
    Column("language", String(35), index=True),
    # The rating as written when it is not AO3's name ("PG-13", or "Spicy" -> Not Rated);
    # its key makes it searchable as a tag.
    Column("rating_raw", Text),
    Column("rating_raw_key", Text, index=True),
    Column("published", Date),
    Column("updated", Date),
    Column("chapter_count", Integer, nullable=False, default=1),
    Column("expected_chapters", Integer),
    Column("complete", Boolean, nullable=False, default=True),
    Column("words", Integer, nullable=False, index=True),
    Column("sha256", String(64), nullable=False, index=True),
    Column("meta_hash", String(64), nullable=False),
    Column("source", Text, nullable=False, index=True),
    Column("format", String(32), nullable=False),
    Column("ingested_at", DateTime, nullable=False, index=True),
    Column("modified_at", DateTime, nullable=False),
    Column("completed", Date),
    # AO3's work id: a newer download (HTML, EPUB, page) of the same work updates this one.
    Column("ao3_id", Integer, index=True),
    Column("url", Text),
    # The word count the file states, kept when it differs from ours.
    Column("stated_words", Integer),
    Column("encoding", String(32)),
    # Whether the blocklist matches the work, kept by every write that can change it
    # (`catalog.curate.blocking`; `db check` verifies it): a listing leaves blocked works
    # out by a column of the row it reads anyway, instead of probing every entry of the
    # blocklist for every work it passes. A database default only: inserts leave it out.
    Column("blocked", Boolean, nullable=False, server_default=false()),
    # The story's address as an identity (`catalog.storyurl.key`, migration 0010): a newer
    # FanFicFare download or saved page of the same story on any site updates this work.
    Column("url_key", Text, index=True),
    # The date sorts' indexes carry a page's cheap filters, so a newest-first walk under a
    # blocklist or a word range never reads a work's row (migration 0008).
    Index("ix_works_updated", "updated", "id", "blocked", "words"),
    Index("ix_works_published", "published", "id", "blocked", "words"),
)

# PostgreSQL only (migrations 0006, 0008): (updated DESC NULLS LAST, id DESC) including
# words and blocked, and the same for published, the order of a newest-first page, which
# SQLite's walk of its one index gives.
POSTGRESQL_ONLY_INDEXES = frozenset({"ix_works_updated_desc", "ix_works_published_desc"})

# One chapter's content; the work's text is its chapters' texts in order.
chapters = Table(
    "chapters", metadata,
    _id(),
    _work_id(),
    Column("position", Integer, nullable=False),
    Column("title", Text),
    Column("summary", Text),
    Column("notes", Text),
    # Deflated on SQLite when that is smaller (`catalog.store.packed`); read as text.
    Column("text", PackedText, nullable=False),
    # How `text` is written: "text", "markdown" or "html"; it decides how words are counted.
    Column("text_format", String(16), nullable=False),
    Column("words", Integer, nullable=False),
    UniqueConstraint("work_id", "position"),
)

# A creator as AO3 shows one: a pseud, and the account login when it is known.
authors = Table(
    "authors", metadata,
    _id(),
    Column("pseud", Text, nullable=False),
    Column("login", Text),
    # name_key of the display form, `pseud (login)` or `pseud`.
    Column("name_key", Text, nullable=False),
    Column("pseud_key", Text, nullable=False, index=True),
    Column("login_key", Text, index=True),
    UniqueConstraint("name_key"),
)


def author_display(pseud: str, login: str | None) -> str:
    """`pseud (login)` when both are known and differ, as AO3's bylines do."""
    return f"{pseud} ({login})" if login and login != pseud else pseud


work_authors = Table(
    "work_authors", metadata,
    _work_id(primary_key=True),
    Column("author_id", Integer, ForeignKey("authors.id", ondelete="CASCADE"),
           primary_key=True, index=True),
    Column("position", Integer, nullable=False),
)

tags = Table(
    "tags", metadata,
    _id(),
    Column("type", String(16), nullable=False),
    Column("name", Text, nullable=False),
    Column("name_key", Text, nullable=False, index=True),
    Column("canonical", Boolean, nullable=False, default=False),
    # A synonym points to one canonical tag of the same type (AO3's merger).
    Column("synonym_of_id", Integer, ForeignKey("tags.id", ondelete="SET NULL"), index=True),
    # The tag's id in AO3's data dump, when it was imported from one.
    Column("ao3_id", Integer, index=True),
    # A character name that is also an ordinary word or a common first name ("Spike",
    # "Will", "Dawn"): inference counts it only capitalised and mid-sentence.
    Column("common", Boolean, nullable=False, default=False, server_default=false()),
    # Works linked to this very tag (not its synonyms), kept by triggers on work_tags
    # (migration 0005): the query planner's selectivity and `catalog tags`' counts.
    Column("work_count", Integer, nullable=False, default=0, server_default="0"),
    UniqueConstraint("type", "name_key"),
    # The most used tags of a type, read from the top down (migration 0009).
    Index("ix_tags_type_work_count", "type", "work_count"),
)

# A wrangling link: a metatag (parent of the same type) or, for characters, relationships
# and additional tags, the fandom they belong to.
tag_parents = Table(
    "tag_parents", metadata,
    Column("child_id", Integer, ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
    Column("parent_id", Integer, ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True,
           index=True),
)

# One member name of a relationship tag as written ("Willow" in "Spike/Willow"), by key, so
# that member order and character synonyms can be resolved when querying.
relationship_members = Table(
    "relationship_members", metadata,
    Column("tag_id", Integer, ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    # "/" romantic or sexual, "&" platonic: the same members make different tags.
    Column("kind", String(1), nullable=False),
    Column("member_key", Text, nullable=False, index=True),
)

work_tags = Table(
    "work_tags", metadata,
    _work_id(primary_key=True),
    Column("tag_id", Integer, ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
    # Where the tag came from: "file", "user" (options at ingest), "inferred" or "edit"
    # (model.SOURCE_*).
    Column("source", String(16), nullable=False),
    Column("position", Integer, nullable=False),
    # For an inferred tag: how many times the text names it.
    Column("mentions", Integer),
    # The spelling the work gave when it differs from the tag's ("btvs" for "BtVS"): one
    # tag per name key, as on AO3, yet every work keeps the name it was given.
    Column("written", Text),
    Index("ix_work_tags_tag_id_work_id", "tag_id", "work_id"),
)

# While this table has a row, SQLite's trigger leaves `tags.work_count` alone for links
# inserted into work_tags: a bulk insert adds each tag's count once instead, in the same
# transaction (`catalog.store.links`, migration 0012). Empty at every commit.
links_uncounted = Table(
    "links_uncounted", metadata,
    Column("id", Integer, primary_key=True),
)

# Which full-text document is a work's current one. The SQLite index is contentless (it
# keeps no second copy of every text), so a changed or removed work's old document cannot
# be deleted from it: its mapping row goes instead, and the stale document no longer
# matches anything until `catalog db reindex` compacts the index.
search_docs = Table(
    "search_docs", metadata,
    Column("doc_id", Integer, primary_key=True),
    _work_id(unique=True),
    # Never reuse a document id: a stale document keeps its id in the index.
    sqlite_autoincrement=True,
)

# An AO3 series; a work can be part N of several.
series = Table(
    "series", metadata,
    _id(),
    Column("name", Text, nullable=False),
    Column("name_key", Text, nullable=False),
    UniqueConstraint("name_key"),
)

work_series = Table(
    "work_series", metadata,
    _work_id(primary_key=True),
    Column("series_id", Integer, ForeignKey("series.id", ondelete="CASCADE"),
           primary_key=True, index=True),
    Column("part", Integer),
    Column("position", Integer, nullable=False),
)

# An AO3 collection or challenge the work was posted to.
collections = Table(
    "collections", metadata,
    _id(),
    Column("name", Text, nullable=False),
    Column("name_key", Text, nullable=False),
    UniqueConstraint("name_key"),
)

work_collections = Table(
    "work_collections", metadata,
    _work_id(primary_key=True),
    Column("collection_id", Integer, ForeignKey("collections.id", ondelete="CASCADE"),
           primary_key=True, index=True),
    Column("position", Integer, nullable=False),
)

# What the user put into a work, kept apart from what its file says so that a re-ingest
# refreshes the file's part and keeps theirs: layer "user" (options given at ingest),
# "edit" (`catalog edit`), and "file", the file's own values of whatever those layers
# change (title, summary, language, complete, authors, tags), which `--reset` brings back.
# `data` is a JSON object (see `catalog.layers`). A work with no rows here is its file.
work_layers = Table(
    "work_layers", metadata,
    _work_id(primary_key=True),
    Column("layer", String(8), primary_key=True),
    Column("data", Text, nullable=False),
)

# A reader's status for a work (`catalog mark`): later, reading, read or dropped, when it
# was marked, the chapter reached, and the chapters and words the work had then, so that an
# update that adds to it shows as `reading:updated`.
reading = Table(
    "reading", metadata,
    _work_id(primary_key=True),
    Column("status", String(16), nullable=False, index=True),
    Column("chapter", Integer),
    Column("marked_at", DateTime, nullable=False),
    Column("chapters_seen", Integer, nullable=False),
    Column("words_seen", Integer, nullable=False),
)

# Saved searches (`catalog search save NAME QUERY`), used in any query as `@NAME`.
saved_searches = Table(
    "saved_searches", metadata,
    _id(),
    Column("name", Text, nullable=False),
    Column("name_key", Text, nullable=False),
    Column("query", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
    UniqueConstraint("name_key"),
)

# The blocklist (`catalog block add QUERY`): works matching any entry are left out of
# listings and totals. The id is the entry's stable handle for `block remove`.
blocks = Table(
    "blocks", metadata,
    _id(),
    Column("query", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
    sqlite_autoincrement=True,
)

