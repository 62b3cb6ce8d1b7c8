"""Re-laying a work: its file's values with the user's layers changed (`catalog edit`,
`--reset`), written back as what the work shows, without reading or writing its text
(only the full-text document, which holds the title, summary and tags, is made again)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from catalog import layers
from catalog.layers import Layers, Meta
from catalog.model import CatalogEntry, TagRef
from catalog.store import fulltext, userdata
from catalog.store.known import Known
from catalog.store.rows import insert_rows
from catalog.store.store import WORK_AUTHORS, WORK_TAGS, child_rows, ensure_names, utcnow
from catalog.store.tables import author_display, authors, chapters, tags, work_authors, works
from catalog.store.tables import work_tags as links
from catalog.textnorm import name_key

W, C = works.c, chapters.c
Change = Callable[[Layers], Layers]


def relay(session: Session, work_id: int, change: Change, known: Known) -> bool:
    """Apply `change` to the work's layers and write what it now shows; False when the
    layers came out the same (nothing written)."""
    stored = userdata.layers_of(session, [work_id]).get(work_id, {})
    file_meta = (Meta.from_json(stored[layers.FILE]) if layers.FILE in stored
                 else current(session, work_id))
    before = userdata.user_layers(stored)
    after = change(before)
    if after == before:
        return False
    count = session.scalar(select(W.chapter_count).where(W.id == work_id)) or 0
    shown = layers.apply(file_meta, after, count)
    _write(session, work_id, shown, known)
    userdata.save(session, work_id, file_meta, after)
    return True


def current(session: Session, work_id: int) -> Meta:
    """What a work without layers shows, which is its file's values."""
    row = session.execute(select(W.title, W.summary, W.language, W.complete,
                                 W.expected_chapters).where(W.id == work_id)).one()
    A, WA, T, WT = authors.c, work_authors.c, tags.c, links.c
    bylines = [author_display(p, login) for p, login in session.execute(
        select(A.pseud, A.login).join(work_authors, WA.author_id == A.id)
        .where(WA.work_id == work_id).order_by(WA.position))]
    refs = [TagRef(t, written or name, source, mentions)
            for t, name, written, source, mentions in session.execute(
                select(T.type, T.name, WT.written, WT.source, WT.mentions)
                .join(links, WT.tag_id == T.id).where(WT.work_id == work_id)
                .order_by(WT.position))]
    return Meta(row.title, row.summary, row.language, bool(row.complete),
                row.expected_chapters, bylines, refs)


def _write(session: Session, work_id: int, shown: Meta, known: Known) -> None:
    entry = CatalogEntry(source="", format="", title=shown.title, authors=shown.authors,
                         tags=shown.tags, rating_raw=None, language=shown.language,
                         summary=shown.summary, notes=None, published=None, updated=None,
                         expected_chapters=shown.expected_chapters, complete=shown.complete,
                         chapters=[])
    ensure_names(session, [entry], known)
    session.execute(update(works).where(W.id == work_id).values(
        title=shown.title, title_key=name_key(shown.title), summary=shown.summary,
        language=shown.language, complete=shown.complete,
        expected_chapters=shown.expected_chapters, modified_at=utcnow()))
    rows = child_rows(work_id, entry, known)
    conn = session.connection()
    for table in (WORK_AUTHORS, WORK_TAGS):
        session.execute(delete(table).where(table.c.work_id == work_id))
        insert_rows(conn, table, rows[table])
    texts = [(text, text_format) for text, text_format in session.execute(
        select(C.text, C.text_format).where(C.work_id == work_id).order_by(C.position))]
    fulltext.index(session, work_id, title=shown.title, summary=shown.summary,
                   tags=[t.name for t in shown.tags], chapters=texts)


def relay_all(session: Session, work_ids: Iterable[int], change: Change,
              known: Known) -> list[int]:
    """`relay` for each work; the ids whose layers changed."""
    return [work_id for work_id in work_ids if relay(session, work_id, change, known)]
