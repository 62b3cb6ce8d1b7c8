"""Writing an export to a file: atomically, with the permissions a new file would get, and
with every failure (full disk, size limit, no permission) one `PATH: reason` error. A device
or pipe (`-o /dev/full`, a FIFO) is written to, not replaced."""

from __future__ import annotations

import os
import signal
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from catalog.errors import CatalogError
from catalog.textnorm import escape_line


def write_file(path: Path, write: Callable[[TextIO], int], *, force: bool = False) -> int:
    """Call `write` on the file at `path`; returns what it returns (the records written).
    An existing file is refused without `force`."""
    if _is_file(path) and not force:
        raise CatalogError(f"{escape_line(path)} already exists; use --force to overwrite it")
    return _write_to(path, write)


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


def write_bytes(path: Path, data: bytes, *, force: bool = False) -> int:
    """`write_file` for a file of bytes (a book): atomically, refused if it exists
    without `force`."""

    def write(stream: TextIO) -> int:
        stream.flush()
        return stream.buffer.write(data)

    return write_file(path, write, force=force)
