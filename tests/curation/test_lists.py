"""Saved searches (`@NAME`) and the blocklist: stored in the catalogue, aware of tag
wrangling, applied to listings and totals but never to access by id."""

from __future__ import annotations

import json

from tests.conftest import Cli
from tests.factories import make_work

WORKS = {
    "a": {"fandom": "Buffy the Vampire Slayer", "characters": "Riley Finn",
          "tags": "Fluff", "rating": "Teen"},
    "b": {"fandom": "Angel: the Series", "characters": "Riley Finn", "tags": "Fluff",
          "rating": "Teen"},
    "c": {"fandom": "Buffy the Vampire Slayer", "characters": "Willow Rosenberg",
          "tags": "Angst", "warning": "Major Character Death", "rating": "Mature"},
    "d": {"fandom": "btvs", "characters": "Xander Harris", "tags": "fluffy fluff",
          "rating": "General Audiences"},
}


def _ingest(cli: Cli, write) -> None:  # type: ignore[no-untyped-def]
    for name, fields in WORKS.items():
        lib = write(f"lib/{name}.txt", make_work(f"Words of {name} here.", title=name,
                                                 **fields)).parent
    cli("ingest", str(lib))


def _titles(cli: Cli, *args: str) -> list[str]:
    return [r["title"] for r in json.loads(cli("list", "--format", "json", *args).stdout)]


def test_saved_searches_expand_anywhere_in_a_query(cli: Cli, write) -> None:  # type: ignore[no-untyped-def]
    _ingest(cli, write)
    assert cli("search", "save", "comfort", "tag:fluff", "-warning:mcd").stdout == \
        "saved @comfort\n"
    cli("search", "save", "buffy", "fandom:btvs")
    assert _titles(cli, "--", "@comfort") == ["a", "b"]
    assert _titles(cli, "--", "@comfort @buffy") == ["a"]
    assert _titles(cli, "--", "-@comfort rating:<=teen") == ["d"]
    assert _titles(cli, "--", "@Comfort OR character:willow") == ["a", "b", "c"]
    assert cli("search", "save", "comfort", "tag:fluff").stdout == "replaced @comfort\n"
    listed = json.loads(cli("search", "list", "--format", "json").stdout)
    assert [(s["name"], s["query"]) for s in listed] == [("buffy", "fandom:btvs"),
                                                         ("comfort", "tag:fluff")]
    assert cli("search", "list").stdout.splitlines() == ["@buffy  fandom:btvs",
                                                         "@comfort  tag:fluff"]


def test_unknown_names_and_loops_are_clear_errors(cli: Cli, write) -> None:  # type: ignore[no-untyped-def]
    _ingest(cli, write)
    bad = cli("list", "--", "@nothing", ok=False)
    assert bad.exit_code != 0 and "no saved search @nothing" in bad.stderr
    assert "catalog search list" in bad.stderr
    cli("search", "save", "one", "tag:fluff")
    cli("search", "save", "two", "@one rating:teen")
    loop = cli("search", "save", "one", "@two", ok=False)
    assert "saved search @one refers to itself (@one -> @two -> @one)" in loop.stderr
    assert "@one" in cli("search", "list").stdout  # unchanged
    used = cli("search", "remove", "one", ok=False)
    assert "@one is still used: saved search @two would break" in used.stderr
    assert cli("search", "remove", "two").stdout == "removed @two\n"
    assert cli("search", "remove", "one").stdout == "removed @one\n"
    assert "no saved search @one" in cli("search", "remove", "one", ok=False).stderr
    assert "cannot name a saved search" in cli("search", "save", "a b", "x", ok=False).stderr


