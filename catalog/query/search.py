"""Bare words of a query as a match against the store's full-text index: a phrase of
whole words, case- and accent-insensitive (see `catalog.store.fulltext` for the index)."""

from __future__ import annotations

import unicodedata

from sqlalchemy import ColumnElement, func, literal_column, select

from catalog.errors import CatalogError
from catalog.store.fulltext import DOCS, FTS, PG_FTS, SIMPLE, Executor, dialect, spaced, supported
from catalog.store.tables import works


def has_terms(value: str) -> bool:
    """Whether the tokenizer would find a word in `value` (letters, digits)."""
    return any(unicodedata.category(ch)[0] in "LN" or unicodedata.category(ch) == "Co"
               for ch in value)


def match(session: Executor, value: str, columns: tuple[str, ...] = ()) -> ColumnElement[bool]:
    """Works whose indexed text contains `value` as a phrase (whole words, in order)."""
    if not supported(session):
        raise CatalogError("full-text search needs SQLite or PostgreSQL; "
                           "filter by tags and fields instead")
    if not has_terms(value):
        raise CatalogError(f"nothing to search for in {value!r}: use letters or digits")
    if dialect(session) == "postgresql":
        vector = PG_FTS.c.summary if columns == ("summary",) else PG_FTS.c.document
        query = func.phraseto_tsquery(SIMPLE, func.unaccent(spaced(value)))
        documents = select(PG_FTS.c.doc_id).where(vector.op("@@")(query))
        return works.c.id.in_(select(DOCS.c.work_id).where(DOCS.c.doc_id.in_(documents)))
    phrase = '"' + spaced(value).replace('"', '""') + '"'
    expression = f"{{{' '.join(columns)}}} : {phrase}" if columns else phrase
    documents = select(FTS.c.rowid).where(literal_column("works_fts").op("MATCH")(expression))
    return works.c.id.in_(select(DOCS.c.work_id).where(DOCS.c.doc_id.in_(documents)))
