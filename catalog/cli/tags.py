"""`catalog tags`: the tags in the catalogue with their work counts and wrangling status."""

from __future__ import annotations

import sys
from enum import Enum
from typing import Annotated, Any

import typer

from catalog.cli.common import OutputFormat, library, stdout
from catalog.cli.export import NoFormulaGuard

TagType = Enum("TagType", {t: t for t in ("rating", "warning", "category", "fandom",  # type: ignore[misc]
                                          "relationship", "character", "freeform")}, type=str)


def tags(
    ctx: typer.Context,
    tag_type: Annotated[TagType | None, typer.Option(
        "--type", help="Only tags of this type.")] = None,
    unwrangled: Annotated[bool, typer.Option(
        "--unwrangled", help="Only tags that are neither canonical nor a synonym.")] = False,
    search: Annotated[str | None, typer.Option(
        "--search", metavar="TEXT",
        help="Only tags whose name contains TEXT (ignoring case and accents).")] = None,
    include_unused: Annotated[bool, typer.Option(
        "--all", help="Include tags no work uses (vocabularies, imported tags).")] = False,
    limit: Annotated[int | None, typer.Option("--limit", min=0, help="At most this many.")
                     ] = None,
    output: Annotated[OutputFormat, typer.Option(
        "--format", "-f", help="table, json, jsonl or csv.")] = OutputFormat.table,
    no_formula_guard: NoFormulaGuard = False,
) -> None:
    """List tags with the number of works tagged with each (as given), most used first
    within each type, and how each is wrangled: canonical, a synonym (→ its canonical) or
    unwrangled.

    Examples:

      catalog tags --type character

      catalog tags --unwrangled          # what still needs wrangling

      catalog tags --search spike --all

      catalog tags --format csv > tags.csv
    """
    from sqlalchemy import func, select
    from sqlalchemy.orm import aliased

    from catalog import vocab
    from catalog.store.models import Tag, WorkTag
    from catalog.textnorm import name_key

    target = aliased(Tag)
    works = func.count(WorkTag.work_id).label("works")
    stmt = (select(Tag.type, Tag.name, Tag.canonical, target.name.label("synonym_of"), works)
            .outerjoin(WorkTag, WorkTag.tag_id == Tag.id)
            .outerjoin(target, target.id == Tag.synonym_of_id)
            .group_by(Tag.id, Tag.type, Tag.name, Tag.canonical, target.name))
    if tag_type is not None:
        stmt = stmt.where(Tag.type == tag_type.value)
    if unwrangled:
        stmt = stmt.where(Tag.canonical.is_(False), Tag.synonym_of_id.is_(None))
    if search:
        stmt = stmt.where(Tag.name_key.contains(name_key(search), autoescape=True))
    if not include_unused:
        stmt = stmt.having(works > 0)
    with library(ctx).session() as session:
        rows = list(session.execute(stmt).all())
    order = {t: i for i, t in enumerate(vocab.TAG_TYPES)}
    rows.sort(key=lambda r: (order[r.type], -r.works, r.name.casefold()))
    records = [{"type": r.type, "name": r.name, "works": r.works,
                "status": "canonical" if r.canonical else
                ("synonym" if r.synonym_of else "unwrangled"),
                "synonym_of": r.synonym_of} for r in rows[:limit]]
    _write(records, output, formula_guard=not no_formula_guard)


def _write(records: list[dict[str, Any]], output: OutputFormat, *, formula_guard: bool
           ) -> None:
    from catalog.export.formats import csv_writer, write_json, write_jsonl

    if output is OutputFormat.table:
        stdout().print(_table(records))
    elif output is OutputFormat.csv:
        writer = csv_writer(sys.stdout, formula_guard=formula_guard)
        writer.writerow(["type", "name", "works", "status", "synonym_of"])
        for r in records:
            writer.writerow([r["type"], r["name"], r["works"], r["status"],
                             r["synonym_of"] or ""])
    else:
        {"json": write_json, "jsonl": write_jsonl}.get(output.value, write_jsonl)(
            records, sys.stdout)


def _table(records: list[dict[str, Any]]) -> Any:
    from rich.table import Table

    from catalog.cli.render import line

    table = Table(header_style="bold", caption=f"{len(records)} tags")
    table.add_column("type", no_wrap=True)
    table.add_column("name", overflow="fold")
    table.add_column("works", justify="right")
    table.add_column("wrangling", overflow="fold")
    for r in records:
        status = f"→ {r['synonym_of']}" if r["synonym_of"] else r["status"]
        table.add_row(str(r["type"]), line(r["name"]), str(r["works"]), line(status))
    return table


def register(app: typer.Typer) -> None:
    app.command("tags")(tags)
