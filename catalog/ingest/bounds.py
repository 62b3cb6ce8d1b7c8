"""The last check before a resolved entry may be stored: every value fits every backend.

Readers parse what files say, and a file can say anything: a 20-digit chapter count, a NUL
in a title, a lone surrogate from a JSON escape. Such a value would pass the parser and
fail in the database driver (SQLite's and PostgreSQL's integers are 64 and 32 bits, neither
stores NUL in text, no UTF-8 holds a surrogate), where it used to take the whole batch
with it. Checked here, in the parsing worker, it is that one file's one-line error.
Integers are held to PostgreSQL's `integer`, so a catalogue moves between backends.
"""

from __future__ import annotations

from collections.abc import Iterator

from catalog.errors import InputError
from catalog.model import CatalogEntry
from catalog.textnorm import utf8_slices

MAX_INT = 2**31 - 1


def check_entry(entry: CatalogEntry) -> None:
    """Raise an InputError naming the first value that no backend could store."""
    for name, value in _integers(entry):
        if value is not None and not 0 <= value <= MAX_INT:
            raise InputError(entry.source, f"{name} {_short(value)} is out of range "
                             f"(0 to {MAX_INT:,})")
    for name, text in _texts(entry):
        if text:
            _check_text(entry.source, name, text)


def _short(value: int) -> str:
    """The number as written, unless it is too long to be worth printing."""
    return str(value) if -10**24 < value < 10**24 else "value"


def _integers(entry: CatalogEntry) -> Iterator[tuple[str, int | None]]:
    yield "id", entry.id
    yield "chapters", entry.expected_chapters
    yield "ao3_id", entry.ao3_id
    yield "stated words", entry.stated_words
    for chapter in entry.chapters:
        yield "chapter words", chapter.words
        yield "chapter position", chapter.position
    for _name, part in entry.series:
        yield "series part", part
    for tag in entry.tags:
        yield "tag mentions", tag.mentions


def _texts(entry: CatalogEntry) -> Iterator[tuple[str, str | None]]:
    yield "source", entry.source
    yield "title", entry.title
    yield "summary", entry.summary
    yield "notes", entry.notes
    yield "url", entry.url
    yield "language", entry.language
    yield "rating", entry.rating_raw
    for author in entry.authors:
        yield "author", author
    for tag in entry.tags:
        yield f"{tag.type} tag", tag.name
    for name, _part in entry.series:
        yield "series", name
    for collection in entry.collections:
        yield "collection", collection
    for chapter in entry.chapters:
        yield "text", chapter.text
        yield "chapter title", chapter.title
        yield "chapter summary", chapter.summary
        yield "chapter notes", chapter.notes


def _check_text(source: str, name: str, text: str) -> None:
    if "\x00" in text:
        raise InputError(source, f"{name} contains a NUL character")
    if surrogate := _lone_surrogate(text):
        raise InputError(source, f"{name} contains a lone surrogate "
                         f"(U+{ord(surrogate):04X}), which no text encoding holds")


def _lone_surrogate(text: str) -> str | None:
    """The first lone surrogate of the text, if any: UTF-8's encoder refuses exactly those,
    three times faster than a regex search of a 4,000-word story."""
    if text.isascii():
        return None
    try:
        for _ in utf8_slices(text):
            pass
    except UnicodeEncodeError as exc:
        return exc.object[exc.start]
    return None
