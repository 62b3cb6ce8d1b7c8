"""FanFicFare's EPUB and HTML downloads (`fanficfare`), made here by FanFicFare itself (see
tests/fanficfare_books.py): typed tags read as FanFicFare's per-site settings place them,
the story URL as identity, chapters without the title page, contents page or update log."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SHARED, Cli
from tests.fanficfare_books import AO3_WORK, ao3_work, ffn_story, offline_site_story

# FanFicFare's AO3 adapter still calls BeautifulSoup's old names.
pytestmark = pytest.mark.filterwarnings("ignore:Call to deprecated method:DeprecationWarning")
NOT_STORY = ("Table of Contents", "Update Log", "Packaged:", "Category:", "Genre:",
             "Words:", "Publisher:", "Test Author aa")
ARCANE = "Arcane: League of Legends (Cartoon 2021)"
CHAPTER_NOTE = "Probably not the sequel you were expecting, sorry :)"


def _record(cli: Cli, path: Path, work: int = 1) -> dict[str, Any]:
    cli("ingest", str(path))
    return json.loads(cli("show", str(work), "--format", "json").stdout)  # type: ignore[no-any-return]


def _status(cli: Cli, path: Path) -> str:
    """What ingesting `path` did to the catalogue ("ingested", "updated", …)."""
    [report] = json.loads(cli("ingest", str(path), "--format", "json").stdout)
    return str(report["status"])


@pytest.mark.parametrize(("fmt", "settings"), [
    ("epub", ""), ("html", ""), ("epub", "titlepage_use_table:true"),
    ("epub", "epub_version:3.0")])
def test_an_ao3_work_typed_as_ao3_types_it(cli: Cli, tmp_path: Path, fmt: str,
                                           settings: str) -> None:
    record = _record(cli, ao3_work(tmp_path, fmt, settings))
    assert record["format"] == "fanficfare"
    assert record["title"] == "Thank God You Introduced Me to Your Sister"
    assert record["authors"] == ["AmberZ10"]
    assert record["fandoms"] == [ARCANE]  # the title page's Category
    assert record["categories"] == ["F/F"]  # out of its Genre, with the additional tags
    assert "F/F" not in record["freeform"] and len(record["freeform"]) == 10
    assert {"Fluff", "A Pinch of Crack", "powder with a better chance at life"} <= set(
        record["freeform"])
    assert record["warnings"] == ["No Archive Warnings Apply"]
    assert record["rating"] == "Teen And Up Audiences" and record["rating_raw"] is None
    assert sorted(record["relationships"]) == ["Caitlyn/Vi (League of Legends)",
                                               "Ekko/Jinx (League of Legends)"]
    assert len(record["characters"]) == 7 and "Cassandra Kiramman" in record["characters"]
    assert record["language"] == "en"
    assert record["summary"].startswith("“I don’t think you’re gonna like Vi.”\n\n")
    assert record["ao3_id"] == AO3_WORK
    assert record["url"] == f"https://archiveofourown.org/works/{AO3_WORK}"
    assert (record["published"], record["updated"]) == ("2021-12-26", "2021-12-27")
    assert record["complete"] is True and record["expected_chapters"] == 2
    # AO3's stated count, and ours by AO3's rule: the same, since notes are not counted.
    assert record["stated_words"] == 6095 and record["words"] == 6095
    chapters = record["chapter_list"]
    assert [(c["position"], c["title"]) for c in chapters] == [(1, None), (2, None)]
    assert chapters[1]["notes"] == CHAPTER_NOTE and CHAPTER_NOTE not in record["text"]
    for page in NOT_STORY:
        assert page not in record["text"]


def test_a_fanficfare_copy_of_an_ao3_work_is_that_work(cli: Cli, tmp_path: Path) -> None:
    """The AO3 id rule: the saved AO3 page and FanFicFare's download are one work."""
    cli("ingest", str(SHARED / "corpus" / "ao3-page" / "ao3apinode_work-35961484.html"))
    assert _status(cli, ao3_work(tmp_path)) == "updated"
    [work] = cli.records()
    assert (work["format"], work["ao3_id"], work["chapters"]) == ("fanficfare", AO3_WORK, 2)


