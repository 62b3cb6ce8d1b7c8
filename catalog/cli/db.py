"""`catalog db upgrade|current|history`: the schema, through Alembic."""

from __future__ import annotations

from typing import Annotated

import typer

from catalog.cli.common import library
from catalog.cli.help import PlainHelpGroup

app = typer.Typer(help="Database schema: upgrade, current revision, history.",
                  no_args_is_help=True, cls=PlainHelpGroup, rich_markup_mode=None)


@app.command()
def upgrade(
    ctx: typer.Context,
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
) -> None:
    """Upgrade the database schema (every command also does this on first use).

    Example: catalog db upgrade
    """
    from catalog.db import migrate
    from catalog.textnorm import escape_line

    lib = library(ctx, upgrade=False)
    migrate.upgrade(lib.engine, revision)
    with lib.engine.connect() as conn:
        print(f"{escape_line(lib.display_url())}: at revision "
              f"{migrate.current_revision(conn)}")


@app.command()
def current(ctx: typer.Context) -> None:
    """Print the database's schema revision and the newest one available.

    Example: catalog db current
    """
    from catalog.db import migrate

    lib = library(ctx, upgrade=False)
    with lib.engine.connect() as conn:
        revision = migrate.current_revision(conn)
    migrate.check_known(revision)
    head = migrate.head_revision()
    state = "up to date" if revision == head else "behind: run `catalog db upgrade`"
    print(f"{revision or '(empty)'} (head {head}, {state})")


@app.command()
def history() -> None:
    """List the schema revisions, newest first.

    Example: catalog db history
    """
    from catalog.db import migrate

    for revision, down, message in migrate.history():
        print(f"{down or '<base>'} -> {revision}: {message.splitlines()[0] if message else ''}")


@app.command()
def reindex(ctx: typer.Context) -> None:
    """Rebuild the full-text index from the stored works, dropping the documents of works
    that were updated or removed since (the index keeps no copy of the texts, so it cannot
    delete them one by one).

    Example:

      catalog db reindex
    """
    from catalog.query import fulltext

    with library(ctx, write=True).session() as session, session.begin():
        stale = fulltext.stale(session)
        works = fulltext.rebuild(session)
    print(f"indexed {works} works; dropped {stale} stale documents")
