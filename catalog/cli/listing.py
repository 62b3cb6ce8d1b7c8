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
    long: Annotated[bool, typer.Option(
        "--long", "-l", help="Under each work, its relationships and characters in full "
                             "(shown cut to a line from 120 columns without it).")] = False,
    columns: Annotated[str | None, typer.Option(
        "--columns", metavar="NAMES",
        help="The table's columns, comma-separated: id, title, author, fandom, marks, "
             "words, chapters (the default), or any field of `catalog fields` "
             "(relationship, character, freeform, updated, …).")] = None,
    no_pager: Annotated[bool, typer.Option(
        "--no-pager", help="Never page the table, even on a terminal.")] = False,
    no_formula_guard: NoFormulaGuard = False,
) -> None:
    """List works matching a query and every filter (repeat an option to require each value).

    QUERY: terms side by side must all hold; OR, parentheses, - or NOT; field:value
    (fandom, character, relationship, freeform, tag, rating, warning, category, words,
    chapters, published, updated, complete, author, language, series, title, summary, …);
    bare words search the text. A query starting with - goes after --.

    The table has a line a work; its marks are the rating (G, T, M, E; - not rated),
    ! archive warnings apply, ? the creator chose not to warn, ✓ complete, ~ in
    progress. On a terminal a long table goes through $PAGER (less -FRX).

    Tag names match through wrangling: any synonym or subtag, ignoring case and accents;
    relationships in any member order. Ratings and warnings take AO3 names or shorthands.

    Examples:

      catalog list 'character:spike -warning:mcd rating:<=teen words:1000..5000 sort:-words'

      catalog list 'fandom:btvs (relationship:"spike/willow" OR relationship:"spike/buffy")'

      catalog list -- '-fandom:btvs tara'

      catalog list --character spike --exclude-tag "Angst" --max-rating teen

      catalog list 'published:2001..2003 complete:yes' --format json

      catalog list fandom:btvs --long --columns id,title,author,updated,words
    """
    chosen = _columns(columns) if columns else None
    cat = library(ctx)
    if output == "table":
        _table(cat.page(filters), chosen, long=long, pager=not no_pager)
        return
    if output == "ids":  # ids need no records
        sys.stdout.writelines(f"{i}\n" for i in cat.ids(filters))
        return
    cat.write(cat.works(filters, texts=False), sys.stdout, format=output,
              formula_guard=not no_formula_guard)


def _columns(names: str) -> list[Any]:
    # the table's layout only when a table is drawn (--help stays fast)
    from catalog.cli import worktable

    try:
        return worktable.columns([n for n in names.split(",") if n.strip()]) or \
            worktable.columns(worktable.DEFAULT)
    except ValueError as exc:
        raise typer.BadParameter(
            f"no column {str(exc)!r}; choose from {', '.join(worktable.column_names())}",
            param_hint="--columns") from None


def _table(page: Any, chosen: list[Any] | None, *, long: bool, pager: bool) -> None:
    # the table's layout and the pager only when a table is drawn (--help stays fast)
    from catalog.cli import worktable
    from catalog.cli.pager import page as paged

    shown = (f"{page.offset + 1}–{page.offset + len(page.works)}" if page.works else "0")
    total = f"more than {page.cap:,}" if page.more else f"{page.total:,}"
    caption = f"{shown} of {total} works" if page.total else "no works match"
    if page.hidden:
        hid = f"more than {page.cap:,}" if page.cap and page.hidden > page.cap else \
            f"{page.hidden:,}"
        caption += f" ({hid} hidden by the blocklist; --no-block shows them)"
    if any(t["type"] == "fandom" for r in page.works for t in r.get("inferred", [])):
        caption += " (* inferred from the text)"
    console = stdout()
    cols = chosen or worktable.columns(worktable.DEFAULT)
    lines = worktable.render(page.works, cols, console.width, long=long) if page.works \
        else []
    with console.capture() as captured:
        worktable.print_lines(console, [*lines, (caption, "dim" if lines else "")])
    paged(captured.get(), pager=pager)


def register(app: typer.Typer) -> None:
    app.command("list")(list_works)
