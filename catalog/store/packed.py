"""Chapter text stored compressed on SQLite: a story file's text is most of a catalogue's
size, and English prose compresses to about 40% of itself.

`pack` runs where rows are built for the writer; every read of `chapters.text` goes through
the column's type (`PackedText`), so a reader never sees the difference. A value is
compressed only when that saves space, so short texts stay as they are; rows written before
packing (plain text) read as they always did. PostgreSQL compresses large values itself
(TOAST), so there the text is stored as written.
"""

from __future__ import annotations

import threading
import zlib
from typing import Any

import zstandard
from sqlalchemy import Text
from sqlalchemy.engine.interfaces import Dialect
from sqlalchemy.types import TypeDecorator

# Zstandard's level 1: on story files, 2.5x faster to pack and 3x faster to read than zlib's
# fastest level, and a little smaller (bench/RESULTS.md). Catalogues packed with zlib by
# earlier versions keep reading: a zlib stream never starts with zstd's frame magic.
LEVEL = 1
SMALLEST = 512  # characters; below this the saving is a few bytes
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
_local = threading.local()  # a (de)compressor context is not safe to share between threads


def pack(text: str) -> str | bytes:
    """The text as stored on SQLite: compressed when that is smaller."""
    if len(text) < SMALLEST:
        return text
    raw = text.encode("utf-8")
    packed = _compressor().compress(raw)
    return packed if len(packed) < len(raw) else text


def unpack(value: str | bytes) -> str:
    if not isinstance(value, bytes):
        return value
    if value.startswith(ZSTD_MAGIC):
        return _decompressor().decompress(value).decode("utf-8")
    return zlib.decompress(value).decode("utf-8")


def _compressor() -> zstandard.ZstdCompressor:
    try:
        return _local.compressor  # type: ignore[no-any-return]
    except AttributeError:
        _local.compressor = zstandard.ZstdCompressor(level=LEVEL)
        return _local.compressor  # type: ignore[no-any-return]


def _decompressor() -> zstandard.ZstdDecompressor:
    try:
        return _local.decompressor  # type: ignore[no-any-return]
    except AttributeError:
        _local.decompressor = zstandard.ZstdDecompressor()
        return _local.decompressor  # type: ignore[no-any-return]


class PackedText(TypeDecorator[str]):
    """TEXT in the schema; a deflated value (a BLOB in SQLite's TEXT column) reads as its
    text. Writing leaves the value as given (`pack` decides), so bulk inserts keep going
    straight to the driver."""

    impl = Text
    cache_ok = True

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else unpack(value)
