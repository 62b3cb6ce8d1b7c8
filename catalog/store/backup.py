"""A consistent copy of a live SQLite catalogue, safe while other processes read and write.

`VACUUM INTO` reads the database in one read transaction (so the copy is one moment of it,
whatever writers do meanwhile) and writes a compact new file. It writes beside the target
and is renamed over it, so a failed or interrupted backup leaves no half file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from sqlalchemy import Engine

from catalog.config import sqlite_path
from catalog.errors import CatalogError


def backup(engine: Engine, target: Path, *, force: bool = False) -> int:
    """Copy the catalogue to `target`; returns the copy's size in bytes."""
    url = engine.url.render_as_string(hide_password=False)
    if sqlite_path(url) is None:
        raise CatalogError("db backup copies SQLite catalogues; for PostgreSQL use pg_dump "
                           "(for example: pg_dump -Fc DBNAME > catalog.dump)")
    target = target.expanduser()
    if target.exists() and not force:
        raise CatalogError(f"{target} already exists; use --force to overwrite it")
    if not target.parent.is_dir():
        raise CatalogError(f"{target.parent} is not a folder")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    os.unlink(tmp)  # VACUUM INTO makes the file itself, and refuses one that exists
    try:
        raw = engine.raw_connection()  # VACUUM runs outside a transaction: no BEGIN first
        try:
            raw.cursor().execute("VACUUM INTO ?", (tmp,))
        finally:
            raw.close()
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target.stat().st_size
