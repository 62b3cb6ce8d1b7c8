"""`catalog search …` and `catalog block …`: a reader's saved searches and blocklist."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from catalog.cli.common import format_option, library
from catalog.cli.help import PlainHelpGroup

search_app = typer.Typer(cls=PlainHelpGroup, no_args_is_help=True, help=(
    "Saved searches: `@NAME` in any query stands for the saved query."))
block_app = typer.Typer(cls=PlainHelpGroup, no_args_is_help=True, help=(
    "The blocklist: works any entry matches are left out of listings and totals."))

Output = Annotated[str, format_option("table", "json", "jsonl", "csv")]


def _rows(records: list[dict[str, Any]], output: str, columns: tuple[str, ...],
          line: Any) -> None:
    # the database layers and text helpers only when used (--help stays fast)
    from catalog.catalogue import Catalogue

    if output != "table":
        Catalogue.write(records, sys.stdout, format=output, columns=columns)
        return
    for record in records:
        print(line(record))


@search_app.command("save")
def save(ctx: typer.Context,
         name: Annotated[str, typer.Argument(help="Letters, digits, '-' and '_'.")],
         query: Annotated[list[str], typer.Argument(
             metavar="QUERY", help="The query (words are joined with spaces).")]) -> None:
    """Save QUERY as NAME; `@NAME` then stands for it in any query (replacing a saved
    search of that name).

    Examples:

      catalog search save comfort 'tag:fluff -warning:mcd complete:yes'

      catalog list '@comfort words:<5000'
    """
    text = " ".join(query)
    replaced = library(ctx, write=True).save_search(name, text)
    print(f"{'replaced' if replaced else 'saved'} @{name.removeprefix('@')}")


@search_app.command("list")
def search_list(ctx: typer.Context, output: Output = "table") -> None:
    """List the saved searches.

    Example:

      catalog search list --format json
    """
    # the text helpers only when a command prints (--help stays fast)
    from catalog.textnorm import escape_line

    _rows(library(ctx).searches(), output, ("name", "query", "created"),
          lambda r: f"@{r['name']}  {escape_line(r['query'])}")


@search_app.command("remove")
def search_remove(ctx: typer.Context,
                  name: Annotated[str, typer.Argument(help="The saved search.")]) -> None:
    """Remove a saved search (not one a block or another saved search still uses).

    Example:

      catalog search remove comfort
    """
    print(f"removed @{library(ctx, write=True).remove_search(name)}")


@block_app.command("add")
def block_add(ctx: typer.Context, query: Annotated[list[str], typer.Argument(
        metavar="QUERY", help="Works matching this query are blocked.")]) -> None:
    """Block the works a query matches, now and later, through tag synonyms and
    metatags: `list`, `stats`, `tags` counts and the served pages leave them out; `show`
    and `edit` still reach them, and `--no-block` shows all.

    Examples:

      catalog block add warning:mcd

      catalog block add 'fandom:btvs character:riley'
    """
    block_id = library(ctx, write=True).block(" ".join(query))
    print(f"blocked: entry {block_id}")


@block_app.command("list")
def block_list(ctx: typer.Context, output: Output = "table") -> None:
    """List the blocklist: each entry's id, query and how many works it matches.

    Example:

      catalog block list
    """
    # the text helpers only when a command prints (--help stays fast)
    from catalog.textnorm import escape_line

    _rows(library(ctx).blocks(), output, ("id", "query", "works", "created"),
          lambda r: f"{r['id']:>3}  {escape_line(r['query'])}  "
                    f"({r['works']:,} work{'' if r['works'] == 1 else 's'})")


@block_app.command("remove")
def block_remove(ctx: typer.Context, block_id: Annotated[int, typer.Argument(
        metavar="ID", help="The entry's id (see `catalog block list`).")]) -> None:
    """Remove a blocklist entry.

    Example:

      catalog block remove 2
    """
    # the text helpers only when a command prints (--help stays fast)
    from catalog.textnorm import escape_line

    query = library(ctx, write=True).unblock(block_id)
    print(f"unblocked: entry {block_id} ({escape_line(query)})")


def register(app: typer.Typer) -> None:
    app.add_typer(search_app, name="search")
    app.add_typer(block_app, name="block")
