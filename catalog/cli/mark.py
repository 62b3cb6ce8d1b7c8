"""`catalog mark ID... STATUS`: a reader's own status for works."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from catalog.cli.common import library


class Status(StrEnum):
    later = "later"
    reading = "reading"
    read = "read"
    dropped = "dropped"
    none = "none"


def mark(
    ctx: typer.Context,
    args: Annotated[list[str], typer.Argument(
        metavar="ID... STATUS", help="Work ids, then later, reading, read, dropped or none.")],
    chapter: Annotated[int | None, typer.Option(
        "--chapter", min=1, metavar="N", help="The chapter you reached.")] = None,
) -> None:
    """Mark works for later, as reading, read or dropped (none clears it). Find them with
    `reading:` in any query; a work marked reading or read that gains chapters or words
    in a later ingest is `reading:updated` until you mark it again.

    Examples:

      catalog mark 12 14 later

      catalog mark 12 reading --chapter 3

      catalog list reading:updated
    """
    *ids, status = args
    if status not in Status.__members__:
        raise typer.BadParameter(f"the last argument is the status: one of "
                                 f"{', '.join(Status.__members__)} (got {status!r})",
                                 param_hint="STATUS")
    try:
        work_ids = [int(i) for i in ids]
    except ValueError:
        raise typer.BadParameter("work ids are numbers, then the status",
                                 param_hint="ID") from None
    if not work_ids:
        raise typer.BadParameter("give work ids before the status", param_hint="ID")
    done = library(ctx, write=True).mark(work_ids, status, chapter=chapter)
    what = "cleared" if status == "none" else f"marked {status}"
    print(f"{what}: {done} work{'' if done == 1 else 's'}")


def register(app: typer.Typer) -> None:
    app.command("mark")(mark)
