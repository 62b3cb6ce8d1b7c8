"""The shape of one record of our JSON Lines export, validated as it is decoded.

A restore reads files that may have been edited, truncated or made by someone else, so
every line is held to this schema before anything of it is stored: ids and counts are
integers in 0..2**31-1 (PostgreSQL's `integer`, so one export validates alike on every
backend), dates parse, tag types are AO3's, texts hold no NUL. msgspec decodes and
validates in one pass in C: 0.72 s for a 100k-line, 446 MB export against pydantic's
1.50 s and the standard library's bare `json.loads` at 1.62 s. Unknown keys are ignored:
later versions add keys (see `catalog.export.records`).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any, Literal

import msgspec
from msgspec import UNSET, Meta, Struct, UnsetType

from catalog.ingest.bounds import MAX_INT

Count = Annotated[int, Meta(ge=0, le=MAX_INT)]
TagType = Literal["rating", "warning", "category", "fandom", "relationship", "character",
                  "freeform"]
TextFormat = Literal["text", "markdown", "html"]


class ExportTag(Struct):
    type: TagType
    name: str
    mentions: Count | None = None


class ExportSeries(Struct):
    name: str
    part: Count | None = None


class ExportChapter(Struct):
    text: str | None = None
    format: TextFormat = "text"
    title: str | None = None
    summary: str | None = None
    notes: str | None = None
    words: Count | None = None
    position: Count | None = None


Source = Literal["file", "user", "inferred", "edit"]
Pair = tuple[TagType, str]


class ExportLayer(Struct):
    """One layer the user laid over a work (`catalog.layers`): only the keys it sets."""

    title: str | UnsetType = UNSET
    summary: str | None | UnsetType = UNSET
    language: str | None | UnsetType = UNSET
    complete: bool | UnsetType = UNSET
    rating: str | UnsetType = UNSET
    warnings: list[str] | UnsetType = UNSET
    categories: list[str] | UnsetType = UNSET
    authors: list[str] | UnsetType = UNSET
    add: list[Pair] | UnsetType = UNSET
    remove: list[Pair] | UnsetType = UNSET

    def as_layer(self) -> dict[str, Any]:
        return {k: list(map(list, v)) if k in ("add", "remove") else v
                for k, v in msgspec.structs.asdict(self).items() if v is not UNSET}


class ExportFileValues(Struct):
    """The file's own values under the layers."""

    title: str
    summary: str | None = None
    language: str | None = None
    complete: bool = True
    expected_chapters: Count | None = None
    authors: list[str] = []
    tags: list[tuple[TagType, str, Source, Count | None]] = []


class ExportEdits(Struct):
    file: ExportFileValues | None = None
    user: ExportLayer | None = None
    edit: ExportLayer | None = None


class ExportReading(Struct):
    status: Literal["later", "reading", "read", "dropped"]
    marked: dt.datetime
    chapter: Count | None = None
    chapters_seen: Count = 0
    words_seen: Count = 0


class TagLine(Struct):
    """{"kind": "tag", …}: a tag with its wrangling (see `catalog.export.kinds`)."""

    kind: str
    type: TagType
    name: str
    canonical: bool = False
    synonym_of: str | None = None
    parents: list[Pair] = []
    ao3_id: Count | None = None
    common: bool = False


class SearchLine(Struct):
    kind: str
    name: str
    query: str
    created: dt.datetime | None = None


class BlockLine(Struct):
    kind: str
    query: str
    id: Count | None = None
    created: dt.datetime | None = None


KIND_DECODERS: dict[str, Any] = {
    "tag": msgspec.json.Decoder(TagLine), "search": msgspec.json.Decoder(SearchLine),
    "block": msgspec.json.Decoder(BlockLine)}


