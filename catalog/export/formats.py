"""Record writers for machines: a JSON array, JSON Lines and CSV.

Each writer streams: it takes an iterable of records and writes as it goes, so exporting a
large catalogue never holds it in memory. Every CSV goes through `csv_writer`, which
neutralises spreadsheet formulas unless asked not to.
"""

from __future__ import annotations

import codecs
import csv
import json
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import Any, Protocol, TextIO

import orjson

from catalog.errors import CatalogError
from catalog.export.records import RECORD_KEYS

Record = dict[str, Any]
Writer = Callable[[Iterable[Record], TextIO], int]
# What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _json(record: Record) -> bytes:
    """One record as compact UTF-8 JSON: orjson (several times faster than the standard
    library, which remains for what orjson refuses, such as a lone surrogate: escaped, so
    the line stays valid UTF-8)."""
    try:
        return orjson.dumps(record)
    except orjson.JSONEncodeError:
        return json.dumps(record, separators=(",", ":")).encode()


def _sink(out: TextIO) -> Callable[[bytes], Any]:
    """Where to write UTF-8 bytes: straight into the byte stream under a UTF-8 text stream
    (a million records are not decoded only to be encoded again), else through `out`."""
    buffer = getattr(out, "buffer", None)
    if buffer is not None and codecs.lookup(out.encoding or "ascii").name == "utf-8":
        out.flush()  # what was written as text goes first
        write: Callable[[bytes], Any] = buffer.write
        return write
    return lambda data: out.write(data.decode())


def write_jsonl(records: Iterable[Record], out: TextIO) -> int:
    write = _sink(out)
    n = 0
    for record in records:
        write(_json(record) + b"\n")
        n += 1
    return n


def write_json(records: Iterable[Record], out: TextIO) -> int:
    """Exactly one JSON array, written a record at a time."""
    write = _sink(out)
    n = 0
    write(b"[")
    for n, record in enumerate(records, start=1):
        write((b"\n" if n == 1 else b",\n") + _json(record))
    write(b"\n]\n" if n else b"]\n")
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


def formula_guarded(cell: str) -> str:
    """A cell a spreadsheet will not run: one starting like a formula gets a leading `'`
    (a tag `=HYPERLINK(…)` from a file would otherwise be a live link, or worse)."""
    return f"'{cell}" if cell.startswith(FORMULA_STARTS) else cell


class RowWriter(Protocol):
    def writerow(self, row: Iterable[Any], /) -> Any: ...


class _GuardedWriter:
    """A csv writer that guards every cell: one place, for every CSV we write."""

    def __init__(self, out: TextIO) -> None:
        self._writer = csv.writer(out)

    def writerow(self, row: Iterable[Any], /) -> Any:
        return self._writer.writerow([formula_guarded(str(c)) for c in row])


def csv_writer(out: TextIO, *, formula_guard: bool = True) -> RowWriter:
    """The writer for every CSV: formulas neutralised unless `formula_guard` is off."""
    return _GuardedWriter(out) if formula_guard else csv.writer(out)


def write_csv(records: Iterable[Record], out: TextIO, *, formula_guard: bool = True,
              columns: Sequence[str] | None = None) -> int:
    """One row per record under a header of `columns` (a work record's keys by default,
    with `text` when the records have it); lists joined with ', ' (user_tags as
    `type:name`)."""
    writer = csv_writer(out, formula_guard=formula_guard)
    header: list[str] = list(columns or [])
    n = 0
    for record in records:
        n += 1
        if not header:
            header = [*RECORD_KEYS, *(k for k in ("text",) if k in record)]
        if n == 1:
            writer.writerow(header)
        writer.writerow([_cell(record.get(c)) for c in header])
    if n == 0:
        writer.writerow(header or RECORD_KEYS)
    return n


WRITERS: dict[str, Writer] = {"json": write_json, "jsonl": write_jsonl, "csv": write_csv}


def writer(name: str, *, formula_guard: bool = True,
           columns: Sequence[str] | None = None) -> Writer:
    """The writer for a format (json, jsonl, csv); only CSV has formulas to guard and
    takes `columns`."""
    if name == "csv":
        return partial(write_csv, formula_guard=formula_guard, columns=columns)
    if name not in WRITERS:
        raise CatalogError(f"unknown output format {name!r}; use json, jsonl or csv")
    return WRITERS[name]
