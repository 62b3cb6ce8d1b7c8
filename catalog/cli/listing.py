"""`catalog list`: filter the catalogue and show works as a table or for machines."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from catalog.cli.common import format_option, library, stdout
from catalog.cli.export import NoFormulaGuard
from catalog.cli.filters import with_filters


@with_filters
def list_works(
    ctx: typer.Context,
    filters: Any,
    output: Annotated[str, format_option("table", "json", "jsonl", "csv", "ids")] = "table",
    no_formula_guard: NoFormulaGuard = False,
) -> None:
    """List works matching a query and every filter (repeat an option to require each value).

    QUERY: terms side by side must all hold; OR, parentheses, - or NOT; field:value
    (fandom, character, relationship, freeform, tag, rating, warning, category, words,
    chapters, published, updated, complete, author, language, series, title, summary, …);
    bare words search the text. A query starting with - goes after --.

    Tag names match through wrangling: any synonym or subtag, ignoring case and accents;
    relationships in any member order. Ratings and warnings take AO3 names or shorthands.

    Examples:

      catalog list 'character:spike -warning:mcd rating:<=teen words:1000..5000 sort:-words'

      catalog list 'fandom:btvs (relationship:"spike/willow" OR relationship:"spike/buffy")'

      catalog list -- '-fandom:btvs tara'

      catalog list --character spike --exclude-tag "Angst" --max-rating teen

      catalog list 'published:2001..2003 complete:yes' --format json
    """
    cat = library(ctx)
    if output == "table":
        page = cat.page(filters)
        stdout().print(_table(page))
        return
    if output == "ids":  # ids need no records
        sys.stdout.writelines(f"{i}\n" for i in cat.ids(filters))
        return
    cat.write(cat.works(filters, texts=False), sys.stdout, format=output,
              formula_guard=not no_formula_guard)


def _table(page: Any) -> Any:
    # the renderer only when a page is drawn (--help stays fast)
    from catalog.cli.render import works_table

    shown = (f"{page.offset + 1}–{page.offset + len(page.works)}" if page.works else "0")
    total = f"more than {page.cap:,}" if page.more else f"{page.total:,}"
    caption = f"{shown} of {total} works" if page.total else "no works match"
    if page.hidden:
        hid = f"more than {page.cap:,}" if page.cap and page.hidden > page.cap else \
            f"{page.hidden:,}"
        caption += f" ({hid} hidden by the blocklist; --no-block shows them)"
    return works_table(page.works, caption)


def register(app: typer.Typer) -> None:
    app.command("list")(list_works)
