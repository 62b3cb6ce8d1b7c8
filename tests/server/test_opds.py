"""OPDS: the navigation, acquisition, faceted and search feeds validate against the OPDS
Catalog 1.1 RELAX NG schema (with RFC 4287's Atom schema, both under tests/schemas), and
say what a reader needs: works with EPUB and HTML links, tags as categories, paging,
facets, an OpenSearch description, the blocklist."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from defusedxml import ElementTree
from starlette.testclient import TestClient

from catalog.catalogue import Catalogue
from catalog.server.app import create_app
from tests.conftest import ROOT

SCHEMA = ROOT / "tests" / "schemas" / "opds.rnc"
NS = {"a": "http://www.w3.org/2005/Atom", "opds": "http://opds-spec.org/2010/catalog",
      "thr": "http://purl.org/syndication/thread/1.0",
      "os": "http://a9.com/-/spec/opensearch/1.1/"}
ACQUIRE = "http://opds-spec.org/acquisition"
needs_jing = pytest.mark.skipif(shutil.which("jing") is None,
                                reason="the feeds are validated with jing: apt-get install "
                                       "jing (.ci/run installs it)")


def _valid(xml: bytes, tmp_path: Path) -> str:
    """jing's complaints about a feed ("" when it is valid)."""
    path = tmp_path / "feed.xml"
    path.write_bytes(xml)
    done = subprocess.run(["jing", "-c", str(SCHEMA), str(path)], capture_output=True,
                          text=True, timeout=120)
    return "" if done.returncode == 0 else done.stdout + done.stderr


def _tree(client: TestClient, url: str) -> Any:
    answer = client.get(url)
    assert answer.status_code == 200, answer.text
    return ElementTree.fromstring(answer.content)


def _local(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@needs_jing
def test_the_feeds_validate_against_the_opds_schema(client: TestClient, tmp_path: Path
                                                    ) -> None:
    description = ElementTree.fromstring(client.get("/opds/search.xml").content)
    template = description.find("os:Url", NS).get("template")
    assert "{searchTerms}" in template
    search = _local(template.replace("{searchTerms}", "character%3Aspike"))
    feeds = {"navigation": "/opds", "fandoms": "/opds/fandoms", "authors": "/opds/authors",
             "searches": "/opds/searches", "acquisition": "/opds/works?q=sort:-updated",
             "faceted": '/opds/works?q=rating:"Mature"', "search": search,
             "second page": "/opds/works?page=2"}
    for name, url in feeds.items():
        answer = client.get(url)
        assert answer.status_code == 200, name
        assert answer.headers["content-type"].startswith("application/atom+xml;profile=opds")
        assert _valid(answer.content, tmp_path) == "", name


@needs_jing
def test_the_schema_catches_a_broken_feed(client: TestClient, tmp_path: Path) -> None:
    feed = client.get("/opds").content
    broken = feed.replace(b"<id>", b"<identifier>", 1).replace(b"</id>", b"</identifier>", 1)
    assert "identifier" in _valid(broken, tmp_path)


def test_the_navigation_feed_offers_a_readers_ways_in(client: TestClient) -> None:
    feed = _tree(client, "/opds")
    titles = [e.findtext("a:title", namespaces=NS) for e in feed.findall("a:entry", NS)]
    for wanted in ("By fandom", "By author", "Newest", "Recently updated", "Saved searches",
                   "Marked for later"):
        assert wanted in titles
    rels = {link.get("rel") for link in feed.findall("a:link", NS)}
    assert {"self", "start", "search"} <= rels


def test_acquisition_feeds_page_through_every_work_with_books(client: TestClient) -> None:
    seen: list[str] = []
    url: str | None = "/opds/works"
    while url:
        feed = _tree(client, url)
        for entry in feed.findall("a:entry", NS):
            seen.append(entry.findtext("a:id", namespaces=NS))
            books = {link.get("type") for link in entry.findall("a:link", NS)
                     if link.get("rel") == ACQUIRE}
            assert books == {"application/epub+zip", "text/html"}
            schemes = {c.get("scheme").rsplit("/", 1)[1] for c in entry.findall(
                "a:category", NS)}
            assert "rating" in schemes and "fandom" in schemes
        following = [link.get("href") for link in feed.findall("a:link", NS)
                     if link.get("rel") == "next"]
        url = _local(following[0]) if following else None
    ids = [w["id"] for w in client.get("/works.json?limit=1000").json()["rows"]]
    assert seen == [f"http://testserver/works/{i}" for i in ids]


def test_facets_toggle_and_count_the_matches(client: TestClient) -> None:
    feed = _tree(client, '/opds/works?q=rating:"Mature"')
    facets = [link for link in feed.findall("a:link", NS)
              if link.get("rel") == "http://opds-spec.org/facet"]
    groups = {f.get(f"{{{NS['opds']}}}facetGroup") for f in facets}
    assert groups == {"Rating", "Completion", "Fandom"}
    mature = next(f for f in facets if f.get("title") == "Mature")
    assert mature.get(f"{{{NS['opds']}}}activeFacet") == "true"
    matches = client.get('/works.json?q=rating:"Mature"&_count=1').json()["count"]
    assert mature.get(f"{{{NS['thr']}}}count") == str(matches)
    assert parse_qs(urlsplit(mature.get("href")).query) == {}  # choosing it again: off
    fandom = next(f for f in facets if f.get(f"{{{NS['opds']}}}facetGroup") == "Fandom")
    narrowed = parse_qs(urlsplit(fandom.get("href")).query)["q"][0]
    assert narrowed.startswith('rating:"Mature" fandom:"')


def test_the_blocklist_applies_to_feeds(migrated: Any, tmp_path: Path) -> None:
    from tests.factories import make_work

    folder = tmp_path / "w"
    folder.mkdir()
    for n, fandom in enumerate(("BtVS", "Twilight"), 1):
        (folder / f"{n}.txt").write_text(make_work(f"Words of {n}.", title=f"T{n}", fandom=fandom),
                                         encoding="utf-8")
    lib = Catalogue(str(migrated))
    lib.ingest([folder])
    lib.block("fandom:twilight")
    with TestClient(create_app(lib)) as client:
        shown = _tree(client, "/opds/works").findall("a:entry", NS)
        assert [e.findtext("a:title", namespaces=NS) for e in shown] == ["T1"]
        every = _tree(client, "/opds/works?block=0").findall("a:entry", NS)
        assert len(every) == 2
        fandoms = _tree(client, "/opds/fandoms").findall("a:entry", NS)
        assert [e.findtext("a:title", namespaces=NS) for e in fandoms] == [
            "Buffy the Vampire Slayer (TV)"]  # BtVS, wrangled
    lib.dispose()
