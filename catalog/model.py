"""The records every layer shares: the storage-free shape every reader returns, and its
resolved form ready to store. No SQLAlchemy, no I/O: the bottom layer.

Readers say what a file says (`WorkRecord`: ratings and warnings as written, no ids, no
database). `resolve()` applies AO3's vocabularies and the user's options and yields a
`CatalogEntry`: one rating, archive warnings only, every tag with its provenance, the text
hash and the AO3 word count.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from functools import cached_property
from typing import Any

from catalog import storyurl
from catalog.textnorm import normalise_newlines

# Where a work's tag or field came from: the file, the user's options at ingest, inference
# from the text, or the user's later edit (`catalog edit`).
SOURCE_FILE, SOURCE_USER, SOURCE_INFERRED, SOURCE_EDIT = "file", "user", "inferred", "edit"


@dataclass
class ChapterRecord:
    """One chapter as read; `words` is filled in by `resolve` unless the source states it."""

    text: str
    text_format: str = "text"  # "text", "markdown" or "html": decides how words are counted
    title: str | None = None
    summary: str | None = None
    notes: str | None = None
    words: int | None = None
    position: int | None = None  # the chapter's number in the work, when the file says it
    # The text as the store will write it (compressed for SQLite), made where files are
    # parsed so that the one writer does not; None: the writer makes it.
    stored: str | bytes | None = field(default=None, compare=False, repr=False)


@dataclass
class WorkRecord:
    """What one story file says, before any mapping (values as written)."""

    source: str
    format: str
    chapters: list[ChapterRecord] = field(default_factory=list)
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    rating: str | None = None
    rating_raw: str | None = None
    warnings: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    fandoms: list[str] = field(default_factory=list)
    relationships: list[str] = field(default_factory=list)
    characters: list[str] = field(default_factory=list)
    freeform: list[str] = field(default_factory=list)
    language: str | None = None
    summary: str | None = None
    notes: list[str] = field(default_factory=list)
    published: date | None = None
    updated: date | None = None
    expected_chapters: int | None = None
    complete: bool | None = None
    completed: date | None = None
    series: list[tuple[str, int | None]] = field(default_factory=list)  # (name, part)
    collections: list[str] = field(default_factory=list)
    ao3_id: int | None = None  # the AO3 work id: the work's identity across downloads
    url: str | None = None
    stated_words: int | None = None  # the count the file itself states (AO3's Stats line)
    encoding: str | None = None  # the character encoding the file was decoded with
    # The file shows only some chapters (an AO3 chapter page): they are merged into the
    # catalogued work by position instead of replacing its text.
    partial: bool = False
    # Set by our own export when restoring, so ids, timestamps and provenance survive.
    id: int | None = None
    ingested: datetime | None = None
    modified: datetime | None = None
    user_tags: set[tuple[str, str]] = field(default_factory=set)  # (type, name_key)
    # Tags our export marked inferred, (type, name_key) -> mentions; a restore keeps them
    # and never infers again (`infer` False).
    inferred: dict[tuple[str, str], int | None] = field(default_factory=dict)
    infer: bool = True
    # The user's layers an export carried ("user", "edit"; see `catalog.layers`) and the
    # reader's status ({status, chapter, marked, chapters_seen, words_seen}).
    layers: dict[str, dict[str, Any]] = field(default_factory=dict)
    reading: dict[str, Any] | None = None

    @property
    def text(self) -> str:
        return join_chapters(c.text for c in self.chapters)


def join_chapters(texts: object) -> str:
    """A work's text: its chapters' texts separated by a blank line."""
    return "\n\n".join(texts)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Kept:
    """A line of an export that is not a work: a tag with its wrangling, a saved search
    or a blocklist entry (`kind`), restored as it was (see `catalog.export.kinds`)."""

    kind: str
    data: dict[str, Any]
    where: str


@dataclass(frozen=True)
class TagRef:
    type: str
    name: str
    source: str  # "file", "user", "inferred" or "edit"
    mentions: int | None = None  # for an inferred tag: how often the text names it


@dataclass
class CatalogEntry:
    """A resolved work: what the store writes, and what decides `unchanged` on re-ingest."""

    source: str
    format: str
    title: str
    authors: list[str]
    tags: list[TagRef]
    rating_raw: str | None
    language: str | None
    summary: str | None
    notes: str | None
    published: date | None
    updated: date | None
    expected_chapters: int | None
    complete: bool
    chapters: list[ChapterRecord]
    completed: date | None = None
    series: list[tuple[str, int | None]] = field(default_factory=list)
    collections: list[str] = field(default_factory=list)
    ao3_id: int | None = None
    url: str | None = None
    stated_words: int | None = None
    encoding: str | None = None
    partial: bool = False
    id: int | None = None
    ingested: datetime | None = None
    modified: datetime | None = None
    infer: bool = True
    # What the user lays over the file's values (`catalog.layers`): "user" from the
    # options of this ingest, and "edit" too when a record is restored from an export.
    layers: dict[str, dict[str, Any]] = field(default_factory=dict)
    reading: dict[str, Any] | None = None  # a restored reading status

    @cached_property
    def url_key(self) -> str | None:
        """The story's address as its identity (`storyurl.key`), made once per entry: the
        writer asks for it as it finds, claims and writes the work."""
        return storyurl.key(self.url)

    @property
    def text(self) -> str:
        return join_chapters(c.text for c in self.chapters)

    @property
    def words(self) -> int:
        return sum(c.words or 0 for c in self.chapters)

    @property
    def sha256(self) -> str:
        """SHA-256 of the text as UTF-8 with LF line endings."""
        return hashlib.sha256(normalise_newlines(self.text).encode("utf-8")).hexdigest()

    @property
    def meta_hash(self) -> str:
        """A fingerprint of what the file says but its text and source: equal means the
        file is unchanged (the user's layers are compared on their own)."""
        meta = {
            "format": self.format, "title": self.title, "authors": self.authors,
            "tags": [(t.type, t.name, t.source, t.mentions) for t in self.tags],
            "rating_raw": self.rating_raw, "language": self.language, "summary": self.summary,
            "notes": self.notes, "published": self.published, "updated": self.updated,
            "expected": self.expected_chapters, "complete": self.complete,
            "completed": self.completed, "series": self.series,
            "collections": self.collections, "ao3_id": self.ao3_id, "url": self.url,
            "stated_words": self.stated_words, "encoding": self.encoding,
            "chapters": [
                {f.name: getattr(c, f.name) for f in fields(c)
                 if f.name not in ("text", "stored")}
                for c in self.numbered()
            ],
        }
        blob = json.dumps(meta, default=str, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def positions(self) -> list[int]:
        """Each chapter's number in the work: as the file numbered it, else its place."""
        return [c.position or i for i, c in enumerate(self.chapters, start=1)]

    def numbered(self) -> list[ChapterRecord]:
        """Chapters with their positions (copies where the file gave none)."""
        return [c if c.position else replace(c, position=position)
                for c, position in zip(self.chapters, self.positions(), strict=True)]


@dataclass(frozen=True)
class Prepared:
    """A resolved entry ready to store, with its hashes and its full-text body computed
    once, where files are parsed, so that the one writer only writes."""

    entry: CatalogEntry
    sha256: str
    meta_hash: str
    body: str | bytes  # UTF-8 bytes where the chapters are packed (SQLite): never decoded


# A work record's list of tags of each type (the rating is one value, `rating`).
LIST_KEYS = {"fandom": "fandoms", "warning": "warnings", "category": "categories",
             "relationship": "relationships", "character": "characters", "freeform": "freeform"}


class Work(dict[str, Any]):
    """A catalogued work as the catalogue gives it back: the record every output and export
    uses (its keys are listed in `catalog.export.records`), readable as attributes too
    (`work.title`, `work.words`). A dict, so it is JSON as it stands."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(f"a work record has no {name!r}") from None


def utc_iso(value: datetime) -> str:
    """A stored (naive, UTC) timestamp as records write it: ISO 8601 with a `Z`."""
    return value.isoformat() + "Z"


def grown_since_marked(record: dict[str, Any]) -> str | None:
    """"3 new chapters since you marked it read on 2026-12-06", for a work record marked
    reading or read that has grown since (what `reading:updated` finds)."""
    status = record.get("reading")
    if not status or status["status"] not in ("reading", "read"):
        return None
    chapters = record["chapters"] - status["chapters_seen"]
    words = record["words"] - status["words_seen"]
    if chapters <= 0 and words <= 0:
        return None
    grown = (f"{chapters} new chapter{'' if chapters == 1 else 's'}" if chapters > 0
             else f"{words:,} new words")
    return f"{grown} since you marked it {status['status']} on {status['marked'][:10]}"
