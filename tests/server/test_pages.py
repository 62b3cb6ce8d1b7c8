"""The HTML pages over the real corpus: blurbs, the sidebar's query text, a work with its
chapters, tags by AO3's escaped names, statistics with charts, and hostile text shown as
text."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from starlette.testclient import TestClient

from catalog.server import querytext, tagurl
from tests.server.conftest import HOSTILE_TITLE


def _ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<div class="blurb" id="work-(\d+)"', html)]


def _total(html: str) -> int:
    found = re.search(r"of ([\d,]+) Works", html)
    return int(found.group(1).replace(",", "")) if found else 0


def test_the_list_shows_blurbs_in_ao3_order(client: TestClient) -> None:
    page = client.get("/works?q=fandom:btvs")
    assert page.status_code == 200
    html = page.text
    works = client.get("/works.json?q=fandom:btvs&limit=100").json()["rows"]
    assert _ids(html) == [w["id"] for w in works] and _total(html) == len(works)
    blurb = html.split(f'id="work-{works[0]["id"]}"')[1].split('<div class="blurb"')[0]
    # warnings, relationships, characters, additional tags: AO3's order in the tag list
    order = [blurb.find(f'class="{c}"') for c in ("warnings", "relationships", "characters",
                                                   "freeforms") if f'class="{c}"' in blurb]
    assert order == sorted(order) and len(order) >= 2
    assert 'class="square rating-' in blurb and 'class="chapters"' in blurb
    assert client.get("/").text.count('<div class="blurb"') == 20  # a page of the corpus


def test_paging_reaches_every_work_once(client: TestClient) -> None:
    seen: list[int] = []
    url: str | None = "/works?q=sort:title"
    while url:
        html = client.get(url).text
        seen += _ids(html)
        found = re.search(r'<a rel="next" href="([^"]+)"', html)
        url = found.group(1).replace("&amp;", "&") if found else None
    everything = client.get("/works.json?q=sort:title&limit=1000").json()["rows"]
    assert seen == [w["id"] for w in everything] and len(seen) > 20
    assert client.get("/works?page=0").status_code == 400


def test_the_sidebar_builds_query_text_and_redirects(client: TestClient) -> None:
    html = client.get("/works").text
    warning = querytext.term("warning", "Major Character Death", exclude=True)
    assert f'name="t" value="{warning.replace(chr(34), "&#34;")}"' in html
    sent = client.get("/works", params=[("q", "fandom:btvs"), ("shown", warning),
                                        ("t", warning), ("complete", "yes"),
                                        ("words_from", "1000"), ("words_to", ""),
                                        ("sort", "-words")], follow_redirects=False)
    assert sent.status_code == 303
    q = parse_qs(urlsplit(sent.headers["location"]).query)["q"][0]
    assert q == f'fandom:btvs {warning} complete:yes sort:-words words:>=1000'
    # the filtered page leaves the warning out, and its counts change with it
    before = client.get("/works.json?q=fandom:btvs&_count=1").json()["count"]
    after = client.get("/works.json", params={"q": q, "_count": "1"}).json()
    assert after["count"] < before and all(
        "Major Character Death" not in w["warnings"] for w in after["rows"])
    # unticking an offered box takes its term out again
    again = client.get("/works", params=[("q", q), ("shown", warning)],
                       follow_redirects=False)
    assert warning not in parse_qs(urlsplit(again.headers["location"]).query)["q"][0]


def test_the_facets_count_the_current_matches(client: TestClient) -> None:
    html = client.get("/works?q=fandom:btvs").text
    stats = client.get("/stats.json?q=fandom:btvs").json()
    top = stats["top"]["characters"][0]
    assert f'{top["name"]}</span> <span class="count">({top["works"]})' in html


def test_a_work_page_shows_its_chapters_and_an_index(client: TestClient) -> None:
    works = client.get("/works.json?q=chapters:>1&limit=1").json()["rows"]
    work = client.get(f"/works/{works[0]['id']}.json").json()["row"]
    html = client.get(f"/works/{work['id']}").text
    assert html.count('<section class="chapter"') == work["chapters"]
    assert html.count('href="#chapter-') == work["chapters"]
    assert '<div class="userstuff">' in html and work["title"].split()[0] in html


def test_hostile_text_is_shown_as_text(client: TestClient) -> None:
    found = client.get("/works.json", params={"q": 'title:"alert"'}).json()["rows"]
    assert [w["title"] for w in found] == [HOSTILE_TITLE]
    for url in ("/works", f"/works/{found[0]['id']}", "/stats", "/tags/freeform/" +
                tagurl.escape(found[0]["freeform"][0])):
        html = client.get(url).text
        assert "<script>alert" not in html and "onerror=alert" not in html.replace(
            "onerror=alert(1)&gt;", ""), url
        assert "<b>Bold</b>" not in html
    work = client.get(f"/works/{found[0]['id']}").text
    assert "&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt;" in work
    assert 'Plain words &lt;script&gt;' in work


def test_tag_pages_use_ao3s_escaped_names(client: TestClient) -> None:
    ship = next(t for t in client.get("/tags.json?type=relationship&limit=100").json()["rows"]
                if "/" in t["name"])
    url = f"/tags/relationship/{tagurl.escape(ship['name'])}"
    assert "*s*" in url
    html = client.get(url).text
    assert ship["name"].split("/")[0] in html and 'class="tag-works"' in html
    assert client.get("/tags/nonsense/x").status_code == 404


def test_stats_draws_charts_from_the_data(client: TestClient) -> None:
    html = client.get("/stats").text
    stats = client.get("/stats.json").json()
    assert html.count("<svg") == 2 and f'>{stats["works"]:,}<' in html
    assert html.count('class="bar"') >= 7  # one bar per length step, then per year


def test_security_headers_and_no_other_origin(client: TestClient) -> None:
    page = client.get("/")
    policy = page.headers["content-security-policy"]
    assert "'unsafe-inline'" not in policy and "script-src 'self' 'nonce-" in policy
    assert page.headers["x-content-type-options"] == "nosniff"
    assert not re.search(r'(src|href)="(https?:)?//', page.text)  # nothing from elsewhere
    assert client.get("/static/catalog.css").status_code == 200


def test_a_broad_query_counts_a_sample_and_says_so(client: TestClient,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from catalog.server import pages

    monkeypatch.setattr(pages, "FACET_SAMPLE", 2)
    html = client.get("/works?q=fandom:btvs").text
    assert "Counts among 2 of the matches." in html
    ratings = html.split("facet-rating")[1].split("</fieldset>")[0]
    assert sum(int(n) for n in re.findall(r'class="count">\((\d+)\)', ratings)) == 2
    assert "Counts among" not in client.get("/works").text  # the whole catalogue: exact
