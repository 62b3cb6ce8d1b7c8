"""`catalog fields`: every field of a work, its query forms and an example."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from catalog.cli.common import format_option, stdout

COLUMNS = ("field", "type", "record_key", "query", "sortable", "example", "help")


def fields(
    output: Annotated[str, format_option("table", "json", "jsonl", "csv")] = "table",
) -> None:
    """List every field of a work: the query names it answers to (aliases after the
    name), how a query reads its value, its key in records and exports, whether `sort:`
    takes it, and an example.

    Examples:

      catalog fields

      catalog fields --format csv
    """
    # the field table only when used (--help stays fast)
    from catalog.fields import FIELDS

    rows = [{"field": f.name, "type": f.kind, "record_key": f.record_key,
             "query": [f"{n}:" for n in (f.name, *f.aliases)] if f.queryable else [],
             "sortable": f.sortable, "example": f.example, "help": f.help} for f in FIELDS]
    if output == "table":
        console = stdout()
        console.print(_table(rows, wide=console.width >= 120))
        return
    # the database layers only when used (--help stays fast)
    from catalog.catalogue import Catalogue

    Catalogue.write(rows, sys.stdout, format=output, columns=COLUMNS)


def _table(rows: list[dict[str, Any]], *, wide: bool) -> Any:
    """Field, type, query names and example; the help line too on a wide terminal (all of
    it is in --format csv or json)."""
    # rich only to draw for a terminal
    from rich.table import Table

    table = Table(header_style="bold", box=None, caption=f"{len(rows)} fields · ↕ sort: takes "
                  "it · record: in records and exports, not in queries")
    table.add_column("field", no_wrap=True)
    table.add_column("type", no_wrap=True)
    table.add_column("query", overflow="fold")
    table.add_column("example", overflow="fold")
    if wide:
        table.add_column("help", overflow="fold")
    for r in rows:
        cells = [r["field"] + (" ↕" if r["sortable"] else ""), r["type"],
                 " ".join(r["query"]), r["example"]]
        table.add_row(*cells, *([r["help"]] if wide else []))
    return table


def register(app: typer.Typer) -> None:
    app.command("fields")(fields)
