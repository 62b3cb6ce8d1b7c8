"""Our own JSON Lines export, read back so that an export restores a catalogue: ids,
texts, chapters, sources, formats, ingest times and tag provenance come back as they were.

Each line is its own unit: a bad line is reported as `path:LINE` and the others still land.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from catalog.errors import InputError
from catalog.ingest.readers import Unit
from catalog.ingest.record import ChapterRecord, WorkRecord
from catalog.textnorm import name_key

LIST_KEYS = ("authors", "fandoms", "warnings", "categories", "relationships", "characters",
             "freeform")


def read(unit: Unit, max_size: int) -> Iterator[WorkRecord | InputError]:
    stream = sys.stdin.buffer if unit.label == "-" else open(unit.path, "rb")  # noqa: SIM115
    label = "<stdin>" if unit.label == "-" else unit.label
    try:
        for number, raw in enumerate(stream, start=1):
            if not raw.strip():
                continue
            where = f"{label}:{number}"
            if len(raw) > max_size:
                yield InputError(where, "record over the size limit (raise it with --max-size)")
                continue
            try:
                yield from_export(json.loads(raw.decode("utf-8-sig")), where)
            except (ValueError, TypeError, KeyError) as exc:
                yield InputError(where, f"not a catalogue record: {exc}")
            except InputError as exc:
                yield exc
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


def _date(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def _datetime(value: Any) -> datetime | None:
    if not value:
        return None
    parsed = datetime.fromisoformat(value)
    return parsed.replace(tzinfo=None) if parsed.tzinfo else parsed


def from_export(data: Any, where: str) -> WorkRecord:
    """A `WorkRecord` from one exported record (the keys `catalog export` writes)."""
    if not isinstance(data, dict):
        raise InputError(where, "a line must hold one JSON object")
    listed = data.get("chapter_list") or []
    if len(listed) == 1 and "text" not in listed[0]:
        listed = [{**listed[0], "text": data.get("text")}]
    chapters = [
        ChapterRecord(text=c["text"], text_format=c.get("format", "text"), title=c.get("title"),
                      summary=c.get("summary"), notes=c.get("notes"), words=c.get("words"),
                      position=c.get("position"))
        for c in listed
    ]
    if not chapters and isinstance(data.get("text"), str):
        chapters = [ChapterRecord(text=data["text"])]
    if not chapters:
        raise InputError(where, "record has no text (export with texts to restore a catalogue)")
    for key in LIST_KEYS:
        if not isinstance(data.get(key, []), list):
            raise InputError(where, f"{key!r} must be a list")
    record = WorkRecord(
        source=data.get("source") or where, format=data.get("format") or "jsonl",
        chapters=chapters, title=data.get("title"), rating=data.get("rating"),
        rating_raw=data.get("rating_raw"), language=data.get("language"),
        summary=data.get("summary"), notes=[data["notes"]] if data.get("notes") else [],
        published=_date(data.get("published")), updated=_date(data.get("updated")),
        expected_chapters=data.get("expected_chapters"), complete=data.get("complete"),
        id=data.get("id") if isinstance(data.get("id"), int) else None,
        ingested=_datetime(data.get("ingested")), modified=_datetime(data.get("modified")),
        user_tags={(t["type"], name_key(t["name"])) for t in data.get("user_tags") or []},
        series=[(s["name"], s.get("part")) for s in data.get("series") or []],
        collections=[str(c) for c in data.get("collections") or []],
        completed=_date(data.get("completed")), ao3_id=data.get("ao3_id"),
        url=data.get("url"), stated_words=data.get("stated_words"),
        encoding=data.get("encoding"), infer=False,
        inferred={(t["type"], name_key(t["name"])): t.get("mentions")
                  for t in data.get("inferred") or []},
    )
    for key in LIST_KEYS:
        setattr(record, key, [str(v) for v in data.get(key) or []])
    return record
