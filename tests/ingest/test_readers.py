"""Readers, file by file: headers, front matter, sidecars, encodings, titles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.factories import exported_works


def ingest_one(cli, path) -> dict:  # type: ignore[no-untyped-def]
    cli("ingest", str(path))
    [record] = cli.records()
    return record


def test_header_keys_are_case_insensitive_and_unknown_keys_kept(cli, write) -> None:
    r = ingest_one(cli, write("s.txt", (
        "TITLE: Hush Now\nby: Ann Author\nFANDOMS: Buffy the Vampire Slayer (TV)\n"
        "pairings: Buffy Summers/Riley Finn、Willow Rosenberg/Oz\n"
        "Characters: Buffy Summers，Riley Finn\nadditional tags: Season 4, Hush\n"
        "Summary: Nobody can speak.\n  They have to write it down.\n"
        "Archive Warnings: No Archive Warnings Apply\nSpoilers: Hush\nFeedback: yes please\n"
        "Published: July 21, 2006\n\nThe Gentlemen came.\n")))
    assert r["title"] == "Hush Now" and r["authors"] == ["Ann Author"]
    assert r["relationships"] == ["Buffy Summers/Riley Finn", "Willow Rosenberg/Oz"]
    assert r["characters"] == ["Buffy Summers", "Riley Finn"]
    assert r["freeform"] == ["Season 4", "Hush"]
    assert r["summary"] == "Nobody can speak.\nThey have to write it down."
    assert r["notes"] == "Spoilers: Hush\nFeedback: yes please"
    assert r["published"] == "2006-07-21"
    assert r["words"] == 3


def test_story_that_opens_with_dialogue_colon_is_not_a_header(cli, write) -> None:
    r = ingest_one(cli, write("dialogue.txt", "Buffy: Where were you?\nSpike: Out.\n"))
    assert r["words"] == 6 and r["notes"] is None
    assert r["title"] == "dialogue"


def test_title_line_and_byline(cli, write) -> None:
    r = ingest_one(cli, write("after.txt", "After the Fall\nby Moth Wing\n\nShe sat. He came.\n"))
    assert (r["title"], r["authors"], r["words"]) == ("After the Fall", ["Moth Wing"], 4)


@pytest.mark.parametrize("first_line", ["Spike was drunk. No surprise there.",
                                        "“Hello,” she said.", "It was late."])
def test_sentence_first_line_is_not_a_title(cli, write, first_line: str) -> None:
    r = ingest_one(cli, write("my_story-file.md.txt", f"{first_line}\n\nMore text.\n"))
    assert r["title"] == "my_story-file"


@pytest.mark.parametrize(("name", "data"), [
    ("bom.txt", "\ufeffTitle: Bom\n\nOne two.\n".encode()),
    ("crlf.txt", b"Title: Bom\r\n\r\nOne two.\r\n"),
    ("cr.txt", b"Title: Bom\r\rOne two.\r"),
    ("utf16.txt", "Title: Bom\n\nOne two.\n".encode("utf-16")),
])
def test_encodings_and_line_endings(cli, write, name: str, data: bytes) -> None:
    cli("ingest", str(write(name, data)))
    [record] = exported_works(cli("export").stdout)
    assert (record["title"], record["words"], record["text"]) == ("Bom", 2, "One two.\n")
    assert record["encoding"] == ("utf-16" if name == "utf16.txt" else "utf-8")


@pytest.mark.parametrize(("data", "encoding", "text"), [
    (b"Title: W\r\n\r\nShe said \x93hello\x94\x85 and \x96 caf\xe9 na\xefve.\r\n", "windows-1252",
     "She said \u201chello\u201d\u2026 and \u2013 caf\u00e9 na\u00efve.\n"),
    (b"Title: W\n\nCaf\xe9 cr\xe8me br\xfbl\xe9e, \xe0 la fa\xe7on de Jos\xe9.\n", "iso-8859-1",
     "Caf\u00e9 cr\u00e8me br\u00fbl\u00e9e, \u00e0 la fa\u00e7on de Jos\u00e9.\n"),
])
def test_legacy_encodings_are_detected_and_recorded(cli, write, data: bytes, encoding: str,
                                                    text: str) -> None:
    cli("ingest", str(write("legacy.txt", data)))
    [record] = exported_works(cli("export").stdout)
    assert (record["encoding"], record["text"]) == (encoding, text)


def test_markdown_front_matter_and_commonmark_count(cli, write) -> None:
    r = ingest_one(cli, write("m.md", (
        "---\ntitle: Md\nrating: mature\nwarnings: [mcd, character death]\n"
        "relationships:\n  - Buffy Summers/Spike (Buffy the Vampire Slayer)\n"
        "complete: false\npublished: 2002-01-02\nseries: Season Seven Missing Scenes\n"
        "mood: cheerful\n---\n"
        "Some *em*phasis and a [link](http://example.com/a-b-c) here.\n\n* * *\n\n"
        "<p>raw html</p>\n")))
    assert r["rating"] == "Mature" and r["warnings"] == ["Major Character Death"]
    assert r["freeform"] == ["character death"]
    assert r["relationships"] == ["Buffy Summers/Spike (Buffy the Vampire Slayer)"]
    assert r["complete"] is False and r["published"] == "2002-01-02"
    assert r["notes"] == "mood: cheerful"
    assert r["series"] == [{"name": "Season Seven Missing Scenes", "part": None}]
    assert r["words"] == 9  # "em" and "phasis" are split by the tag; the URL is not text


def test_markdown_heading_is_the_title_when_no_title_key(cli, write) -> None:
    r = ingest_one(cli, write("h.md", "# The Heading\n\nBody words here.\n"))
    assert (r["title"], r["words"]) == ("The Heading", 3)


def test_sidecar_json(cli, write) -> None:
    write("pair.json", json.dumps({"title": "From JSON", "fandoms": ["A", "B"],
                                   "rating": "T", "authors": ["X (x)", "Y"]}))
    r = ingest_one(cli, write("pair.txt", "Title: From Header\n\nBody text.\n"))
    assert r["format"] == "sidecar" and r["title"] == "From JSON"
    assert r["fandoms"] == ["A", "B"] and r["authors"] == ["X (x)", "Y"]
    assert r["rating"] == "Teen And Up Audiences" and r["words"] == 2


def test_sidecars_in_a_walked_folder_pair_with_their_stories(cli, write) -> None:
    folder = write("pair.txt", "Title: From Header\n\nBody text.\n").parent
    write("pair.yaml", "title: From YAML\n")
    write("lone.md", "# Lone\n\nOne two three.\n")
    write("orphan.yml", "title: No story\n")
    write("cased.txt", "Cased body.\n")
    write("CASED.JSON", '{"title": "Another name"}')  # not cased.json: no pair
    result = cli("ingest", str(folder))
    assert "orphan.yml" in result.stderr and "unknown file type" in result.stderr
    found = {Path(r["source"]).name: (r["format"], r["title"]) for r in cli.records()}
    assert found == {"pair.txt": ("sidecar", "From YAML"), "lone.md": ("markdown", "Lone"),
                     "cased.txt": ("text", "cased")}


def test_sidecar_named_by_its_metadata_file(cli, write) -> None:
    write("p.txt", "Body text.\n")
    r = ingest_one(cli, write("p.yml", "title: Yml\n"))
    assert r["title"] == "Yml" and r["source"].endswith("p.txt")


def test_sidecar_nested_values_are_refused(cli, write) -> None:
    write("n.txt", "Body.\n")
    meta = write("n.yaml", "title: N\nfandoms: {a: {b: c}}\n")
    result = cli("ingest", str(meta), ok=False)
    assert "nested structure" in result.stderr


def test_input_format_forces_a_reader(cli, write) -> None:
    path = write("story.fic", "# Forced\n\nMarkdown body.\n")
    assert "unknown file type" in cli("ingest", str(path), ok=False).stderr
    cli("ingest", str(path), "--input-format", "markdown")
    assert cli.records()[0]["title"] == "Forced"
    assert "unknown input format" in cli("ingest", str(path), "--input-format", "pdf",
                                         ok=False).stderr
