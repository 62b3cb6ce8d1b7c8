"""The catalogue as ORM classes, for the code that creates and changes works and tags.

Each class is mapped onto its table in `catalog.store.tables`, where the schema (columns,
keys, indexes, what each column means) is defined once; read-only paths use those tables
directly and never import the ORM.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Mapped, relationship

from catalog.store import tables
from catalog.store.base import Base
from catalog.store.tables import author_display


class Work(Base):
    __table__ = tables.works

    id: Mapped[int]
    title: Mapped[str]
    title_key: Mapped[str]
    summary: Mapped[str | None]
    notes: Mapped[str | None]
    language: Mapped[str | None]
    rating_raw: Mapped[str | None]
    rating_raw_key: Mapped[str | None]
    published: Mapped[date | None]
    updated: Mapped[date | None]
    chapter_count: Mapped[int]
    expected_chapters: Mapped[int | None]
    complete: Mapped[bool]
    words: Mapped[int]
    sha256: Mapped[str]
    meta_hash: Mapped[str]
    source: Mapped[str]
    format: Mapped[str]
    ingested_at: Mapped[datetime]
    modified_at: Mapped[datetime]
    completed: Mapped[date | None]
    ao3_id: Mapped[int | None]
    url: Mapped[str | None]
    url_key: Mapped[str | None]
    stated_words: Mapped[int | None]
    encoding: Mapped[str | None]

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
    __table__ = tables.chapters

    id: Mapped[int]
    work_id: Mapped[int]
    position: Mapped[int]
    title: Mapped[str | None]
    summary: Mapped[str | None]
    notes: Mapped[str | None]
    text: Mapped[str]
    text_format: Mapped[str]
    words: Mapped[int]

    work: Mapped[Work] = relationship(back_populates="chapters")


class Author(Base):
    __table__ = tables.authors

    id: Mapped[int]
    pseud: Mapped[str]
    login: Mapped[str | None]
    name_key: Mapped[str]
    pseud_key: Mapped[str]
    login_key: Mapped[str | None]

    @property
    def display(self) -> str:
        return author_display(self.pseud, self.login)


class WorkAuthor(Base):
    __table__ = tables.work_authors

    work_id: Mapped[int]
    author_id: Mapped[int]
    position: Mapped[int]

    work: Mapped[Work] = relationship(back_populates="author_links")
    author: Mapped[Author] = relationship(lazy="joined")


class Tag(Base):
    __table__ = tables.tags

    id: Mapped[int]
    type: Mapped[str]
    name: Mapped[str]
    name_key: Mapped[str]
    canonical: Mapped[bool]
    synonym_of_id: Mapped[int | None]
    ao3_id: Mapped[int | None]
    common: Mapped[bool]
    work_count: Mapped[int]

    synonym_of: Mapped[Tag | None] = relationship(remote_side=[tables.tags.c.id])
    members: Mapped[list[RelationshipMember]] = relationship(
        cascade="all, delete-orphan", order_by="RelationshipMember.position",
        passive_deletes=True,
    )


class TagParent(Base):
    __table__ = tables.tag_parents

    child_id: Mapped[int]
    parent_id: Mapped[int]


class RelationshipMember(Base):
    __table__ = tables.relationship_members

    tag_id: Mapped[int]
    position: Mapped[int]
    kind: Mapped[str]
    member_key: Mapped[str]


class WorkTag(Base):
    __table__ = tables.work_tags

    work_id: Mapped[int]
    tag_id: Mapped[int]
    source: Mapped[str]
    position: Mapped[int]
    mentions: Mapped[int | None]
    written: Mapped[str | None]

    work: Mapped[Work] = relationship(back_populates="tag_links")
    tag: Mapped[Tag] = relationship(lazy="joined")


class SearchDoc(Base):
    __table__ = tables.search_docs

    doc_id: Mapped[int]
    work_id: Mapped[int]


class Series(Base):
    __table__ = tables.series

    id: Mapped[int]
    name: Mapped[str]
    name_key: Mapped[str]


class WorkSeries(Base):
    __table__ = tables.work_series

    work_id: Mapped[int]
    series_id: Mapped[int]
    part: Mapped[int | None]
    position: Mapped[int]

    series: Mapped[Series] = relationship(lazy="joined")


class Collection(Base):
    __table__ = tables.collections

    id: Mapped[int]
    name: Mapped[str]
    name_key: Mapped[str]


class WorkCollection(Base):
    __table__ = tables.work_collections

    work_id: Mapped[int]
    collection_id: Mapped[int]
    position: Mapped[int]

    collection: Mapped[Collection] = relationship(lazy="joined")
