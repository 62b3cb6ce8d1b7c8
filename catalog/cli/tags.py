"""`catalog tags`: the tags in use, with how many works carry each."""

from __future__ import annotations

import sys
from enum import Enum
from typing import Annotated

import typer

from catalog.cli.common import OutputFormat, library, stdout

TagType = Enum("TagType", {t: t for t in ("rating", "warning", "category", "fandom",  # type: ignore[misc]
                                          "relationship", "character", "freeform")}, type=str)


def tags(
    ctx: typer.Context,
    tag_type: Annotated[TagType | None, typer.Option(
        "--type", help="Only tags of this type.")] = None,
    include_unused: Annotated[bool, typer.Option(
        "--all", help="Include tags no work uses (e.g. the fixed vocabularies).")] = False,
    output: Annotated[OutputFormat, typer.Option(
        "--format", "-f", help="table, json, jsonl or csv.")] = OutputFormat.table,
) -> None:
    """List tags with their work counts, most used first within each type.

    Examples:

      catalog tags --type character

      catalog tags --format csv > tags.csv
    """
    from sqlalchemy import func, select

    from catalog import vocab
    from catalog.db.models import Tag, WorkTag
    from catalog.export.formats import write_json, write_jsonl

    works = func.count(WorkTag.work_id).label("works")
    stmt = (select(Tag.type, Tag.name, works).outerjoin(WorkTag, WorkTag.tag_id == Tag.id)
            .group_by(Tag.id, Tag.type, Tag.name))
    if tag_type is not None:
        stmt = stmt.where(Tag.type == tag_type.value)
    if not include_unused:
        stmt = stmt.having(works > 0)
    with library(ctx).session() as session:
        rows = list(session.execute(stmt).all())
    order = {t: i for i, t in enumerate(vocab.TAG_TYPES)}
    rows.sort(key=lambda r: (order[r.type], -r.works, r.name.casefold()))
    records = [{"type": r.type, "name": r.name, "works": r.works} for r in rows]
    if output is OutputFormat.table:
        stdout().print(_table(records))
    elif output is OutputFormat.csv:
        import csv

        writer = csv.writer(sys.stdout)
        writer.writerow(["type", "name", "works"])
        writer.writerows([r["type"], r["name"], r["works"]] for r in records)
    else:
        {"json": write_json, "jsonl": write_jsonl}.get(output.value, write_jsonl)(
            records, sys.stdout)


def _table(records: list[dict[str, object]]):  # type: ignore[no-untyped-def]
    from rich.table import Table

    table = Table(header_style="bold", caption=f"{len(records)} tags")
    table.add_column("type", no_wrap=True)
    table.add_column("name", overflow="fold")
    table.add_column("works", justify="right")
    for r in records:
        table.add_row(str(r["type"]), str(r["name"]), str(r["works"]))
    return table


def register(app: typer.Typer) -> None:
    app.command("tags")(tags)
