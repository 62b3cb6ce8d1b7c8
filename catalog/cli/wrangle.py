"""`catalog tag …` (wrangling one tag) and `catalog vocab …` (loading vocabularies)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from catalog.cli.common import (
    JsonAlias,
    format_option,
    library,
    print_one,
    progress_enabled,
    stdout,
)
from catalog.cli.help import PlainHelpGroup
from catalog.cli.tags import TagType

if TYPE_CHECKING:
    from catalog import Wrangled

tag_app = typer.Typer(
    name="tag", no_args_is_help=True, cls=PlainHelpGroup, rich_markup_mode=None,
    help="Wrangle tags: link spellings to a canonical tag, add metatags and fandoms, rename.\n\n"
         "Works keep the tag name they were given; wrangling only links names, so a filter "
         "on any name finds every work tagged with any of its synonyms or subtags.")
vocab_app = typer.Typer(
    name="vocab", no_args_is_help=True, cls=PlainHelpGroup, rich_markup_mode=None,
    help="Vocabularies: canonical tags with synonyms, metatags and fandoms; load one, "
         "export the catalogue's own, import AO3's tag table.")

TypeOption = Annotated[TagType | None, typer.Option(
    "--type", help="The tag's type, when several tags of different types share the name.")]


def _type(tag_type: TagType | None) -> str | None:
    return tag_type.value if tag_type else None


def _say_created(done: Wrangled) -> None:
    if done.created:
        print(f"created canonical {done.type} {done.created!r}")


@tag_app.command("synonym")
def synonym(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The spelling to link (created if unused).")],
    canonical: Annotated[str, typer.Argument(help="The canonical tag it means.")],
    tag_type: TypeOption = None,
) -> None:
    """Make NAME a synonym of CANONICAL (of the same type): filtering by either finds both.
    A CANONICAL that does not exist yet is created, canonical, with NAME's type.

    Examples:

      catalog tag synonym "Spillow" "Spike (Buffy the Vampire Slayer)/Willow Rosenberg"

      catalog tag synonym Buffster "Buffy Summers" --type character
    """
    done = library(ctx, write=True).synonym(name, canonical, type=_type(tag_type))
    _say_created(done)
    print(f"{done.type} {done.name!r} is now a synonym of {done.other!r}")


@tag_app.command("canonical")
def canonical(ctx: typer.Context, name: Annotated[str, typer.Argument(help="The tag.")],
              tag_type: TypeOption = None) -> None:
    """Make NAME a canonical tag (a synonym is unlinked from its canonical first).

    Example:

      catalog tag canonical "Hurt/Comfort"
    """
    done = library(ctx, write=True).make_canonical(name, type=_type(tag_type))
    print(f"{done.type} {done.name!r} is canonical")


@tag_app.command("parent")
def parent(
    ctx: typer.Context,
    child: Annotated[str, typer.Argument(help="The subtag (or character/relationship).")],
    parent_name: Annotated[str, typer.Argument(metavar="PARENT",
                                               help="The metatag (or fandom).")],
) -> None:
    """Make PARENT a metatag of CHILD (same type; filtering by PARENT finds CHILD's works),
    or, for a character, relationship or additional tag, the fandom it belongs to.
    A PARENT that does not exist yet is created, canonical, with CHILD's type.

    Examples:

      catalog tag parent "Buffy the Vampire Slayer (TV)" Buffyverse

      catalog tag parent "Clem (Buffy the Vampire Slayer)" "Buffy the Vampire Slayer (TV)"
    """
    done = library(ctx, write=True).add_parent(child, parent_name)
    _say_created(done)
    print(f"{done.other!r} is now a {done.link} of {done.type} {done.name!r}")


@tag_app.command("rename")
def rename(ctx: typer.Context, old: Annotated[str, typer.Argument(help="The current name.")],
           new: Annotated[str, typer.Argument(help="The new canonical name.")],
           tag_type: TypeOption = None) -> None:
    """Rename a tag: NEW becomes the canonical name and OLD its synonym. Works keep OLD as
    the name they were given, and filters on either name find them.

    Example:

      catalog tag rename "Spuffy" "Buffy Summers/Spike (Buffy the Vampire Slayer)"
    """
    done = library(ctx, write=True).rename(old, new, type=_type(tag_type))
    print(f"{done.type} {done.other!r} is canonical; {done.name!r} is its synonym"
          if done.link == "synonym" else f"{done.type} renamed to {done.name!r}")


@tag_app.command("info")
def info(ctx: typer.Context, name: Annotated[str, typer.Argument(help="The tag.")],
         tag_type: TypeOption = None,
         output: Annotated[str, format_option("table", "json", "jsonl")] = "table",
         as_json: JsonAlias = False,
         ) -> None:
    """Everything wrangling knows about a tag: status, synonyms, metatags, subtags,
    fandoms, relationship members and the works it finds.

    Example:

      catalog tag info spike --type character
    """
    # the renderer only when a page is drawn (--help stays fast)
    from catalog.cli.render import line

    report = library(ctx).tag_info(name, type=_type(tag_type))
    if as_json or output != "table":
        print_one(report, "json" if as_json else output)
        return
    # rich only to draw for a terminal
    from rich.table import Table


    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for key, value in report.items():
        if value in (None, [], ""):
            continue
        if key == "works":
            value = ", ".join(f"#{w['id']} {w['title']}" for w in value)
        elif isinstance(value, list):
            value = ", ".join(map(str, value))
        grid.add_row(key.replace("_", " "), line(value))
    stdout().print(grid)


@vocab_app.command("load")
def load(ctx: typer.Context, file: Annotated[Path, typer.Argument(
        exists=True, dir_okay=False, help="A vocabulary file (YAML).")]) -> None:
    """Load a vocabulary file (idempotent: loading it again changes nothing). The shipped
    Buffyverse vocabulary, loaded into every new catalogue, documents the layout:
    copy it, extend it, load it.

    Example:

      catalog vocab load my-fandoms.yaml
    """
    # the text helpers only when a command prints (--help stays fast)
    from catalog.textnorm import escape_line

    report = library(ctx, write=True).load_vocabulary(file)
    created = ", ".join(f"{n} {t}" for t, n in report.created.items()) or "none"
    print(f"loaded {escape_line(file)}: new tags {created}; synonyms linked {report.linked}")
    for conflict in report.conflicts:  # names from the file: one escaped line each
        print(f"skipped: {escape_line(conflict)}", file=sys.stderr)


@vocab_app.command("export")
def export(ctx: typer.Context,
           out: Annotated[Path | None, typer.Option(
               "-o", "--output", dir_okay=False, help="Write to this file (else stdout).")
           ] = None,
           all_tags: Annotated[bool, typer.Option(
               "--all", help="Include the tags imported from AO3's data dump.")] = False,
           force: Annotated[bool, typer.Option(
               "--force", help="Overwrite an existing file.")] = False) -> None:
    """Write the catalogue's wrangling (every canonical tag with its synonyms, metatags
    and fandoms, ratings', warnings' and categories' synonyms included) as a vocabulary
    file that `vocab load` reads back into another catalogue.

    Examples:

      catalog vocab export -o my-wrangling.yaml

      catalog --db new.db vocab load my-wrangling.yaml
    """
    # the text helpers only when a command prints (--help stays fast)
    from catalog.textnorm import escape_line

    library(ctx).export_vocabulary(out or sys.stdout, all_tags=all_tags, force=force)
    if out is not None:
        print(f"wrote {escape_line(out)}", file=sys.stderr)


@vocab_app.command("import-ao3")
def import_ao3(ctx: typer.Context, file: Annotated[Path, typer.Argument(
        exists=True, dir_okay=False, help="AO3's data-dump tag table (tags-*.csv).")]) -> None:
    """Import AO3's public data-dump tag table as canonical tags and synonyms, streamed
    (the real file has about 14 million rows) in one transaction.

    Example:

      catalog vocab import-ao3 tags-20210226.csv
    """
    cat = library(ctx, write=True)
    if progress_enabled():
        # rich only to draw for a terminal
        from rich.progress import Progress

        with Progress(transient=True) as bar:
            task = bar.add_task("importing tags", total=file.stat().st_size)
            report = cat.import_ao3_tags(file, lambda done: bar.update(task, completed=done))
    else:
        report = cat.import_ao3_tags(file)
    created = sum(report.created.values())
    skipped = ", ".join(f"{n} {why}" for why, n in report.skipped.items()) or "none"
    print(f"read {report.rows} rows: {created} new tags, {report.existing} already known, "
          f"{report.synonyms} synonyms linked; skipped {skipped}")
    if report.conflicts:
        print(f"{report.conflicts} synonyms kept their existing wrangling", file=sys.stderr)


def register(app: typer.Typer) -> None:
    app.add_typer(tag_app, name="tag")
    app.add_typer(vocab_app, name="vocab")
