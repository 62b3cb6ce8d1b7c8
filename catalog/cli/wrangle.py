"""`catalog tag …` (wrangling one tag) and `catalog vocab …` (loading vocabularies)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from catalog.cli.common import library, progress_enabled, stdout
from catalog.cli.help import PlainHelpGroup
from catalog.cli.tags import TagType

tag_app = typer.Typer(
    name="tag", no_args_is_help=True, cls=PlainHelpGroup, rich_markup_mode=None,
    help="Wrangle tags: link spellings to a canonical tag, add metatags and fandoms, rename.\n\n"
         "Works keep the tag name they were given; wrangling only links names, so a filter "
         "on any name finds every work tagged with any of its synonyms or subtags.")
vocab_app = typer.Typer(
    name="vocab", no_args_is_help=True, cls=PlainHelpGroup, rich_markup_mode=None,
    help="Load vocabularies: canonical tags with synonyms, metatags and fandoms.")

TypeOption = Annotated[TagType | None, typer.Option(
    "--type", help="The tag's type, when several tags of different types share the name.")]


def _find(session: Any, name: str, tag_type: TagType | None) -> Any:
    from catalog.wrangle.edit import find

    return find(session, name, tag_type.value if tag_type else None)


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
    from catalog.errors import NotFoundError
    from catalog.wrangle import edit

    with library(ctx, write=True).session() as session, session.begin():
        try:
            target = _find(session, canonical, tag_type)
        except NotFoundError:
            source = _find(session, name, tag_type)
            target = edit.new_tag(session, source.type, canonical, canonical=True)
            edit.make_canonical(session, target)
        try:
            same_type = [t for t in _candidates(session, name) if t.type == target.type]
            tag = same_type[0] if same_type else _find(session, name, tag_type)
        except NotFoundError:
            tag = edit.new_tag(session, target.type, name)
            session.flush()
        edit.make_synonym(session, tag, target)
        print(f"{target.type} {tag.name!r} is now a synonym of {target.name!r}")


@tag_app.command("canonical")
def canonical(ctx: typer.Context, name: Annotated[str, typer.Argument(help="The tag.")],
              tag_type: TypeOption = None) -> None:
    """Make NAME a canonical tag (a synonym is unlinked from its canonical first).

    Example:

      catalog tag canonical "Hurt/Comfort"
    """
    from catalog.wrangle import edit

    with library(ctx, write=True).session() as session, session.begin():
        tag = _find(session, name, tag_type)
        edit.make_canonical(session, tag)
        print(f"{tag.type} {tag.name!r} is canonical")


@tag_app.command("parent")
def parent(
    ctx: typer.Context,
    child: Annotated[str, typer.Argument(help="The subtag (or character/relationship).")],
    parent_name: Annotated[str, typer.Argument(metavar="PARENT",
                                               help="The metatag (or fandom).")],
) -> None:
    """Make PARENT a metatag of CHILD (same type; filtering by PARENT finds CHILD's works),
    or, for a character, relationship or additional tag, the fandom it belongs to.

    Examples:

      catalog tag parent "Buffy the Vampire Slayer (TV)" Buffyverse

      catalog tag parent "Clem (Buffy the Vampire Slayer)" "Buffy the Vampire Slayer (TV)"
    """
    from catalog.errors import WranglingError
    from catalog.wrangle import edit

    with library(ctx, write=True).session() as session, session.begin():
        parents = _candidates(session, parent_name)
        children = _candidates(session, child)
        pairs = [(c, p) for c in children for p in parents
                 if c.type == p.type or (p.type == "fandom" and c.type in edit.FANDOM_CHILDREN)]
        if not pairs:
            c, p = children[0], parents[0]
            edit.add_parent(session, c, p)  # raises the type-mismatch error
        if len(pairs) > 1:
            raise WranglingError(f"{child!r} and {parent_name!r} name tags of several types; "
                                 "make the names unambiguous with `catalog tag info`")
        c, p = pairs[0]
        edit.add_parent(session, c, p)
        kind = "metatag" if c.type == p.type else "fandom"
        print(f"{p.name!r} is now a {kind} of {c.type} {c.name!r}")


def _candidates(session: Any, name: str) -> list[Any]:
    from sqlalchemy import select

    from catalog.errors import NotFoundError
    from catalog.store.models import Tag
    from catalog.textnorm import name_key

    found = list(session.scalars(select(Tag).where(Tag.name_key == name_key(name))))
    if not found:
        raise NotFoundError(f"no tag named {name!r} (see `catalog tags --search`)")
    return found


@tag_app.command("rename")
def rename(ctx: typer.Context, old: Annotated[str, typer.Argument(help="The current name.")],
           new: Annotated[str, typer.Argument(help="The new canonical name.")],
           tag_type: TypeOption = None) -> None:
    """Rename a tag: NEW becomes the canonical name and OLD its synonym. Works keep OLD as
    the name they were given, and filters on either name find them.

    Example:

      catalog tag rename "Spuffy" "Buffy Summers/Spike (Buffy the Vampire Slayer)"
    """
    from catalog.wrangle import edit

    with library(ctx, write=True).session() as session, session.begin():
        tag = _find(session, old, tag_type)
        new_tag = edit.rename(session, tag, new)
        print(f"{tag.type} {new_tag.name!r} is canonical; {tag.name!r} is its synonym"
              if new_tag is not tag else f"{tag.type} renamed to {tag.name!r}")


@tag_app.command("info")
def info(ctx: typer.Context, name: Annotated[str, typer.Argument(help="The tag.")],
         tag_type: TypeOption = None,
         as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
         ) -> None:
    """Everything wrangling knows about a tag: status, synonyms, metatags, subtags,
    fandoms, relationship members and the works it finds.

    Example:

      catalog tag info spike --type character
    """
    from catalog.wrangle.report import tag_report

    with library(ctx).session() as session:
        report = tag_report(session, _find(session, name, tag_type))
    if as_json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return
    from rich.table import Table

    from catalog.cli.render import line

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
    from catalog.textnorm import escape_line
    from catalog.wrangle.vocabulary import load as load_file

    with library(ctx, write=True).session() as session, session.begin():
        report = load_file(session, file)
    created = ", ".join(f"{n} {t}" for t, n in report.created.items()) or "none"
    print(f"loaded {escape_line(file)}: new tags {created}; synonyms linked {report.linked}")
    for conflict in report.conflicts:  # names from the file: one escaped line each
        print(f"skipped: {escape_line(conflict)}", file=sys.stderr)


@vocab_app.command("import-ao3")
def import_ao3(ctx: typer.Context, file: Annotated[Path, typer.Argument(
        exists=True, dir_okay=False, help="AO3's data-dump tag table (tags-*.csv).")]) -> None:
    """Import AO3's public data-dump tag table as canonical tags and synonyms, streamed
    (the real file has about 14 million rows) in one transaction.

    Example:

      catalog vocab import-ao3 tags-20210226.csv
    """
    from catalog.wrangle.ao3dump import import_tags

    with library(ctx, write=True).session() as session, session.begin():
        if progress_enabled():
            from rich.progress import Progress

            with Progress(transient=True) as bar:
                task = bar.add_task("importing tags", total=file.stat().st_size)
                report = import_tags(session, file, lambda done: bar.update(task, completed=done))
        else:
            report = import_tags(session, file)
    created = sum(report.created.values())
    skipped = ", ".join(f"{n} {why}" for why, n in report.skipped.items()) or "none"
    print(f"read {report.rows} rows: {created} new tags, {report.existing} already known, "
          f"{report.synonyms} synonyms linked; skipped {skipped}")
    if report.conflicts:
        print(f"{report.conflicts} synonyms kept their existing wrangling", file=sys.stderr)


def register(app: typer.Typer) -> None:
    app.add_typer(tag_app, name="tag")
    app.add_typer(vocab_app, name="vocab")
