"""Which files to read and with which reader.

A named file of unknown type is an error; inside a directory (walked recursively, hidden
entries skipped) it is skipped with a notice. `story.txt` beside `story.yaml`/`.yml`/`.json`
is one sidecar unit. `-` is standard input, read as our JSON Lines export.

Only regular files are opened: a FIFO would block the ingest forever and a device never
ends, so inside a directory they are skipped with a notice and named they are an error.
Symbolic links are followed only within the named tree unless `follow_symlinks`, so a
shared folder cannot make the catalogue read (and store) files from elsewhere.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from catalog.ingest.readers import SIDECAR_SUFFIXES, STORY_SUFFIXES, Unit, sniff
from catalog.ingest.report import FAILED, SKIPPED, FileReport


def _skipped(path: str, reason: str, *, error: bool) -> FileReport:
    """A path that will not be read, and why: an error when it was named, else a notice."""
    return FileReport(path, FAILED if error else SKIPPED, error=reason)


def _sidecar_for(story: Path, siblings: frozenset[str] | None = None) -> Path | None:
    return _beside(story, SIDECAR_SUFFIXES, siblings)


def _story_for(meta: Path, siblings: frozenset[str] | None = None) -> Path | None:
    return _beside(meta, (".txt", ".text", ".md"), siblings)


def _beside(path: Path, suffixes: tuple[str, ...], siblings: frozenset[str] | None
            ) -> Path | None:
    """The first file named like `path` with one of `suffixes`. `siblings` (the folder's
    names, lower-cased) spares a walk three failed stats per story file."""
    for suffix in suffixes:
        other = path.with_suffix(suffix)
        if (siblings is None or other.name.lower() in siblings) and other.is_file():
            return other
    return None


SNIFF_BYTES = 65536


def _sniff(path: Path) -> str | None:
    try:
        with path.open("rb") as f:
            return sniff(f.read(SNIFF_BYTES))
    except OSError:
        return None  # the reader will say what is wrong with the file


def classify(path: Path, forced: str | None = None,
             siblings: frozenset[str] | None = None) -> Unit | None:
    """The unit for one file, or None when its type is unknown: content first (an AO3
    download or EPUB is one whatever its name), then the extension.

    With `siblings` (a walked folder's names, lower-cased) a story file with a known
    extension and no sidecar is not opened here: its unit says to sniff it where it is
    read (`settled`), so that the one process that also writes does not read every file
    twice."""
    suffix = path.suffix.lower()
    if forced:
        return Unit(path, forced, _sidecar_for(path) if forced == "sidecar" else None)
    reader = STORY_SUFFIXES.get(suffix)
    meta = _sidecar_for(path, siblings) if reader in ("text", "markdown") else None
    if siblings is not None and reader not in (None, "jsonl") and meta is None:
        return Unit(path, reader, sniff=True)
    sniffed = _sniff(path)
    if sniffed:
        return Unit(path, sniffed)
    if suffix in SIDECAR_SUFFIXES:
        story = _story_for(path, siblings)
        return Unit(story, "sidecar", path) if story else None
    if meta:
        return Unit(path, "sidecar", meta)
    return Unit(path, reader) if reader else None


def settled(unit: Unit) -> Unit:
    """The unit with its reader decided: what the file's first bytes call for, else the
    extension's (a file that cannot be opened keeps it; its reader says what is wrong)."""
    if not unit.sniff:
        return unit
    return Unit(unit.path, _sniff(unit.path) or unit.reader, unit.meta)


def _walk(root: Path, follow_symlinks: bool
          ) -> Iterator[tuple[Path, frozenset[str] | None] | FileReport]:
    """Files under `root` in a stable order; links out of the tree are skip notices."""
    top = os.path.realpath(root)
    visited: set[tuple[int, int]] = set()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=follow_symlinks):
        if follow_symlinks and not _first_visit(dirpath, visited):
            dirnames[:] = []  # a link back to a folder already walked: a loop
            continue
        names = sorted(d for d in dirnames if not d.startswith("."))
        dirnames[:] = [d for d in names if follow_symlinks or _inside(Path(dirpath) / d, top)]
        for name in names:
            if name not in dirnames:
                yield _skipped(str(Path(dirpath) / name), _OUTSIDE, error=False)
        siblings = frozenset(name.lower() for name in filenames)
        for name in sorted(filenames):
            if not name.startswith("."):
                path = Path(dirpath) / name
                yield (path, siblings) if follow_symlinks or _inside(path, top) else \
                    _skipped(str(path), _OUTSIDE, error=False)


_OUTSIDE = "symbolic link out of the folder named; not followed (use --follow-symlinks)"


def _inside(path: Path, top: str) -> bool:
    """A plain entry, or a link whose target stays within `top`."""
    if not path.is_symlink():
        return True
    target = os.path.realpath(path)
    return target == top or target.startswith(top.rstrip(os.sep) + os.sep)


def _first_visit(dirpath: str, visited: set[tuple[int, int]]) -> bool:
    try:
        info = os.stat(dirpath)
    except OSError:
        return False
    key = (info.st_dev, info.st_ino)
    if key in visited:
        return False
    visited.add(key)
    return True


def not_regular(path: Path) -> str | None:
    """What the path is when it is not a regular file (following links), else None."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return "broken symbolic link" if path.is_symlink() else (exc.strerror or str(exc))
    if stat.S_ISREG(mode):
        return None
    kinds = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"),
             (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
             (stat.S_ISDIR, "a directory"))
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def discover(paths: Iterable[str], forced: str | None = None, *,
             follow_symlinks: bool = False) -> Iterator[Unit | FileReport]:
    """Units to read, in a stable order, each story once (a sidecar pair is one unit)."""
    seen: set[Path] = set()
    for raw in paths:
        if raw == "-":
            yield Unit(Path("-"), forced or "jsonl")
            continue
        path = Path(raw).expanduser()
        if path.is_dir():
            candidates, named = _walk(path, follow_symlinks), False
        elif path.exists() or path.is_symlink():
            candidates, named = iter([(path, None)]), True
        else:
            yield _skipped(raw, "no such file or directory", error=True)
            continue
        for found in candidates:
            if isinstance(found, FileReport):
                yield found
                continue
            unit = _unit(*found, forced, named)
            if isinstance(unit, FileReport):
                yield unit
                continue
            key = Path(os.path.abspath(unit.path))
            if key in seen:
                continue
            seen.add(key)
            meta = Path(os.path.abspath(unit.meta)) if unit.meta else None
            yield Unit(key, unit.reader, meta, unit.sniff)


def _unit(file: Path, siblings: frozenset[str] | None, forced: str | None,
          named: bool) -> Unit | FileReport:
    """The unit for one found file, or why it is skipped (an error when it was named)."""
    kind = not_regular(file)
    if kind is not None:
        hint = " (pipe an export to `catalog ingest -` instead)" if named and "FIFO" in kind \
            else ""
        return _skipped(str(file), f"{kind}, not a story file{hint}", error=named)
    unit = classify(file, forced, siblings)
    if unit is None:
        reason = ("unknown file type (not a story text, Markdown, HTML, Word, AO3 download, "
                  "EPUB, JSONL export or sidecar pair)")
        return _skipped(str(file), reason, error=named)
    return unit
