"""AO3 downloads (HTML and EPUB) from the shared corpus, field by field as MANIFEST.md states
them, plus layouts the corpus lacks, identity across formats, and hostile files."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog.ingest.discover import discover, settled
from catalog.ingest.readers import Unit
from tests.conftest import SHARED, Cli, new_database
from tests.epubs import container, epub, package
from tests.factories import exported_works

HTML = SHARED / "corpus" / "ao3-html"
EPUB = SHARED / "corpus" / "epub"
CNTW, NAWA = "Creator Chose Not To Use Archive Warnings", "No Archive Warnings Apply"
WHEEL = "A Wheel Inside a Wheel"

# file -> what MANIFEST.md states (words, chapters "N/M", dates, tags, series …)
MANIFEST = {
    "horseradish_funeral-shroud-for-laertes.html": dict(
        ao3_id=35152225, rating="General Audiences", warnings=[NAWA], categories=["Gen"],
        characters=["Author - Character"], language="en", series=[(WHEEL, 1)],
        published="2021-11-16", words=1180, chapters="1/1"),
    "horseradish_first-as-farce.html": dict(
        ao3_id=37317859, rating="Teen And Up Audiences", warnings=[CNTW], categories=["M/M"],
        relationships=["Martin Bufholtz/Siegfried Kircheis"], series=[(WHEEL, 11)],
        published="2022-02-22", completed="2022-02-23", words=1719, chapters="1/1"),
    "horseradish_will-the-real-mr-bronner.html": dict(
        ao3_id=41442183, rating="General Audiences", warnings=[CNTW], categories=["Gen"],
        relationships=["Author - Character & Dietrich Bronner (A Wheel Inside a Wheel)"],
        series=[(WHEEL, 9)], published="2022-09-02", words=2059, chapters="1/1"),
    "horseradish_the-world-in-its-circular-way.html": dict(
        ao3_id=47409136, rating="General Audiences", warnings=[CNTW], categories=["M/M"],
        series=[(WHEEL, 10)], published="2023-05-25", completed="2023-05-31", words=11326,
        chapters="2/2"),
    "horseradish_those-few-whove-slipped.html": dict(
        ao3_id=47657656, rating="Not Rated", warnings=[CNTW, "Major Character Death"],
        categories=["Gen"], relationships=[], characters=[], series=[(WHEEL, 14)],
        published="2023-06-05", updated="2023-09-26", words=6411, chapters="3/?"),
    "horseradish_keep-the-home-fires.html": dict(
        ao3_id=29811993, rating="Teen And Up Audiences", warnings=[CNTW],
        categories=["F/M", "M/M", "Multi"], series=[(WHEEL, 7)], published="2021-03-03",
        words=32900, chapters="3/3"),
    "horseradish_wu-yan-hui-yi_zh.html": dict(
        ao3_id=40669002, title="无言会意", authors=["ChiefAccelerator"], language="zh",
        rating="Teen And Up Audiences", warnings=[CNTW], categories=["M/M"],
        series=[("【授翻】轮中之轮", 2)], published="2022-07-30", completed="2022-10-01",
        words=116006, chapters="14/14"),
    "nianeyna_fire-and-feather_wip.html": dict(
        ao3_id=218676, title="Fire and Feather", authors=["nianeyna"],
        fandoms=["Valdemar Series - Mercedes Lackey"], rating="General Audiences",
        warnings=[NAWA], categories=["Gen"], characters=["Original Characters"],
        published="2006-07-09", updated="2007-06-25", words=7526, chapters="3/?"),
    "nianeyna_my-aim-is-steady-and-true.html": dict(
        ao3_id=23009290, fandoms=["Final Fantasy XIV"], rating="Teen And Up Audiences",
        warnings=["Graphic Depictions Of Violence"], categories=["M/M"],
        relationships=["Honoroit Banlardois/Emmanellain de Fortemps"], published="2020-03-04",
        words=4559, chapters="1/1"),
    "nianeyna_the-world-on-his-wrist.html": dict(
        ao3_id=334557, title="The World on His Wrist", authors=["bendingsignpost"],
        fandoms=["Sherlock (TV)"], rating="Teen And Up Audiences", warnings=[CNTW],
        categories=["F/M", "M/M"], series=[("Watches 'Verse", 1)], published="2012-02-07",
        words=31623, chapters="8/8"),
}


@pytest.fixture(scope="module")
def html_records(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    cli = Cli(new_database(tmp_path_factory.mktemp("html") / "c.db"))
    out = cli("ingest", str(HTML)).stderr
    assert "ingested 10 ·" in out and "failed 0" in out
    return {Path(r["source"]).name: r for r in
            exported_works(cli("export").stdout)}


def _check(record: dict, stated: dict) -> None:
    for key, value in stated.items():
        if key == "words":
            assert record["words"] == record["stated_words"] == value
        elif key == "chapters":
            count, total = value.split("/")
            assert record["chapters"] == int(count)
            assert record["expected_chapters"] == (None if total == "?" else int(total))
            assert record["complete"] is (total != "?")
        elif key == "series":
            assert [(s["name"], s["part"]) for s in record["series"]] == value
        else:
            assert record[key] == value, key


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_ao3_html_downloads_match_the_manifest(html_records, name: str) -> None:
    record = html_records[name]
    assert record["format"] == "ao3-html" and record["encoding"] == "utf-8"
    assert record["url"] == f"https://archiveofourown.org/works/{record['ao3_id']}"
    _check(record, MANIFEST[name])


def test_counts_and_details_the_manifest_notes(html_records) -> None:
    fires = html_records["horseradish_keep-the-home-fires.html"]
    assert len(fires["relationships"]) == 4 and len(fires["characters"]) == 11
    assert all(c["notes"] for c in fires["chapter_list"])  # chapter notes and end notes
    assert "End notes:" in fires["notes"]
    farce = html_records["horseradish_first-as-farce.html"]
    assert any(not t.isascii() for t in farce["freeform"])  # the emoji tag survives
    circular = html_records["horseradish_the-world-in-its-circular-way.html"]
    assert circular["collections"][0].startswith("New Constellations 2023")
    aim = html_records["nianeyna_my-aim-is-steady-and-true.html"]
    assert len(aim["freeform"]) == 8 and aim["summary"]
    wrist = html_records["nianeyna_the-world-on-his-wrist.html"]
    assert [c["title"] for c in wrist["chapter_list"]][0] == "Prologue"
    for record in html_records.values():  # headings and summaries are never counted
        assert sum(c["words"] for c in record["chapter_list"]) == record["words"]


@pytest.mark.parametrize("name", sorted(p.name for p in EPUB.glob("*.epub")))
def test_epubs_match_the_html_of_the_same_work(html_records, tmp_path: Path, name: str) -> None:
    cli = Cli(new_database(tmp_path / "e.db"))
    cli("ingest", str(EPUB / name))
    [record] = exported_works(cli("export").stdout)
    html = html_records[name.replace(".epub", ".html")]
    assert record["format"] == "epub"
    _check(record, MANIFEST[name.replace(".epub", ".html")])
    for key in ("ao3_id", "title", "authors", "rating", "warnings", "categories", "fandoms",
                "relationships", "characters", "freeform", "language", "words", "chapters",
                "expected_chapters", "complete", "series", "published", "updated"):
        assert record[key] == html[key], key


def test_the_same_work_as_html_and_epub_is_one_work(cli) -> None:
    name = "nianeyna_fire-and-feather_wip"
    cli("ingest", str(HTML / f"{name}.html"))
    [first] = cli.records()
    out = cli("ingest", str(EPUB / f"{name}.epub")).stderr
    assert "updated 1" in out
    [second] = cli.records()
    assert second["id"] == first["id"] and second["format"] == "epub"
    assert second["source"].endswith(".epub")
    assert "unchanged 1" in cli("ingest", str(EPUB / f"{name}.epub")).stderr


def test_detected_by_content_whatever_the_name(cli, write) -> None:
    html = (HTML / "nianeyna_my-aim-is-steady-and-true.html").read_bytes()
    epub = (EPUB / "nianeyna_fire-and-feather_wip.epub").read_bytes()
    cli("ingest", str(write("download.txt", html)), str(write("book.zip", epub)))
    assert sorted(r["format"] for r in cli.records()) == ["ao3-html", "epub"]


def test_detected_by_content_in_a_folder_where_the_file_is_read(cli, write) -> None:
    """Walking a folder opens no story file with a known extension: its first bytes are
    looked at by the process that reads it, and decide its reader there all the same."""
    html = (HTML / "nianeyna_my-aim-is-steady-and-true.html").read_bytes()
    epub = (EPUB / "nianeyna_fire-and-feather_wip.epub").read_bytes()
    folder = write("download.txt", html).parent
    write("book.zip", epub)  # no known extension: only its content can say what it is
    write("plain.txt", "Just a story.\n")
    units = {u.path.name: u for u in discover([str(folder)]) if isinstance(u, Unit)}
    assert (units["download.txt"].reader, units["download.txt"].sniff) == ("text", True)
    assert (units["book.zip"].reader, units["book.zip"].sniff) == ("epub", False)
    assert settled(units["download.txt"]).reader == "ao3-html"
    assert settled(units["plain.txt"]) == Unit(units["plain.txt"].path, "text")
    cli("ingest", str(folder))
    assert sorted(r["format"] for r in cli.records()) == ["ao3-html", "epub", "text"]


# Layouts the corpus lacks: an Explicit work, singular labels, stats without separators.
OLD_LAYOUT = """<!DOCTYPE html><html><head><meta charset="UTF-8"><title>Old</title></head>
<body><div id="preface">
<p class="message"><b>Old Style</b><br/>Posted originally on the
<a href="http://archiveofourown.org/">Archive of Our Own</a> at
<a href="http://archiveofourown.org/works/1234">http://archiveofourown.org/works/1234</a>.</p>
<div class="meta"><dl class="tags">
<dt>Rating:</dt><dd><a href="#">{rating}</a></dd>
<dt>Archive Warning:</dt><dd><a href="#">{warning}</a></dd>
<dt>Category:</dt><dd><a href="#">F/F</a></dd>
<dt>Fandom:</dt><dd><a href="#">Buffy the Vampire Slayer</a></dd>
<dt>Relationship:</dt><dd><a href="#">Faith/Buffy Summers</a></dd>
<dt>Character:</dt><dd><a href="#">Faith (Buffy the Vampire Slayer)</a></dd>
<dt>Stats:</dt><dd>Published: 2012-05-01 Words: {stated}</dd>
</dl>
<h1>Old Style</h1>
<div class="byline">by
<a rel="author" href="http://archiveofourown.org/users/login_x/pseuds/Pseud%20X">Pseud X</a>,
<a rel="author" href="http://archiveofourown.org/users/same/pseuds/same">same</a></div>
<p>Summary</p><blockquote class="userstuff"><p>Short <b>summary</b>.</p>
<script>alert(1)</script></blockquote>
</div></div>
<div id="chapters" class="userstuff"><div class="userstuff">
<p>{body}</p><script>var hidden = "not words";</script><style>p {{ color: red }}</style>
<p title="attribute words">One more line.</p>
</div></div></body></html>"""


def test_old_layout_explicit_singular_labels_and_plain_stats(cli, write) -> None:
    body = "word " * 1200
    page = OLD_LAYOUT.format(rating="Explicit", warning="Underage", stated=1203, body=body)
    cli("ingest", str(write("old.html", page)))
    [r] = cli.records()
    assert (r["rating"], r["warnings"], r["categories"]) == ("Explicit", ["Underage Sex"], ["F/F"])
    assert r["relationships"] == ["Faith/Buffy Summers"]
    assert r["characters"] == ["Faith (Buffy the Vampire Slayer)"]
    assert r["words"] == r["stated_words"] == 1203
    assert r["chapters"] == 1 and r["complete"] is True and r["ao3_id"] == 1234
    assert r["authors"] == ["Pseud X (login_x)", "same"]
    assert r["summary"] == "Short summary." and "alert" not in r["summary"]


def test_anonymous_byline(cli, write) -> None:
    page = OLD_LAYOUT.format(rating="G", warning="none", stated=4, body="four words right here")
    start, end = page.index('<div class="byline">'), page.index("</div>", page.index("byline"))
    cli("ingest", str(write("anon.html", page[:start] + '<div class="byline">by Anonymous'
                            + page[end:])))
    assert cli.records()[0]["authors"] == ["Anonymous"]


def test_a_stated_count_that_differs_is_kept_and_shown(cli, write) -> None:
    page = OLD_LAYOUT.format(rating="Mature", warning="Choose Not To Use Archive Warnings",
                             stated="2,000", body="only five words here now")
    cli("ingest", str(write("odd.html", page)))
    [r] = cli.records()
    assert (r["words"], r["stated_words"]) == (8, 2000)
    assert r["rating"] == "Mature" and r["warnings"] == [CNTW]
    shown = cli("show", str(r["id"])).stdout
    assert "2,000" in shown and "differs" in shown


# Hostile files of our own making.
CONTAINER = container()
OPF = package('<item id="c" href="c.xhtml" media-type="application/xhtml+xml"/>',
              '<itemref idref="c"/>')
LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else
                                                      b"&lol;") * 10) for i in range(1, 10))
          + b"]>")


@pytest.mark.parametrize(("name", "data", "reason"), [
    ("bomb.epub", epub({"META-INF/container.xml": CONTAINER, "content.opf": OPF,
                         "c.xhtml": b"\0" * (64 * 2**20)}), "zip bomb"),
    ("laughs.epub", epub({"META-INF/container.xml": LAUGHS + CONTAINER[21:],
                           "content.opf": OPF, "c.xhtml": b"<p>x</p>"}), "not safe"),
    ("xxe.epub", epub({"META-INF/container.xml": CONTAINER, "c.xhtml": b"<p>x</p>",
                        "content.opf": b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM '
                        b'"file:///etc/passwd">]>' + OPF[21:].replace(b"<dc:title>T",
                                                                         b"<dc:title>&x;")}),
     "not safe"),
    ("truncated.epub", (EPUB / "nianeyna_fire-and-feather_wip.epub").read_bytes()[:5000],
     "truncated"),
    ("random.epub", bytes(range(256)) * 40, "truncated"),
    ("empty.html", b"", "empty"),
    ("nul.html", b"<html>\0\0\0</html>", "binary"),
])
def test_hostile_files_are_refused_alone(cli, write, name: str, data: bytes, reason: str) -> None:
    bad, good = write(name, data), write("good.txt", "A good story.\n")
    # An empty or binary .html file is not recognisable as AO3's: name the reader.
    forced = ["--input-format", "ao3-html"] if name.endswith(".html") else []
    result = cli("ingest", str(bad), *forced, ok=False)
    [error] = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert str(bad) in error and reason in error
    result = cli("ingest", str(bad), str(good), ok=False)
    assert "ingested 1" in result.stderr and "failed 1" in result.stderr


def test_billion_laughs_in_chapter_xhtml_is_not_expanded(cli, write) -> None:
    chapter = LAUGHS + (b'<html xmlns="http://www.w3.org/1999/xhtml"><body>'
                        b"<p>&lol9; safe words</p></body></html>")
    book = write("xhtml.epub", epub({"META-INF/container.xml": CONTAINER, "content.opf": OPF,
                                      "c.xhtml": chapter}))
    cli("ingest", str(book))
    [r] = cli.records()
    assert r["words"] < 10


def test_huge_text_is_refused_without_reading_it(cli, tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as f:
        f.truncate(200 * 2**20)  # sparse: 200 MB on paper, nothing on disk
    result = cli("ingest", str(huge), ok=False)
    assert "200.0 MB, over the 64 MB limit" in result.stderr


def test_deeply_nested_html_does_not_break_ingest(cli, write) -> None:
    body = "<div>" * 100_000 + "deep words" + "</div>" * 100_000
    page = OLD_LAYOUT.format(rating="General Audiences", warning="No Archive Warnings Apply",
                             stated=6, body=body)
    result = cli("ingest", str(write("deep.html", page)), ok=False)
    assert "elements deep" in result.stderr and "Traceback" not in result.output
    shallow = page.replace("<div>" * 100_000, "<div>" * 400).replace("</div>" * 100_000,
                                                                     "</div>" * 400)
    cli("ingest", str(write("fine.html", shallow)))
    assert cli.records()[0]["words"] == 5  # "deep words" + "One more line."
