"""Everything about a file that needs no database write: read, decode, parse, resolve,
count words, infer characters and hash. It runs in the parsing workers (or in-process for
small ingests), so the one writer only writes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields, replace
from typing import Any

from catalog.errors import InputError, reason
from catalog.ingest.bounds import check_entry
from catalog.ingest.discover import settled
from catalog.ingest.readers import Unit, get_reader
from catalog.ingest.report import FileReport, failed
from catalog.ingest.resolve import resolve
from catalog.ingest.settings import IngestSettings
from catalog.model import ChapterRecord, Kept, Prepared, WorkRecord
from catalog.store.fulltext import document_body
from catalog.store.packed import pack, unpack
from catalog.wrangle.infer import Lexicon, infer

Parsed = Prepared | FileReport | Kept  # Kept: stored as it is, by the writer


class PackedChapter(ChapterRecord):
    """A chapter sent to the writer with its text as SQLite will store it (`stored`) and
    not a second time as a string. The writer stores `stored` and indexes the body, which
    also comes as UTF-8 bytes. Until now each text crossed the pipe as a string, was
    decoded in the writer's process and encoded again to be bound. Where the writer does
    read the text (an update, a chapter merge), it is unpacked then."""

    @classmethod
    def of(cls, chapter: ChapterRecord) -> PackedChapter:
        packed = cls(**{f.name: getattr(chapter, f.name) for f in fields(chapter)})
        packed.stored = pack(chapter.text)
        return packed

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "text"}

    def __getattr__(self, name: str) -> Any:  # only for what the instance lacks
        if name != "text" or "stored" not in self.__dict__:
            raise AttributeError(name)
        text = unpack(self.__dict__["stored"])
        self.__dict__["text"] = text
        return text


def records(unit: Unit, max_size: int) -> Iterator[WorkRecord | Kept | InputError]:
    """The unit's records; a failure that spoils the whole file is yielded, not raised.
    Any exception counts: a reader's bug on one odd file must not cost the batch."""
    try:
        unit = settled(unit)
        yield from get_reader(unit.reader)(unit, max_size)
    except InputError as exc:
        yield exc
    except OSError as exc:
        yield InputError(unit.label, f"cannot read: {exc.strerror or exc}")
    except Exception as exc:
        yield InputError(unit.label, reason(exc))


def prepare_record(record: WorkRecord | Kept | InputError, settings: IngestSettings,
                   lexicon: Lexicon) -> Parsed:
    """One record resolved and inferred, or the report of why it cannot be stored."""
    if isinstance(record, InputError):
        return failed(record.path, record.reason)
    if isinstance(record, Kept):
        return record
    try:
        entry = infer(resolve(record, settings.options), lexicon)
        check_entry(entry)
        body = document_body((c.text, c.text_format) for c in entry.chapters)
        prepared = Prepared(entry, entry.sha256, entry.meta_hash, body)
        if settings.pack:
            entry.chapters = [PackedChapter.of(chapter) for chapter in entry.chapters]
            prepared = replace(prepared, body=body.encode("utf-8"))
        return prepared
    except Exception as exc:
        return failed(record.source, reason(exc))


def prepare_unit(unit: Unit, settings: IngestSettings, lexicon: Lexicon) -> Iterator[Parsed]:
    for record in records(unit, settings.max_size):
        yield prepare_record(record, settings, lexicon)
