"""The write routes: 403 when read-only; with --read-write, a form needs the page's CSRF
token and JSON needs this server's Origin; then reading status, the blocklist and saved
searches change, and the pages show it."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

from catalog.catalogue import Catalogue

ORIGIN = {"origin": "http://127.0.0.1:8000"}


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', html)
    assert found, "no form token on the page"
    return found.group(1)


def test_read_only_refuses_every_write(client: TestClient) -> None:
    for method, url, body in (("POST", "/works/1/reading", {"status": "later"}),
                              ("POST", "/blocks", {"query": "warning:mcd"}),
                              ("DELETE", "/blocks/1", None),
                              ("POST", "/searches", {"name": "a", "query": "b"}),
                              ("DELETE", "/searches/a", None)):
        answer = client.request(method, url, json=body, headers={
            "origin": "http://testserver"})
        assert answer.status_code == 403, url
        assert "--read-write" in answer.json()["error"]
    assert 'name="csrf"' not in client.get("/works/1").text  # no forms offered


def test_marking_for_later_from_the_work_page(writer: tuple[TestClient, Catalogue]) -> None:
    client, lib = writer
    page = client.get("/works/2").text
    assert 'action="/works/2/reading"' in page
    done = client.post("/works/2/reading", data={"status": "later", "csrf": _csrf(page)},
                       follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/works/2"
    assert list(lib.ids("reading:later")) == [2]
    assert 'class="reading reading-later"' in client.get("/works").text


def test_a_form_without_the_token_is_refused(writer: tuple[TestClient, Catalogue]) -> None:
    client, lib = writer
    for token in (None, "0" * 64):
        data = {"status": "read", **({"csrf": token} if token else {})}
        assert client.post("/works/1/reading", data=data).status_code == 403
    assert list(lib.ids("reading:read")) == []


def test_json_writes_need_this_origin(writer: tuple[TestClient, Catalogue]) -> None:
    client, lib = writer
    elsewhere = client.post("/blocks", json={"query": "warning:mcd"},
                            headers={"origin": "https://evil.example"})
    assert elsewhere.status_code == 403 and lib.blocks() == []
    assert client.post("/blocks", json={"query": "warning:mcd"}).status_code == 403
    added = client.post("/blocks", json={"query": "warning:mcd"}, headers=ORIGIN).json()
    assert added["ok"] and [b["query"] for b in lib.blocks()] == ["warning:mcd"]
    listed = client.get("/works.json").json()["rows"]
    assert [w["title"] for w in listed] == ["Two", "Three"]
    assert client.get("/works/1").status_code == 200  # by id, always
    assert "1 hidden by your blocklist" in client.get("/works").text
    assert len(client.get("/works.json?block=0").json()["rows"]) == 3
    gone = client.delete(f"/blocks/{added['id']}", headers=ORIGIN)
    assert gone.json()["query"] == "warning:mcd" and lib.blocks() == []
    assert client.delete("/blocks/999", headers=ORIGIN).status_code == 404
    assert client.post("/blocks", json={"query": "((("}, headers=ORIGIN).status_code == 400


def test_saved_searches_by_form_and_json(writer: tuple[TestClient, Catalogue]) -> None:
    client, lib = writer
    page = client.get("/searches").text
    made = client.post("/searches", data={"name": "grim", "query": "-warning:none",
                                          "csrf": _csrf(page)}, follow_redirects=False)
    assert made.status_code == 303 and [s["name"] for s in lib.searches()] == ["grim"]
    assert "@grim" in client.get("/works").text  # in the sidebar
    titles = [w["title"] for w in client.get("/works.json?q=@grim").json()["rows"]]
    assert titles == ["One", "Three"]
    removed = client.post("/searches/grim", data={"_method": "DELETE",
                                                  "csrf": _csrf(page)},
                          follow_redirects=False)
    assert removed.status_code == 303 and lib.searches() == []
    assert client.post("/searches", json={"name": "x"}, headers=ORIGIN).status_code == 400


def test_block_by_form_then_remove(writer: tuple[TestClient, Catalogue]) -> None:
    client, lib = writer
    page = client.get("/blocks").text
    client.post("/blocks", data={"query": "title:two", "csrf": _csrf(page)})
    entry = lib.blocks()[0]
    assert "<code>title:two</code>" in client.get("/blocks").text
    client.post(f"/blocks/{entry['id']}", data={"_method": "DELETE", "csrf": _csrf(page)})
    assert lib.blocks() == []