def test_the_blocklist_hides_from_listings_and_totals_not_from_access(cli: Cli, write) -> None:  # type: ignore[no-untyped-def]
    _ingest(cli, write)
    assert cli("block", "add", "warning:mcd").stdout == "blocked: entry 1\n"
    cli("block", "add", "fandom:btvs", "character:riley")  # Riley only in BtVS
    assert _titles(cli) == ["b", "d"]
    assert _titles(cli, "--no-block") == ["a", "b", "c", "d"]
    caption = cli("list").stdout
    assert "1–2 of 2 works (2 hidden by the blocklist; --no-block shows them)" in caption
    stats = json.loads(cli("stats", "--format", "json").stdout)
    assert stats["works"] == 2
    counts = {r["name"]: r["works"] for r in
              json.loads(cli("tags", "--type", "character", "--format", "json").stdout)}
    assert counts == {"Riley Finn": 1, "Xander Harris": 1}
    assert json.loads(cli("show", "3", "--format", "json").stdout)["title"] == "c"
    assert cli("edit", "--where", "tag:angst", "--add", "freeform:Seen").stdout == \
        "edited 1 work\n"  # a blocked work is still curated
    assert len(cli("export", "--no-texts").stdout.splitlines()) == 4  # a copy: all
    assert len(cli("export", "--no-texts", "--block").stdout.splitlines()) == 2
    listed = json.loads(cli("block", "list", "--format", "json").stdout)
    assert [(b["id"], b["query"], b["works"]) for b in listed] == [
        (1, "warning:mcd", 1), (2, "fandom:btvs character:riley", 1)]
    assert cli("block", "remove", "1").stdout == "unblocked: entry 1 (warning:mcd)\n"
    assert _titles(cli) == ["b", "c", "d"]
    assert cli("block", "add", "tag:crack").stdout == "blocked: entry 3\n"  # ids stay
    assert "no block 1 (the blocklist has: 2, 3)" in cli("block", "remove", "1",
                                                           ok=False).stderr


def test_blocking_follows_synonyms_and_metatags_made_later(cli: Cli, write) -> None:  # type: ignore[no-untyped-def]
    _ingest(cli, write)
    cli("tag", "canonical", "Fluff")
    cli("block", "add", "tag:fluff")
    assert _titles(cli) == ["c", "d"]
    cli("tag", "synonym", "fluffy fluff", "Fluff")  # d's tag is now Fluff too
    assert _titles(cli) == ["c"]
    cli("block", "remove", "1")
    cli("block", "add", 'freeform:"Feelings (Genre)"')
    cli("tag", "parent", "Angst", "Feelings (Genre)")
    assert _titles(cli) == ["a", "b", "d"]
    assert "hidden" not in cli("list", "--", "fandom:angel").stdout


def _drift(cli: Cli) -> tuple[int, int]:
    from catalog.catalogue import Catalogue
    from catalog.curate.blocking import drift

    with Catalogue.open(str(cli.db)) as cat, cat.connect() as conn:
        return drift(conn)


def test_the_works_marked_blocked_follow_every_write(cli: Cli, write) -> None:  # type: ignore[no-untyped-def]
    _ingest(cli, write)
    cli("block", "add", "tag:crossover")
    cli("block", "add", "reading:dropped")
    assert _drift(cli) == (0, 0) and _titles(cli) == ["a", "b", "c", "d"]
    cli("ingest", str(write("more/e.txt", make_work("Words e.", title="e",
                                                    tags="Crossover"))))
    assert _titles(cli) == ["a", "b", "c", "d"] and _drift(cli) == (0, 0)
    cli("edit", "1", "--add", "freeform:Crossover")
    assert _titles(cli) == ["b", "c", "d"]
    cli("mark", "2", "dropped")
    assert _titles(cli) == ["c", "d"]
    cli("mark", "2", "none")
    cli("tag", "synonym", "fluffy fluff", "Crossover")  # d's tag now means Crossover
    assert _titles(cli) == ["b", "c"] and _drift(cli) == (0, 0)
    cli("search", "save", "gloom", "tag:angst")
    cli("block", "add", "@gloom")
    assert _titles(cli) == ["b"]
    cli("search", "save", "gloom", "tag:nothing-like-this")  # the block follows the search
    assert _titles(cli) == ["b", "c"] and _drift(cli) == (0, 0)


def test_db_check_finds_and_repairs_blocked_marks_out_of_date(cli: Cli, write) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    from catalog.catalogue import Catalogue

    _ingest(cli, write)
    cli("block", "add", "tag:fluff")
    with Catalogue.open(str(cli.db)) as cat, cat.writer.begin() as conn:
        conn.execute(text("UPDATE works SET blocked = false"))
    assert _titles(cli) == ["a", "b", "c", "d"]  # what the kept set says
    found = cli("db", "check", ok=False)
    assert "the works marked blocked are out of date: 2 the blocklist matches are not marked" \
        in found.stdout
    assert "recomputed the works the blocklist leaves out" in cli("db", "check",
                                                                  "--repair").stdout
    assert _titles(cli) == ["c", "d"] and _drift(cli) == (0, 0)
