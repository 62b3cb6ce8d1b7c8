"""What an ingest says about each file, and the closing summary line."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field

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
    notice: str | None = None  # stored, with something the user may want to fix

    def as_dict(self) -> dict[str, object]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass(frozen=True)
class IngestReport:
    """What one ingest did: a report per file, in input order."""

    files: list[FileReport]
    dry_run: bool = False

    @property
    def counts(self) -> Counter[str]:
        return summarise(self.files)

    @property
    def errors(self) -> list[FileReport]:
        """The files that failed (`path`, `error`)."""
        return [r for r in self.files if r.status == FAILED]

    def summary(self) -> str:
        """`ingested N · updated N · …`, marked as a dry run when it was one."""
        return self.line(self.counts, self.dry_run)

    @staticmethod
    def line(counts: Counter[str], dry_run: bool = False) -> str:
        """The summary of reports counted as they went by (none of them kept)."""
        return ("dry run: " if dry_run else "") + summary_line(counts)


@dataclass
class Ingesting:
    """An ingest as it happens: how many files were found (None when an export's records
    are among them: those are counted as they are read), then a report per file."""

    total: int | None
    reports: Iterator[FileReport] = field(repr=False)

    def __iter__(self) -> Iterator[FileReport]:
        return self.reports


def failed(path: str, reason: str) -> FileReport:
    return FileReport(path, FAILED, error=reason)


def summarise(reports: Iterable[FileReport]) -> Counter[str]:
    return Counter(r.status for r in reports)


def summary_line(counts: Counter[str]) -> str:
    """`ingested N · updated N · unchanged N · duplicates N · failed N`."""
    names = {"duplicate": "duplicates"}
    return " · ".join(f"{names.get(k, k)} {counts.get(k, 0)}" for k in SUMMARY_KEYS)
