"""What an ingest says about each file, and the closing summary line."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass

FAILED, SKIPPED = "failed", "skipped"
SUMMARY_KEYS = ("ingested", "updated", "unchanged", "duplicate", "failed")


@dataclass(frozen=True)
class FileReport:
    """What happened to one file (or one record of a JSONL file)."""

    path: str
    status: str
    id: int | None = None
    title: str | None = None
    words: int | None = None
    format: str | None = None
    duplicate_of: int | None = None
    error: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {k: v for k, v in asdict(self).items() if v is not None}


def failed(path: str, reason: str) -> FileReport:
    return FileReport(path, FAILED, error=reason)


def summarise(reports: Iterable[FileReport]) -> Counter[str]:
    return Counter(r.status for r in reports)


def summary_line(counts: Counter[str]) -> str:
    """`ingested N · updated N · unchanged N · duplicates N · failed N`."""
    names = {"duplicate": "duplicates"}
    return " · ".join(f"{names.get(k, k)} {counts.get(k, 0)}" for k in SUMMARY_KEYS)
