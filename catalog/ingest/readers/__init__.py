"""Readers, one module per input format, registered by name in a plain dict.

A reader takes a `Unit` (a story file, with its sidecar metadata file if any) and yields
`WorkRecord`s, or `InputError`s for parts it could not read (a bad line of a JSONL export);
an error that spoils the whole file is raised. The reader's name is the record's `format`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from catalog.errors import InputError
from catalog.ingest.record import WorkRecord


@dataclass(frozen=True)
class Unit:
    """One thing to ingest: `path` (or "-" for standard input) read by `reader`."""

    path: Path
    reader: str
    meta: Path | None = None  # the sidecar's .yaml/.yml/.json

    @property
    def label(self) -> str:
        return str(self.path)


Reader = Callable[[Unit, int], Iterator[WorkRecord | InputError]]

STORY_SUFFIXES = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
                  ".jsonl": "jsonl", ".ndjson": "jsonl"}
SIDECAR_SUFFIXES = (".yaml", ".yml", ".json")


def get_reader(name: str) -> Reader:
    from catalog.ingest.readers import jsonl, markdown, sidecar, text

    readers: dict[str, Reader] = {"text": text.read, "markdown": markdown.read,
                                  "sidecar": sidecar.read, "jsonl": jsonl.read}
    return readers[name]


def reader_names() -> list[str]:
    return ["text", "markdown", "sidecar", "jsonl"]
