"""Reading status: `catalog mark`, `reading:` in queries, and works that grew since they
were marked read (`reading:updated`), cleared by marking again."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Cli
from tests.curation.test_user_layers import FIRE, older_download, shown
from tests.factories import exported_works, make_work


def _ids(cli: Cli, query: str) -> list[int]:
    return [int(x) for x in cli("list", "--format", "ids", "--", query).stdout.split()]


def test_mark_and_find_by_status(cli: Cli, write) -> None:  # type: ignore[no-untyped-def]
    for name in "abcd":
        lib = write(f"lib/{name}.txt", make_work(f"Words of {name}.", title=name)).parent
    cli("ingest", str(lib))
    assert cli("mark", "1", "2", "later").stdout == "marked later: 2 works\n"
    assert cli("mark", "3", "reading", "--chapter", "1").stdout == "marked reading: 1 work\n"
    assert _ids(cli, "reading:later") == [1, 2]
    assert _ids(cli, "reading:later,reading") == [1, 2, 3]
    assert _ids(cli, "reading:none") == [4]
    assert _ids(cli, "-reading:none") == [1, 2, 3]
    status = shown(cli, 3)["reading"]
    assert status["status"] == "reading" and status["chapter"] == 1
    assert "reading (marked " in cli("show", "3").stdout
    assert cli("mark", "1", "none").stdout == "cleared: 1 work\n"
    assert shown(cli, 1)["reading"] is None
    bad = cli("mark", "1", "9", "read", ok=False)
    assert "no work with id 9; nothing was marked" in bad.stderr
    assert "the last argument is the status" in cli("mark", "1", "finished", ok=False).stderr
    assert "work 3 has 1 chapter" in cli("mark", "3", "read", "--chapter", "4",
                                         ok=False).stderr
    assert "unknown reading status 'soon'" in cli("list", "--", "reading:soon",
                                                  ok=False).stderr


def test_a_wip_that_updated_since_it_was_read_is_flagged(cli: Cli, tmp_path: Path) -> None:
    cli("ingest", str(older_download(tmp_path / "then")))
    cli("mark", "1", "read")
    assert _ids(cli, "reading:updated") == []
    cli("ingest", str(FIRE))  # chapter 3 posted
    assert _ids(cli, "reading:updated") == [1]
    assert "1 new chapter since you marked it" in cli("show", "1").stdout
    dump = cli("export").stdout
    assert exported_works(dump)[0]["reading"]["chapters_seen"] == 2
    cli("mark", "1", "read")
    assert _ids(cli, "reading:updated") == []
    assert "new chapter" not in cli("show", "1").stdout


def test_series_match_part_of_the_name_as_title_does(cli: Cli, write) -> None:  # type: ignore[no-untyped-def]
    lib = write("lib/a.txt", make_work("Words a.", title="A", series="Dark Wíllow Saga")).parent
    write("lib/b.txt", make_work("Words b.", title="B", series="The Light"))
    cli("ingest", str(lib))
    assert _ids(cli, "series:willow") == [1]  # case and accents ignored
    assert _ids(cli, 'series:"dark willow"') == [1]
    assert _ids(cli, "series:light") == [2]
    assert _ids(cli, "series:%") == []  # a wildcard is a literal
