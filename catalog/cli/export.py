"""`catalog export`: catalogue records out, losslessly (JSONL, the default) or as JSON/CSV."""

from __future__ import annotations

import os
import signal
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer

from catalog.cli.common import ExportFormat, library
from catalog.cli.filters import with_filters

NoFormulaGuard = Annotated[bool, typer.Option(
    "--no-formula-guard",
    help="CSV: write cells exactly as they are. By default a cell starting with = + - @, "
         "a tab or CR gets a leading ' so that a spreadsheet shows it instead of running it.")]


@with_filters
def export(
    ctx: typer.Context,
    filters: Any,
    output: Annotated[ExportFormat, typer.Option(
        "--format", "-f", help="jsonl (lossless, re-ingestable), json or csv.")
    ] = ExportFormat.jsonl,
    out: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write to this file (atomically) instead of stdout.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing --output file.")
                     ] = False,
    texts: Annotated[bool, typer.Option(
        "--texts/--no-texts", help="Include story texts and chapters (needed to restore).")
    ] = True,
    no_formula_guard: NoFormulaGuard = False,
) -> None:
    """Export the records of works matching a query and filters (the same as `list`).

    JSON Lines with texts is lossless: `catalog ingest` reads it back with the same ids,
    texts, sources and tag provenance.

    Examples:

      catalog export -o backup.jsonl

      catalog export 'fandom:btvs complete:yes' --format csv --no-texts

      catalog export | catalog --db other.db ingest -
    """
    from catalog.errors import CatalogError
    from catalog.export import records as rec
    from catalog.export.formats import writer
    from catalog.query.compiler import work_ids
    from catalog.store.engine import unmapped
    from catalog.textnorm import escape_line

    write = writer(output.value, formula_guard=not no_formula_guard)
    if out is not None and _is_file(out) and not force:
        raise CatalogError(f"{escape_line(out)} already exists; use --force to overwrite it")
    with library(ctx).connect() as conn:  # Core only: records need no ORM objects
        unmapped(conn)
        records = rec.stream(conn, work_ids(conn, filters), texts=texts)
        if out is None:
            write(records, sys.stdout)
            return
        n = _write_to(out, lambda f: write(records, f))
    print(f"exported {n} works to {escape_line(out)}", file=sys.stderr)


def _is_file(path: Path) -> bool:
    """Whether `path` is something `--force` is needed to replace: anything but a device
    or pipe (`-o /dev/full`, a FIFO), which are written to, not replaced."""
    try:
        return not _is_stream(path.expanduser().stat().st_mode)
    except FileNotFoundError:
        return False
    except OSError:
        return True  # unknown: take care


def _is_stream(mode: int) -> bool:
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)


def _write_to(path: Path, write: Callable[[TextIO], int]) -> int:
    """Write the export, turning a failure (full disk, size limit, no permission) into one
    `PATH: reason` error."""
    from catalog.errors import CatalogError
    from catalog.textnorm import escape_line

    path = path.expanduser()
    try:
        with _no_size_signal():
            if path.exists() and _is_stream(path.stat().st_mode):
                with path.open("w", encoding="utf-8", newline="") as f:
                    return write(f)
            return _write_atomically(path, write)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise CatalogError(f"{escape_line(path)}: {escape_line(reason)}") from None


def _write_atomically(path: Path, write: Callable[[TextIO], int]) -> int:
    """Write beside the target and rename over it: readers never see half a file. The
    file gets the permissions a new file would (the umask), or those of the file it
    replaces; a failed write leaves no temporary file behind."""
    mode = _mode_for(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            n = write(f)
            f.flush()
            os.fchmod(f.fileno(), mode)
            os.fsync(f.fileno())  # a full disk can tell only now; and no empty file on a crash
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return int(n)


def _mode_for(path: Path) -> int:
    """The permission bits of the file being replaced, else 0666 less the umask (mkstemp
    makes 0600, which would hide an export from the group the user shares it with)."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0o022)  # reading the umask means setting it
        os.umask(umask)
        return 0o666 & ~umask


@contextmanager
def _no_size_signal() -> Iterator[None]:
    """Over a file-size limit (`ulimit -f`) a write raises EFBIG instead of the process
    being killed by SIGXFSZ, so the temporary file is removed and the error reported
    (CPython ignores the signal at startup, but a host embedding it may not)."""
    sig = getattr(signal, "SIGXFSZ", None)
    try:
        before = signal.signal(sig, signal.SIG_IGN) if sig is not None else None
    except ValueError:  # not the main thread, where signals cannot be set
        before = None
    try:
        yield
    finally:
        if sig is not None and before is not None:
            signal.signal(sig, before)


def register(app: typer.Typer) -> None:
    app.command("export")(export)
