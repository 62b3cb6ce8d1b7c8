"""A run's links go in with each tag's count added once (`catalog.store.links`): the counts
stay those of the links, on both backends, when the run lands and when it is refused."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Connection, func, insert, select
from sqlalchemy.exc import IntegrityError

from catalog.catalogue import Catalogue
from catalog.store.links import insert_links
from catalog.store.tables import links_uncounted, tags, work_tags, works
from tests.conftest import Cli


def _link(work_id: int, tag_id: int) -> dict[str, Any]:
    return {"work_id": work_id, "tag_id": tag_id, "source": "edit", "position": 9,
            "mentions": None, "written": None}


def _counts(conn: Connection, *names: str) -> list[int]:
    found = dict(conn.execute(select(tags.c.name, tags.c.work_count)
                              .where(tags.c.name.in_(names))).all())
    return [found[name] for name in names]


def _drifted(conn: Connection) -> list[Any]:
    """Tags whose count is not their number of links."""
    real = (select(func.count()).select_from(work_tags)
            .where(work_tags.c.tag_id == tags.c.id).scalar_subquery())
    return list(conn.execute(select(tags.c.name).where(tags.c.work_count != real)))


@pytest.fixture
def three(cli: Cli, tmp_path: Any) -> tuple[Catalogue, list[int], dict[str, int]]:
    for name, tagged in (("a", "Fluff"), ("b", "Angst"), ("c", "")):
        (tmp_path / f"{name}.txt").write_text(f"Title: {name}\nTags: {tagged}\n\nText {name}.\n")
    cli("ingest", str(tmp_path))
    lib = Catalogue(str(cli.db))
    with lib.connect() as conn:
        ids = list(conn.scalars(select(works.c.id).order_by(works.c.title)))
        tag_ids = dict(conn.execute(select(tags.c.name, tags.c.id)
                                    .where(tags.c.name.in_(["Fluff", "Angst"]))).all())
    return lib, ids, tag_ids


def test_a_run_of_links_adds_each_tags_count_once(three: Any) -> None:
    lib, (a, b, c), tag = three
    with lib.engine.begin() as conn:
        assert _counts(conn, "Fluff", "Angst") == [1, 1]
        insert_links(conn, [_link(a, tag["Angst"]), _link(b, tag["Fluff"]),
                            _link(c, tag["Fluff"]), _link(c, tag["Angst"])])
        assert _counts(conn, "Fluff", "Angst") == [3, 3]
        assert conn.scalar(select(func.count()).select_from(links_uncounted)) == 0
    with lib.engine.begin() as conn:
        assert _counts(conn, "Fluff", "Angst") == [3, 3] and _drifted(conn) == []
    lib.dispose()


def test_a_refused_run_leaves_the_counts_and_the_trigger_as_they_were(three: Any) -> None:
    lib, (a, b, c), tag = three
    with lib.engine.begin() as conn:
        savepoint = conn.begin_nested()
        with pytest.raises(IntegrityError):  # a's Fluff link is there already
            insert_links(conn, [_link(c, tag["Fluff"]), _link(a, tag["Fluff"])])
        savepoint.rollback()
        assert conn.scalar(select(func.count()).select_from(links_uncounted)) == 0
        assert _counts(conn, "Fluff", "Angst") == [1, 1]
        # A link added any other way is counted by the trigger, which is in force again.
        conn.execute(insert(work_tags).values(_link(b, tag["Fluff"])))
        assert _counts(conn, "Fluff", "Angst") == [2, 1] and _drifted(conn) == []
    lib.dispose()


def test_a_bulk_ingest_counts_every_tag_as_its_links(cli: Cli, tmp_path: Any) -> None:
    # 150 works in runs of new works (one update per tag each run), sharing tags unevenly.
    for i in range(150):
        tagged = ", ".join(f"Tag {j}" for j in range(i % 7 + 1))
        (tmp_path / f"w{i:03d}.txt").write_text(f"Title: W{i}\nTags: {tagged}\n\nText {i}.\n")
    cli("ingest", str(tmp_path))
    lib = Catalogue(str(cli.db))
    with lib.connect() as conn:
        assert _counts(conn, "Tag 0", "Tag 6") == [150, 21]
        assert _drifted(conn) == []
    lib.dispose()
