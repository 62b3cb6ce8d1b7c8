"""Record writers for machines: a JSON array, JSON Lines and CSV.

Each writer streams: it takes an iterable of records and writes as it goes, so exporting a
large catalogue never holds it in memory.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable
from typing import Any, TextIO

import orjson

from catalog.export.records import RECORD_KEYS

Record = dict[str, Any]


def _json(record: Record) -> str:
    """One record as compact UTF-8 JSON: orjson (several times faster than the standard
    library, which remains for what orjson refuses, such as a lone surrogate)."""
    try:
        return str(orjson.dumps(record).decode())
    except (orjson.JSONEncodeError, UnicodeDecodeError):
        return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def write_jsonl(records: Iterable[Record], out: TextIO) -> int:
    n = 0
    for record in records:
        out.write(_json(record) + "\n")
        n += 1
    return n


def write_json(records: Iterable[Record], out: TextIO) -> int:
    """Exactly one JSON array, written a record at a time."""
    n = 0
    out.write("[")
    for n, record in enumerate(records, start=1):
        out.write(("\n" if n == 1 else ",\n") + _json(record))
    out.write("\n]\n" if n else "]\n")
    return n


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(_item(v) for v in value)
    return str(value)


def _item(value: Any) -> str:
    """A list item in a CSV cell: a user tag as `type:name`, a series as `name #part`."""
    if isinstance(value, dict) and "type" in value:
        mentions = f" ×{value['mentions']}" if value.get("mentions") else ""
        return f"{value['type']}:{value['name']}{mentions}"
    if isinstance(value, dict) and "part" in value:
        return f"{value['name']} #{value['part']}" if value["part"] else str(value["name"])
    return str(value)


def write_csv(records: Iterable[Record], out: TextIO) -> int:
    """One row per record; lists joined with ', ' (user_tags as `type:name`)."""
    writer: Any = None
    columns: list[str] = []
    n = 0
    for record in records:
        n += 1
        if writer is None:
            columns = [*RECORD_KEYS, *(k for k in ("text",) if k in record)]
            writer = csv.writer(out)
            writer.writerow(columns)
        writer.writerow([_cell(record.get(c)) for c in columns])
    if writer is None:
        csv.writer(out).writerow(RECORD_KEYS)
    return n


WRITERS: dict[str, Callable[[Iterable[Record], TextIO], int]] = {
    "json": write_json, "jsonl": write_jsonl, "csv": write_csv,
}
