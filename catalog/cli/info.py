"""`catalog info`: which database is in use, its schema revision and what it holds."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from catalog.cli.common import JsonAlias, format_option, library, print_one


def info(
    ctx: typer.Context,
    output: Annotated[str, format_option("table", "json", "jsonl")] = "table",
    as_json: JsonAlias = False,
) -> None:
    """Show the database in use, its schema revision and counts.

    Examples:

      catalog info

      catalog --db other.db info --format json
    """
    # the text helpers only when a command prints (--help stays fast)
    from catalog.textnorm import escape_line

    data: dict[str, Any] = library(ctx).info()
    if as_json or output != "table":
        print_one(data, "json" if as_json else output)
        return
    revision = f"{data['revision']} (head {data['head']})"
    rows = [("database", data["database"]), ("backend", data["backend"]),
            ("schema revision", revision),
            ("access", f"read-only: {data['read_only']}" if data["read_only"] else "read-write"),
            ("works", f"{data['works']:,}"),
            ("chapters", f"{data['chapters']:,}"), ("words", f"{data['words']:,}"),
            ("authors", f"{data['authors']:,}"), ("tags in use", f"{data['tags']:,}")]
    if data["size_bytes"] is not None:
        rows.append(("file size", f"{data['size_bytes'] / 2**20:.1f} MiB"))
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {escape_line(value)}")  # a path may hold anything


def register(app: typer.Typer) -> None:
    app.command("info")(info)
