"""The tags of any of several terms looked up together (how a blocklist is planned) are
exactly the union of each term's own lookup, on a catalogue with relationships in every
spelling, character synonyms, metatags and untyped names."""

from __future__ import annotations

import itertools

from catalog.catalogue import Catalogue
from catalog.wrangle.graph import tag_ids, tag_ids_union
from tests.conftest import Cli
from tests.factories import make_work

TERMS = [("relationship", "Willow/Spike"), ("relationship", "spike / WILLOW"),
         ("relationship", "Spike & Willow"), ("character", "Spike"), ("character", "Wills"),
         ("character", "Nobody Here"), (None, "spike"), (None, "Fluff"), (None, "btvs"),
         ("fandom", "Buffyverse"), ("fandom", "Buffy the Vampire Slayer"),
         ("freeform", "Fluff"), ("warning", "Major Character Death"), (None, "Angel"),
         ("relationship", "Buffy/Spike/Angel"), ("fandom", "Legend of the Galactic Heroes")]


def test_the_union_lookup_equals_each_terms_lookup(cli: Cli, write) -> None:  # type: ignore[no-untyped-def]
    stories = {"a": {"relationship": "Spike/Willow Rosenberg", "tags": "Fluff"},
               "b": {"relationship": "Willow/Spike, Spike & Willow", "fandom": "BtVS"},
               "c": {"relationship": "Buffy/Spike/Angel", "characters": "Angel",
                     "fandom": "銀河英雄伝説 | Legend of the Galactic Heroes"},
               "d": {"characters": "William the Bloody", "warning": "MCD"}}
    for name, fields in stories.items():
        lib = write(f"lib/{name}.txt", make_work(f"Words {name}.", title=name, **fields)).parent
    cli("ingest", str(lib))
    cli("tag", "parent", "Fluff", "Soft Things (Meta)")
    with Catalogue.open(str(cli.db)) as cat, cat.connect() as conn:
        for size in (1, 2, 3, len(TERMS)):
            for chosen in itertools.islice(itertools.combinations(TERMS, size), 60):
                alone = set().union(*(tag_ids(conn, t, n) for t, n in chosen))
                assert tag_ids_union(conn, chosen) == alone, chosen
