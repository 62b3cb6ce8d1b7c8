"""What the user keeps in the catalogue beside the works: the layers over each work's
file (`catalog.layers`), stored as one JSON row per work and layer, and reading status."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, delete, select
from sqlalchemy.orm import Session

from catalog import layers
from catalog.layers import Layer, Meta
from catalog.store.rows import insert_rows
from catalog.store.tables import reading, work_layers

L, R = work_layers.c, reading.c


def layers_of(session: Session | Connection, work_ids: Iterable[int]
              ) -> dict[int, dict[str, Any]]:
    """{work id: {layer name: data}} for the works that have layers ("file" included)."""
    found: dict[int, dict[str, Any]] = {}
    ids = list(work_ids)
    for start in range(0, len(ids), 500):
        for work_id, layer, data in session.execute(
                select(L.work_id, L.layer, L.data).where(L.work_id.in_(ids[start:start + 500]))):
            found.setdefault(work_id, {})[layer] = json.loads(data)
    return found


def user_layers(stored: Mapping[str, Any]) -> dict[str, Layer]:
    """The user's own layers of a work's stored rows (not the file's values)."""
    return {name: stored[name] for name in layers.ORDER if stored.get(name)}


def layer_rows(work_id: int, file_meta: Meta, laid: Mapping[str, Layer]) -> list[dict[str, Any]]:
    """The rows that keep `laid` over a work, with the file's values they cover."""
    if not laid:
        return []
    rows = [{"work_id": work_id, "layer": layers.FILE, "data": _dump(file_meta.to_json())}]
    rows += [{"work_id": work_id, "layer": name, "data": _dump(laid[name])}
             for name in layers.ORDER if laid.get(name)]
    return rows


def save(session: Session, work_id: int, file_meta: Meta, laid: Mapping[str, Layer]) -> None:
    """Replace a work's layer rows (none left when `laid` is empty)."""
    session.execute(delete(work_layers).where(L.work_id == work_id))
    insert_rows(session.connection(), work_layers, layer_rows(work_id, file_meta, laid))


def _dump(data: Mapping[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def reading_rows(work_id: int, status: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """The `reading` row of a restored status (none when the record has none)."""
    if status is None:
        return []
    return [{"work_id": work_id, "status": status["status"], "chapter": status["chapter"],
             "marked_at": status["marked"], "chapters_seen": status["chapters_seen"],
             "words_seen": status["words_seen"]}]


def save_reading(session: Session, work_id: int, status: Mapping[str, Any] | None) -> None:
    """Keep a restored status; a file's ingest (no status) leaves the stored one alone."""
    if status is None:
        return
    session.execute(delete(reading).where(R.work_id == work_id))
    session.execute(reading.insert(), reading_rows(work_id, status))