def test_a_fanfiction_net_story(cli: Cli, tmp_path: Path) -> None:
    record = _record(cli, ffn_story(tmp_path))
    assert record["format"] == "fanficfare" and record["title"] == "Thin Ice"
    assert record["rating"] == "General Audiences" and record["rating_raw"] == "K+"
    assert record["fandoms"] == ["Harry Potter"]  # FFN's Category
    assert record["freeform"] == ["Adventure", "Hurt/Comfort"]  # its genres
    assert record["categories"] == []
    assert record["relationships"] == ["Harry P./Luna L."]  # FFN's [Harry P., Luna L.]
    assert record["characters"] == ["Harry P.", "Luna L.", "Neville L."]
    assert record["url"] == "https://www.fanfiction.net/s/8067258/1/Thin-Ice"
    assert record["ao3_id"] is None and record["authors"] == ["Wrackspurt"]
    assert record["complete"] is True and record["stated_words"] == 4210
    assert [c["title"] for c in record["chapter_list"]] == ["The Lake", "The Thaw"]
    assert record["text"].count("<p>") == 2 and "Pairings:" not in record["text"]


def test_a_newer_download_updates_the_story_in_place(cli: Cli, tmp_path: Path) -> None:
    """An in-progress story, then FanFicFare's newer download of it from elsewhere."""
    wip = _record(cli, ffn_story(tmp_path / "old", complete=False))
    assert wip["complete"] is False and wip["expected_chapters"] is None
    assert _status(cli, ffn_story(tmp_path / "new", "html")) == "updated"
    [work] = cli.records()
    assert work["id"] == 1 and work["complete"] is True and work["expected_chapters"] == 2


def test_a_download_of_some_chapters_merges_into_the_story(cli: Cli, tmp_path: Path) -> None:
    """FanFicFare's `-b 2 -e 2` writes "Thin Ice (Ch 2-2)" with its one chapter as file 1:
    it is chapter 2 of the story, merged in, not the story's whole text."""
    whole = _record(cli, ffn_story(tmp_path / "whole"))
    edited = [("1. The Lake", "<p>The lake was frozen over, and Luna was on it.</p>"),
              ("2. The Thaw", "<p>By April the ice had gone, and so had Neville, again.</p>")]
    part = ffn_story(tmp_path / "part", chapters=edited, only=(2, 2))
    assert _status(cli, part) == "updated"
    [work] = json.loads(cli("export", "--format", "json").stdout)
    assert work["title"] == "Thin Ice" and work["chapters"] == 2
    assert [(c["position"], c["title"]) for c in work["chapter_list"]] == [
        (1, "The Lake"), (2, "The Thaw")]
    assert "frozen over" in work["text"] and "By April" in work["text"]
    assert "By March" in whole["text"] and "By March" not in work["text"]


def test_a_site_it_does_not_know_in_progress_with_a_series(cli: Cli, tmp_path: Path) -> None:
    """FanFicFare's general convention: Category the fandoms, Genre additional tags."""
    record = _record(cli, offline_site_story(tmp_path, 1))
    assert record["complete"] is False and record["expected_chapters"] is None
    assert record["url"] == "http://test1.com?sid=1" and record["ao3_id"] is None
    assert "Harry Potter" in record["fandoms"] and len(record["fandoms"]) == 5
    assert {"Comedy", "Fantasy", "Noir", "Sci-Fi", "Swearing"} <= set(record["freeform"])
    assert record["warnings"] == ["Graphic Depictions Of Violence"]  # its "Violence"
    assert record["series"] == [{"name": "The Great Test", "part": 1}]
    assert record["summary"].startswith("Description tests:") and "A span!" in record["summary"]
    titles = [c["title"] for c in record["chapter_list"]]
    assert len(titles) == 9 and titles[1] == "Chapter 1, Xenos on Cinnabar"
    assert titles[4] == "Chapter 4 & 4.5"
    for page in NOT_STORY:
        assert page not in record["text"]


