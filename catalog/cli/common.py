"""What the commands share: the library from the global `--db`, consoles, output formats."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from catalog.catalogue import Catalogue


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    ids = "ids"


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    json = "json"
    csv = "csv"


def library(ctx: typer.Context, *, write: bool = False, upgrade: bool = True) -> Catalogue:
    """The catalogue named by `--db` / $CATALOG_DB / the default, upgraded on first use."""
    from catalog.catalogue import Catalogue

    root = ctx.find_root()
    lib = Catalogue((root.obj or {}).get("db"), write=write, upgrade=upgrade)
    ctx.call_on_close(lib.dispose)
    return lib


def stdout() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def stderr() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def progress_enabled() -> bool:
    """Progress bars only on a terminal, never in pipes, logs or CI."""
    return sys.stderr.isatty()
