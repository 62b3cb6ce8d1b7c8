"""The catalogue, modelled the way AO3 models it.

A work has chapters, authors (many, ordered) and tags. A tag has a type (rating, warning,
category, fandom, relationship, character, freeform), keeps the name as written and is
unique per type by its normalised `name_key`; wrangling links names (synonyms, parents)
without changing which name a work was given. The
link from a work to a tag records where the tag came from: the file, the user (command-line
options) or inference.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalog.db.base import Base

SOURCE_FILE = "file"
SOURCE_USER = "user"
SOURCE_INFERRED = "inferred"


class Work(Base):
    __tablename__ = "works"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    title_key: Mapped[str] = mapped_column(Text, index=True)
    summary: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(35), index=True)
    # The rating as written when it is not AO3's name ("PG-13", or "Spicy" -> Not Rated);
    # its key makes it searchable as a tag.
    rating_raw: Mapped[str | None] = mapped_column(Text)
    rating_raw_key: Mapped[str | None] = mapped_column(Text, index=True)
    published: Mapped[date | None] = mapped_column(Date, index=True)
    updated: Mapped[date | None] = mapped_column(Date, index=True)
    chapter_count: Mapped[int] = mapped_column(Integer, default=1)
    expected_chapters: Mapped[int | None] = mapped_column(Integer)
    complete: Mapped[bool] = mapped_column(Boolean, default=True)
    words: Mapped[int] = mapped_column(Integer, index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    meta_hash: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(Text, index=True)
    format: Mapped[str] = mapped_column(String(32))
    ingested_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    modified_at: Mapped[datetime] = mapped_column(DateTime)
    completed: Mapped[date | None] = mapped_column(Date)
    # AO3's work id: a newer download (HTML, EPUB, page) of the same work updates this one.
    ao3_id: Mapped[int | None] = mapped_column(Integer, index=True)
    url: Mapped[str | None] = mapped_column(Text)
    # The word count the file states, kept when it differs from ours.
    stated_words: Mapped[int | None] = mapped_column(Integer)
    encoding: Mapped[str | None] = mapped_column(String(32))

    chapters: Mapped[list[Chapter]] = relationship(
        back_populates="work", cascade="all, delete-orphan", order_by="Chapter.position",
        passive_deletes=True,
    )
    author_links: Mapped[list[WorkAuthor]] = relationship(
        back_populates="work", cascade="all, delete-orphan", order_by="WorkAuthor.position",
        passive_deletes=True,
    )
    tag_links: Mapped[list[WorkTag]] = relationship(
        back_populates="work", cascade="all, delete-orphan", order_by="WorkTag.position",
        passive_deletes=True,
    )
    series_links: Mapped[list[WorkSeries]] = relationship(
        cascade="all, delete-orphan", order_by="WorkSeries.position", passive_deletes=True,
    )
    collection_links: Mapped[list[WorkCollection]] = relationship(
        cascade="all, delete-orphan", order_by="WorkCollection.position", passive_deletes=True,
    )


class Chapter(Base):
    """One chapter's content; the work's text is its chapters' texts in order."""

    __tablename__ = "chapters"
    __table_args__ = (UniqueConstraint("work_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    work_id: Mapped[int] = mapped_column(ForeignKey("works.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str | None] = mapped_column(Text)
    summary: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    # How `text` is written: "text", "markdown" or "html"; it decides how words are counted.
    text_format: Mapped[str] = mapped_column(String(16))
    words: Mapped[int] = mapped_column(Integer)

    work: Mapped[Work] = relationship(back_populates="chapters")


class Author(Base):
    """A creator as AO3 shows one: a pseud, and the account login when it is known."""

    __tablename__ = "authors"
    __table_args__ = (UniqueConstraint("name_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pseud: Mapped[str] = mapped_column(Text)
    login: Mapped[str | None] = mapped_column(Text)
    # name_key of the display form, `pseud (login)` or `pseud`.
    name_key: Mapped[str] = mapped_column(Text)
    pseud_key: Mapped[str] = mapped_column(Text, index=True)
    login_key: Mapped[str | None] = mapped_column(Text, index=True)

    @property
    def display(self) -> str:
        return author_display(self.pseud, self.login)


def author_display(pseud: str, login: str | None) -> str:
    """`pseud (login)` when both are known and differ, as AO3's bylines do."""
    return f"{pseud} ({login})" if login and login != pseud else pseud


class WorkAuthor(Base):
    __tablename__ = "work_authors"

    work_id: Mapped[int] = mapped_column(
        ForeignKey("works.id", ondelete="CASCADE"), primary_key=True
    )
    author_id: Mapped[int] = mapped_column(
        ForeignKey("authors.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer)

    work: Mapped[Work] = relationship(back_populates="author_links")
    author: Mapped[Author] = relationship(lazy="joined")


class Tag(Base):
    __tablename__ = "tags"
    __table_args__ = (UniqueConstraint("type", "name_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    type: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(Text)
    name_key: Mapped[str] = mapped_column(Text, index=True)
    canonical: Mapped[bool] = mapped_column(Boolean, default=False)
    # A synonym points to one canonical tag of the same type (AO3's merger).
    synonym_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("tags.id", ondelete="SET NULL"), index=True
    )
    # The tag's id in AO3's data dump, when it was imported from one.
    ao3_id: Mapped[int | None] = mapped_column(Integer, index=True)
    # A character name that is also an ordinary word or a common first name ("Spike",
    # "Will", "Dawn"): inference counts it only capitalised and mid-sentence.
    common: Mapped[bool] = mapped_column(Boolean, default=False)
    # Works linked to this very tag (not its synonyms), kept by triggers on work_tags
    # (migration 0005): the query planner's selectivity and `catalog tags`' counts.
    work_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    synonym_of: Mapped[Tag | None] = relationship(remote_side=[id])
    members: Mapped[list[RelationshipMember]] = relationship(
        cascade="all, delete-orphan", order_by="RelationshipMember.position",
        passive_deletes=True,
    )


class TagParent(Base):
    """A wrangling link: a metatag (parent of the same type) or, for characters,
    relationships and additional tags, the fandom they belong to."""

    __tablename__ = "tag_parents"

    child_id: Mapped[int] = mapped_column(
        ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True
    )
    parent_id: Mapped[int] = mapped_column(
        ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class RelationshipMember(Base):
    """One member name of a relationship tag as written ("Willow" in "Spike/Willow"), by
    key, so that member order and character synonyms can be resolved when querying."""

    __tablename__ = "relationship_members"

    tag_id: Mapped[int] = mapped_column(
        ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    # "/" romantic or sexual, "&" platonic: the same members make different tags.
    kind: Mapped[str] = mapped_column(String(1))
    member_key: Mapped[str] = mapped_column(Text, index=True)


class WorkTag(Base):
    __tablename__ = "work_tags"
    __table_args__ = (Index("ix_work_tags_tag_id_work_id", "tag_id", "work_id"),)

    work_id: Mapped[int] = mapped_column(
        ForeignKey("works.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[int] = mapped_column(
        ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True
    )
    # Where the tag came from: "file", "user" or "inferred".
    source: Mapped[str] = mapped_column(String(16))
    position: Mapped[int] = mapped_column(Integer)
    # For an inferred tag: how many times the text names it.
    mentions: Mapped[int | None] = mapped_column(Integer)
    # The spelling the work gave when it differs from the tag's ("btvs" for "BtVS"): one
    # tag per name key, as on AO3, yet every work keeps the name it was given.
    written: Mapped[str | None] = mapped_column(Text)

    work: Mapped[Work] = relationship(back_populates="tag_links")
    tag: Mapped[Tag] = relationship(lazy="joined")


class SearchDoc(Base):
    """Which full-text document is a work's current one. The SQLite index is contentless
    (it keeps no second copy of every text), so a changed or removed work's old document
    cannot be deleted from it: its mapping row goes instead, and the stale document no
    longer matches anything until `catalog db reindex` compacts the index."""

    __tablename__ = "search_docs"
    # Never reuse a document id: a stale document keeps its id in the index.
    __table_args__ = {"sqlite_autoincrement": True}

    doc_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    work_id: Mapped[int] = mapped_column(
        ForeignKey("works.id", ondelete="CASCADE"), unique=True
    )


class Series(Base):
    """An AO3 series; a work can be part N of several."""

    __tablename__ = "series"
    __table_args__ = (UniqueConstraint("name_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    name_key: Mapped[str] = mapped_column(Text)


class WorkSeries(Base):
    __tablename__ = "work_series"

    work_id: Mapped[int] = mapped_column(
        ForeignKey("works.id", ondelete="CASCADE"), primary_key=True
    )
    series_id: Mapped[int] = mapped_column(
        ForeignKey("series.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    part: Mapped[int | None] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)

    series: Mapped[Series] = relationship(lazy="joined")


class Collection(Base):
    """An AO3 collection or challenge the work was posted to."""

    __tablename__ = "collections"
    __table_args__ = (UniqueConstraint("name_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    name_key: Mapped[str] = mapped_column(Text)


class WorkCollection(Base):
    __tablename__ = "work_collections"

    work_id: Mapped[int] = mapped_column(
        ForeignKey("works.id", ondelete="CASCADE"), primary_key=True
    )
    collection_id: Mapped[int] = mapped_column(
        ForeignKey("collections.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer)

    collection: Mapped[Collection] = relationship(lazy="joined")
