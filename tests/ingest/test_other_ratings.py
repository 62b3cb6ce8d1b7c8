"""Ratings from other systems on the way in: Twisting the Hellmouth's FR ratings, mixed
ratings (the strictest named one wins), and a notice naming a rating nothing maps."""

from __future__ import annotations

import json

from tests.conftest import Cli
from tests.factories import make_work


def test_fr_and_mixed_ratings_map_and_an_unknown_one_gets_a_notice(cli: Cli, write) -> None:  # type: ignore[no-untyped-def]
    written = {"a": "FR13", "b": "FR15", "c": "FR21", "d": "PG-13/R", "e": "Spicy"}
    for name, rating in written.items():
        lib = write(f"lib/{name}.txt", make_work(f"Words of {name}.", title=name,
                                                 rating=rating)).parent
    done = cli("ingest", str(lib), "--format", "json")
    notices = {r["title"]: r.get("notice") for r in json.loads(done.stdout)}
    assert notices == {"a": None, "b": None, "c": None, "d": None, "e": (
        "rating 'Spicy' is not one AO3 knows: Not Rated, the value kept (map it: "
        "catalog tag synonym 'Spicy' RATING --type rating)")}
    assert done.stderr.count("notice:") == 1  # for the reader, beside the records
    shown = {r["title"]: (r["rating"], r.get("rating_raw")) for r in cli.records()}
    assert shown == {"a": ("Teen And Up Audiences", "FR13"), "b": ("Mature", "FR15"),
                     "c": ("Explicit", "FR21"), "d": ("Mature", "PG-13/R"),
                     "e": ("Not Rated", "Spicy")}


def test_the_notice_is_one_line_on_stderr_and_not_repeated_for_an_unchanged_file(
        cli: Cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write("e.txt", make_work("Words.", title="E", rating="Spicy\x1b[31m"))
    first = cli("ingest", str(path))
    lines = [line for line in first.stderr.splitlines() if line.startswith("notice:")]
    assert len(lines) == 1 and "\x1b" not in lines[0] and str(path) in lines[0]
    assert "notice:" not in cli("ingest", str(path)).stderr
