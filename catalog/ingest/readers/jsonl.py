"""Our own JSON Lines export, read back so that an export restores a catalogue: ids,
texts, chapters, sources, formats, ingest times and tag provenance come back as they were.

Each line is its own unit: a bad line is reported as `path:LINE: key: reason` and the others
still land. Lines are read with a bound (the `--max-size` limit): a record longer than that,
or a stream with no line ends at all (`/dev/zero`), is an error in bounded memory. The file
as a whole has no size limit: a 10,000-work export is 443 MB.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, BinaryIO

import msgspec

from catalog import vocab
from catalog.errors import InputError
from catalog.ingest.readers import Unit
from catalog.ingest.readers.export_schema import (
    ExportEdits,
    ExportRecord,
    RecordError,
    validate,
)
from catalog.model import ChapterRecord, Kept, WorkRecord
from catalog.textnorm import name_key

LIST_KEYS = ("authors", "fandoms", "warnings", "categories", "relationships", "characters",
             "freeform")
SKIP_CHUNK = 2**20


def read(unit: Unit, max_size: int) -> Iterator[WorkRecord | Kept | InputError]:
    stream = sys.stdin.buffer if unit.label == "-" else open(unit.path, "rb")  # noqa: SIM115
    label = "<stdin>" if unit.label == "-" else unit.label
    try:
        yield from _records(stream, label, max_size)
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


def _records(stream: BinaryIO, label: str, max_size: int
             ) -> Iterator[WorkRecord | Kept | InputError]:
    number = 0
    while raw := stream.readline(max_size + 1):
        number += 1
        where = f"{label}:{number}"
        if len(raw) > max_size and not raw.endswith(b"\n"):
            yield InputError(where, f"record over the {max_size / 2**20:.0f} MB line limit "
                             "(raise it with --max-size)")
            if not _skip_line(stream, max_size):
                yield InputError(where, "no line end within twice the line limit: not a JSON "
                                 "Lines export; stopped reading it")
                return
            continue
        if not raw.strip():
            continue
        try:
            line = validate(raw)
            if isinstance(line, ExportRecord):
                yield from_export(line, where)
            else:
                data = msgspec.structs.asdict(line)
                if data.get("created") is not None:  # stored naive, in UTC, as works are
                    data["created"] = _datetime(data["created"])
                yield Kept(line.kind, data, where)
        except RecordError as exc:
            yield InputError(where, str(exc))
        except InputError as exc:
            yield exc


def _skip_line(stream: BinaryIO, max_size: int) -> bool:
    """Read past the rest of an over-long line, a chunk at a time; False if no line end
    comes within another `max_size` bytes (an endless stream, or not JSON Lines at all)."""
    skipped = 0
    while skipped <= max_size:
        chunk = stream.readline(SKIP_CHUNK)
        if not chunk or chunk.endswith(b"\n"):
            return True
        skipped += len(chunk)
    return False


def _datetime(value: datetime | None) -> datetime | None:
    """Stored naive, in UTC: the export writes UTC with a `Z`."""
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(UTC).replace(tzinfo=None)


def from_export(data: ExportRecord, where: str) -> WorkRecord:
    """A `WorkRecord` from one validated export record (the keys `catalog export` writes)."""
    listed = data.chapter_list
    if len(listed) == 1 and listed[0].text is None:
        listed = [msgspec.structs.replace(listed[0], text=data.text)]  # one chapter: its text
    chapters = [
        ChapterRecord(text=c.text, text_format=c.format, title=c.title, summary=c.summary,
                      notes=c.notes, words=c.words, position=c.position)
        for c in listed if c.text is not None
    ]
    if len(chapters) < len(listed):
        raise InputError(where, "chapter_list: a chapter has no text")
    if not chapters and data.text is not None:
        chapters = [ChapterRecord(text=data.text)]
    if not chapters:
        raise InputError(where, "record has no text (export with texts to restore a catalogue)")
    record = WorkRecord(
        source=data.source or where, format=data.format or "jsonl",
        chapters=chapters, title=data.title, rating=data.rating,
        rating_raw=data.rating_raw, language=data.language,
        summary=data.summary, notes=[data.notes] if data.notes else [],
        published=data.published, updated=data.updated,
        expected_chapters=data.expected_chapters, complete=data.complete, id=data.id,
        ingested=_datetime(data.ingested), modified=_datetime(data.modified),
        user_tags={(t.type, name_key(t.name)) for t in data.user_tags},
        series=[(s.name, s.part) for s in data.series],
        collections=list(data.collections), completed=data.completed, ao3_id=data.ao3_id,
        url=data.url, stated_words=data.stated_words, encoding=data.encoding, infer=False,
        inferred={(t.type, name_key(t.name)): t.mentions for t in data.inferred},
    )
    for key in LIST_KEYS:
        setattr(record, key, list(getattr(data, key)))
    if data.edits is not None:
        _with_layers(record, data.edits, where)
    if data.reading is not None:
        r = data.reading
        record.reading = {"status": r.status, "chapter": r.chapter,
                          "marked": _datetime(r.marked), "chapters_seen": r.chapters_seen,
                          "words_seen": r.words_seen}
    return record


def _with_layers(record: WorkRecord, edits: ExportEdits, where: str) -> None:
    """The file's values under the user's layers, and the layers: what the record shows
    is rebuilt from them as it was, and a later ingest of the file keeps the layers."""
    record.layers = {name: layer.as_layer() for name, layer in (("user", edits.user),
                                                                ("edit", edits.edit))
                     if layer is not None and layer.as_layer()}
    for name, layer in record.layers.items():
        _check_vocabulary(layer, f"{where}: edits.{name}")
    file = edits.file
    if file is None:
        return
    record.title, record.summary, record.language = file.title, file.summary, file.language
    record.complete, record.expected_chapters = file.complete, file.expected_chapters
    record.authors = list(file.authors)
    by_type: dict[str, list[str]] = {}
    for tag_type, name, _, _ in file.tags:
        by_type.setdefault(tag_type, []).append(name)
    record.rating = by_type["rating"][0] if by_type.get("rating") else None
    for tag_type, key in (("warning", "warnings"), ("category", "categories"),
                          ("fandom", "fandoms"), ("relationship", "relationships"),
                          ("character", "characters"), ("freeform", "freeform")):
        setattr(record, key, by_type.get(tag_type, []))
    record.user_tags = {(t, name_key(n)) for t, n, source, _ in file.tags if source == "user"}
    record.inferred = {(t, name_key(n)): m for t, n, source, m in file.tags
                       if source == "inferred"}


def _check_vocabulary(layer: dict[str, Any], where: str) -> None:
    """A layer's rating, warnings and categories are AO3's names, as `catalog edit` takes
    them; a hand-made export may say anything."""
    checks = (("rating", vocab.map_rating), ("warnings", vocab.map_warning),
              ("categories", vocab.map_category))
    for key, mapped in checks:
        value = layer.get(key)
        items: list[str] = [value] if isinstance(value, str) else list(value or [])
        for item in items:
            if mapped(item) != item:
                raise InputError(where, f"{key}: {item!r} is not one of AO3's names")
