"""`catalog series`: series as a unit, parts in order, missing parts, words, complete."""

from __future__ import annotations

import json

from tests.conftest import Cli
from tests.factories import make_work


def test_series_with_parts_in_order_and_the_missing_ones(cli: Cli, write) -> None:  # type: ignore[no-untyped-def]
    works = {"c": ("Dark Willow [3]", "Words of c here."), "a": ("Part 1 of Dark Willow",
                                                                 "Words a."),
             "x": ("Other Series", "Words of x."), "e": ("Dark Willow (Part 5)", "Words e.")}
    for name, (series, text) in works.items():
        lib = write(f"lib/{name}.txt", make_work(text, title=name.upper(), series=series,
                                                 fandom="BtVS")).parent
    cli("ingest", str(lib))
    found = json.loads(cli("series", "--format", "json").stdout)
    assert [s["name"] for s in found] == ["Dark Willow", "Other Series"]
    dark = found[0]
    assert [(p["part"], p["title"]) for p in dark["parts"]] == [(1, "A"), (3, "C"), (5, "E")]
    assert dark["missing"] == [2, 4] and dark["complete"] is False
    assert dark["words"] == sum(p["words"] for p in dark["parts"])
    table = cli("series").stdout
    assert "missing parts 2, 4" in table and "3 parts" in table
    cli("edit", "3", "--complete", "no")  # E
    assert "(in progress)" in cli("series").stdout
    cli("block", "add", "title:c")
    assert json.loads(cli("series", "--format", "json").stdout)[0]["works"] == 2
    assert json.loads(cli("series", "--format", "json", "--no-block", "--", "series:dark")
                      .stdout)[0]["works"] == 3
