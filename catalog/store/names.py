"""The named rows a work links to — tags, authors, series, collections — found or created
for many works at once.

A batch of new works brings hundreds of tags the catalogue has never seen; creating them
one at a time cost several queries each (a new relationship is matched against canonical
ones by its members). Here every missing row of a batch is created with one INSERT per
table, and new relationships are wrangled together (by `Known.new_tags`, which the
wrangling layer provides). What was found or made is kept in `Known`, which the store then
reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import Session

from catalog.store.known import Known
from catalog.store.rowids import insert_with_ids
from catalog.store.rows import insert_rows
from catalog.store.tables import author_display, authors, relationship_members, tags
from catalog.textnorm import collapse, name_key

_BYLINE = re.compile(r"^(.*?)\s*\(([^()]+)\)$")


def parse_author(value: str) -> tuple[str, str | None]:
    """'Lamplighter (lamplighter)' -> ('Lamplighter', 'lamplighter'); 'Moth Wing' -> (…, None)."""
    value = collapse(value)
    m = _BYLINE.match(value)
    return (collapse(m.group(1)), collapse(m.group(2))) if m and m.group(1) else (value, None)


def author_key(display: str) -> str:
    return name_key(author_display(*parse_author(display)))


def ensure_tags(session: Session, wanted: Iterable[tuple[str, str]], known: Known) -> None:
    """Make sure every (type, name) tag exists and is in `known.tags`. Relationships come
    last: they are wrangled through character names, which new characters may add to."""
    missing: dict[tuple[str, str], str] = {}
    for tag_type, name in wanted:
        missing.setdefault((tag_type, name_key(name)), name)
    known.learn_tags(session, missing)
    missing = {k: n for k, n in missing.items() if known.tags.get(k) is None}
    for relationships in (False, True):
        part = [(t, n) for (t, _), n in missing.items() if (t == "relationship") == relationships]
        if part:
            _insert_tags(session, part, known)


def _insert_tags(session: Session, wanted: list[tuple[str, str]], known: Known) -> None:
    made = known.new_tags(session, wanted)
    ids = insert_with_ids(session.connection(), tags, [values for values, _ in made])
    members: list[dict[str, Any]] = []
    for tag_id, (values, member_rows) in zip(ids, made, strict=True):
        known.tags[(values["type"], values["name_key"])] = (tag_id, values["name"])
        members += [{**m, "tag_id": tag_id} for m in member_rows]
    insert_rows(session.connection(), relationship_members, members)


def ensure_authors(session: Session, displays: Iterable[str], known: Known) -> None:
    """Make sure every byline's author exists and is in `known.authors`."""
    missing: dict[str, tuple[str, str | None]] = {}
    for display in displays:
        pseud, login = parse_author(display)
        missing.setdefault(name_key(author_display(pseud, login)), (pseud, login))
    known.learn_authors(session, missing)
    rows = [{"pseud": pseud, "login": login, "name_key": key, "pseud_key": name_key(pseud),
             "login_key": name_key(login) if login else None}
            for key, (pseud, login) in missing.items() if known.authors.get(key) is None]
    ids = insert_with_ids(session.connection(), authors, rows)
    for row, author_id in zip(rows, ids, strict=True):
        known.authors[str(row["name_key"])] = author_id


def ensure_named(session: Session, table: Table, names: Iterable[str], known: Known) -> None:
    """Make sure every series (or collection) name exists and is in `known.named`."""
    missing: dict[str, str] = {}
    for name in names:
        missing.setdefault(name_key(name), name)
    known.learn_named(session, table, missing)
    rows = [{"name": name, "name_key": key} for key, name in missing.items()
            if known.named.get((table.name, key)) is None]
    ids = insert_with_ids(session.connection(), table, rows)
    for row, row_id in zip(rows, ids, strict=True):
        known.named[(table.name, row["name_key"])] = row_id
