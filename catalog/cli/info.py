"""`catalog info`: which database is in use, its schema revision and what it holds."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from catalog.cli.common import library, stdout


def info(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Show the database in use, its schema revision and counts.

    Examples:

      catalog info

      catalog --db other.db info --json
    """
    data = library(ctx).info()
    if as_json:
        print(json.dumps(data, indent=2))
        return
    from rich.table import Table

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    revision = f"{data['revision']} (head {data['head']})"
    rows = [("database", data["database"]), ("backend", data["backend"]),
            ("schema revision", revision), ("works", f"{data['works']:,}"),
            ("chapters", f"{data['chapters']:,}"), ("words", f"{data['words']:,}"),
            ("authors", f"{data['authors']:,}"), ("tags in use", f"{data['tags']:,}")]
    if data["size_bytes"] is not None:
        rows.append(("file size", f"{data['size_bytes'] / 2**20:.1f} MiB"))
    for label, value in rows:
        grid.add_row(label, str(value))
    stdout().print(grid)


def register(app: typer.Typer) -> None:
    app.command("info")(info)
