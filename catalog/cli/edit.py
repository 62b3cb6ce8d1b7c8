"""`catalog edit ID...`: the user's own changes to works, kept over what their files say."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from catalog.cli.common import library


class YesNo(StrEnum):
    yes = "yes"
    no = "no"


def edit(
    ctx: typer.Context,
    work_ids: Annotated[list[int] | None, typer.Argument(
        metavar="[ID]...", show_default=False, help="Work ids to edit.")] = None,
    where: Annotated[str | None, typer.Option(
        "--where", metavar="QUERY", help="Edit every work this query matches.")] = None,
    title: Annotated[str | None, typer.Option(help="The title to show.")] = None,
    rating: Annotated[str | None, typer.Option(
        metavar="RATING", help="The rating (AO3's names or shorthands: PG-13, M, …).")] = None,
    warning: Annotated[list[str] | None, typer.Option(
        "--warning", metavar="WARNING", help="The archive warnings (repeat; replaces them).",
        show_default=False)] = None,
    category: Annotated[list[str] | None, typer.Option(
        "--category", metavar="CATEGORY", help="The categories (repeat; replaces them).",
        show_default=False)] = None,
    complete: Annotated[YesNo | None, typer.Option(
        help="Whether the work is finished.", show_default=False)] = None,
    summary: Annotated[str | None, typer.Option(help="The summary to show.")] = None,
    language: Annotated[str | None, typer.Option(help="A language code or name.")] = None,
    add: Annotated[list[str] | None, typer.Option(
        "--add", metavar="TYPE:TAG", show_default=False,
        help="Add a tag: fandom, relationship, character, freeform, warning or category "
             "(repeat).")] = None,
    remove: Annotated[list[str] | None, typer.Option(
        "--remove", metavar="TYPE:TAG", show_default=False,
        help="Hide a tag, even one the file states (repeat).")] = None,
    reset: Annotated[list[str] | None, typer.Option(
        "--reset", metavar="FIELD|all", show_default=False,
        help="Drop your changes to a field (title, rating, warning, category, complete, "
             "summary, language, author), to a tag type's tags, to all tags (tags), or all "
             "of them (all), options given at ingest included.")] = None,
) -> None:
    """Change works: your edit is kept apart from what the file says, so ingesting the
    file again (or a newer download of the same AO3 work) keeps it, and --reset brings
    the file's value back. `show` marks what you changed.

    Examples:

      catalog edit 12 --title "The Better Title" --rating Mature

      catalog edit 12 14 --add "character:Dawn Summers" --remove freeform:Fluff

      catalog edit --where 'fandom:"btvs" complete:no' --add freeform:Abandoned

      catalog edit 12 --reset title --reset all
    """
    # the database layers only when used (--help stays fast)
    from catalog import Edit
    from catalog.catalogue import Catalogue

    if not work_ids and where is None:
        raise typer.BadParameter("give work ids or --where QUERY", param_hint="ID")
    what = Edit(title=title, rating=rating, warnings=warning or [], categories=category or [],
                complete=None if complete is None else complete is YesNo.yes,
                summary=summary, language=language, add=add or [], remove=remove or [],
                reset=reset or [])
    cat = library(ctx, write=True)
    done = cat.edit(work_ids or [], what,
                    where=None if where is None else Catalogue.query(where))
    same = done.works - len(done.changed)
    print(f"edited {len(done.changed)} work{'' if len(done.changed) == 1 else 's'}"
          + (f"; {same} already so" if same else ""))


def register(app: typer.Typer) -> None:
    app.command("edit")(edit)
