"""The full-text index behind bare words: title, summary, tag names and story text, whole
words, case- and accent-insensitive, no stemming.

PostgreSQL: the table `works_fts` holds `tsvector`s (the `simple` configuration over
`unaccent`ed text, GIN-indexed), one row per part of a long text so that no vector
outgrows PostgreSQL's limits; its rows go with their `search_docs` row.

SQLite: a contentless FTS5 table (`unicode61 remove_diacritics 2`), so story texts are not
stored twice. The store writes a new document on every insert or update and `search_docs`
says which document is each work's current one (a removed work's row goes with it);
`catalog db reindex` drops the stale documents.
This module is the index's schema and upkeep (the store's); `catalog.query.search` turns a
query's words into a match against it.
Chinese and Japanese are written without spaces between words, so the tokenizer would see a
whole sentence as one token: each Han, kana or CJK-symbol character is indexed as a token of
its own, and a query word in those scripts becomes a phrase of its characters, which
matches exactly where the characters stand next to each other (`魔法` finds `魔法少女`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple, TypeAlias

from sqlalchemy import (
    Column,
    ColumnElement,
    Connection,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    bindparam,
    column,
    delete,
    func,
    insert,
    literal_column,
    select,
    table,
)

from catalog.store.packed import PackedText
from catalog.store.rowids import insert_with_ids
from catalog.store.tables import NAMING_CONVENTION, search_docs
from catalog.textnorm import strip_markup, utf8_slices

FTS = table("works_fts", column("rowid"), column("title"), column("summary"),
            column("tags"), column("body"))
_COMMAND = table("works_fts", column("works_fts"), column("rank"))  # FTS5's commands
# The columns a document is made of, as plain tables: safe to use from a migration.
DOCS = table("search_docs", column("doc_id"), column("work_id"))
_WORKS = table("works", column("id"), column("title"), column("summary"))
_CHAPTERS = table("chapters", column("work_id"), column("position"),
                  column("text", PackedText), column("text_format"))
_LINKS = table("work_tags", column("work_id"), column("tag_id"), column("position"),
               column("written"))
_TAGS = table("tags", column("id"), column("name"))
_CJK = re.compile(
    "([\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\U00020000-\U0003134f])")
# Every CJK character above is from U+3040 up, so its UTF-8 form starts with a byte from 0xE3
# up: a text whose UTF-8 has none of those (most prose) needs no spacing, a check several
# times cheaper than the regular expression's scan.
_BELOW_CJK = bytes(range(0xE3))
PG_FTS = table("works_fts", column("doc_id"), column("part"), column("document"),
               column("summary"))
SIMPLE: ColumnElement[Any] = literal_column("'simple'::regconfig")  # a constant, never user input
PART = 60_000  # characters per PostgreSQL row: positions stay below tsvector's 16,383
BATCH = 500
if TYPE_CHECKING:
    from sqlalchemy.orm import Session

Executor: TypeAlias = "Session | Connection"


# The index's schema for a new catalogue (`catalog.store.fresh`), as migration 0004 makes it.
FTS5_TABLE = (
    "CREATE VIRTUAL TABLE works_fts USING fts5("
    "title, summary, tags, body, content = '', tokenize = 'unicode61 remove_diacritics 2')"
)


# Segments of one size FTS5 gathers before merging them (its default is 4, 16 the most):
# a quarter less of the index's write time in a bulk ingest (migration 0011).
AUTOMERGE = 16


def create(conn: Connection) -> None:
    """Create the index in a new catalogue: the FTS5 table, or PostgreSQL's `unaccent` and
    the table of vectors with its GIN indexes."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(FTS5_TABLE)
        conn.execute(insert(_COMMAND).values(works_fts="automerge", rank=AUTOMERGE))
    elif conn.dialect.name == "postgresql":
        conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS unaccent")
        _pg_table().create(conn)


@cache
def _pg_table() -> Table:
    """works_fts on PostgreSQL, outside the models (they are one schema for both backends);
    built on first use."""
    # SQLAlchemy's PostgreSQL dialect only on PostgreSQL
    from sqlalchemy.dialects.postgresql import TSVECTOR

    fts = Table(
        "works_fts", MetaData(naming_convention=NAMING_CONVENTION),
        Column("doc_id", Integer, ForeignKey(search_docs.c.doc_id, ondelete="CASCADE"),
               primary_key=True),
        Column("part", Integer, primary_key=True, autoincrement=False),
        Column("document", TSVECTOR, nullable=False),
        Column("summary", TSVECTOR, nullable=False),
    )
    Index("ix_works_fts_document", fts.c.document, postgresql_using="gin")
    Index("ix_works_fts_summary", fts.c.summary, postgresql_using="gin")
    return fts


def dialect(db: Executor) -> str:
    bind = db if isinstance(db, Connection) else db.get_bind()  # a Session's engine
    return bind.dialect.name


def supported(db: Executor) -> bool:
    return dialect(db) in ("sqlite", "postgresql")


def spaced(text: str) -> str:
    """Stand each CJK character apart so that it is a token of its own."""
    if text.isascii() or not _has_cjk_bytes(text):
        return text
    return _CJK.sub(r" \1 ", text)


def _has_cjk_bytes(text: str) -> bool:
    """Whether any character encodes to UTF-8 from 0xE3 up."""
    return any(data.translate(None, _BELOW_CJK)
               for data in utf8_slices(text, "surrogatepass"))


class Document(NamedTuple):
    """What one work's entry in the index is made of."""

    work_id: int
    title: str
    summary: str | None
    tags: list[str]
    body: str | bytes  # document_body() of its chapters; as UTF-8 from the parsing workers


