"""Works out as books: `catalog export --format epub|html -o PATH`. One work: PATH is the
file. Several: PATH is a folder and each work is `{id}-{slug}.{epub|html}`. Every target
is checked before anything is written, so an existing file (without `force`) stops the
export with nothing half done; each file is written atomically."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from catalog.errors import CatalogError
from catalog.export import ao3html, epub
from catalog.export.files import write_bytes
from catalog.textnorm import escape_line

FORMATS: dict[str, tuple[str, Callable[[dict[str, Any]], bytes]]] = {
    "epub": ("epub", epub.book),
    "html": ("html", lambda record: ao3html.render(record).encode("utf-8")),
}


def render(record: dict[str, Any], fmt: str) -> bytes:
    """One work read with its text, as a book of `fmt` (epub or html)."""
    return FORMATS[fmt][1](record)


def slug(title: str) -> str:
    """A file name's part from a title: lower-case words joined by '-' (any script)."""
    words = re.sub(r"[^\w]+", "-", title.casefold()).strip("-_")
    return words[:60].rstrip("-_") or "work"


def file_name(record: dict[str, Any], fmt: str) -> str:
    return f"{record['id']}-{slug(record['title'])}.{FORMATS[fmt][0]}"


def targets(works: Iterable[dict[str, Any]], target: Path, fmt: str) -> dict[int, Path]:
    """Each work's file: `target` itself for one work, else `target/{id}-{slug}.ext`."""
    listed = [(w["id"], w["title"]) for w in works]
    if len(listed) == 1:
        return {listed[0][0]: target}
    return {work_id: target / file_name({"id": work_id, "title": title}, fmt)
            for work_id, title in listed}


def check(paths: dict[int, Path], target: Path, *, force: bool) -> None:
    if len(paths) > 1 and target.exists() and not target.is_dir():
        raise CatalogError(f"{escape_line(target)} is a file, and {len(paths)} works match: "
                           f"name a folder to write them into")
    taken = [p for p in paths.values() if p.exists()]
    if taken and not force:
        more = f" (and {len(taken) - 1} more)" if len(taken) > 1 else ""
        raise CatalogError(f"{escape_line(taken[0])} already exists{more}; use --force to "
                           f"overwrite")


def write(records: Iterable[dict[str, Any]], paths: dict[int, Path], fmt: str, *,
          force: bool) -> int:
    """Write each record (read with its text) to its path; returns how many."""
    written = 0
    for record in records:
        path = paths[record["id"]]
        path.parent.mkdir(parents=True, exist_ok=True)
        write_bytes(path, render(record, fmt), force=force)
        written += 1
    return written
