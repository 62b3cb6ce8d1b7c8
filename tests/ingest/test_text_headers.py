"""Texts as writers really wrote them: YAML front matter from a LiveJournal-era archive (the
shared corpus, read in place) and old mailing-list headers in legacy encodings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import SHARED, Cli, new_database
from tests.factories import exported_works

CORPUS = SHARED / "corpus" / "text-headers"
PREFIX = "antennapedia_btvs_"
MANIFEST = {
    "ge_antique_roman_quirks_and_remnants.md.txt": dict(
        title="Quirks and Remnants", published="2008-05-26", rating="Mature",
        relationships=["giles/ethan"], characters=["ethan", "giles"]),
    "gb_tradition_protocol_initiation.md.txt": dict(
        title="Initiation", published="2007-01-08", rating="Explicit", rating_raw="adult",
        characters=["angelus", "buffy", "giles", "oz", "willow", "xander"]),
    "bgwx_core_four_hot_water.md.txt": dict(
        title="Hot water", published="2006-07-21", rating="Mature",
        relationships=["buffy/giles/willow/xander"]),
    "gx_cloud_animals_partners.md.txt": dict(
        title="Partners", published="2007-04-06", rating="Mature",
        relationships=["giles/xander"], complete=False),
}


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    cli = Cli(new_database(tmp_path_factory.mktemp("th") / "c.db"))
    assert "ingested 4 ·" in cli("ingest", str(CORPUS)).stderr
    return {Path(r["source"]).name.removeprefix(PREFIX): r
            for r in exported_works(cli("export").stdout)}


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_front_matter_shapes(records, name: str) -> None:
    record = records[name]
    for key, value in MANIFEST[name].items():
        assert record[key] == value, key
    assert record["fandoms"] == ["btvs"] and record["authors"] == ["antennapedia"]
    assert record["warnings"] == ["Creator Chose Not To Use Archive Warnings"]
    assert "idtag:" in record["notes"] and "<" not in record["notes"]  # HTML notes as text
    assert record["chapter_list"][0]["format"] == "markdown"


def test_details_of_the_real_headers(records) -> None:
    initiation = records["gb_tradition_protocol_initiation.md.txt"]
    assert len(initiation["relationships"]) == 4 and "giles/buffy" in initiation["relationships"]
    assert initiation["series"] == [{"name": "tradition_protocol", "part": None}]
    assert "kink:dom/sub" in initiation["freeform"]  # other prefixes stay additional tags
    assert "He’d" in initiation["text"] or "He&#8217;d" in initiation["text"]
    water = records["bgwx_core_four_hot_water.md.txt"]
    assert water["characters"] == ["buffy", "giles", "joyce", "willow", "xander"]
    assert water["text"].lstrip().startswith("<p>")
    partners = records["gx_cloud_animals_partners.md.txt"]
    assert "incomplete" in partners["freeform"]
    assert partners["summary"] == "A day in the life of Xander Harris, Watcher."


def test_entities_in_a_markdown_body_count_as_one_word(cli, write) -> None:
    cli("ingest", str(write("e.md.txt", "---\ntitle: E\n---\nHe&#8217;d gone &amp; left.\n")))
    assert cli.records()[0]["words"] == 3


MAILING_LIST = (
    "Title: Under Your Spell\r\n"
    "Author: Hecate\x92s Daughter <hd@example.org>\r\n"
    "Rating: PG-13\r\n"
    "Pairing: Willow/Tara\r\n"
    "Spoilers: Through \x93Once More, with Feeling\x94\r\n"
    "Summary: Tara remembers\x85 and Willow doesn\x92t.\r\n"
    "Disclaimer: Joss owns all. No money is being made.\r\n"
    "Feedback: Always welcome.\r\n"
    "Distribution: List archives OK; others please ask.\r\n"
    "\r\n"
    "Tara lit the candle \x96 once, twice \x97 and waited for the spell to take.\r\n"
)


def test_old_mailing_list_header_in_windows_1252(cli, write) -> None:
    cli("ingest", str(write("spell.txt", MAILING_LIST.encode("latin-1"))))
    [r] = json.loads(cli("export", "--format", "json").stdout)
    assert r["encoding"] == "windows-1252"
    assert r["title"] == "Under Your Spell"
    assert r["authors"] == ["Hecate’s Daughter <hd@example.org>"]
    assert (r["rating"], r["rating_raw"]) == ("Teen And Up Audiences", "PG-13")
    assert r["relationships"] == ["Willow/Tara"]
    assert r["summary"] == "Tara remembers… and Willow doesn’t."
    for line in ("Spoilers: Through “Once More, with Feeling”", "Disclaimer: Joss owns all.",
                 "Feedback: Always welcome.", "Distribution: List archives OK"):
        assert line in r["notes"]
    assert r["text"] == "Tara lit the candle – once, twice — and waited for the spell to take.\n"
    assert r["words"] == 13
