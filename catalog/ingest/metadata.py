"""Metadata fields as writers name them, shared by text headers, YAML front matter and
sidecar files: `Pairing:`, `Ship:` and `relationships:` all fill the relationship list.

Keys are case-insensitive; unknown keys are kept in the notes as `Key: value` lines, so
nothing a file says is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from catalog.errors import CatalogError
from catalog.htmlparse import parse_html
from catalog.ingest.ao3 import html_to_text
from catalog.model import WorkRecord
from catalog.textnorm import collapse, split_list

FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("title", "story title", "name"),
    "authors": ("author", "authors", "by", "writer", "writers", "creator", "creators"),
    "fandoms": ("fandom", "fandoms"),
    "rating": ("rating", "ratings"),
    "warnings": ("warning", "warnings", "archive warning", "archive warnings", "content warnings"),
    "categories": ("category", "categories"),
    "relationships": ("pairing", "pairings", "relationship", "relationships", "ship", "ships"),
    "characters": ("character", "characters"),
    "freeform": ("tags", "tag", "additional tags", "additional tag", "freeform", "freeforms"),
    "summary": ("summary", "description", "abstract"),
    "notes": ("notes", "note", "author's notes", "author's note", "authors note", "a/n"),
    "language": ("language", "lang"),
    "published": ("published", "date", "posted", "written", "date posted"),
    "updated": ("updated", "last updated", "date updated"),
    "complete": ("complete", "completed", "status"),
    "chapters": ("chapters",),
    "series": ("series",),
}
KEY_TO_FIELD = {alias: name for name, aliases in FIELDS.items() for alias in aliases}
LIST_FIELDS = {"authors", "fandoms", "warnings", "categories", "relationships", "characters",
               "freeform"}
_TRUE = {"yes", "y", "true", "complete", "completed", "finished", "done", "1"}
_FALSE = {"no", "n", "false", "incomplete", "wip", "in progress", "ongoing", "unfinished",
          "abandoned", "on hiatus", "hiatus", "0"}
_CHAPTERS = re.compile(r"^\s*(\d+)\s*(?:/\s*(\d+|\?)\s*)?$")
TAG_PREFIXES = {"c": "characters", "p": "relationships", "f": "fandoms"}
_WIP_TAGS = {"incomplete", "wip", "work in progress", "unfinished", "in progress"}
_HTML = re.compile(r"<(?:p|br|b|i|em|strong|a|div|span|blockquote)\b[^>]*>", re.IGNORECASE)


def field_for(key: str) -> str | None:
    """The record field a header key fills, or None for an unknown key."""
    return KEY_TO_FIELD.get(collapse(key).casefold().rstrip(":"))


def _scalar(key: str, value: Any) -> str:
    if isinstance(value, dict | list | tuple | set):
        raise CatalogError(f"{key!r}: expected text or a list of texts, found a nested structure")
    return "" if value is None else str(value)


def _as_text(key: str, value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(_scalar(key, v) for v in value if v is not None)
    text = _scalar(key, value)  # first: a nested value is refused, never printed whole
    return collapse(text) if "\n" not in text else text.strip()


def _as_list(key: str, value: Any) -> list[str]:
    if isinstance(value, list | tuple):
        return split_list(_scalar(key, v) for v in value if v is not None)
    return split_list(_scalar(key, value))


def parse_date(value: Any) -> date | None:
    """A date from YAML (already a date) or text ('2004-10-12', 'July 21, 2006')."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = collapse(str(value))
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        pass
    # loaded by the inputs that need it
    from dateutil import parser

    try:
        return parser.parse(text, default=datetime(1900, 1, 1)).date()
    except (ValueError, OverflowError):
        return None


