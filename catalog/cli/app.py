"""The `catalog` command: global options, the command table and error handling.

Command modules are imported here, but each imports the ORM, Alembic and readers only when
it runs, so `catalog --help` stays fast. Help is plain text (`catalog.cli.help`: rich's
help renderer costs more than the rest of `--help`) and plain option values skip Typer's
pydantic converters (`catalog.cli.params`).
"""

from __future__ import annotations

import os
import sys
from typing import Annotated, Any

import typer

from catalog import __version__
from catalog.cli import (
    db,
    dupes,
    edit,
    export,
    fields,
    info,
    ingest,
    listing,
    lists,
    mark,
    remove,
    series,
    serve,
    show,
    stats,
    tags,
    terms,
    wrangle,
)
from catalog.cli.help import HELP_WIDTH, PlainHelpGroup, plain_help
from catalog.cli.params import install
from catalog.errors import (
    DEBUG_ENV,
    CatalogError,
    debugging,
    driver_message,
    reason,
    refused_as_read_only,
)


class CatalogGroup(PlainHelpGroup):
    """Turns any error raised by a command (a known one, a database's such as a bad `--db`
    or a locked file, or a bug) into one `error: …` line and exit status 1; `--debug`
    shows the traceback instead."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        install(self)
        terms.install(self)
        return super().main(*args, **kwargs)

    def invoke(self, ctx: typer.Context) -> object:  # type: ignore[override]
        # the text helpers only when a command prints (--help stays fast)
        from catalog.textnorm import escape_line

        try:
            return super().invoke(ctx)
        except CatalogError as exc:
            if debugging():
                raise
            print(f"error: {escape_line(exc)}", file=sys.stderr)
            raise typer.Exit(1) from None
        except Exception as exc:
            if (debugging() or isinstance(exc, BrokenPipeError)
                    or type(exc).__module__.startswith("typer")):
                raise  # usage errors, exits and a closed pipe are main()'s to handle
            print(f"error: {_unexpected(exc)}", file=sys.stderr)
            raise typer.Exit(1) from None


def _unexpected(exc: Exception) -> str:
    """One line for an error no command expected: a database's, or a bug's."""
    # the text helpers only when a command prints (--help stays fast)
    from catalog.textnorm import escape_line

    if type(exc).__module__.startswith("sqlalchemy"):
        if refused_as_read_only(exc):
            return ("the catalogue is read-only: this command changes it (list, show, "
                    "export, db check and db backup still work)")
        return f"database: {escape_line(driver_message(exc))} (check --db or CATALOG_DB)"
    return (f"{escape_line(reason(exc))} (an internal error: run `catalog --debug ...` for "
            "the traceback and report it)")


app = typer.Typer(
    cls=CatalogGroup,
    name="catalog",
    help="A fanfiction archive and metadata catalogue.\n\n"
    "Ingest story files (plain text, Markdown, sidecar metadata, AO3 HTML, EPUB and saved "
    "pages, other HTML pages, our JSONL export), then filter, browse, read and export them "
    "by AO3-style tags, wrangled so that one name finds every spelling; serve them as web "
    "pages, a JSON API and an OPDS feed.\n\n"
    "Examples:\n\n"
    "  catalog ingest seeds/\n\n"
    "  catalog list 'character:spike -warning:mcd rating:<=teen sort:-words'\n\n"
    "  catalog stats fandom:btvs\n\n"
    "  catalog tag info spike --type character\n\n"
    "  catalog export 'fandom:btvs' -o buffy.jsonl\n\n"
    "  catalog export 'fandom:btvs complete:yes' --format epub -o ~/ereader/\n\n"
    "  catalog serve",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": HELP_WIDTH},
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        print(f"catalog {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    db_: Annotated[str | None, typer.Option(
        "--db", envvar="CATALOG_DB", metavar="PATH-or-URL",
        help="Catalogue database: a SQLite file path or an SQLAlchemy URL "
             "(default: the user data directory).")] = None,
    debug: Annotated[bool, typer.Option(
        "--debug", envvar="CATALOG_DEBUG",
        help="Print tracebacks with errors, for reporting a bug.")] = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """A fanfiction archive and metadata catalogue."""
    ctx.obj = {"db": db_}
    if debug:  # parsing processes are forked: they read it from the environment
        os.environ[DEBUG_ENV] = "1"


ingest.register(app)
listing.register(app)
show.register(app)
export.register(app)
tags.register(app)
wrangle.register(app)
stats.register(app)
remove.register(app)
edit.register(app)
lists.register(app)
mark.register(app)
series.register(app)
dupes.register(app)
serve.register(app)
info.register(app)
fields.register(app)
app.add_typer(db.app, name="db")
plain_help(app)


def main() -> None:
    """Run the CLI (the `catalog` console script)."""
    try:
        app()
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(0)
