"""The most used tags: the whole catalogue's answer (from the kept tag counts, read down
the (type, work_count) index) agrees with counting the links of every matching work, through
synonyms, ties at the cut and tags no work uses any more."""

from __future__ import annotations

import random
from pathlib import Path

from catalog.catalogue import Catalogue
from tests.factories import make_work, write_works


def test_kept_counts_and_counted_links_agree(db_path: Path, tmp_path: Path) -> None:
    rng = random.Random(7)
    characters = [f"Person {i}" for i in range(14)]
    works = {}
    for n in range(60):
        chosen = rng.sample(characters, rng.randint(1, 4))
        works[f"{n}.txt"] = make_work(f"Words {n}.", title=f"W{n}", fandom="BtVS",
                                      characters=", ".join(chosen),
                                      tags=", ".join(rng.sample(["Fluff", "Angst", "Fix-It",
                                                                 "Fluffy"], 2)))
    lib = Catalogue(str(db_path))
    lib.ingest([write_works(tmp_path / "works", works)])
    lib.synonym("Person 1", "Person 0", type="character")  # often both on one work
    lib.synonym("Person 2", "Person 0", type="character")
    lib.synonym("Fluffy", "Fluff", type="freeform")
    lib.remove([3, 4])
    for top in (1, 3, 5, 10):
        whole = lib.stats(top=top)["top"]
        counted = lib.stats("words:>=0", top=top)["top"]  # every work, counted by links
        assert whole == counted, top
        assert lib.facets(top=top)["top"] == whole
    names = [t["name"] for t in lib.stats(top=3)["top"]["characters"]]
    assert "Person 0" in names and "Person 1" not in names and "Person 2" not in names
