"""`catalog dupes`: one story in several files, by title and creators or by text."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

from tests.conftest import SHARED, Cli
from tests.factories import make_work

FARCE = SHARED / "corpus" / "ao3-html" / "horseradish_first-as-farce.html"


def _groups(cli: Cli, *args: str) -> list[dict]:  # type: ignore[type-arg]
    return json.loads(cli("dupes", "--format", "json", *args).stdout)


def test_an_ao3_download_and_a_copy_from_another_site_are_one_story(cli: Cli, write) -> None:  # type: ignore[no-untyped-def]
    """The real case: the AO3 HTML and the same story as a text file from another site,
    its title in other case and punctuation and its creator as a bare pseud. A shorter
    story of the same title and creator (words not within 2%), another story by the same
    creator, and one of the same title by someone else are not duplicates."""
    from selectolax.lexbor import LexborHTMLParser as HTMLParser

    cli("ingest", str(FARCE))
    ao3 = json.loads(cli("show", "1", "--format", "json").stdout)
    pseud = ao3["authors"][0].split(" (")[0]
    story = HTMLParser(ao3["text"]).text(separator="\n\n")
    copy = write("copy/farce.txt", make_work(story, title=f"  {ao3['title'].upper()}!! ",
                                             author=pseud.upper()))
    write("copy/short.txt", make_work("Only the first scene, pasted.", title=ao3["title"],
                                      author=pseud))
    write("copy/other.txt", make_work("Another story.", title="Something Else",
                                      author=pseud))
    write("copy/namesake.txt", make_work(story + " Changed.", title=ao3["title"],
                                         author="Nobody"))
    cli("ingest", str(copy.parent))
    groups = _groups(cli)
    assert len(groups) == 1
    group = groups[0]
    works = group["works"]
    assert [w["format"] for w in works] == ["ao3-html", "text"]
    assert group["ids"] == [w["id"] for w in works]
    assert group["reason"].startswith("the same title and first creator;")
    assert works[0]["ao3_id"] == ao3["ao3_id"] and works[1]["ao3_id"] is None
    assert abs(works[0]["words"] - works[1]["words"]) <= 0.02 * works[0]["words"]
    assert works[1]["source"] == str(copy)
    table = cli("dupes").stdout
    assert "2 copies" in table and "1 group of likely duplicates, 2 works" in table
    assert all(len(line) <= 80 for line in table.splitlines())
    assert _groups(cli, "--by", "text") == []  # the texts differ
    assert len(json.loads(cli("list", "--format", "json").stdout)) == 5  # nothing merged


def test_an_ao3_download_and_its_fanficfare_copy_from_fanfiction_net(cli: Cli,
                                                                    tmp_path: Path) -> None:
    """The same story posted on AO3 and on fanfiction.net, the second downloaded by
    FanFicFare (its real writer, offline): reported as likely duplicates, never merged,
    and left out when the blocklist hides one of them."""
    from tests.fanficfare_books import ffn_story

    cli("ingest", str(FARCE))
    ao3 = json.loads(cli("show", "1", "--format", "json").stdout)
    pseud = ao3["authors"][0].split(" (")[0]
    assert ao3["chapters"] == 1  # a one-shot: the work's text is its chapter's
    copy = ffn_story(tmp_path / "ffn", title=ao3["title"].upper(), author=pseud,
                     chapters=[(f"1. {ao3['title']}", ao3["text"])])
    cli("ingest", str(copy))
    ffn = json.loads(cli("show", "2", "--format", "json").stdout)
    assert ffn["format"] == "fanficfare" and ffn["url"].startswith("https://www.fanfiction.net/")
    assert ffn["ao3_id"] is None
    [group] = _groups(cli)
    assert group["ids"] == [1, 2] and group["reason"].startswith("the same title and first")
    assert [w["format"] for w in group["works"]] == ["ao3-html", "fanficfare"]
    assert "1 group of likely duplicates, 2 works" in cli("dupes").stdout
    assert len(json.loads(cli("list", "--format", "json").stdout)) == 2  # nothing merged
    cli("block", "add", "format:fanficfare")
    assert _groups(cli) == []


def test_the_same_text_twice_by_text_and_the_query_and_blocklist_apply(cli: Cli, write,  # type: ignore[no-untyped-def]
                                                                     tmp_path: Path) -> None:
    first = write("a/one.txt", make_work("The very same words.", title="One",
                                         fandom="BtVS"))
    second = tmp_path / "b" / "one.txt"
    second.parent.mkdir()
    shutil.copy(first, second)
    write("a/two.txt", make_work("Other words.", title="Two", fandom="BtVS"))
    cli("ingest", str(first.parent))
    cli("ingest", "--allow-duplicates", str(second.parent))
    by_text = _groups(cli, "--by", "text")
    assert [g["ids"] for g in by_text] == [[1, 3]] and by_text[0]["reason"] == "the same text"
    by_story = _groups(cli)  # no creator on either: the same title and words
    assert [g["ids"] for g in by_story] == [[1, 3]]
    assert _groups(cli, "--", "fandom:btvs")[0]["title"] == "One"
    assert _groups(cli, "--", "-fandom:btvs") == []
    rows = list(csv.DictReader(io.StringIO(cli("dupes", "--format", "csv").stdout)))
    assert [(r["group"], r["id"]) for r in rows] == [("1", "1"), ("1", "3")]
    assert rows[0]["reason"].startswith("the same title")
    assert len(cli("dupes", "--format", "jsonl").stdout.splitlines()) == 1
    cli("block", "add", "source:b")
    assert _groups(cli) == []  # one copy left in the listing: no pair
    assert len(_groups(cli, "--no-block")) == 1


def test_an_unknown_key_is_refused(cli: Cli) -> None:
    done = cli("dupes", "--by", "colour", ok=False)
    assert done.exit_code == 2 and "colour" in done.output
