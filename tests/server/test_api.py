"""The JSON API: Datasette's shapes, the same records as `catalog list --format json`,
errors as `{"ok": false}`, an OpenAPI description, and no 5xx for any query."""

from __future__ import annotations

import json
import string
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient
from typer.testing import CliRunner

from catalog.cli.app import app


def _cli_records(db: str, *args: str) -> list[dict[str, Any]]:
    done = CliRunner().invoke(app, ["--db", db, "list", *args, "--format", "json"])
    assert done.exit_code == 0, done.output
    return json.loads(done.stdout)


def test_rows_are_the_records_list_prints(client: TestClient, corpus_db: str) -> None:
    body = client.get("/works.json", params={"q": "fandom:btvs", "sort": "-words",
                                             "limit": 1000}).json()
    assert body["ok"] is True and body["next_url"] is None
    assert body["rows"] == _cli_records(str(corpus_db), "fandom:btvs sort:-words")
    assert client.get("/works.json?q=fandom:btvs&_shape=array").json() == _cli_records(
        str(corpus_db), "fandom:btvs")


def test_next_url_pages_through_everything(client: TestClient) -> None:
    url: str | None = "/works.json?limit=7&_count=1"
    rows: list[int] = []
    counts = set()
    while url:
        body = client.get(url).json()
        rows += [r["id"] for r in body["rows"]]
        counts.add(body["count"])
        url = body["next_url"]
        assert url is None or url.startswith("http://testserver/works.json?")
    assert len(rows) == len(set(rows)) == counts.pop() and not counts


def test_jsonl_streams_every_record(client: TestClient, corpus_db: str) -> None:
    lines = client.get("/works.jsonl?q=fandom:btvs").text.splitlines()
    assert [json.loads(line) for line in lines] == _cli_records(str(corpus_db), "fandom:btvs")


def test_one_work_tags_and_stats(client: TestClient) -> None:
    first = client.get("/works.json?limit=1").json()["rows"][0]
    work = client.get(f"/works/{first['id']}.json").json()
    assert work["ok"] and work["row"]["id"] == first["id"] and "text" in work["row"]
    tags = client.get("/tags.json?type=fandom").json()
    assert tags["ok"] and all(t["type"] == "fandom" for t in tags["rows"])
    stats = client.get("/stats.json").json()
    assert stats["ok"] and stats["works"] == client.get(
        "/works.json?_count=1").json()["count"]


def test_errors_are_ok_false(client: TestClient) -> None:
    bad = client.get("/works.json?q=(((")
    assert bad.status_code == 400 and bad.json()["ok"] is False
    assert "unclosed" in bad.json()["error"]
    missing = client.get("/works/99999.json")
    assert missing.status_code == 404 and missing.json() == {
        "ok": False, "error": "no work with id 99999; `catalog list` shows the ids"}
    assert client.get("/works.json?limit=x").status_code == 400
    assert client.get("/tags.json?type=colour").status_code == 400
    assert client.get("/nothing.json").json()["ok"] is False


def test_openapi_describes_the_routes(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert spec["openapi"].startswith("3.1")
    assert {"/works.json", "/works.jsonl", "/works/{work_id}.json", "/tags.json",
            "/stats.json", "/blocks", "/searches"} <= set(spec["paths"])
    assert "/openapi.json" in client.get("/docs").text


QUERY_TEXT = st.text(alphabet=string.ascii_letters + string.digits + ' :"()-.<>=*@_,\\/',
                     max_size=40)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=QUERY_TEXT, sort=st.sampled_from(["", "title", "-words", "nonsense", "-updated"]),
       limit=st.sampled_from(["", "0", "1", "5000", "-1", "x"]),
       offset=st.sampled_from(["", "0", "3", "99999", "y"]),
       path=st.sampled_from(["/works.json", "/works", "/stats.json", "/works.jsonl",
                             "/stats"]))
def test_no_query_makes_a_server_error(client: TestClient, q: str, sort: str, limit: str,
                                       offset: str, path: str) -> None:
    answer = client.get(path, params={"q": q, "sort": sort, "limit": limit,
                                      "offset": offset})
    assert answer.status_code in (200, 400), (answer.status_code, answer.text[:300])
    if path.endswith(".json"):
        assert answer.json()["ok"] is (answer.status_code == 200)


def test_next_url_uses_the_base_url_behind_a_proxy(corpus_db: str) -> None:
    from catalog.catalogue import Catalogue
    from catalog.server.app import create_app

    lib = Catalogue(corpus_db)
    with TestClient(create_app(lib, base_url="https://fic.example/")) as proxied:
        body = proxied.get("/works.json?limit=1").json()
        assert body["next_url"].startswith("https://fic.example/works.json?")
        assert proxied.get("/openapi.json").json()["servers"] == [
            {"url": "https://fic.example"}]
    lib.dispose()
