"""A page with its count plans its query once: the tag lookups a plan needs are made for
the count and reused for the page."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection, event

from catalog import Catalogue
from catalog.query.compiler import Lookups, count, work_ids
from tests.factories import make_work, write_works

QUERY = 'fandom:btvs character:"willow rosenberg" -warning:mcd sort:-words'


@pytest.fixture
def cat(migrated: Path | str, tmp_path: Path) -> Iterator[Catalogue]:
    folder = write_works(tmp_path / "fic", {
        f"s{i}.txt": make_work(f"Words {i}.", title=f"S{i}", fandom="BtVS",
                               characters="Willow Rosenberg") for i in range(3)})
    with Catalogue.open(str(migrated)) as opened:
        opened.ingest([folder], jobs=1)
        yield opened


def _executed(cat: Catalogue, conn: Connection, plan: Callable[[], object]) -> int:
    """How many statements planning (compiling) a query ran: its lookups."""
    seen: list[str] = []

    def note(*args: object) -> None:
        seen.append(str(args[2]))

    event.listen(cat.engine, "before_cursor_execute", note)
    try:
        plan()
    finally:
        event.remove(cat.engine, "before_cursor_execute", note)
    return len(seen)


def test_the_count_and_the_page_share_their_lookups(cat: Catalogue) -> None:
    query = Catalogue.query(QUERY)
    with cat.connect() as conn:
        alone = _executed(cat, conn, lambda: work_ids(conn, query))
        lookups = Lookups()
        counted = _executed(cat, conn, lambda: count(conn, query, 10_000, lookups))
        paged = _executed(cat, conn, lambda: work_ids(conn, query, lookups))
    assert alone > 0 and counted > 0  # a plan looks tags and their works up …
    assert paged == 0  # … once for the count and the page together
    page = cat.page(QUERY, limit=2)
    assert page.total == 3 and [w.title for w in page.works] == ["S2", "S1"]
