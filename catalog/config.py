"""Where the catalogue lives and the few settings every command shares."""

from __future__ import annotations

import os
import re
from pathlib import Path

from catalog.errors import CatalogError

ENV_DB = "CATALOG_DB"
DEFAULT_MAX_SIZE = 64 * 1024 * 1024


def default_db_path() -> Path:
    """The per-user data directory (platformdirs), e.g. ~/.local/share/catalog/catalog.db."""
    # only when no --db is given
    from platformdirs import user_data_path

    return user_data_path("catalog", appauthor=False) / "catalog.db"


def resolve_db_url(value: str | None = None) -> str:
    """`--db`, else $CATALOG_DB, else the default file; a plain path becomes a SQLite URL."""
    value = value or os.environ.get(ENV_DB) or str(default_db_path())
    if "://" in value:
        return value
    if value == ":memory:":
        return "sqlite://"
    return "sqlite:///" + str(Path(value).expanduser().resolve())


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for other backends and in-memory databases."""
    if not url.startswith("sqlite"):
        return None
    path = url.split("://", 1)[1].lstrip("/")
    if not path or path == ":memory:":
        return None
    return Path("/" + path.split("?", 1)[0])


_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3, "t": 1024**4}


def parse_size(value: str) -> int:
    """'64MB', '512k', '1.5G' or a byte count -> bytes (binary units, as file sizes are)."""
    m = _SIZE.match(value)
    if not m:
        raise CatalogError(f"invalid size {value!r}: use a number with an optional unit, e.g. 64MB")
    return int(float(m.group(1)) * _UNITS[m.group(2).lower()])
