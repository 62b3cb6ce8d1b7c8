"""`catalog series [QUERY]`: series as a unit, with their parts in order."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from catalog.cli.common import format_option, library, print_one
from catalog.cli.filters import with_filters


@with_filters
def series(ctx: typer.Context, filters: Any,
           output: Annotated[str, format_option("table", "json", "jsonl")] = "table") -> None:
    """List the series of the matching works: each with its parts in order, the parts the
    catalogue lacks, total words and whether every part is complete. The blocklist
    applies, as in `list`.

    Examples:

      catalog series

      catalog series fandom:btvs --format json
    """
    # the text helpers only when a command prints (--help stays fast)
    from catalog.textnorm import escape_line

    found = library(ctx).series(filters)
    if output == "jsonl":
        for item in found:
            print_one(item, "jsonl")
        return
    if output == "json":
        print_one(found, "json")
        return
    for item in found:
        print(_heading(item, escape_line))
        for part in item["parts"]:
            number = "?" if part["part"] is None else part["part"]
            done = "" if part["complete"] else "  (in progress)"
            print(f"  {number:>3}  #{part['id']} {escape_line(part['title'])} "
                  f"({part['words']:,} words){done}")
    if not found:
        print("no series among the matching works")


def _heading(item: dict[str, Any], escape: Any) -> str:
    parts = f"{item['works']} part{'' if item['works'] == 1 else 's'}"
    missing = (f", missing part{'' if len(item['missing']) == 1 else 's'} "
               f"{', '.join(map(str, item['missing']))}" if item["missing"] else "")
    state = "complete" if item["complete"] else "not complete"
    return f"{escape(item['name'])}: {parts}{missing} · {item['words']:,} words · {state}"


def register(app: typer.Typer) -> None:
    app.command("series")(series)
