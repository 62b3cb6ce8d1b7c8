"""`catalog tags`: the tags in the catalogue with their work counts and wrangling status."""

from __future__ import annotations

import sys
from enum import Enum
from typing import Annotated, Any

import typer

from catalog.cli.common import format_option, library, stdout
from catalog.cli.export import NoFormulaGuard

TagType = Enum("TagType", {t: t for t in ("rating", "warning", "category", "fandom",  # type: ignore[misc]
                                          "relationship", "character", "freeform")}, type=str)


def tags(
    ctx: typer.Context,
    tag_type: Annotated[TagType | None, typer.Option(
        "--type", help="Only tags of this type.")] = None,
    unwrangled: Annotated[bool, typer.Option(
        "--unwrangled", help="Only tags that are neither canonical nor a synonym.")] = False,
    search: Annotated[str | None, typer.Option(
        "--search", metavar="TEXT",
        help="Only tags whose name contains TEXT (ignoring case and accents).")] = None,
    include_unused: Annotated[bool, typer.Option(
        "--all", help="Include tags no work uses (vocabularies, imported tags).")] = False,
    limit: Annotated[int | None, typer.Option("--limit", min=0, help="At most this many.")
                     ] = None,
    output: Annotated[str, format_option("table", "json", "jsonl", "csv",
                                         aliases={"ids": "jsonl"})] = "table",
    no_formula_guard: NoFormulaGuard = False,
    block: Annotated[bool, typer.Option(
        "--block/--no-block", help="Leave the blocklist's works out of the counts.")] = True,
) -> None:
    """List tags with the number of works tagged with each (as given), most used first
    within each type, and how each is wrangled: canonical, a synonym (→ its canonical) or
    unwrangled.

    Examples:

      catalog tags --type character

      catalog tags --unwrangled          # what still needs wrangling

      catalog tags --search spike --all

      catalog tags --format csv > tags.csv
    """
    records = library(ctx).tags(type=tag_type.value if tag_type else None,
                                unwrangled=unwrangled, search=search,
                                include_unused=include_unused, limit=limit, block=block)
    _write(records, output, formula_guard=not no_formula_guard)


def _write(records: list[dict[str, Any]], output: str, *, formula_guard: bool
           ) -> None:
    # the database layers only when used (--help stays fast)
    from catalog.catalogue import Catalogue

    if output == "table":
        stdout().print(_table(records))
    else:
        Catalogue.write(records, sys.stdout, format=output,
                        columns=("type", "name", "works", "status", "synonym_of"),
                        formula_guard=formula_guard)


def _table(records: list[dict[str, Any]]) -> Any:
    # rich and the renderer only when a page is drawn (--help stays fast)
    from rich.table import Table

    from catalog.cli.render import line


    table = Table(header_style="bold", caption=f"{len(records)} tags")
    table.add_column("type", no_wrap=True)
    table.add_column("name", overflow="fold")
    table.add_column("works", justify="right")
    table.add_column("wrangling", overflow="fold")
    for r in records:
        status = f"→ {r['synonym_of']}" if r["synonym_of"] else r["status"]
        table.add_row(str(r["type"]), line(r["name"]), str(r["works"]), line(status))
    return table


def register(app: typer.Typer) -> None:
    app.command("tags")(tags)
