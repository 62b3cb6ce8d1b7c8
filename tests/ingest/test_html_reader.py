"""Generic HTML (`html`): a story saved from an old archive or a writer's site, read when no
AO3 reader claims the page: the title, the story without the page around it, and a header
block at the top of the text."""

from __future__ import annotations

import json

from tests.conftest import SHARED, Cli

PAGE = """<!DOCTYPE html><html><head><title>Old Archive :: {title}</title>
<script>track()</script><style>p {{ color: red }}</style></head>
<body><nav><a href="/">Home</a> | <a href="/next">Next chapter</a></nav>
<div id="story">{header}<p>It was a <i>dark</i> night in Sunnydale.</p><hr>
<p>The end of the night.</p></div>
<footer>Copyright the archive, all rights reserved</footer></body></html>"""


def _record(cli: Cli, path: str) -> dict:  # type: ignore[type-arg]
    cli("ingest", path)
    return json.loads(cli("show", "1", "--format", "json").stdout)


def test_a_header_paragraph_with_line_breaks(cli: Cli, write) -> None:  # type: ignore[no-untyped-def]
    header = ("<p>Title: The Last Patrol<br>Author: Wisteria<br>Fandom: Buffy the Vampire "
              "Slayer<br>Rating: PG-13<br>Pairing: Buffy/Faith</p>")
    record = _record(cli, str(write("patrol.html", PAGE.format(title="x", header=header))))
    assert record["format"] == "html" and record["title"] == "The Last Patrol"
    assert record["authors"] == ["Wisteria"]
    assert record["rating"] == "Teen And Up Audiences" and record["rating_raw"] == "PG-13"
    assert record["relationships"] and record["fandoms"]
    assert record["words"] == 12  # the story only: no menu, script, style or footer
    for gone in ("Title:", "Home", "track", "color", "Copyright"):
        assert gone not in record["text"]


def test_a_header_a_paragraph_a_line_and_the_page_title(cli: Cli, write) -> None:  # type: ignore[no-untyped-def]
    header = "<p>Author: Wisteria</p><p>Fandom: BtVS</p>"
    record = _record(cli, str(write("p.htm", PAGE.format(title="Night Watch", header=header))))
    assert record["title"] == "Old Archive :: Night Watch"  # no h1, no Title: line
    assert record["authors"] == ["Wisteria"] and record["words"] == 12


def test_no_header_a_heading_for_the_title(cli: Cli, write) -> None:  # type: ignore[no-untyped-def]
    record = _record(cli, str(write("h.html", PAGE.format(
        title="x", header="<h1>  Quiet  Hours </h1>"))))
    assert record["title"] == "Quiet Hours" and record["authors"] == []
    assert "Quiet Hours" not in record["text"] and record["words"] == 12


def test_empty_pages_are_refused_and_ao3_downloads_stay_ao3(cli: Cli, write) -> None:  # type: ignore[no-untyped-def]
    empty = write("empty.html", "<html><head><title>T</title></head><body> </body></html>")
    done = cli("ingest", str(empty), ok=False)
    assert "HTML page with no text in its body" in done.output
    only = write("only.html", "<html><body><p>Title: T<br>Author: A</p></body></html>")
    assert "header but no story" in cli("ingest", str(only), ok=False).output
    ao3 = SHARED / "corpus" / "ao3-html" / "horseradish_first-as-farce.html"
    cli("ingest", str(ao3))
    assert json.loads(cli("list", "--format", "json").stdout)[0]["format"] == "ao3-html"
