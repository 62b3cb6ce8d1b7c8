"""`catalog db …`: the schema (through Alembic), the index, backups, checks, compaction."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from catalog.cli.common import library
from catalog.cli.help import PlainHelpGroup

app = typer.Typer(help="The database: schema upgrade, revisions, index, backup, compaction.",
                  no_args_is_help=True, cls=PlainHelpGroup, rich_markup_mode=None)


@app.command()
def upgrade(
    ctx: typer.Context,
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
) -> None:
    """Upgrade the database schema (every command also does this on first use).

    Example: catalog db upgrade
    """
    # the text helpers only when a command prints (--help stays fast)
    from catalog.textnorm import escape_line

    lib = library(ctx, upgrade=False)
    print(f"{escape_line(lib.display_url())}: at revision {lib.upgrade(revision)}")


@app.command()
def current(ctx: typer.Context) -> None:
    """Print the database's schema revision and the newest one available.

    Example: catalog db current
    """
    revision, head = library(ctx, upgrade=False).revision()
    state = "up to date" if revision == head else "behind: run `catalog db upgrade`"
    print(f"{revision or '(empty)'} (head {head}, {state})")


@app.command()
def history() -> None:
    """List the schema revisions, newest first.

    Example: catalog db history
    """
    # the database layers only when used (--help stays fast)
    from catalog.catalogue import Catalogue

    for revision, down, message in Catalogue.history():
        print(f"{down or '<base>'} -> {revision}: {message.splitlines()[0] if message else ''}")


@app.command()
def reindex(ctx: typer.Context) -> None:
    """Rebuild the full-text index from the stored works, dropping the documents of works
    that were updated or removed since (the index keeps no copy of the texts, so it cannot
    delete them one by one).

    Example:

      catalog db reindex
    """
    works, stale = library(ctx, write=True).reindex()
    print(f"indexed {works} works; dropped {stale} stale documents")


@app.command()
def compact(ctx: typer.Context) -> None:
    """Pack the chapter texts stored before ingest packed them (plain, or with an earlier
    version's zlib) and give the space they free back to the file system (SQLite). Other
    processes may go on reading and writing; VACUUM needs as much free disk space as the
    catalogue for a moment. PostgreSQL compresses stored text itself: nothing to do there.

    Example:

      catalog db compact
    """
    # the text helpers only when a command prints (--help stays fast)
    from catalog.textnorm import escape_line

    lib = library(ctx, write=True)
    done = lib.compact()
    if done is None:
        print("PostgreSQL compresses stored text itself (TOAST): nothing to pack; "
              "VACUUM FULL gives freed space back")
        return
    mb = 2**20
    print(f"packed {done.chapters:,} chapters; {escape_line(lib.display_url())}: "
          f"{done.before / mb:,.1f} MB -> {done.after / mb:,.1f} MB")


@app.command()
def backup(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help="Where to write the copy.")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite FILE if it exists.")] = False,
) -> None:
    """Write a consistent copy of the catalogue (SQLite) to FILE, even while other
    processes use it: one moment of the database, compacted. For PostgreSQL use pg_dump.

    Example:

      catalog db backup ~/catalog-2026-12-06.db
    """
    # the text helpers only when a command prints (--help stays fast)
    from catalog.textnorm import escape_line

    lib = library(ctx)
    size = lib.backup(file, force=force)
    print(f"backed up {escape_line(lib.display_url())} to {escape_line(file)} "
          f"({size / 2**20:,.1f} MB)")


@app.command()
def check(
    ctx: typer.Context,
    repair: Annotated[bool, typer.Option(
        "--repair", help="Fix what is safe to fix (word and tag counts, the full-text index, "
        "orphan tags) and say what was done.")] = False,
) -> None:
    """Check the catalogue: the database's own structure checks, every stored word count
    against its text, tag counts, the full-text index and orphan tags. One line per
    problem; exit status 1 when there is any (after --repair, any left).

    Examples:

      catalog db check

      catalog db check --repair
    """
    # the text helpers only when a command prints (--help stays fast)
    from catalog.textnorm import escape_line

    report = library(ctx, write=repair).check(repair=repair)
    for line in report.repaired:
        print(f"repaired: {line}")
    for finding in report.findings:
        print(f"{finding.kind}: {escape_line(finding.text)}")
    problems = report.problems
    print(f"{problems:,} problem{'s' if problems > 1 else ''}" if problems else "no problems")
    if problems:
        raise typer.Exit(1)

