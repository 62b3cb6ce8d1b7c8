"""Import AO3's public data-dump tag table (`tags-*.csv`) as canonical tags and synonyms.

The real file has about 14 million rows, so it is streamed in batches and never held in
memory; the whole import is one transaction. Columns are read by header name
(`id,type,name,canonical,cached_count,merger_id`), so an extra leading index column (as
pandas writes) does no harm; ids may be written as floats (`123.0`), booleans as
`True`/`true`/`1`. A synonym (a row with `merger_id`) may come before its canonical tag:
the links are made once the whole file is read. Types other than AO3's seven tag types
(`Media`, `UnsortedTag`, …) are counted and skipped.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Column, Integer, MetaData, Table, and_, func, insert, or_, select, update
from sqlalchemy.orm import Session, aliased

from catalog import vocab
from catalog.errors import CatalogError
from catalog.store.models import RelationshipMember, Tag
from catalog.textnorm import collapse, name_key
from catalog.wrangle.relationships import members

TYPES = {"Rating": "rating", "ArchiveWarning": "warning", "Category": "category",
         "Fandom": "fandom", "Relationship": "relationship", "Character": "character",
         "Freeform": "freeform"}
FIXED = vocab.FIXED_TYPES
REQUIRED = ("id", "type", "name", "canonical", "merger_id")
BATCH = 2000
csv.field_size_limit(1 << 20)


@dataclass(frozen=True)
class DumpTag:
    ao3_id: int
    type: str
    name: str
    canonical: bool
    merger_id: int | None


@dataclass
class ImportReport:
    rows: int = 0
    created: Counter[str] = field(default_factory=Counter)
    existing: int = 0
    synonyms: int = 0
    skipped: Counter[str] = field(default_factory=Counter)  # reason -> rows
    conflicts: int = 0


def _int(value: str | None) -> int | None:
    """'123', '123.0', ' 123 ' -> 123; '' -> None (ids never need float precision)."""
    value = (value or "").strip()
    if not value:
        return None
    whole, _, fraction = value.partition(".")
    if not whole.isdigit() or fraction.strip("0"):
        raise ValueError(f"not an id: {value!r}")
    return int(whole)


def _bool(value: str | None) -> bool:
    return (value or "").strip().lower() in ("true", "t", "1", "yes")


def read(stream: io.TextIOBase, report: ImportReport, path: str = "tags.csv"
         ) -> Iterator[DumpTag]:
    """The dump's tag rows of AO3's seven tag types, checked line by line."""
    rows = csv.DictReader(stream)
    header = [h.strip() for h in rows.fieldnames or []]
    missing = [h for h in REQUIRED if h not in header]
    if missing:
        raise CatalogError(f"{path}: not an AO3 tags table: no column {', '.join(missing)} "
                           "(expected id,type,name,canonical,cached_count,merger_id)")
    rows.fieldnames = header
    for line, row in enumerate(rows, start=2):
        report.rows += 1
        tag_type = TYPES.get((row.get("type") or "").strip())
        name = collapse(row.get("name") or "")
        if tag_type is None or not name:
            report.skipped[f"type {row.get('type')!r}" if name else "empty name"] += 1
            continue
        try:
            ao3_id = _int(row.get("id"))
            merger = _int(row.get("merger_id"))
        except ValueError as exc:
            raise CatalogError(f"{path}:{line}: {exc}") from None
        if ao3_id is None:
            raise CatalogError(f"{path}:{line}: a tag row needs an id")
        yield DumpTag(ao3_id, tag_type, name, _bool(row.get("canonical")), merger)


def import_tags(session: Session, path: Path,
                progress: Callable[[int], None] | None = None) -> ImportReport:
    """Import the file in the caller's transaction; `progress` gets bytes read so far."""
    report = ImportReport()
    mergers = _staging(session)
    with open(path, "rb") as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        batch: list[DumpTag] = []
        for tag in read(text, report, str(path)):
            batch.append(tag)
            if len(batch) == BATCH:
                _store(session, batch, mergers, report)
                batch = []
                if progress:
                    progress(raw.tell())
        _store(session, batch, mergers, report)
    _add_members(session)
    _link_synonyms(session, mergers, report)
    mergers.drop(session.connection())
    return report


