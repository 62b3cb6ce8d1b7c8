"""End to end in a real browser: Playwright driving Debian's chromium against `catalog
serve` on the real corpus. Set CATALOG_SCREENSHOTS=DIR to save the README's screenshots."""

from __future__ import annotations

import json
import os
import re
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.server.conftest import HOSTILE_TITLE, corpus_catalogue
from tests.server.test_serve_command import _start, _stop

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="the browser tests drive Debian's chromium, not installed "
                                  "here (apt-get install chromium; .ci/run installs it)")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = os.environ.get("CATALOG_SCREENSHOTS")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def site(corpus_db: str) -> Iterator[str]:
    process, url = _start(str(corpus_db))
    yield url
    _stop(process)


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page that fails the test on a script dialog or a policy violation."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    problems: list[str] = []
    opened.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    opened.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    yield opened
    context.close()
    assert problems == []


def _json(url: str) -> Any:
    with urllib.request.urlopen(url) as answer:  # noqa: S310 - our own local server
        return json.load(answer)


def _ids(page: Any) -> list[int]:
    return [int(i.split("-")[1]) for i in page.locator("div.blurb").evaluate_all(
        "els => els.map(e => e.id)")]


def _count(page: Any) -> int:
    heading = page.locator("h2.found").inner_text()
    return int(re.search(r"of ([\d,]+) Works", heading).group(1).replace(",", ""))


def test_the_list_shows_the_works(page: Any, site: str) -> None:
    page.goto(site)
    first = _json(site + "works.json?limit=20")["rows"]
    assert _ids(page) == [w["id"] for w in first]
    assert page.locator("div.blurb h3.heading a").first.inner_text() == first[0]["title"]
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / "list.png"), full_page=False)


def test_excluding_a_warning_in_the_sidebar(page: Any, site: str) -> None:
    page.goto(site + "works")
    before = _count(page)
    facet = page.locator("fieldset.facet-warning li", has_text="Major Character Death")
    shown = int(re.search(r"\((\d+)\)", facet.inner_text()).group(1))
    facet.locator("label.exclude input").check()
    page.get_by_role("button", name="Sort and Filter").click()
    page.wait_for_url(re.compile(r"q=.*warning"))
    assert _count(page) == before - shown
    assert 'warning:"Major Character Death"' in page.locator("#filter-q").input_value()
    listed = _ids(page)
    every = {w["id"]: w for w in _json(site + "works.json?limit=1000&block=0")["rows"]}
    assert listed and all("Major Character Death" not in every[i]["warnings"] for i in listed)
    assert page.locator("fieldset.facet-warning li",
                        has_text="Major Character Death").count() == 0  # counts changed


def test_a_work_page_shows_its_chapters(page: Any, site: str) -> None:
    work = _json(site + "works.json?q=chapters:>2&limit=1")["rows"][0]
    page.goto(f"{site}works/{work['id']}")
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / "work.png"), full_page=False)
    assert page.locator("section.chapter").count() == work["chapters"]
    page.locator("nav.chapter-index a").nth(1).click()
    assert page.url.endswith("#chapter-2")
    assert page.locator("#chapter-2 .userstuff").inner_text().strip()


def test_a_hostile_title_is_shown_as_text(page: Any, site: str) -> None:
    found = _json(site + "works.json?q=title:alert")["rows"][0]
    page.goto(f"{site}works/{found['id']}")
    assert HOSTILE_TITLE in page.locator("h2.heading").inner_text()
    assert page.locator("b", has_text="Bold").count() == 0
    assert 'Plain words <script>alert("text")</script>' in page.locator(
        ".userstuff").inner_text()
    page.goto(site + "works?q=title:alert")  # a dialog would fail the test


def test_paging_reaches_the_last_work_exactly_once(page: Any, site: str) -> None:
    page.goto(site + "works?q=sort:-words")
    seen = _ids(page)
    while page.locator("a[rel=next]").count():
        page.locator("a[rel=next]").click()
        seen += _ids(page)
    every = [w["id"] for w in _json(site + "works.json?q=sort:-words&limit=1000")["rows"]]
    assert seen == every


def test_the_stats_page_draws_its_charts(page: Any, site: str) -> None:
    page.goto(site + "stats")
    assert page.locator("figure.chart svg").count() == 2
    assert page.locator("figure.chart rect.bar").count() >= 7
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / "stats.png"), full_page=True)


def test_marking_for_later_shows_on_the_list(page: Any, tmp_path: Path) -> None:
    db = corpus_catalogue(tmp_path)  # a catalogue of its own: this test writes
    process, url = _start(str(db), "--read-write")
    try:
        target = _json(url + "works.json?limit=1&q=sort:title")["rows"][0]
        page.goto(f"{url}works/{target['id']}")
        page.select_option("#status", "later")
        page.get_by_role("button", name="Save").click()
        page.goto(url + "works?q=sort:title")
        blurb = page.locator(f"#work-{target['id']}")
        assert blurb.locator("p.reading-later").inner_text().startswith("later")
        assert _json(url + "works.json?q=reading:later")["rows"][0]["id"] == target["id"]
    finally:
        _stop(process)


def test_readable_on_a_phone(browser: Any, site: str) -> None:
    """At a phone's width nothing scrolls sideways; the list comes first, with a link down
    to the filters."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    phone = context.new_page()
    try:
        for path in ("works", "stats", "works/1"):
            phone.goto(site + path)
            wide = phone.evaluate("document.documentElement.scrollWidth")
            assert wide <= 390, (path, wide)
        phone.goto(site + "works")
        filters = phone.locator("aside.filters").bounding_box()
        first = phone.locator("div.blurb").first.bounding_box()
        assert first["y"] < filters["y"]
        if SHOTS:
            phone.screenshot(path=str(Path(SHOTS) / "phone.png"))
        phone.get_by_role("link", name="Sort and Filter ↓").click()
        assert phone.url.endswith("#filters-heading")
    finally:
        context.close()


ATOM = "http://www.w3.org/2005/Atom"


def _links(page: Any) -> list[dict[str, str]]:
    """The atom:link elements of the feed the browser shows (Chromium shows an OPDS
    feed as its text)."""
    from defusedxml import ElementTree

    feed = ElementTree.fromstring(page.locator("pre").inner_text())
    return [{key: link.get(key) or "" for key in ("rel", "href", "type", "title")}
            for link in feed.iter(f"{{{ATOM}}}link")]


def test_following_opds_links_to_an_epub(page: Any, site: str, tmp_path: Path) -> None:
    """From /opds, through "By fandom" and a fandom's feed, to a downloaded book."""
    from playwright.sync_api import Error

    page.goto(site + "opds")
    by_fandom = next(link for link in _links(page) if link["rel"] == "subsection"
                     and link["href"].endswith("/opds/fandoms"))
    page.goto(by_fandom["href"])
    fandom = next(link for link in _links(page) if link["rel"] == "subsection")
    page.goto(fandom["href"])
    epub = next(link for link in _links(page)
                if link["rel"] == "http://opds-spec.org/acquisition"
                and link["type"] == "application/epub+zip")
    with page.expect_download() as started:
        try:
            page.goto(epub["href"])
        except Error as error:  # a download is not a page
            assert "Download is starting" in str(error)
    book = tmp_path / started.value.suggested_filename
    started.value.save_as(book)
    assert book.suffix == ".epub" and zipfile.is_zipfile(book)
    with zipfile.ZipFile(book) as opened:
        assert opened.read("mimetype") == b"application/epub+zip"
