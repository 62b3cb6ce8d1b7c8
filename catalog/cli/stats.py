"""`catalog stats [QUERY]`: totals and top tags for the matching works."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from catalog.cli.common import JsonAlias, format_option, library, print_one, stdout
from catalog.cli.filters import with_filters


@with_filters
def stats(
    ctx: typer.Context,
    filters: Any,
    top: Annotated[int, typer.Option("--top", min=1, help="How many tags per type.")] = 10,
    output: Annotated[str, format_option("table", "json", "jsonl")] = "table",
    as_json: JsonAlias = False,
) -> None:
    """Totals (works, words) and the most used fandoms, relationships, characters,
    additional tags, ratings and warnings of the works matching the query and filters.
    Synonyms count under their canonical tag.

    Examples:

      catalog stats

      catalog stats 'fandom:btvs complete:yes'

      catalog stats --character spike --top 5 --format json
    """
    data = library(ctx).stats(filters, top=top)
    if as_json or output != "table":
        print_one(data, "json" if as_json else output)
        return
    stdout().print(_render(data))


def _render(data: dict[str, Any]) -> Any:
    # rich and the renderer only when a page is drawn (--help stays fast)
    from rich.console import Group
    from rich.table import Table

    from catalog.cli.render import line


    totals = (f"[bold]{data['works']:,}[/bold] works · [bold]{data['words']:,}[/bold] words · "
              f"{data['average_words']:,} words on average · {data['complete']:,} complete")
    tables: list[Any] = [totals]
    for section, rows in data["top"].items():
        if not rows:
            continue
        table = Table(title=section.replace("_", " ").capitalize(), title_justify="left",
                      header_style="bold", show_header=False, box=None, padding=(0, 2))
        table.add_column("name", overflow="fold")
        table.add_column("works", justify="right")
        for row in rows:
            table.add_row(line(row["name"]), f"{row['works']:,}")
        tables.append(table)
    return Group(*tables)


def register(app: typer.Typer) -> None:
    app.command("stats")(stats)
