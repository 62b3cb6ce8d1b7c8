"""`catalog export`: catalogue records out, losslessly (JSONL, the default) or as JSON/CSV."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Annotated, Any

import typer

from catalog.cli.common import ExportFormat, library, stderr
from catalog.cli.filters import with_filters


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
) -> None:
    """Export the records of works matching a query and filters (the same as `list`).

    JSON Lines with texts is lossless: `catalog ingest` reads it back with the same ids,
    texts, sources and tag provenance.

    Examples:

      catalog export -o backup.jsonl

      catalog export 'fandom:btvs complete:yes' --format csv --no-texts

      catalog export | catalog --db other.db ingest -
    """
    from catalog.db.engine import unmapped
    from catalog.errors import CatalogError
    from catalog.export import records as rec
    from catalog.export.formats import WRITERS
    from catalog.query.compiler import work_ids

    write = WRITERS[output.value]
    if out is not None and out.exists() and not force:
        raise CatalogError(f"{out} already exists; use --force to overwrite it")
    with library(ctx).connect() as conn:  # Core only: records need no ORM objects
        unmapped(conn)
        records = rec.stream(conn, work_ids(conn, filters), texts=texts)
        if out is None:
            write(records, sys.stdout)
            return
        n = _write_atomically(out, lambda f: write(records, f))
    stderr().print(f"exported {n} works to {out}", markup=False)


def _write_atomically(path: Path, writer: Any) -> int:
    """Write beside the target and rename over it: readers never see half a file."""
    path = path.expanduser()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            n = writer(f)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return int(n)


def register(app: typer.Typer) -> None:
    app.command("export")(export)
