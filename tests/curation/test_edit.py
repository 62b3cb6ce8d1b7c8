"""`catalog edit`: the user's layer wins over the file, survives re-ingest and newer
downloads, is marked by `show`, and `--reset` brings the file's values back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conftest import Cli
from tests.curation.test_user_layers import FIRE, older_download, shown
from tests.factories import make_work


def _ids(cli: Cli, query: str) -> list[int]:
    return [int(x) for x in cli("list", "--format", "ids", "--", query).stdout.split()]


def _story(write, name: str = "a", **fields: str) -> Path:  # type: ignore[no-untyped-def]
    defaults = {"title": "From File", "rating": "Teen", "fandom": "BtVS",
                "tags": "Fluff, Angst", "warning": "No Archive Warnings Apply"}
    return write(f"lib/{name}.txt", make_work(f"Willow reads {name}.", **(defaults | fields)))


def test_an_edit_wins_and_show_marks_it(cli: Cli, write) -> None:  # type: ignore[no-untyped-def]
    cli("ingest", str(_story(write)))
    done = cli("edit", "1", "--title", "Mine Now", "--rating", "explicit",
               "--add", "character:Dawn Summers", "--remove", "freeform:fluff",
               "--complete", "no", "--summary", "Better.")
    assert done.stdout == "edited 1 work\n"
    work = shown(cli)
    assert (work["title"], work["rating"], work["summary"]) == ("Mine Now", "Explicit", "Better.")
    assert work["characters"] == ["Dawn Summers"] and work["freeform"] == ["Angst"]
    assert work["complete"] is False and work["expected_chapters"] is None
    assert work["edits"]["edit"] == {
        "title": "Mine Now", "rating": "Explicit", "complete": False, "summary": "Better.",
        "add": [["character", "Dawn Summers"]], "remove": [["freeform", "fluff"]]}
    assert work["edits"]["file"]["title"] == "From File"
    page = cli("show", "1").stdout
    assert "#1 Mine Now (edited)" in page and "Explicit (edited)" in page
    assert "Dawn Summers (edited)" in page and "Fluff" not in page
    table = cli("show", "1", "--provenance").stdout
    assert "Fluff" in table and "file, hidden by edit" in table
    rows = {tuple(cell.strip() for cell in row.split("│")[1:4]) for row in table.splitlines()
            if row.startswith("│")}
    assert ("title", "Mine Now", "edit") in rows and ("fandom", "BtVS", "file") in rows
    assert _ids(cli, "rating:explicit") == [1] and _ids(cli, "tag:fluff") == []
    assert _ids(cli, '"mine now"') == [1]  # the full-text index has the new title


def test_an_edit_survives_reingest_and_a_newer_download(cli: Cli, tmp_path: Path) -> None:
    older = older_download(tmp_path / "then")
    cli("ingest", str(older))
    cli("edit", "1", "--title", "Fire (my copy)", "--add", "freeform:Reread Soon",
        "--remove", "character:Original Characters")
    assert "unchanged 1" in cli("ingest", str(older)).stderr
    assert "updated 1" in cli("ingest", str(FIRE)).stderr  # chapter 3 was posted
    work = shown(cli)
    assert work["chapters"] == 3 and work["title"] == "Fire (my copy)"
    assert "Reread Soon" in work["freeform"] and work["characters"] == []


def test_reset_brings_back_the_files_values(cli: Cli, write) -> None:  # type: ignore[no-untyped-def]
    path = _story(write)
    cli("ingest", str(path), "--character", "Xander Harris")
    cli("edit", "1", "--title", "Mine", "--remove", "freeform:Fluff", "--add", "fandom:Angel")
    cli("edit", "1", "--reset", "title")
    work = shown(cli)
    assert work["title"] == "From File" and work["freeform"] == ["Angst"]
    cli("edit", "1", "--reset", "freeform")
    assert shown(cli)["freeform"] == ["Fluff", "Angst"]
    assert shown(cli)["fandoms"] == ["BtVS", "Angel"]
    cli("edit", "1", "--reset", "all")
    work = shown(cli)
    assert work["fandoms"] == ["BtVS"] and work["characters"] == []  # the option went too
    assert work["edits"] is None
    assert "unchanged 1" in cli("ingest", str(path)).stderr


def test_many_works_at_once_by_id_or_query(cli: Cli, write) -> None:  # type: ignore[no-untyped-def]
    for name, rating in (("a", "Teen"), ("b", "Mature"), ("c", "Mature")):
        cli("ingest", str(_story(write, name, title=name, rating=rating)))
    assert cli("edit", "1", "2", "--add", "freeform:Reread").stdout == "edited 2 works\n"
    out = cli("edit", "--where", "rating:mature", "--add", "freeform:Reread").stdout
    assert out == "edited 1 work; 1 already so\n"
    assert _ids(cli, "tag:reread") == [1, 2, 3]


def test_a_bad_edit_changes_nothing_and_says_why(cli: Cli, write) -> None:  # type: ignore[no-untyped-def]
    cli("ingest", str(_story(write)))
    before = shown(cli)
    for args, why in ((["1", "99", "--title", "X"], "no work with id 99; nothing was edited"),
                      (["1", "--add", "ship"], "write TYPE:TAG"),
                      (["1", "--add", "warning:sad"], "unknown archive warning 'sad'"),
                      (["1", "--rating", "Spicy"], "unknown rating 'Spicy'"),
                      (["1", "--reset", "colour"], "--reset 'colour': reset one of"),
                      (["1"], "nothing to change")):
        bad = cli("edit", *args, ok=False)
        assert bad.exit_code != 0 and why in bad.stderr, (args, bad.stderr)
    assert shown(cli) == before


def test_edits_and_options_round_trip_through_an_export(cli: Cli, write, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import new_database

    path = _story(write)
    cli("ingest", str(path), "--character", "Xander Harris")
    cli("edit", "1", "--title", "Mine", "--remove", "freeform:Fluff")
    dump = cli("export").stdout
    restored = Cli(new_database(tmp_path / "restored.db"))
    restored("ingest", "-", input=dump)
    assert restored("export").stdout == dump
    page: dict[str, Any] = json.loads(restored("show", "1", "--format", "json").stdout)
    assert page["title"] == "Mine" and page["characters"] == ["Xander Harris"]
    restored("edit", "1", "--reset", "all")
    again = json.loads(restored("show", "1", "--format", "json").stdout)
    assert again["title"] == "From File" and again["freeform"] == ["Fluff", "Angst"]
    assert again["characters"] == []