def parse_complete(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    text = collapse(str(value)).casefold()
    return True if text in _TRUE else False if text in _FALSE else None


def apply_fields(record: WorkRecord, pairs: Iterable[tuple[str, Any]], *,
                 override: bool = False) -> None:
    """Fill `record` from (key, value) pairs; `override` lets later sources win (sidecars)."""
    for key, value in pairs:
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        name = field_for(str(key))
        if name is None:
            record.notes.append(f"{collapse(str(key))}: {_as_text(str(key), value)}")
        elif name in LIST_FIELDS:
            values = _as_list(str(key), value)
            if name == "freeform":
                values = _sort_prefixed(record, values)
            setattr(record, name, values if override else getattr(record, name) + values)
        elif name == "series":
            record.series = ([] if override else record.series) + [
                series_part(v) for v in _as_list(str(key), value)]
        else:
            _apply_scalar(record, name, str(key), value, override)


def _sort_prefixed(record: WorkRecord, tags: list[str]) -> list[str]:
    """Typed tags written as prefixes in a plain tag list (`c:buffy`, `p:giles/xander`,
    `f:btvs`, as LiveJournal-era archives did) go to their type; a status tag such as
    "incomplete" also marks the work in progress. The rest stay additional tags."""
    rest = []
    for tag in tags:
        prefix, _, name = tag.partition(":")
        typed = TAG_PREFIXES.get(prefix.strip().casefold()) if name.strip() else None
        if typed:
            getattr(record, typed).append(name.strip())
            continue
        if tag.casefold() in _WIP_TAGS:
            record.complete = False
        rest.append(tag)
    return rest


def plain_text(value: str) -> str:
    """Summaries and notes written in HTML (common in old archives) become plain text."""
    if not _HTML.search(value):
        return value

    return html_to_text(parse_html(value).body) or value


def _apply_scalar(record: WorkRecord, name: str, key: str, value: Any, override: bool) -> None:
    text = _as_text(key, value)
    if name == "notes":
        record.notes.append(plain_text(text))
        return
    if name == "summary":
        text = plain_text(text)
    if name in ("published", "updated"):
        parsed = parse_date(value)
        if parsed is None:
            record.notes.append(f"{collapse(key)}: {text}")
        elif override or getattr(record, name) is None:
            setattr(record, name, parsed)
        return
    if name == "complete":
        flag = parse_complete(value)
        if flag is None:
            record.notes.append(f"{collapse(key)}: {text}")
        else:
            record.complete = flag
        return
    if name == "chapters":
        _apply_chapters(record, key, text)
        return
    if override or getattr(record, name) is None:
        setattr(record, name, text)


def _apply_chapters(record: WorkRecord, key: str, text: str) -> None:
    """`Chapters: 3/10` or `3/?` (AO3's form): the expected total and, with `?`, not complete."""
    m = _CHAPTERS.match(text)
    if not m:
        record.notes.append(f"{collapse(key)}: {text}")
        return
    total = m.group(2) or m.group(1)
    if total == "?":
        record.expected_chapters, record.complete = None, False
    else:
        record.expected_chapters = int(total)
        if record.complete is None:
            record.complete = int(m.group(1)) >= int(total)


_PART_OF = re.compile(r"part\s+(\d{1,6})\s+of\s+(.+)", re.IGNORECASE)
_NAME_PART = re.compile(r"(.+?)\s*(?:[\[(]\s*(?:part\s*)?(\d{1,6})\s*[\])]|#(\d{1,6})|"
                        r":?\s+part\s+(\d{1,6}))", re.IGNORECASE)


def series_part(value: str) -> tuple[str, int | None]:
    """A series as headers write it, with its part: "Part 3 of Dark Willow" (AO3's
    words), "Dark Willow [3]", "Dark Willow (Part 3)", "Dark Willow #3", "Dark Willow:
    Part 3"; else the whole value names the series."""
    value = value.strip()
    m = _PART_OF.fullmatch(value)
    if m:
        return m.group(2).strip(), int(m.group(1))
    m = _NAME_PART.fullmatch(value)
    if m:
        number = next(g for g in m.groups()[1:] if g)
        return m.group(1).strip(), int(number)
    return value, None
