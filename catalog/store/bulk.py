"""New works written many at a time: one INSERT per table for a whole run of entries.

Most of a large ingest is works the catalogue has never seen. Storing them one by one cost a
dozen statements each (a savepoint, the work, its chapters, each kind of link, the full-text
document), and statement overhead, not the database, was most of the writer's time. The
writer hands such runs here (`fresh` says which entries qualify); an entry that needs a
decision against what is stored — an update, a duplicate, a merge of chapters — goes
through `store.store` on its own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from catalog import layers
from catalog.model import CatalogEntry, Prepared
from catalog.store import fulltext, userdata
from catalog.store.known import Known, WorkRow, chunks
from catalog.store.links import insert_links
from catalog.store.rowids import insert_with_ids
from catalog.store.rows import insert_rows
from catalog.store.store import (
    advance_sequence,
    child_rows,
    ensure_names,
    rated,
    utcnow,
    work_columns,
)
from catalog.store.tables import reading, work_layers, work_tags, works


@dataclass
class Claims:
    """What earlier entries of a batch used: a later entry with the same source, AO3 id,
    text or explicit id depends on how the earlier one was stored, so it is not fresh."""

    sources: set[str] = field(default_factory=set)
    ao3_ids: set[int] = field(default_factory=set)
    url_keys: set[str] = field(default_factory=set)
    shas: set[str] = field(default_factory=set)
    ids: set[int] = field(default_factory=set)


def taken_ids(session: Session, entries: Sequence[CatalogEntry]) -> set[int]:
    """The explicit ids (from an export) that works already have."""
    wanted = {e.id for e in entries if e.id is not None}
    return {i for part in chunks(wanted)
            for i in session.scalars(select(works.c.id).where(works.c.id.in_(part)))}


def fresh(new: Prepared, known: Known, claims: Claims, taken: set[int], *,
          allow_duplicates: bool) -> bool:
    """Whether the entry is plainly a new work, and note what it uses. `known` must have
    looked up the batch's sources, AO3 ids, story URLs and texts (`Known.works`)."""
    e = new.entry
    url_key = e.url_key
    plain = (not e.partial and known.by_source.get(e.source) is None
             and e.source not in claims.sources
             and (e.ao3_id is None or (known.by_ao3.get(e.ao3_id) is None
                                       and e.ao3_id not in claims.ao3_ids))
             and (url_key is None or (known.by_url.get(url_key) is None
                                      and url_key not in claims.url_keys))
             and (allow_duplicates or (known.by_sha.get(new.sha256) is None
                                       and new.sha256 not in claims.shas))
             and (e.id is None or (e.id not in taken and e.id not in claims.ids)))
    claims.sources.add(e.source)
    claims.shas.add(new.sha256)
    if e.ao3_id is not None:
        claims.ao3_ids.add(e.ao3_id)
    if url_key is not None:
        claims.url_keys.add(url_key)
    if e.id is not None:
        claims.ids.add(e.id)
    return plain


def insert_new(session: Session, run: Sequence[Prepared], known: Known) -> list[int]:
    """Insert fresh entries (all with explicit ids or all without) and return their ids."""
    run = [replace(n, entry=rated(session, n.entry, known)) for n in run]
    laid = [layers.merge({}, n.entry.layers) for n in run]
    shown = [layers.effective(n.entry, lay) for n, lay in zip(run, laid, strict=True)]
    ensure_names(session, shown, known)
    now = utcnow()
    rows = [{**work_columns(e, n.sha256, n.meta_hash),
             "ingested_at": e.ingested or now, "modified_at": e.modified or now}
            for n, e in zip(run, shown, strict=True)]
    conn = session.connection()
    if run[0].entry.id is None:
        ids = insert_with_ids(conn, works, rows)
    else:  # a restore keeps its ids
        ids = [int(n.entry.id) for n in run if n.entry.id is not None]
        conn.execute(insert(works), [{**row, "id": i} for row, i in zip(rows, ids, strict=True)])
    children: dict[Table, list[dict[str, Any]]] = defaultdict(list)
    packing = conn.dialect.name == "sqlite"
    documents = []
    for work_id, n, e, lay in zip(ids, run, shown, laid, strict=True):
        for table, table_rows in child_rows(work_id, e, known, packing=packing).items():
            children[table] += table_rows
        children[work_layers] += userdata.layer_rows(work_id, layers.meta_of(n.entry), lay)
        children[reading] += userdata.reading_rows(work_id, n.entry.reading)
        documents.append(fulltext.Document(
            work_id, e.title, e.summary, [t.name for t in e.tags], n.body))
        row = WorkRow(work_id, n.entry.source, n.entry.ao3_id, n.sha256, n.meta_hash,
                      n.entry.url_key)
        if n.entry.id is None:
            known.added_work(row)
        else:  # a restored id may be lower than a work already known: ask again
            known.changed_work(row)
    for table, table_rows in children.items():
        if table is work_tags:
            insert_links(conn, table_rows)
        else:
            insert_rows(conn, table, table_rows)
    fulltext.index_new(session, documents)
    if run[0].entry.id is not None and conn.dialect.name == "postgresql":
        advance_sequence(session)
    return ids