def _staging(session: Session) -> Table:
    table = Table("ao3_import_mergers", MetaData(), Column("tag_id", Integer),
                  Column("merger_id", Integer), prefixes=["TEMPORARY"])
    table.create(session.connection())
    return table


def _store(session: Session, batch: list[DumpTag], mergers: Table,
           report: ImportReport) -> None:
    if not batch:
        return
    keys = {name_key(t.name) for t in batch}
    found = {(t.type, t.name_key): t for t in session.scalars(
        select(Tag).where(Tag.name_key.in_(keys)))}
    new: list[dict[str, object]] = []
    pending: set[tuple[str, str]] = set()
    for tag in batch:
        key = (tag.type, name_key(tag.name))
        if key in pending:
            report.skipped["same name as an earlier row"] += 1
        elif key in found:
            existing = found[key]
            report.existing += 1
            if existing.ao3_id is None:
                existing.ao3_id = tag.ao3_id
            if (tag.canonical and tag.type not in FIXED and not existing.canonical
                    and existing.synonym_of_id is None):
                existing.canonical = True
        elif tag.type in FIXED:
            report.skipped["not one of AO3's fixed tags"] += 1
            continue
        else:
            new.append({"type": tag.type, "name": tag.name, "name_key": key[1],
                        "canonical": tag.canonical, "ao3_id": tag.ao3_id, "common": False})
            pending.add(key)
            report.created[tag.type] += 1
    if new:
        session.execute(insert(Tag), new)
    session.flush()
    synonyms = [t for t in batch if t.merger_id is not None and not t.canonical]
    if synonyms:
        ids = dict(session.execute(select(Tag.ao3_id, Tag.id).where(
            Tag.ao3_id.in_([t.ao3_id for t in synonyms]))).all())
        session.execute(insert(mergers), [
            {"tag_id": ids[t.ao3_id], "merger_id": t.merger_id}
            for t in synonyms if t.ao3_id in ids])


def _add_members(session: Session) -> None:
    """Member rows for imported relationships, a batch at a time."""
    has_members = select(RelationshipMember.tag_id)
    last = 0
    while True:
        rows = session.execute(
            select(Tag.id, Tag.name).where(Tag.type == "relationship", Tag.id > last,
                                           Tag.id.not_in(has_members))
            .order_by(Tag.id).limit(BATCH)).all()
        if not rows:
            return
        values = [{"tag_id": tag_id, "position": i, "kind": kind, "member_key": key}
                  for tag_id, name in rows for kind, keys in [members(name)] if kind
                  for i, key in enumerate(keys, 1)]
        if values:
            session.execute(insert(RelationshipMember), values)
        last = rows[-1][0]


def _link_synonyms(session: Session, mergers: Table, report: ImportReport) -> None:
    """Point each merged tag at its canonical once every row is in: one set-based UPDATE,
    so memory does not grow with the file. A tag the user made canonical or linked
    elsewhere keeps its link (counted as a conflict)."""
    target = aliased(Tag)
    canonical_of = (select(target.id).select_from(mergers)
                    .join(target, target.ao3_id == mergers.c.merger_id)
                    .where(mergers.c.tag_id == Tag.id, target.type == Tag.type,
                           target.id != Tag.id)
                    .limit(1).scalar_subquery())
    staged = select(mergers.c.tag_id)
    free = (Tag.id.in_(staged), Tag.canonical.is_(False), Tag.synonym_of_id.is_(None))
    elsewhere = or_(Tag.canonical.is_(True), and_(Tag.synonym_of_id.is_not(None),
                                                  Tag.synonym_of_id != canonical_of))
    report.conflicts += session.scalar(select(func.count()).select_from(Tag).where(
        Tag.id.in_(staged), elsewhere)) or 0
    result = session.execute(
        update(Tag).where(*free, canonical_of.is_not(None))
        .values(synonym_of_id=canonical_of).execution_options(synchronize_session=False))
    report.synonyms += result.rowcount or 0  # type: ignore[attr-defined]
