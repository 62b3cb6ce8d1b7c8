"""A story's URL as its identity: a newer download or saved page of the same story, however
its address is written, updates the work instead of adding a second one."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from catalog.ingest.ao3 import work_id
from catalog.storyurl import key
from tests.conftest import Cli, sqlite_only


@pytest.mark.parametrize("url", [
    "https://www.fanfiction.net/s/12345/1/The-Long-Way-Home",
    "http://m.fanfiction.net/s/12345/7/",
    "https://fanfiction.net/s/12345",
    "https://www.fanfiction.net/s/12345/3/The-Long-Way-Home#top",
])
def test_every_address_of_one_fanfiction_net_story_has_one_key(url: str) -> None:
    assert key(url) == "fanfiction.net/s/12345"


def test_keys_keep_what_names_the_story_and_drop_what_names_a_page() -> None:
    assert key("https://archiveofourown.org/works/42/chapters/7") == "archiveofourown.org/works/42"
    assert key("http://www.tthfanfic.org/Story-1234/") == "tthfanfic.org/Story-1234"
    assert (key("https://efiction.example/viewstory.php?chapter=3&sid=77")
            == key("https://efiction.example/viewstory.php?sid=77"))
    assert key("https://efiction.example/viewstory.php?sid=77") != key(
        "https://efiction.example/viewstory.php?sid=78")
    assert key("https://www.fanfiction.net/s/1/") != key("https://www.fictionpress.com/s/1/")
    for nothing in (None, "", "not a url", "mailto:a@b.c", "file:///home/x.html", "http://[::1"):
        assert key(nothing) is None


def _export(path: Path, title: str, text: str, url: str, source: str) -> Path:
    path.write_text(json.dumps({"title": title, "text": text, "url": url,
                                "source": source}) + "\n", "utf-8")
    return path


def test_a_newer_download_of_the_same_story_updates_it_in_place(cli: Cli, tmp_path: Path) -> None:
    old = _export(tmp_path / "old.jsonl", "The Long Way", "Chapter one only.",
                  "https://www.fanfiction.net/s/12345/1/The-Long-Way", "/dl/long-way.epub")
    new = _export(tmp_path / "new.jsonl", "The Long Way Home", "Chapter one. Chapter two.",
                  "http://m.fanfiction.net/s/12345/", "/dl/long-way-home.epub")
    other = _export(tmp_path / "other.jsonl", "Another", "Another story.",
                    "https://www.fanfiction.net/s/999/1/", "/dl/another.epub")
    cli("ingest", str(old))
    out = cli("ingest", str(new), str(other)).stderr
    assert "updated 1" in out and "ingested 1" in out
    records = {r["id"]: r for r in cli.records()}
    assert len(records) == 2
    assert records[1]["title"] == "The Long Way Home" and records[1]["words"] == 4
    assert records[1]["url"] == "http://m.fanfiction.net/s/12345/"


def test_two_copies_of_one_story_in_one_batch_are_one_work(cli: Cli, tmp_path: Path) -> None:
    a = _export(tmp_path / "a.jsonl", "Same", "First version.",
                "https://www.fanfiction.net/s/5/1/", "/dl/a.html")
    b = _export(tmp_path / "b.jsonl", "Same", "Second, longer version.",
                "https://www.fanfiction.net/s/5/2/", "/dl/b.html")
    out = cli("ingest", str(a), str(b)).stderr
    assert "ingested 1" in out and "updated 1" in out
    [record] = cli.records()
    assert record["words"] == 3


@sqlite_only
def test_upgrading_keys_the_ao3_works_already_stored(cli: Cli, db_path: Path) -> None:
    """Migration 0010 gives the works stored before it their keys: a FanFicFare copy of an
    AO3 work ingested afterwards finds the download by its AO3 id, and any other copy by URL."""
    cli("db", "upgrade", "0009")
    con = sqlite3.connect(db_path)
    with con:
        for work_id, ao3_id, url in ((7, 42, "https://archiveofourown.org/works/42"),
                                     (8, None, None)):
            con.execute(
                "INSERT INTO works (id, title, title_key, chapter_count, complete, words, "
                "sha256, meta_hash, source, format, ingested_at, modified_at, ao3_id, url) "
                "VALUES (?, 'Old', 'old', 1, 1, 3, 'x', 'y', ?, 'ao3-html', '2020-01-01', "
                "'2020-01-01', ?, ?)", (work_id, f"old{work_id}.html", ao3_id, url))
    con.close()
    cli("db", "upgrade")
    con = sqlite3.connect(db_path)
    keys = dict(con.execute("SELECT id, url_key FROM works").fetchall())
    con.close()
    assert keys == {7: "archiveofourown.org/works/42", 8: None}


def test_only_ao3_addresses_give_an_ao3_id() -> None:
    """Other OTW-software archives share AO3's paths: their works are not AO3's."""
    assert work_id("https://archiveofourown.org/works/42/chapters/7") == 42
    assert work_id("http://www.archiveofourown.org/works/43") == 43
    assert work_id("/works/44") == 44  # a link inside an AO3 download
    assert work_id("https://squidgeworld.org/works/45") is None
    assert work_id("https://www.fanfiction.net/works/46") is None
