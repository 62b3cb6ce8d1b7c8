"""`catalog dupes [QUERY]`: works that look like one story in several files."""

from __future__ import annotations

import sys
from enum import Enum
from typing import Annotated, Any

import typer

from catalog.cli.common import format_option, library
from catalog.cli.export import NoFormulaGuard
from catalog.cli.filters import with_filters

Key = Enum("Key", {k: k for k in ("title-author", "text")}, type=str)  # type: ignore[misc]
COLUMNS = ("group", "reason", "id", "title", "authors", "words", "chapters",
           "expected_chapters", "complete", "format", "updated", "ao3_id", "source")
WIDTH = 80


@with_filters
def dupes(ctx: typer.Context, filters: Any,
          by: Annotated[Key, typer.Option(
              "--by", help="What makes two works the same story: the same title and "
                           "first creator with words within 2% (title-author), or the same "
                           "text, letter for letter (text).")] = Key["title-author"],
          output: Annotated[str, format_option("table", "json", "jsonl", "csv")] = "table",
          no_formula_guard: NoFormulaGuard = False) -> None:
    """List groups of matching works that look like one story in several files, each
    with the reason; nothing is merged.

    An AO3 download beside a copy from another site, or a file kept twice with
    --allow-duplicates: each copy is shown with what tells it apart (words, chapters,
    format, date, path), so you can remove what you do not want. title-author: the same
    title and first creator (case, accents and punctuation aside) and word counts within
    2%. AO3 downloads of one work are already one work. The blocklist applies, as in
    `list`.

    Examples:

      catalog dupes

      catalog dupes fandom:btvs --by text

      catalog dupes --format csv > dupes.csv
    """
    found = library(ctx).dupes(filters, by=by.value)
    if output == "table":
        _print(found)
        return
    # the database layers only when used (--help stays fast)
    from catalog.catalogue import Catalogue

    rows: list[dict[str, Any]] = found
    if output == "csv":
        rows = [{"group": n, "reason": group["reason"], **work}
                for n, group in enumerate(found, 1) for work in group["works"]]
    Catalogue.write(rows, sys.stdout, format=output, columns=COLUMNS,
                    formula_guard=not no_formula_guard)


def _print(found: list[dict[str, Any]]) -> None:
    # the text helpers only when a command prints (--help stays fast)
    from catalog.textnorm import escape_line

    for group in found:
        byline = ", ".join(group["authors"]) or "no creator"
        print(_fit(f"{escape_line(group['title'])} by {escape_line(byline)}: "
                   f"{len(group['works'])} copies"))
        print(_fit(f"  ({group['reason']})"))
        for work in group["works"]:
            chapters = f"{work['chapters']}/{work['expected_chapters'] or '?'}"
            head = (f"  #{work['id']:<6} {work['words']:>9,} words  {chapters:>7}  "
                    f"{work['updated'] or '':10}  {work['format']:<9} ")
            print(head + _tail(escape_line(work["source"]), WIDTH - len(head)))
    groups = len(found)
    copies = sum(len(g["works"]) for g in found)
    print(f"{groups} group{'' if groups == 1 else 's'} of likely duplicates, {copies} works"
          if found else "no likely duplicates among the matching works")


def _fit(text: str) -> str:
    return text if len(text) <= WIDTH else text[:WIDTH - 1] + "…"


def _tail(path: str, room: int) -> str:
    """The end of a long path, which names the file."""
    room = max(room, 12)
    return path if len(path) <= room else "…" + path[-(room - 1):]


def register(app: typer.Typer) -> None:
    app.command("dupes")(dupes)
