"""What the commands share: the library from the global `--db`, consoles, and one output
bundle: `--format` with the same names in every command that prints records."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from catalog.catalogue import Catalogue


FORMATS = ("table", "json", "jsonl", "csv", "ids", "epub", "html")
_SAYS = {"table": "a table", "json": "one JSON document", "jsonl": "JSON Lines",
         "csv": "CSV", "ids": "work ids, one a line", "epub": "an EPUB 3 book a work",
         "html": "AO3's download HTML, a file a work"}


def format_option(*names: str, aliases: dict[str, str] | None = None) -> Any:
    """The `--format/-f` option with these of FORMATS (the first is the default); an old
    spelling in `aliases` (`--format text` of ingest) is still read, and not shown."""
    unknown = set(names) - set(FORMATS)
    assert not unknown, unknown

    def check(value: str) -> str:
        value = (aliases or {}).get(value, value)
        if value not in names:
            raise typer.BadParameter(f"{value!r} is not one of {', '.join(names)}")
        return value

    says = "; ".join(f"{n}: {_SAYS[n]}" for n in names)
    return typer.Option("--format", "-f", callback=check, metavar="|".join(names),
                        help=f"Output format ({says}).")


# `--json`, kept (hidden) for one release where `--format json` replaced it.
JsonAlias = Annotated[bool, typer.Option("--json", hidden=True)]


def print_one(data: Any, output: str) -> None:
    """A single object (a work, stats, info) as JSON: indented, or one line for jsonl."""
    if output == "jsonl":
        print(json.dumps(data, ensure_ascii=False))
    else:
        print(json.dumps(data, ensure_ascii=False, indent=2))


def library(ctx: typer.Context, *, write: bool = False, upgrade: bool = True) -> Catalogue:
    """The catalogue named by `--db` / $CATALOG_DB / the default, upgraded on first use."""
    # the database layers only when used (--help stays fast)
    from catalog.catalogue import Catalogue

    root = ctx.find_root()
    lib = Catalogue((root.obj or {}).get("db"), write=write, upgrade=upgrade)
    ctx.call_on_close(lib.dispose)
    return lib


def stdout() -> Console:
    # rich only to draw for a terminal
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def stderr() -> Console:
    # rich only to draw for a terminal
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def progress_enabled() -> bool:
    """Progress bars only on a terminal, never in pipes, logs or CI."""
    return sys.stderr.isatty()
