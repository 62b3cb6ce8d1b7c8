"""Chapter text stored compressed on SQLite: a story file's text is most of a catalogue's
size, and English prose deflates to about 40% of itself.

`pack` runs where rows are built for the writer; every read of `chapters.text` goes through
the column's type (`PackedText`), so a reader never sees the difference. A value is
compressed only when that saves space, so short texts stay as they are; rows written before
packing (plain text) read as they always did. PostgreSQL compresses large values itself
(TOAST), so there the text is stored as written.
"""

from __future__ import annotations

import zlib
from typing import Any

from sqlalchemy import Text
from sqlalchemy.engine.interfaces import Dialect
from sqlalchemy.types import TypeDecorator

LEVEL = 1  # zlib's fastest: most of the saving (25 kB -> 10 kB) at a third of level 6's time
SMALLEST = 512  # characters; below this the saving is a few bytes


def pack(text: str) -> str | bytes:
    """The text as stored on SQLite: deflated when that is smaller."""
    if len(text) < SMALLEST:
        return text
    raw = text.encode("utf-8")
    packed = zlib.compress(raw, LEVEL)
    return packed if len(packed) < len(raw) else text


def unpack(value: str | bytes) -> str:
    return zlib.decompress(value).decode("utf-8") if isinstance(value, bytes) else value


class PackedText(TypeDecorator[str]):
    """TEXT in the schema; a deflated value (a BLOB in SQLite's TEXT column) reads as its
    text. Writing leaves the value as given (`pack` decides), so bulk inserts keep going
    straight to the driver."""

    impl = Text
    cache_ok = True

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else unpack(value)
