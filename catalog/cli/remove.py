"""`catalog remove ID...`: take works out of the catalogue (their files are untouched)."""

from __future__ import annotations

from typing import Annotated

import typer

from catalog.cli.common import library


def remove(
    ctx: typer.Context,
    work_ids: Annotated[list[int], typer.Argument(metavar="ID...", help="Work ids to remove.")],
) -> None:
    """Remove works (with their chapters and tag links) from the catalogue, in one
    transaction. The story files on disk are never touched.

    Examples:

      catalog remove 12

      catalog list --tag "Crack" --format ids | xargs catalog remove
    """
    # the text helpers only when a command prints (--help stays fast)
    from catalog.textnorm import escape_line

    for work_id, title in library(ctx, write=True).remove(work_ids):
        print(f"removed #{work_id} {escape_line(title)}")


def register(app: typer.Typer) -> None:
    app.command("remove")(remove)
