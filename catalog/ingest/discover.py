"""Which files to read and with which reader.

A named file of unknown type is an error; inside a directory (walked recursively, hidden
entries skipped) it is skipped with a notice. `story.txt` beside `story.yaml`/`.yml`/`.json`
is one sidecar unit. `-` is standard input, read as our JSON Lines export.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from catalog.ingest.readers import SIDECAR_SUFFIXES, STORY_SUFFIXES, Unit, sniff


@dataclass(frozen=True)
class Skipped:
    """A path that will not be read, and why (`error` for named paths, a notice otherwise)."""

    path: str
    reason: str
    error: bool


def _sidecar_for(story: Path) -> Path | None:
    for suffix in SIDECAR_SUFFIXES:
        meta = story.with_suffix(suffix)
        if meta.is_file():
            return meta
    return None


def _story_for(meta: Path) -> Path | None:
    for suffix in (".txt", ".text", ".md"):
        story = meta.with_suffix(suffix)
        if story.is_file():
            return story
    return None


SNIFF_BYTES = 65536


def _sniff(path: Path) -> str | None:
    try:
        with path.open("rb") as f:
            return sniff(f.read(SNIFF_BYTES))
    except OSError:
        return None  # the reader will say what is wrong with the file


def classify(path: Path, forced: str | None = None) -> Unit | None:
    """The unit for one file, or None when its type is unknown: content first (an AO3
    download or EPUB is one whatever its name), then the extension."""
    suffix = path.suffix.lower()
    if forced:
        return Unit(path, forced, _sidecar_for(path) if forced == "sidecar" else None)
    sniffed = _sniff(path)
    if sniffed:
        return Unit(path, sniffed)
    if suffix in SIDECAR_SUFFIXES:
        story = _story_for(path)
        return Unit(story, "sidecar", path) if story else None
    reader = STORY_SUFFIXES.get(suffix)
    if reader in ("text", "markdown") and (meta := _sidecar_for(path)):
        return Unit(path, "sidecar", meta)
    return Unit(path, reader) if reader else None


def _walk(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith("."):
                yield Path(dirpath) / name


def discover(paths: Iterable[str], forced: str | None = None) -> Iterator[Unit | Skipped]:
    """Units to read, in a stable order, each story once (a sidecar pair is one unit)."""
    seen: set[Path] = set()
    for raw in paths:
        if raw == "-":
            yield Unit(Path("-"), forced or "jsonl")
            continue
        path = Path(raw).expanduser()
        if path.is_dir():
            candidates, named = _walk(path), False
        elif path.exists() or path.is_symlink():
            candidates, named = iter([path]), True
        else:
            yield Skipped(raw, "no such file or directory", error=True)
            continue
        for file in candidates:
            unit = classify(file, forced)
            if unit is None:
                reason = ("unknown file type (not a story text, Markdown, AO3 download, EPUB, "
                          "JSONL export or sidecar pair)")
                yield Skipped(str(file), reason, error=named)
                continue
            key = Path(os.path.abspath(unit.path))
            if key in seen:
                continue
            seen.add(key)
            meta = Path(os.path.abspath(unit.meta)) if unit.meta else None
            yield Unit(key, unit.reader, meta)
