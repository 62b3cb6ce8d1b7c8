"""The records an export writes before the works: everything the user made that is not
a work, each with its `kind` (work records have none, so a work line stays what it was).

- {"kind": "tag", "type", "name", "canonical", "synonym_of", "parents": [[type, name]],
  "ao3_id", "common"}: every tag, imported ones included, so a restore is complete. A tag
  comes after the tags it names: canonical tags first (AO3's type order, metatags before
  their subtags), then synonyms, then the rest.
- {"kind": "search", "name", "query", "created"}: the saved searches.
- {"kind": "block", "id", "query", "created"}: the blocklist, ids kept.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from catalog import vocab
from catalog.model import utc_iso
from catalog.store.tables import blocks, saved_searches, tag_parents, tags
from catalog.textnorm import name_key

if TYPE_CHECKING:
    from catalog.store.fulltext import Executor

KINDS = ("tag", "search", "block")
T, P, S, B = tags.c, tag_parents.c, saved_searches.c, blocks.c


def records(conn: Executor) -> Iterator[dict[str, Any]]:
    yield from _tags(conn)
    for name, query, created in conn.execute(select(S.name, S.query, S.created_at)
                                             .order_by(S.name_key)):
        yield {"kind": "search", "name": name, "query": query, "created": utc_iso(created)}
    for block_id, query, created in conn.execute(select(B.id, B.query, B.created_at)
                                                 .order_by(B.id)):
        yield {"kind": "block", "id": block_id, "query": query, "created": utc_iso(created)}


def _tags(conn: Executor) -> Iterator[dict[str, Any]]:
    rows = {r.id: r for r in conn.execute(
        select(T.id, T.type, T.name, T.canonical, T.synonym_of_id, T.ao3_id, T.common))}
    parents: dict[int, list[int]] = defaultdict(list)
    for child, parent in conn.execute(select(P.child_id, P.parent_id)):
        parents[child].append(parent)
    depth: dict[int, int] = {}

    def level(tag_id: int, seen: frozenset[int] = frozenset()) -> int:
        if tag_id not in depth:
            same = [p for p in parents.get(tag_id, []) if p not in seen
                    and rows[p].type == rows[tag_id].type]
            depth[tag_id] = 1 + max((level(p, seen | {tag_id}) for p in same), default=0)
        return depth[tag_id]

    order = {t: i for i, t in enumerate(vocab.TAG_TYPES)}

    def rank(tag_id: int) -> tuple[int, int, int, str, str]:
        row = rows[tag_id]
        group = 0 if row.canonical else 1 if row.synonym_of_id is not None else 2
        return (group, order[row.type], level(tag_id) if group == 0 else 0,
                name_key(row.name), row.name)

    for tag_id in sorted(rows, key=rank):
        row = rows[tag_id]
        target = rows.get(row.synonym_of_id) if row.synonym_of_id is not None else None
        yield {"kind": "tag", "type": row.type, "name": row.name,
               "canonical": bool(row.canonical),
               "synonym_of": target.name if target is not None else None,
               "parents": sorted([rows[p].type, rows[p].name] for p in parents.get(tag_id, [])),
               "ao3_id": row.ao3_id, "common": bool(row.common)}
