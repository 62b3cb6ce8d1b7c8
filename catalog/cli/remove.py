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
    from catalog.errors import NotFoundError
    from catalog.store.models import Work
    from catalog.textnorm import escape_line

    with library(ctx, write=True).session() as session, session.begin():
        works = [session.get(Work, i) for i in work_ids]
        missing = [str(i) for i, w in zip(work_ids, works, strict=True) if w is None]
        if missing:
            raise NotFoundError(f"no work with id {', '.join(missing)}; nothing was removed")
        for work in works:
            session.delete(work)
    for work in works:
        print(f"removed #{work.id} {escape_line(work.title)}")  # type: ignore[union-attr]


def register(app: typer.Typer) -> None:
    app.command("remove")(remove)
