"""Works out as books: EPUB 3 and AO3's download HTML, written by `catalog export`, served
by `catalog serve`, valid (epubcheck), and read back by `catalog ingest` as the same works."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from defusedxml import ElementTree
from starlette.testclient import TestClient

from catalog.catalogue import Catalogue
from catalog.server.app import create_app
from tests.conftest import Cli, migrated_database

EPUBCHECK = Path("/usr/share/java/epubcheck.jar")
# What must survive the round trip (the list): not id, source, format, sha256,
# encoding or timestamps.
KEPT = ("title", "authors", "fandoms", "relationships", "characters", "freeform", "warnings",
        "categories", "rating", "language", "words", "chapters", "summary", "series",
        "ao3_id", "published", "updated", "complete")


def _round_trip(corpus_db: str, folder: Path, fmt: str) -> tuple[Catalogue, Catalogue]:
    source = Catalogue(corpus_db)
    written = source.export_books(folder / fmt, format=fmt)
    assert len(written) == len(list(source.ids())) > 25
    copy = Catalogue(migrated_database(folder / f"{fmt}.db"))
    report = copy.ingest([folder / fmt])
    assert report.errors == [] and len(report.files) == len(written)
    return source, copy


@pytest.mark.parametrize("fmt", ["epub", "html"])
def test_a_book_reads_back_as_the_same_work(corpus_db: str, tmp_path: Path, fmt: str) -> None:
    source, copy = _round_trip(corpus_db, tmp_path, fmt)
    again = {int(Path(r["source"]).name.split("-")[0]): r for r in copy.works()}
    assert set(again) == set(source.ids())
    for work_id, read in again.items():
        original = source.work(work_id)
        assert {k: read[k] for k in KEPT} == {k: original[k] for k in KEPT}, work_id
        assert read["format"] == ("epub" if fmt == "epub" else "ao3-html")
    source.dispose()
    copy.dispose()


def _book(corpus_db: str, query: str) -> tuple[dict[str, Any], bytes]:
    lib = Catalogue(corpus_db)
    work = next(iter(lib.works(query, limit=1)))
    _, data = lib.book(work["id"], "epub")
    lib.dispose()
    return work, data


def test_the_epub_is_laid_out_as_the_format_asks(corpus_db: str) -> None:
    work, data = _book(corpus_db, "chapters:>2")
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        first = book.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert book.read("mimetype") == b"application/epub+zip"
        names = book.namelist()
        chapters = [n for n in names if n.startswith("OEBPS/chapter")]
        assert len(chapters) == work["chapters"]
        for name in names:
            if name.endswith((".xhtml", ".opf", ".xml")):
                ElementTree.fromstring(book.read(name))  # well-formed XML, every file
        opf = book.read("OEBPS/content.opf").decode()
        assert f"<dc:title>{work['title']}</dc:title>" in opf
        assert 'properties="nav"' in opf
        preface = book.read("OEBPS/preface.xhtml").decode()
        assert 'id="preface"' in preface and "<dt>Rating:</dt>" in preface
    assert _book(corpus_db, "chapters:>2")[1] == data  # the same work, the same bytes


def test_story_markup_is_sanitised_in_books(migrated: Any, tmp_path: Path) -> None:
    """An AO3 download whose chapter carries a script, handlers and a remote image."""
    lib = Catalogue(str(migrated))
    source = tmp_path / "hostile.html"
    source.write_text(
        '<html><head><meta name="generator" content="catalog"></head><body>'
        '<div id="preface"><div class="meta"><dl class="tags"><dt>Rating:</dt>'
        '<dd><a>Mature</a></dd></dl><h1>Hostile</h1></div></div>'
        '<div id="chapters" class="userstuff"><div class="userstuff">'
        '<p onclick="steal()">Words here.<script>alert(1)</script></p>'
        '<img src="https://tracker.example/p.gif" alt="a pixel">'
        '<center><a href="javascript:alert(2)">link</a></center></div></div>'
        '</body></html>', encoding="utf-8")
    assert lib.ingest([source]).errors == []
    work_id = next(iter(lib.ids()))
    for fmt in ("epub", "html"):
        _, data = lib.book(work_id, fmt)
        if fmt == "epub":
            with zipfile.ZipFile(io.BytesIO(data)) as book:
                data = b"".join(book.read(n) for n in book.namelist())
        text = data.decode()
        for bad in ("<script", "onclick", "javascript:"):
            assert bad not in text, (fmt, bad)
        # a book carries its images or none: the remote one leaves its description
        assert ("tracker.example" in text) is (fmt == "html")
        assert "Words here." in text
    lib.dispose()


@pytest.mark.skipif(not EPUBCHECK.exists() or shutil.which("java") is None,
                    reason="epubcheck checks the books: apt-get install epubcheck "
                           "(.ci/run installs it)")
@pytest.mark.parametrize("query", ["chapters:1 fandom:\"Legend of the Galactic Heroes\"",
                                   "chapters:>2", "language:zh"])
def test_books_pass_epubcheck(corpus_db: str, tmp_path: Path, query: str) -> None:
    """A single-chapter, a multi-chapter and a Chinese book of the real corpus."""
    _, data = _book(corpus_db, query)
    path = tmp_path / "book.epub"
    path.write_bytes(data)
    done = subprocess.run(["java", "-jar", str(EPUBCHECK), str(path)], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 fatals / 0 errors / 0 warnings" in done.stdout + done.stderr


def test_export_writes_a_file_or_a_folder_and_keeps_what_exists(cli: Cli, tmp_path: Path,
                                                                write: Any) -> None:
    from tests.factories import make_work

    for n in (1, 2):
        write(f"w/{n}.txt", make_work(f"Text {n}.", title=f"Story {n}: Ünïcode/Ok?",
                                      fandom="BtVS"))
    cli("ingest", str(tmp_path / "stories" / "w"))
    one = tmp_path / "one.epub"
    assert "exported 1 work as epub" in cli("export", "id:1", "--format", "epub", "-o",
                                             str(one)).stderr
    assert zipfile.is_zipfile(one)
    folder = tmp_path / "books"
    cli("export", "--format", "html", "-o", str(folder))
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["1-story-1-ünïcode-ok.html", "2-story-2-ünïcode-ok.html"]
    before = {p: p.stat().st_mtime_ns for p in folder.iterdir()}
    refused = cli("export", "--format", "html", "-o", str(folder), ok=False)
    assert "already exists (and 1 more); use --force" in refused.output
    assert {p: p.stat().st_mtime_ns for p in folder.iterdir()} == before
    cli("export", "--format", "html", "-o", str(folder), "--force")
    assert sorted(p.name for p in folder.iterdir()) == names  # no temporary files left
    assert "name one (or a folder) with -o" in cli("export", "--format", "epub",
                                                   ok=False).output
    assert "is a file" in cli("export", "--format", "epub", "-o", str(one), "--force",
                              ok=False).output


def test_the_server_serves_books(corpus_db: str) -> None:
    lib = Catalogue(corpus_db)
    with TestClient(create_app(lib)) as client:
        work = client.get("/works.json?limit=1").json()["rows"][0]
        epub = client.get(f"/works/{work['id']}.epub")
        assert epub.headers["content-type"] == "application/epub+zip"
        assert epub.headers["content-disposition"].startswith(
            f"attachment; filename*=UTF-8''{work['id']}-")
        assert zipfile.ZipFile(io.BytesIO(epub.content)).read("mimetype")
        html = client.get(f"/works/{work['id']}.html")
        assert html.status_code == 200 and 'id="preface"' in html.text
        assert client.get("/works/99999.epub").status_code == 404
        assert f'href="/works/{work["id"]}.epub"' in client.get(f"/works/{work['id']}").text
    lib.dispose()
