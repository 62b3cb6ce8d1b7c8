"""The settings of one ingest call, shared by the parsing workers and the writer."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from catalog.ingest.resolve import IngestOptions


def default_jobs() -> int:
    """One parsing process per CPU this process may run on."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@dataclass
class IngestSettings:
    options: IngestOptions
    max_size: int
    input_format: str | None = None
    dry_run: bool = False
    allow_duplicates: bool = False
    follow_symlinks: bool = False  # out of the named folders too
    # Parsing processes; 1 parses in this process. Small ingests always stay in-process.
    jobs: int = field(default_factory=default_jobs)
    pack: bool = False  # compress chapter texts for the store as they are parsed (SQLite)
