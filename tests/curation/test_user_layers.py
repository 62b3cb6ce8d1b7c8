"""What the user gave at ingest is their data: a re-ingest of the same file, or a newer
download of the same AO3 work, refreshes what the file says and keeps it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from alembic import command
from sqlalchemy import text

from catalog.catalogue import Catalogue
from catalog.layers import Layer
from catalog.store.engine import make_engine
from catalog.store.migrate import alembic_config
from tests.conftest import SHARED, Cli
from tests.factories import make_work

FIRE = SHARED / "corpus" / "ao3-html" / "nianeyna_fire-and-feather_wip.html"


def older_download(folder: Path) -> Path:
    """The same AO3 work as it was before its third chapter was posted."""
    html = FIRE.read_text(encoding="utf-8")
    start = html.index('<div class="meta group">', html.index("Chapter 2:"))
    end = html.index('</div>\n\n<div id="afterword">')
    older = (html[:start] + html[end:]).replace("Chapters: 3/?", "Chapters: 2/?")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "fire-and-feather.html"
    path.write_text(older, encoding="utf-8")
    return path


def shown(cli: Cli, work_id: int = 1) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(cli("show", str(work_id), "--format", "json").stdout)
    return result


def layers(cli: Cli, work_id: int = 1) -> dict[str, Layer]:
    with Catalogue.open(str(cli.db)) as cat, cat.connect() as conn:
        return {layer: json.loads(data) for layer, data in conn.execute(text(
            "SELECT layer, data FROM work_layers WHERE work_id = :id"), {"id": work_id})}


def test_options_given_at_ingest_survive_a_plain_reingest(cli: Cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write("a.txt", make_work("Willow reads.", title="From File", rating="Teen",
                                    fandom="BtVS"))
    cli("ingest", str(path), "--character", "Xander Harris", "--title", "Given Title",
        "--rating", "Mature", "--tag", "Fluff")
    again = cli("ingest", str(path))
    assert "unchanged 1" in again.stderr
    work = shown(cli)
    assert work["title"] == "Given Title" and work["rating"] == "Mature"
    assert work["characters"] == ["Xander Harris"] and work["freeform"] == ["Fluff"]
    assert {t["name"] for t in work["user_tags"]} == {"Xander Harris", "Fluff", "Mature"}
    # the file changes: its part is refreshed, the user's stays
    path.write_text(make_work("Willow reads more.", title="New File Title", rating="Teen",
                              fandom="BtVS", characters="Dawn Summers"), encoding="utf-8")
    assert "updated 1" in cli("ingest", str(path)).stderr
    work = shown(cli)
    assert work["title"] == "Given Title" and work["rating"] == "Mature"
    assert work["characters"] == ["Dawn Summers", "Xander Harris"]
    assert layers(cli)["file"]["title"] == "New File Title"


def test_a_second_ingest_with_options_adds_to_the_first(cli: Cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write("a.txt", make_work("Willow reads.", title="A"))
    cli("ingest", str(path), "--fandom", "Angel: the Series")
    assert "updated 1" in cli("ingest", str(path), "--fandom", "Firefly").stderr
    assert shown(cli)["fandoms"] == ["Angel: the Series", "Firefly"]
    assert "unchanged 1" in cli("ingest", str(path), "--fandom", "Firefly").stderr


def test_a_newer_download_of_the_same_ao3_work_keeps_what_the_user_gave(
        cli: Cli, tmp_path: Path) -> None:
    older = older_download(tmp_path / "then")
    cli("ingest", str(older), "--character", "Kaia Fletcher", "--tag", "Reread")
    before = shown(cli)
    assert before["chapters"] == 2 and before["ao3_id"] == 218676
    done = cli("ingest", str(FIRE))
    assert "updated 1" in done.stderr
    after = shown(cli)
    assert after["id"] == 1 and after["chapters"] == 3
    assert after["characters"] == ["Original Characters", "Kaia Fletcher"]
    assert "Reread" in after["freeform"]
    assert after["words"] > before["words"]


def test_upgrading_moves_tags_given_at_ingest_into_the_user_layer(cli: Cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write("a.txt", make_work("Willow reads.", title="A", fandom="BtVS"))
    cli("ingest", str(path), "--character", "Xander Harris", "--rating", "Mature")
    url = Catalogue(str(cli.db)).url
    engine = make_engine(url, immediate=True, foreign_keys=False)  # as `db upgrade` runs
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0006")  # as the previous release left it
    engine.dispose()
    with Catalogue.open(str(cli.db)) as cat, cat.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM work_tags WHERE source = 'user'")) == 2
    cli("db", "upgrade")
    assert layers(cli) == {
        "user": {"add": [["character", "Xander Harris"]], "rating": "Mature"},
        "file": {"title": "A", "summary": None, "language": None, "complete": True,
                 "expected_chapters": 1, "authors": [],
                 "tags": [["rating", "Not Rated", "file", None],
                          ["warning", "Creator Chose Not To Use Archive Warnings", "file",
                           None],
                          ["fandom", "BtVS", "file", None]]}}
    assert "unchanged 1" in cli("ingest", str(path)).stderr
    path.write_text(make_work("Willow reads on.", title="A", fandom="BtVS"), encoding="utf-8")
    assert "updated 1" in cli("ingest", str(path)).stderr
    work = shown(cli)
    assert work["characters"] == ["Xander Harris"] and work["rating"] == "Mature"
