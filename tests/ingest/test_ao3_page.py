"""Saved AO3 work pages (`ao3-page`) from the shared corpus, field by field as MANIFEST.md
states them; the AO3 pages that are not a work, refused by name; detection by content
against the AO3 downloads; and hostile nesting."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from catalog.errors import InputError
from catalog.ingest.readers import Unit
from catalog.ingest.readers.ao3_page import is_ao3_page, read
from catalog.model import WorkRecord
from catalog.wordcount import count_html
from tests.conftest import SHARED

PAGES = SHARED / "corpus" / "ao3-page"
DOWNLOADS = SHARED / "corpus" / "ao3-html"
MAX_SIZE = 64 * 2**20
GA, TEEN, MATURE, EXPLICIT = ("General Audiences", "Teen And Up Audiences", "Mature",
                              "Explicit")
NAWA, CNTW = "No Archive Warnings Apply", "Creator Chose Not To Use Archive Warnings"
GDOV = "Graphic Depictions Of Violence"
ARCANE = "Arcane: League of Legends (Cartoon 2021)"
CAITVI = "Caitlyn/Vi (League of Legends)"

# file -> what MANIFEST.md states (plus what the page shows where MANIFEST abbreviates).
# `full`: the page shows every chapter, so the chapter HTML counts to the stated words.
WORKS: dict[str, dict[str, Any]] = {
    "mobilepages_alan.html": dict(
        full=True, ao3_id=5720104, title="Alan Rickman", authors=["manicmea"],
        fandoms=["Harry Potter - J. K. Rowling", "Die Hard (Movies)",
                 "Robin Hood: Prince of Thieves (1991)"],
        rating=GA, warnings=[NAWA], categories=["Gen"], words=4, chapters="1/1",
        published="2016-01-14"),
    "mobilepages_heart.html": dict(
        full=True, ao3_id=18246218, title="if i only had a heart", authors=["thedevilchicken"],
        rating=EXPLICIT, warnings=[CNTW], categories=["M/M"],
        fandoms=["Rogue One: A Star Wars Story (2016)"], relationships=["Cassian Andor/K-2SO"],
        collections=["Multifandom Drabble 2019: Round One"], words=600, chapters="1/1"),
    "mobilepages_multi.html": dict(
        full=False, ao3_id=29253276, title="edge of providence",
        authors=["adiduck (book_people)", "whimsicalimages"], rating=MATURE,
        warnings=[GDOV], categories=["M/M"],
        fandoms=["Star Wars - All Media Types", "Star Wars Prequel Trilogy",
                 "Star Wars: The Clone Wars (2008) - All Media Types"],
        words=15933, chapters="2/?", published="2021-02-07", updated="2021-04-04"),
    "mobilepages_five.html": dict(
        full=False, ao3_id=37716514, title="Cold Water, Unsnuffed Torch",
        authors=["LesbianOzoneLizard"], fandoms=["Naruto"], rating=TEEN,
        warnings=[GDOV, "Major Character Death"], categories=["Gen"],
        relationships=["Uchiha Shisui & Uzumaki Naruto", "Uchiha Sasuke & Uchiha Shisui",
                       "Uchiha Itachi & Uchiha Shisui", "Uchiha Sasuke & Uzumaki Naruto"],
        series=[("my Naruto Aus (apparently i write those now)", 11)], words=5014,
        chapters="5/?", published="2022-03-14", updated="2022-03-15"),
    "mobilepages_where.html": dict(
        full=False, ao3_id=692, title="Time Was, Time Is", authors=["Sidra"],
        fandoms=["Harry Potter - Rowling"], rating=GA, characters=["OFC"],
        published="2005-11-04", updated="2008-09-20", words=1581, chapters="2/?"),
    "mobilepages_prologue.html": dict(
        full=False, ao3_id=7755808, authors=["Jenrose", "procoffeinating"],
        title="Complementarity, Entanglement and the Uncertainty of Destiny —or— "
              "A Feminist Mage in King Arthur's Court",
        fandoms=["Merlin (TV)"], rating=MATURE, warnings=[NAWA], categories=["M/M"],
        chapters="41/41", words=117055),
    "nianeyna_explicitWorkLoggedIn.html": dict(
        full=True, ao3_id=20907563, fandoms=["Original Work"], rating=EXPLICIT,
        warnings=[NAWA], categories=["F/M", "M/M", "Other", "F/F"], chapters="10/?",
        words=13800),
    "nianeyna_lockedWorkLoggedIn.html": dict(
        full=True, ao3_id=185710, title="Big Brother Is Watching You",
        fandoms=["Sherlock (TV)", "Sherlock Holmes & Related Fandoms"], rating=TEEN,
        warnings=[NAWA], categories=["M/M"], words=5595, chapters="1/1"),
    "nianeyna_unlockedWorkNoSkin.html": dict(  # the same work as the ao3-html download
        full=True, ao3_id=23009290, title="My Aim Is Steady And True", authors=["nianeyna"],
        fandoms=["Final Fantasy XIV"], rating=TEEN, warnings=[GDOV], categories=["M/M"],
        relationships=["Honoroit Banlardois/Emmanellain de Fortemps"],
        published="2020-03-04", words=4559, chapters="1/1"),
    "nianeyna_multipleSeries.html": dict(
        full=False, ao3_id=41214669, rating=GA, warnings=[NAWA], categories=[],
        fandoms=["Fandom - Fandom", "AO3", "No Fandom"],
        series=[("AO3 Skins", 1), (":has() selector", 1)], chapters="3/3",
        completed="2023-08-10"),
    "ao3apinode_work-57038482.html": dict(
        full=True, ao3_id=57038482, title="Lleno de zafiros", authors=["Anonymous"],
        rating=GA, warnings=[NAWA], categories=["F/F"], relationships=[CAITVI],
        words=11419, chapters="1/1", published="2024-07-08"),
    "ao3apinode_work-66534724.html": dict(
        full=True, ao3_id=66534724, rating=EXPLICIT, warnings=[CNTW], categories=["F/F"],
        fandoms=[ARCANE, "League of Legends"], words=5841, chapters="1/1",
        published="2025-06-13"),
    "ao3apinode_chapter-89729749.html": dict(
        full=False, ao3_id=35961484, rating=TEEN, categories=["F/F"], fandoms=[ARCANE],
        relationships=[CAITVI, "Ekko/Jinx (League of Legends)"], chapters="2/2",
        words=6095, published="2021-12-26", completed="2021-12-27"),
    "ao3apinode_work-35961484.html": dict(  # re-indented: tags wrap across lines
        full=False, ao3_id=35961484, title="Thank God You Introduced Me to Your Sister",
        authors=["AmberZ10"], rating=TEEN, warnings=[NAWA], categories=["F/F"],
        fandoms=[ARCANE], relationships=[CAITVI, "Ekko/Jinx (League of Legends)"],
        chapters="2/2", words=6095),
}

# file -> words its reason must contain: what the page is, and what to do.
NOT_WORKS = {
    "mobilepages_wip.html": ["adult-content notice", "38044144", '"Proceed"'],
    "nianeyna_explicitWorkLoggedOut.html": ["adult-content notice", "35369560",
                                            '"Yes, Continue"'],
    "nianeyna_lockedWorkLoggedOut.html": ["registered users only", "185710", "log in"],
    "nianeyna_deletedWork.html": ["Error 404", "deleted"],
    "nianeyna_hiddenWork.html": ["Mystery Work", "47308798", "unrevealed", "reveals"],
    "mobilepages_drabbles.html": ["series page", "Counting Drabbles", "each work's own page"],
}


def read_page(path: Path) -> WorkRecord:
    [record] = list(read(Unit(path, "ao3-page"), MAX_SIZE))
    assert isinstance(record, WorkRecord)
    return record


@pytest.fixture(scope="module")
def records() -> dict[str, WorkRecord]:
    return {name: read_page(PAGES / name) for name in WORKS}


def test_corpus_is_covered() -> None:
    assert {p.name for p in PAGES.glob("*.html")} == set(WORKS) | set(NOT_WORKS)


@pytest.mark.parametrize("name", sorted(WORKS))
def test_work_page_fields(records: dict[str, WorkRecord], name: str) -> None:
    r, stated = records[name], WORKS[name]
    assert r.format == "ao3-page" and r.source == str(PAGES / name)
    assert r.encoding == "utf-8" and r.language == "English"
    assert r.url == f"https://archiveofourown.org/works/{stated['ao3_id']}"
    written, total = stated["chapters"].split("/")
    assert r.expected_chapters == (None if total == "?" else int(total))
    assert r.complete is (written == total)
    assert r.stated_words == stated.get("words", r.stated_words)
    for key in ("published", "updated", "completed"):
        if key in stated:
            assert getattr(r, key) == date.fromisoformat(stated[key]), key
    for key, value in stated.items():
        if key not in ("full", "chapters", "words", "published", "updated", "completed"):
            assert getattr(r, key) == value, key
    assert r.title and r.authors and r.rating and r.warnings and r.fandoms
    assert r.chapters and all(c.text_format == "html" for c in r.chapters)


@pytest.mark.parametrize("name", sorted(WORKS))
def test_chapter_html_counts_to_the_stated_words(records: dict[str, WorkRecord],
                                                 name: str) -> None:
    r = records[name]
    words = sum(count_html(c.text) for c in r.chapters)
    assert r.stated_words
    if WORKS[name]["full"]:
        assert words == r.stated_words
    else:  # one chapter of several: part of the work
        assert 0 < words < r.stated_words
    for chapter in r.chapters:
        assert "Chapter Text" not in chapter.text and 'class="landmark' not in chapter.text
        assert "<script" not in chapter.text and "kudos" not in chapter.text.lower()


def test_updated_and_completed(records: dict[str, WorkRecord]) -> None:
    wip = records["mobilepages_five.html"]
    assert (wip.updated, wip.completed) == (date(2022, 3, 15), None)
    done = records["nianeyna_multipleSeries.html"]
    assert done.completed == date(2023, 8, 10) and done.complete is True
    oneshot = records["mobilepages_alan.html"]
    assert (oneshot.updated, oneshot.completed) == (None, None)


def test_tags_in_full(records: dict[str, WorkRecord]) -> None:
    five = records["mobilepages_five.html"]
    assert five.characters[:2] == ["Uchiha Shisui", "Uzumaki Naruto"]
    assert "Uzushiogakure | Hidden Eddy Village - Character" in five.characters
    assert "Angst and Hurt/Comfort" in five.freeform and "Uzu's Torches" in five.freeform
    explicit = records["nianeyna_explicitWorkLoggedIn.html"]
    assert len(explicit.relationships) == 12
    assert all("reader" in rel.lower() for rel in explicit.relationships)
    assert explicit.collections == ["Explicit Stories", "Meow Meow Faves"]
    assert records["ao3apinode_work-57038482.html"].collections == ["Anonymous"]


def test_reindented_page_reads_like_the_compact_one(records: dict[str, WorkRecord]) -> None:
    wrapped = records["ao3apinode_work-35961484.html"]
    compact = records["ao3apinode_chapter-89729749.html"]
    for key in ("title", "authors", "rating", "warnings", "categories", "fandoms",
                "relationships", "characters", "freeform", "language", "published",
                "completed", "stated_words", "expected_chapters", "ao3_id"):
        assert getattr(wrapped, key) == getattr(compact, key), key
    assert "Cassandra Kiramman" in wrapped.characters
    assert wrapped.summary and "tripping over a root." in wrapped.summary


def test_chapters_titles_summaries_notes(records: dict[str, WorkRecord]) -> None:
    assert [c.title for c in records["mobilepages_five.html"].chapters] == [
        "Weeping Light, Tested Coward"]
    assert records["mobilepages_prologue.html"].chapters[0].title == (
        "Prologue: After the World Burns")
    assert records["mobilepages_multi.html"].chapters[0].title == "Chapter 1"
    assert records["ao3apinode_chapter-89729749.html"].chapters[0].title == "Chapter 2"
    assert records["ao3apinode_chapter-89729749.html"].chapters[0].notes == (
        "Probably not the sequel you were expecting, sorry :)")
    assert (records["mobilepages_multi.html"].chapters[0].notes or "").startswith("Mando’a:\n")
    explicit = records["nianeyna_explicitWorkLoggedIn.html"].chapters
    assert len(explicit) == 10 and explicit[0].title == "Female Reader/Male Werewolf"
    assert explicit[0].summary == "Warnings: Bondage, dubcon and oral sex."
    assert all(c.title is None for c in records["mobilepages_heart.html"].chapters)


def test_summary_and_notes_are_plain_text(records: dict[str, WorkRecord]) -> None:
    summary = records["mobilepages_multi.html"].summary or ""
    assert summary.startswith("“Are you going to kill me right here, Mand’alor?”")
    assert "\n\n" in summary and "<" not in summary
    mine = records["nianeyna_unlockedWorkNoSkin.html"]
    assert mine.notes[0] == "Beta'd by the inimitable Cascaper."
    assert mine.notes[1].startswith("End notes: Dedicated to everyone")
    assert records["mobilepages_where.html"].notes == ["written for nanowrimo 2005"]
    assert not any("See the end of the work" in n for r in records.values() for n in r.notes)


@pytest.mark.parametrize("name", sorted(NOT_WORKS))
def test_pages_that_are_not_a_work_are_refused(name: str) -> None:
    with pytest.raises(InputError) as err:
        read_page(PAGES / name)
    assert err.value.path == str(PAGES / name)
    for word in NOT_WORKS[name]:
        assert word in err.value.reason, err.value.reason
    assert "\n" not in err.value.reason


@pytest.mark.parametrize("path", sorted(PAGES.glob("*.html")), ids=lambda p: p.name)
def test_detected_by_content(path: Path) -> None:
    assert is_ao3_page(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", sorted(DOWNLOADS.glob("*.html")), ids=lambda p: p.name)
def test_downloads_are_not_claimed(path: Path) -> None:
    assert not is_ao3_page(path.read_text(encoding="utf-8"))


def test_other_html_is_not_claimed() -> None:
    assert not is_ao3_page("<html><body><p>Archive of Our Own fan, my story.</p></body></html>")
    assert not is_ao3_page("<p>Once upon a time.</p>")


HEAD = ('<html><head><title>T - A - F [Archive of Our Own]</title></head><body>'
        '<dl class="work meta group"><dd class="rating tags"><a class="tag">Mature</a></dd>'
        '</dl><div id="workskin"><div id="chapters"><div class="userstuff">')


@pytest.mark.parametrize("body", [
    "<div>" * 100_000,
    "<div></x>" * 100_000,  # stray end tags are ignored by the tree builder
    "<span><div></span>" * 50_000,  # so are misnested ones
    "<!-- --!>" + "<div>" * 100_000,  # '--!>' ends a comment too
    "<script><!--</script>" + "<div>" * 100_000,
    "<li><dd>" * 100_000,  # list items nest inside definitions
], ids=["divs", "stray-end", "misnested", "bang-comment", "script-comment", "li-dd"])
def test_hostile_nesting_is_refused_quickly(tmp_path: Path, body: str) -> None:
    path = tmp_path / "deep.html"
    path.write_text(HEAD + body, encoding="utf-8")
    with pytest.raises(InputError, match="nested over 512 elements deep"):
        read_page(path)
    assert not is_ao3_page(HEAD + body)


def test_unterminated_markup_is_read_quickly(tmp_path: Path) -> None:
    path = tmp_path / "open.html"
    path.write_text(HEAD + "<p>Words here.</p>" + "<a" * 200_000 + "</" * 200_000,
                    encoding="utf-8")
    record = read_page(path)
    assert record.rating == "Mature" and count_html(record.chapters[0].text) >= 2


def test_old_html_that_never_closes_paragraphs_is_not_too_deep() -> None:
    from catalog.htmlparse import too_deep

    assert not too_deep("<body>" + "<p>A paragraph, never closed." * 5000 + "<ul>"
                        + "<li>item" * 3000 + "</ul>")
    assert too_deep("<body>" + "<blockquote>" * 600)


def test_chapter_pages_merge_into_one_work(cli) -> None:
    """The pages of chapter 2 and chapter 1 of one work, in that order: one work whose
    chapters add up to the stated count, and re-reading either page changes nothing."""
    second = PAGES / "ao3apinode_chapter-89729749.html"
    first = PAGES / "ao3apinode_work-35961484.html"
    assert "ingested 1 · updated 1" in cli("ingest", str(second), str(first)).stderr
    [record] = json.loads(cli("export", "--format", "json").stdout)
    assert [c["position"] for c in record["chapter_list"]] == [1, 2]
    assert record["words"] == record["stated_words"] == 6095
    assert record["ao3_id"] == 35961484 and record["format"] == "ao3-page"
    assert "unchanged 2" in cli("ingest", str(first), str(second)).stderr


def test_pages_are_found_in_a_directory_by_content(cli) -> None:
    result = cli("ingest", str(PAGES), ok=False)
    assert result.exit_code == 1
    refused = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(refused) == len(NOT_WORKS) and "skipped" not in result.stderr
    assert {r["format"] for r in cli.records()} == {"ao3-page"}
