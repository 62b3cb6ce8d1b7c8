"""`catalog show ID`: everything the catalogue knows about one work."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from catalog.cli.common import JsonAlias, format_option, library, print_one, stdout


def show(
    ctx: typer.Context,
    work_id: Annotated[int, typer.Argument(
        metavar="ID", help="The work's id (see `catalog list`).")],
    text: Annotated[bool, typer.Option(
        "--text", help="Print the story to read: paragraphs, _italics_, scene breaks and "
                       "chapter headings (through a pager on a terminal).")] = False,
    html: Annotated[bool, typer.Option(
        "--html", help="Print the stored text as it is (HTML for most downloads).")] = False,
    no_pager: Annotated[bool, typer.Option(
        "--no-pager", help="Never page --text, even on a terminal.")] = False,
    provenance: Annotated[bool, typer.Option(
        "--provenance", help="Where each field and tag came from: the file, inference, "
                             "an option at ingest (user) or an edit.")] = False,
    output: Annotated[str, format_option("table", "json", "jsonl")] = "table",
    as_json: JsonAlias = False,
) -> None:
    """Show one work: metadata, tags (marking those given on the command line, edited or
    inferred), chapters, source and hash; `--text` prints the story to read.

    Examples:

      catalog show 3

      catalog show 3 --provenance

      catalog show 3 --text

      catalog show 3 --html > story.html
    """
    # the renderer only when a page is drawn (--help stays fast)
    from catalog.cli.render import provenance_table, work_page

    # the text helpers only when a command prints (--help stays fast)
    from catalog.textnorm import escape_block

    record = library(ctx).work(work_id)
    if text:  # for a reader or a pager: escaped like every other field
        # the pager and the text renderer only for --text
        from catalog.cli.pager import page
        from catalog.readable import story

        page(escape_block(story(record)) + "\n", pager=not no_pager)
    elif html:
        sys.stdout.write(escape_block(record["text"].rstrip("\n")) + "\n")
    elif as_json or output != "table":  # the full record, text and chapters included
        print_one(record, "json" if as_json else output)
    elif provenance:
        stdout().print(provenance_table(record))
    else:

        stdout().print(work_page(record))


def register(app: typer.Typer) -> None:
    app.command("show")(show)
