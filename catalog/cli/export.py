"""`catalog export`: catalogue records out, losslessly (JSONL, the default) or as JSON/CSV."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from catalog.cli.common import format_option, library
from catalog.cli.filters import with_filters

NoFormulaGuard = Annotated[bool, typer.Option(
    "--no-formula-guard",
    help="CSV: write cells exactly as they are. By default a cell starting with = + - @, "
         "a tab or CR gets a leading ' so that a spreadsheet shows it instead of running it.")]


@with_filters
def export(
    ctx: typer.Context,
    filters: Any,
    output: Annotated[str, format_option("jsonl", "json", "csv", "epub", "html")] = "jsonl",
    out: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write to this file (atomically) instead of stdout. Books "
                               "(epub, html): the file for one work, else a folder of "
                               "ID-TITLE.epub files.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing files.")
                     ] = False,
    texts: Annotated[bool, typer.Option(
        "--texts/--no-texts", help="Include story texts and chapters (needed to restore).")
    ] = True,
    no_formula_guard: NoFormulaGuard = False,
) -> None:
    """Export the records of works matching a query and filters (the same as `list`), or
    the works themselves as books to read.

    JSON Lines with texts is lossless: `catalog ingest` reads it back with the same ids,
    texts, sources and tag provenance. --format epub writes EPUB 3 books (AO3's preface
    page, a document per chapter); --format html AO3's download layout; `catalog ingest`
    reads either back as the same work.

    Examples:

      catalog export -o backup.jsonl

      catalog export 'fandom:btvs complete:yes' --format csv --no-texts

      catalog export | catalog --db other.db ingest -

      catalog export 'id:12' --format epub -o story.epub

      catalog export 'fandom:btvs' --format epub -o ~/ereader/btvs/
    """
    # the text helpers only when a command prints (--help stays fast)
    from catalog.textnorm import escape_line

    if output in ("epub", "html"):
        if out is None:
            raise typer.BadParameter("books are files: name one (or a folder) with -o PATH",
                                     param_hint="--output")
        written = library(ctx).export_books(out, filters, format=output, force=force)
        where = written[0] if len(written) == 1 else out
        print(f"exported {len(written)} work{'' if len(written) == 1 else 's'} as "
              f"{output} to {escape_line(where)}", file=sys.stderr)
        return

    n = library(ctx).export(out or sys.stdout, filters, format=output, texts=texts,
                            force=force, formula_guard=not no_formula_guard)
    if out is not None:
        print(f"exported {n} works to {escape_line(out)}", file=sys.stderr)


def register(app: typer.Typer) -> None:
    app.command("export")(export)
