"""A tag named in several scripts (`銀河英雄伝説 | Legend of the Galactic
Heroes`) is found by any one of its names, as AO3's autocomplete finds it."""

from __future__ import annotations

from tests.conftest import Cli
from tests.factories import make_work

LOGH = "銀河英雄伝説 | Legend of the Galactic Heroes"


def _ids(cli: Cli, query: str) -> list[int]:
    return [int(x) for x in cli("list", "--format", "ids", "--", query).stdout.split()]


def test_each_listed_name_finds_the_canonical_tags_works(cli: Cli, write) -> None:  # type: ignore[no-untyped-def]
    lib = write("lib/a.txt", make_work("Yang naps.", title="A", fandom=LOGH)).parent
    write("lib/b.txt", make_work("Other words.", title="B", fandom="Legend of Heroes"))
    write("lib/c.txt", make_work("More words.", title="C", fandom="Galactic Heroes 100%"))
    cli("ingest", str(lib))
    cli("tag", "canonical", LOGH)
    cli("tag", "canonical", "Legend of Heroes")
    assert _ids(cli, 'fandom:"Legend of the Galactic Heroes"') == [1]
    assert _ids(cli, "fandom:銀河英雄伝説") == [1]
    assert _ids(cli, f'fandom:"{LOGH}"') == [1]
    assert _ids(cli, "fandom:heroes") == []  # a whole listed name, not any word of it
    assert _ids(cli, 'fandom:"Legend of Heroes"') == [2]  # an exact name wins
    assert _ids(cli, 'fandom:"100%"') == []  # wildcards in the name are literal


def test_a_downloaded_works_listing_is_found_before_any_wrangling(cli: Cli, write) -> None:  # type: ignore[no-untyped-def]
    cli("ingest", str(write("a.txt", make_work("Yang naps.", title="A", fandom=LOGH))))
    assert _ids(cli, 'fandom:"Legend of the Galactic Heroes"') == [1]
    assert _ids(cli, 'character:"Legend of the Galactic Heroes"') == []
