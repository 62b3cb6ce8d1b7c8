"""Small text normalisations shared by readers, the store and the query compiler.

`name_key` is the identity of a tag name: two spellings with the same key are one tag
(AO3: unique per type ignoring case and accents). `split_list` is AO3's tag-list split.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache

_SPACE = re.compile(r"\s+")
_LIST_SEPARATORS = re.compile(r"[,，、]")


def collapse(value: str) -> str:
    """Collapse runs of whitespace to one space and strip the ends (AO3 stores names so)."""
    return _SPACE.sub(" ", value).strip()


# Pure, and the same tag names come again and again. Bounded small: a catalogue of
# 20,000 works names about 50,000 tags, and a cache of them all was 15 MB in each process.
@lru_cache(maxsize=8192)
def name_key(value: str) -> str:
    """NFKC, case-folded, accents stripped, whitespace collapsed: 'Café  Fic' -> 'cafe fic'."""
    if value.isascii():  # the same key, without four passes over the name (most names)
        return collapse(value.lower())
    return unicode_key(value)


def unicode_key(value: str) -> str:
    """`name_key` by Unicode's rules, the way for any name (an ASCII one too)."""
    folded = unicodedata.normalize("NFKC", value).casefold()
    decomposed = unicodedata.normalize("NFD", folded)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return collapse(unicodedata.normalize("NFC", stripped))


def split_list(value: str | Iterable[str] | None) -> list[str]:
    """Split list input on `,` `，` `、` (a YAML list is split item by item); drop empties."""
    if value is None:
        return []
    items = [value] if isinstance(value, str) else [str(v) for v in value if v is not None]
    out: list[str] = []
    for item in items:
        out.extend(p for p in (collapse(x) for x in _LIST_SEPARATORS.split(item)) if p)
    return out


def unique(values: Iterable[str]) -> list[str]:
    """Keep the first spelling of each name key, in order."""
    seen: set[str] = set()
    out: list[str] = []
    for v in values:
        k = name_key(v)
        if k not in seen:
            seen.add(k)
            out.append(v)
    return out


def normalise_newlines(text: str) -> str:
    """CRLF and bare CR become LF: the form the text hash is taken over."""
    if "\r" not in text:  # one scan, no copy: most texts, and every text the second time
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


_MARKUP = re.compile(r"<[^>]*>")


def strip_markup(text: str, text_format: str) -> str:
    """A chapter's words without HTML tags or entities (Markdown and text pass as written):
    what the full-text index and inference read."""
    if text_format != "html":
        return text
    return html.unescape(_MARKUP.sub(" ", text))


# Every C0 and C1 control character, DEL, and the Unicode line/paragraph separators and
# bidirectional overrides that can make a line say something it does not (Trojan Source).
_BEYOND_C0 = "\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
_LINE_UNSAFE = re.compile(f"[\x00-\x1f{_BEYOND_C0}]")
_BLOCK_UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f{_BEYOND_C0}]")  # keeps \t and \n
_NAMED = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _escaped(match: re.Match[str]) -> str:
    ch = match.group()
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_line(value: object) -> str:
    """One line of file-supplied text made safe for a terminal or log: every control
    character, newline included, shown escaped (`\\x1b`, `\\n`), so a title cannot repaint
    the screen and a file name cannot forge a report line."""
    return _LINE_UNSAFE.sub(_escaped, _encodable(value))


def escape_block(value: object) -> str:
    """Multi-line file text (a summary, notes, a story) for a terminal: newlines and tabs
    stay, every other control character is shown escaped."""
    return _BLOCK_UNSAFE.sub(_escaped, _encodable(value))


SURROGATE = re.compile("[\ud800-\udfff]")
SLICE = 1 << 20  # characters


def utf8_slices(text: str, errors: str = "strict") -> Iterator[bytes]:
    """The text's UTF-8 a megabyte of characters at a time: the whole of a long story
    encoded at once would be one more copy of it in memory. With the default `errors`,
    a lone surrogate raises UnicodeEncodeError, whose `object` is its slice."""
    for at in range(0, len(text), SLICE):
        yield text[at:at + SLICE].encode("utf-8", errors)


def _encodable(value: object) -> str:
    """The text with any lone surrogate (from a JSON `\\ud800` or an undecodable file
    name) written as `\\udcxx`: a terminal cannot be sent one at all."""
    text = value if isinstance(value, str) else str(value)
    if SURROGATE.search(text) is None:
        return text
    return text.encode("utf-8", "backslashreplace").decode("utf-8")