class ExportRecord(Struct):
    """One exported work; every key optional, as a hand-made record may leave most out.
    A line with a `kind` is not a work (see KIND_DECODERS)."""

    kind: str | None = None
    id: Count | None = None
    title: str | None = None
    authors: list[str] = []
    fandoms: list[str] = []
    rating: str | None = None
    warnings: list[str] = []
    categories: list[str] = []
    relationships: list[str] = []
    characters: list[str] = []
    freeform: list[str] = []
    language: str | None = None
    words: Count | None = None
    chapters: Count | None = None
    expected_chapters: Count | None = None
    complete: bool | None = None
    summary: str | None = None
    notes: str | None = None
    published: dt.date | None = None
    updated: dt.date | None = None
    completed: dt.date | None = None
    source: str | None = None
    format: str | None = None
    sha256: str | None = None
    rating_raw: str | None = None
    user_tags: list[ExportTag] = []
    inferred: list[ExportTag] = []
    ingested: dt.datetime | None = None
    modified: dt.datetime | None = None
    series: list[ExportSeries] = []
    collections: list[str] = []
    ao3_id: Count | None = None
    url: str | None = None
    stated_words: Count | None = None
    encoding: str | None = None
    text: str | None = None
    chapter_list: list[ExportChapter] = []
    edits: ExportEdits | None = None
    reading: ExportReading | None = None


_DECODER = msgspec.json.Decoder(ExportRecord)


class RecordError(ValueError):
    """Why a line is not a valid record: `key` is the JSON path ("" for the whole line)."""

    def __init__(self, key: str, reason: str) -> None:
        super().__init__(f"{key}: {reason}" if key else reason)
        self.key = key
        self.reason = reason


def validate(raw: bytes) -> ExportRecord | TagLine | SearchLine | BlockLine:
    """The record on one line, or a RecordError naming the key at fault."""
    try:
        record = _DECODER.decode(raw)
        if record.kind is not None:
            decoder = KIND_DECODERS.get(record.kind)
            if decoder is None:
                raise RecordError("", f"unknown record kind {record.kind!r} (this catalog "
                                  f"reads {', '.join(KIND_DECODERS)} and works)")
            line: TagLine | SearchLine | BlockLine = decoder.decode(raw)
            return line
    except msgspec.ValidationError as exc:
        raise _explained(str(exc)) from None
    except msgspec.DecodeError as exc:
        raise _not_json(raw, str(exc)) from None
    if b"\\u0000" in raw:  # JSON can only carry a NUL escaped: look closer only then
        key = _nul_key(msgspec.structs.asdict(record), "")
        if key is not None:
            raise RecordError(key, "contains a NUL character")
    return record


def _explained(message: str) -> RecordError:
    """msgspec's "Expected `int` <= 2147483647 - at `$.id`" as key `id` and a reason."""
    reason, _, where = message.partition(" - at `$")
    key = where.rstrip("`").lstrip(".")
    reason = reason.replace("`", "")
    return RecordError(key, reason[:1].lower() + reason[1:])


def _not_json(raw: bytes, message: str) -> RecordError:
    """Not JSON to msgspec. The standard library accepts what JSON allows but no text can
    hold (a lone surrogate escape, `\\ud800`), so it tells that apart from a broken line."""
    try:
        json.loads(raw)
    except ValueError as exc:
        return RecordError("", f"not JSON: {exc}")
    except RecursionError:
        return RecordError("", "not JSON: nested too deeply")
    if b"\\u" in raw and b"\\ud" in raw.lower():
        return RecordError("", "a string holds a lone surrogate escape (such as \\ud800), "
                           "which no text encoding can store")
    return RecordError("", f"not a catalogue record: {message}")


def _nul_key(value: Any, key: str) -> str | None:
    if isinstance(value, str):
        return key if "\x00" in value else None
    if isinstance(value, Struct):
        value = msgspec.structs.asdict(value)
    if isinstance(value, dict):
        items: Any = value.items()
    elif isinstance(value, list):
        items = ((f"[{i}]", v) for i, v in enumerate(value))
    else:
        return None
    for name, item in items:
        found = _nul_key(item, f"{key}.{name}" if key and not name.startswith("[")
                         else f"{key}{name}")
        if found is not None:
            return found
    return None