def test_a_book_without_its_title_page_falls_back_on_the_package(cli: Cli,
                                                                 tmp_path: Path) -> None:
    record = _record(cli, ao3_work(tmp_path, extra="include_titlepage:false"))
    assert record["format"] == "fanficfare" and record["ao3_id"] == AO3_WORK  # dc:source
    assert record["title"] == "Thank God You Introduced Me to Your Sister"
    assert ARCANE in record["freeform"] and "Last Update: 2021/12/27" not in record["freeform"]
    assert record["published"] == "2021-12-26" and record["words"] == 6095


def test_html_is_told_by_content_and_others_keep_their_readers(cli: Cli,
                                                               tmp_path: Path) -> None:
    renamed = ao3_work(tmp_path, "html").rename(tmp_path / "story.txt")
    cli("ingest", str(renamed))
    cli("ingest", str(SHARED / "corpus" / "ao3-html" / "horseradish_first-as-farce.html"))
    page = tmp_path / "page.html"
    page.write_text("<html><head><title>T</title></head><body><h1>Night</h1><p>A story of "
                    "the night. <a class='authorlink' href='x'>by</a></p></body></html>")
    cli("ingest", str(page))
    assert [w["format"] for w in cli.records("--sort", "id")] == ["fanficfare", "ao3-html",
                                                                  "html"]


def test_a_plain_epub_keeps_the_epub_reader(cli: Cli) -> None:
    book = SHARED / "corpus" / "epub" / "nianeyna_my-aim-is-steady-and-true.epub"
    record = _record(cli, book)
    assert record["format"] == "epub" and record["ao3_id"] == 23009290
    forced = cli("ingest", str(book), "--input-format", "fanficfare", ok=False)
    assert "an EPUB FanFicFare did not make" in forced.output
    page = SHARED / "corpus" / "ao3-html" / "horseradish_first-as-farce.html"
    forced = cli("ingest", str(page), "--input-format", "fanficfare", ok=False)
    assert "not a FanFicFare HTML download" in forced.output
    assert len(cli.records()) == 1


def _rewritten(book: Path, drop: str = "", add: tuple[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(book) as old, zipfile.ZipFile(buffer, "w",
                                                       zipfile.ZIP_DEFLATED) as new:
        for entry in old.infolist():
            if entry.filename != drop:
                new.writestr(entry, old.read(entry))
        if add:
            new.writestr(*add)
    return buffer.getvalue()


@pytest.mark.parametrize(("damage", "reason"), [
    ("bomb", "a likely zip bomb"),
    ("truncated", "not a readable EPUB (damaged or truncated ZIP"),
    ("missing chapter", "EPUB spine names 'OEBPS/file0002.xhtml', which is not in the book")])
def test_a_damaged_or_hostile_book_is_refused_in_one_line(cli: Cli, tmp_path: Path,
                                                          damage: str, reason: str) -> None:
    book = ao3_work(tmp_path / "made")
    data = {"bomb": lambda: _rewritten(book, add=("OEBPS/x.xhtml", bytes(8 << 20))),
            "truncated": lambda: book.read_bytes()[:-600],
            "missing chapter": lambda: _rewritten(book, drop="OEBPS/file0002.xhtml")}[damage]()
    bad = tmp_path / "bad.epub"
    bad.write_bytes(data)
    done = cli("ingest", str(bad), ok=False)
    errors = [line for line in done.output.splitlines() if str(bad) in line]
    assert len(errors) == 1 and reason in errors[0] and "Traceback" not in done.output
    assert cli.records() == []
