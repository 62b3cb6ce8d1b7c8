"""`catalog show ID` in AO3's blurb order, the order the served work page uses: heading
and byline, fandoms, the required tags, warnings, relationships, characters, additional
tags, summary, series, the stats; then notes, chapters and where the record came from."""

from __future__ import annotations

import re
from typing import Any

from starlette.testclient import TestClient

from catalog.catalogue import Catalogue
from catalog.server.app import create_app
from tests.conftest import Cli


def _work(db: str, title: str) -> dict[str, Any]:
    lib = Catalogue(db)
    work = next(w for w in lib.works(texts=False) if w["title"].startswith(title))
    lib.dispose()
    return dict(work)


def _in_order(text: str, values: list[str]) -> list[int]:
    return [text.index(v) for v in values]


def _values(work: dict[str, Any]) -> list[str]:
    return [work["title"], work["authors"][0], work["fandoms"][0], work["warnings"][0],
            work["relationships"][0], work["characters"][0], work["freeform"][0],
            work["summary"].split()[0], f"Part {work['series'][0]['part']} of",
            f"{work['words']:,}"]


def test_the_terminal_page_follows_the_blurb_and_the_served_page(corpus_db: str) -> None:
    work = _work(corpus_db, "Keep the Home Fires")
    page = Cli(corpus_db)("show", str(work["id"])).stdout
    lines = page.splitlines()
    assert lines[0].startswith(f"#{work['id']} Keep the Home Fires (Burning) by natsinator")
    assert lines[1].strip() == work["fandoms"][0]
    assert lines[2].startswith("T?✓  Teen And Up Audiences · F/M, M/M, Multi · Complete Work")
    flat = " ".join(page.split())
    shown = _in_order(flat, [" ".join(v.split()) for v in _values(work)])
    assert shown == sorted(shown)
    assert flat.index("Series Part 7 of A Wheel Inside a Wheel") < flat.index("Words 32,900") \
        < flat.index("Chapter 1 With Your Grandfather") < flat.index("Source ")
    lib = Catalogue(corpus_db)
    with TestClient(create_app(lib)) as client:
        html = client.get(f"/works/{work['id']}").text
    lib.dispose()
    served = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#39;", "'")
    on_web = _in_order(served, [" ".join(v.split()) for v in _values(work)])
    assert on_web == sorted(on_web)  # the same order on the web page


def test_the_page_marks_where_values_came_from(cli: Cli, write: Any) -> None:
    path = write("s.txt", "Title: Mine\nRating: PG-13\nFandom: BtVS\n\nWords here.\n")
    cli("ingest", str(path), "--character", "Dawn Summers")
    cli("edit", "1", "--summary", "Better.", "--complete", "no")
    page = cli("show", "1").stdout
    assert "Teen And Up Audiences (written as 'PG-13')" in page
    assert "Dawn Summers (given)" in page and "Work in Progress (edited)" in page
    assert "Better. (edited)" in page
