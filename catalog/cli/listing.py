"""`catalog list`: filter the catalogue and show works as a table or for machines."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from catalog.cli.common import OutputFormat, library, stdout
from catalog.cli.export import NoFormulaGuard
from catalog.cli.filters import with_filters

# The table's caption counts matches up to here: an exact count of a popular tag in a
# million works costs more than the page (`catalog stats` counts them all).
CAPTION_CAP = 10_000


@with_filters
def list_works(
    ctx: typer.Context,
    filters: Any,
    output: Annotated[OutputFormat, typer.Option(
        "--format", "-f", help="table (default), json (one array), jsonl, csv or ids.")
    ] = OutputFormat.table,
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
    from catalog.export import records as rec
    from catalog.export.formats import writer
    from catalog.query.compiler import count, work_ids
    from catalog.store.engine import serial

    lib = library(ctx)
    with lib.connect() as session:  # Core only: listing needs no ORM objects
        if output is OutputFormat.table:
            total = session.scalar(count(session, filters, CAPTION_CAP)) or 0
            serial(session)  # the count may use parallel workers, the page does not
            ids = list(session.scalars(work_ids(session, filters)))
            records = rec.build(session, ids)
            shown = f"{filters.offset + 1}–{filters.offset + len(ids)}" if ids else "0"
            caption = (f"{shown} of {_total(total)} works" if total else "no works match")
            stdout().print(_table(records, caption))
            return
        serial(session)
        if output is OutputFormat.ids:  # ids need no records
            sys.stdout.writelines(f"{i}\n" for i in session.scalars(work_ids(session, filters)))
            return
        write = writer(output.value, formula_guard=not no_formula_guard)
        write(rec.stream(session, work_ids(session, filters)), sys.stdout)


def _total(total: int) -> str:
    return f"more than {CAPTION_CAP:,}" if total > CAPTION_CAP else f"{total:,}"


def _table(records: list[dict[str, Any]], caption: str) -> Any:
    from catalog.cli.render import works_table

    return works_table(records, caption)


def register(app: typer.Typer) -> None:
    app.command("list")(list_works)