def document_body(chapters: Iterable[tuple[str, str]]) -> str:
    """The indexed story text of (text, format) chapters: markup stripped, CJK characters
    spaced apart. The parsing workers compute it for new works, off the writer's time."""
    return spaced("\n\n".join(strip_markup(text, fmt) for text, fmt in chapters))


def index(db: Executor, work_id: int, *, title: str, summary: str | None,
          tags: Iterable[str], chapters: Iterable[tuple[str, str]]) -> None:
    """Make a new document the work's current one; `chapters` are (text, format) pairs."""
    if not supported(db):
        return
    db.execute(delete(DOCS).where(DOCS.c.work_id == work_id))
    index_new(db, [Document(work_id, title, summary, list(tags), document_body(chapters))])


def index_new(db: Executor, documents: list[Document]) -> None:
    """Index works that have no document yet, with one INSERT per table for all of them."""
    if not supported(db) or not documents:
        return
    conn = db if isinstance(db, Connection) else db.connection()
    doc_ids = insert_with_ids(conn, search_docs, [{"work_id": d.work_id} for d in documents])
    if dialect(db) == "postgresql":
        conn.execute(_pg_insert(), [row for doc_id, d in zip(doc_ids, documents, strict=True)
                                  for row in _pg_rows(doc_id, d)])
        return
    conn.exec_driver_sql(_INSERT, [
        (doc_id, spaced(d.title), spaced(d.summary or ""), spaced(" ; ".join(d.tags)), d.body)
        for doc_id, d in zip(doc_ids, documents, strict=True)])


# A body given as UTF-8 bytes is read as the text it is (a string is left as it is): the
# workers' bytes are never decoded in the writer, nor encoded again to be bound.
_INSERT = ("INSERT INTO works_fts (rowid, title, summary, tags, body) "
           "VALUES (?, ?, ?, ?, CAST(? AS TEXT))")


def _vector(name: str) -> ColumnElement[Any]:
    return func.to_tsvector(SIMPLE, func.unaccent(bindparam(name, type_=String)))


@cache
def _pg_insert() -> Any:
    """One row per part of a document; the texts are bound parameters and the server makes
    the vectors. Built on first use: PostgreSQL's `to_tsvector` construct compiles only once
    SQLAlchemy's PostgreSQL dialect is imported."""
    return insert(PG_FTS).values(doc_id=bindparam("doc_id"), part=bindparam("part"),
                                 document=_vector("text"), summary=_vector("head"))


def _pg_rows(doc_id: int, doc: Document) -> list[dict[str, Any]]:
    """The document in rows of at most PART characters: the head (title, summary, tags)
    opens the first, and a summary or head longer than a part (a 2 MB summary exceeded
    tsvector's 1 MB) is split like the story text."""
    head = spaced("\n".join([doc.title, doc.summary or "", " ; ".join(doc.tags)]))
    body = doc.body if isinstance(doc.body, str) else doc.body.decode("utf-8")
    texts = _pieces(head + "\n" + body[:PART]) + _pieces(body, PART)
    summaries = _pieces(spaced(doc.summary or ""))
    return [{"doc_id": doc_id, "part": i,
             "text": texts[i] if i < len(texts) else "",
             "head": summaries[i] if i < len(summaries) else ""}
            for i in range(max(len(texts), len(summaries)))]


def _pieces(text: str, start: int = 0) -> list[str]:
    return [text[i:i + PART] for i in range(start, len(text), PART)]


def rebuild(db: Executor) -> int:
    """Index every work afresh, dropping stale documents; returns the number of works."""
    if not supported(db):
        return 0
    if dialect(db) == "sqlite":
        db.execute(insert(_COMMAND).values(works_fts="delete-all"))
    db.execute(delete(DOCS))
    last, done = 0, 0
    while True:
        works = db.execute(select(_WORKS.c.id, _WORKS.c.title, _WORKS.c.summary)
                           .where(_WORKS.c.id > last).order_by(_WORKS.c.id).limit(BATCH)).all()
        if not works:
            return done
        ids = [w.id for w in works]
        chapters: dict[int, list[tuple[str, str]]] = defaultdict(list)
        for work_id, text, fmt in db.execute(
                select(_CHAPTERS.c.work_id, _CHAPTERS.c.text, _CHAPTERS.c.text_format)
                .where(_CHAPTERS.c.work_id.in_(ids))
                .order_by(_CHAPTERS.c.work_id, _CHAPTERS.c.position)):
            chapters[work_id].append((text, fmt))
        tags: dict[int, list[str]] = defaultdict(list)
        for work_id, name in db.execute(
                select(_LINKS.c.work_id, func.coalesce(_LINKS.c.written, _TAGS.c.name))
                .join(_TAGS, _TAGS.c.id == _LINKS.c.tag_id).where(_LINKS.c.work_id.in_(ids))
                .order_by(_LINKS.c.work_id, _LINKS.c.position)):
            tags[work_id].append(name)
        index_new(db, [Document(w.id, w.title, w.summary, tags[w.id],
                                document_body(chapters[w.id])) for w in works])
        last, done = ids[-1], done + len(works)


def stale(db: Executor) -> int:
    """Documents in the index that no work uses any more (compacted by `rebuild`)."""
    if dialect(db) != "sqlite":
        return 0  # PostgreSQL deletes a document's rows with its search_docs row
    total = db.execute(select(func.count()).select_from(FTS)).scalar_one()
    return int(total) - int(db.execute(select(func.count()).select_from(DOCS)).scalar_one())
