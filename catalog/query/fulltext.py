"""The full-text index behind bare words: title, summary, tag names and story text, whole
words, case- and accent-insensitive, no stemming.

SQLite: an FTS5 table (`unicode61 remove_diacritics 2`) keyed by work id, written by the
store on every insert or update and cleared by a trigger when a work is deleted.
Chinese and Japanese are written without spaces between words, so the tokenizer would see a
whole sentence as one token: each Han, kana or CJK-symbol character is indexed as a token of
its own, and a query word in those scripts becomes a phrase of its characters, which
matches exactly where the characters stand next to each other (`魔法` finds `魔法少女`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from sqlalchemy import ColumnElement, column, delete, insert, literal_column, select, table
from sqlalchemy.orm import Session

from catalog.db.models import Work
from catalog.errors import CatalogError
from catalog.textnorm import strip_markup

FTS = table("works_fts", column("rowid"), column("title"), column("summary"),
            column("tags"), column("body"))
_CJK = re.compile(
    "([\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\U00020000-\U0003134f])")
COLUMNS = ("title", "summary", "tags", "body")


def supported(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def spaced(text: str) -> str:
    """Stand each CJK character apart so that it is a token of its own."""
    return _CJK.sub(r" \1 ", text)


def index(session: Session, work_id: int, *, title: str, summary: str | None,
          tags: Iterable[str], chapters: Iterable[tuple[str, str]]) -> None:
    """(Re)write one work's row; `chapters` are (text, text_format) pairs."""
    if not supported(session):
        return
    body = "\n\n".join(strip_markup(text, fmt) for text, fmt in chapters)
    session.execute(delete(FTS).where(FTS.c.rowid == work_id))
    session.execute(insert(FTS).values(
        rowid=work_id, title=spaced(title), summary=spaced(summary or ""),
        tags=spaced(" ; ".join(tags)), body=spaced(body)))


def has_terms(value: str) -> bool:
    """Whether the tokenizer would find a word in `value` (letters, digits)."""
    return any(unicodedata.category(ch)[0] in "LN" or unicodedata.category(ch) == "Co"
               for ch in value)


def match(session: Session, value: str, columns: tuple[str, ...] = ()) -> ColumnElement[bool]:
    """Works whose indexed text contains `value` as a phrase (whole words, in order)."""
    if not supported(session):
        raise CatalogError("full-text search needs the SQLite backend for now; "
                           "filter by tags and fields instead")
    if not has_terms(value):
        raise CatalogError(f"nothing to search for in {value!r}: use letters or digits")
    phrase = '"' + spaced(value).replace('"', '""') + '"'
    expression = f"{{{' '.join(columns)}}} : {phrase}" if columns else phrase
    matching = select(FTS.c.rowid).where(literal_column("works_fts").op("MATCH")(expression))
    return Work.id.in_(matching)
