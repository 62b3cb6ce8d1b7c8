"""Hostile inputs to the readers stay bounded in time and memory.

HTML that would cost the parser more than linear time (one tag with 80,000 attributes, or
tens of thousands of different tag and attribute names) is refused with one error line; an
EPUB's spine gives each (X)HTML document once, however often it names it, and never an
image or an archive; a large legacy-encoded text is detected on a sample and decoded whole.
Each case runs the real CLI in a subprocess beside good files, and is held to its error
line or its result, its exit status, the good files landing, and a generous bound of time
and peak memory measured for that process (the bounds are several times the figures
measured after the fix, and well under those measured before it).
"""

from __future__ import annotations

import io
import shutil
import tracemalloc
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from catalog.ingest.decode import decode
from catalog.ingest.readers import Unit
from catalog.ingest.readers import epub as epub_reader
from catalog.model import WorkRecord
from tests.conftest import SHARED
from tests.epubs import container, epub, package
from tests.factories import exported_works
from tests.hostile.process import Run

CORPUS = SHARED / "corpus"
AO3_HTML = CORPUS / "ao3-html" / "horseradish_first-as-farce.html"
AO3_PAGE = CORPUS / "ao3-page" / "mobilepages_heart.html"
AO3_EPUB = CORPUS / "epub" / "nianeyna_fire-and-feather_wip.epub"
GOOD = 5
MB = 2**20


def _batch(good: Callable[..., list[Path]], folder: Path, *real: Path) -> int:
    """Good text files and copies of real downloads in `folder`: how many should land."""
    good(folder, GOOD)
    for path in real:
        shutil.copy(path, folder / path.name)
    return GOOD + len(real)


def _landed(result: Run, count: int) -> None:
    assert f"ingested {count} " in result.stderr, result.stderr + result.stderr
    assert "Traceback" not in result.stderr, result.stderr


# Lexbor took 11 to 35 s over each of these (twice for a chapter: once to read the file,
# once to count its words) before they were refused; now about a second for the batch.
ATTRIBUTES = "<p " + " ".join(f"a{i}" for i in range(80_000)) + ">text</p>"
NAMES = "".join(f"<p n{i}>x</p>" for i in range(160_000))


def _into_chapter(html: str, markup: str, pad: int = 0) -> str:
    """`markup` inside the first chapter's content, after `pad` characters of paragraphs."""
    at = html.index(">", html.index('<div class="userstuff')) + 1
    return html[:at] + "<p>Padding words here.</p>" * (pad // 26) + markup + html[at:]


HOSTILE_HTML: dict[str, tuple[Callable[[], str], str]] = {  # name -> (content, in the error)
    "download-attributes.html": (lambda: _into_chapter(
        AO3_HTML.read_text("utf-8"), ATTRIBUTES), "on one <p> tag"),
    "download-names.html": (lambda: _into_chapter(
        AO3_HTML.read_text("utf-8"), NAMES), "different tag and attribute names"),
    # past the 64 KB that identify a saved page, so that it is read as one and refused
    "page-attributes.html": (lambda: _into_chapter(
        AO3_PAGE.read_text("utf-8"), ATTRIBUTES, pad=70_000), "on one <p> tag"),
    "html-body.txt": (lambda: "Title: Paragraphs\n\n<p>Words.</p>" + ATTRIBUTES,
                      "on one <p> tag"),
    # Lexbor's time grows with the square of one <select>'s options (40,000: 26 s)
    "menu.html": (lambda: "<h1>Menu</h1><p>Words.</p><select>" + "<option>x" * 40_000
                  + "</select>", "40,000 <option> elements"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_HTML))
def test_html_costing_the_parser_more_than_linear_time_is_refused_alone(
        name: str, run: Callable[..., Run], good: Callable[..., list[Path]],
        tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    landing = _batch(good, folder, AO3_HTML)
    make, words = HOSTILE_HTML[name]
    (folder / name).write_text(make(), "utf-8")
    result = run("ingest", "-j", "1", str(folder))
    assert result.returncode == 1
    [error] = result.lines("error:")
    assert error.startswith(f"error: {folder / name}: HTML with ") and words in error, error
    assert error.endswith("too many to parse in reasonable time: not read"), error
    _landed(result, landing)
    assert "failed 1" in result.stderr
    assert result.seconds < 20 and result.peak_mb < 400, (result.seconds, result.peak_mb)


CONTAINER = container("OEBPS/content.opf")
CHAPTER = b"<html><body><p>" + b"word " * 4000 + b"</p></body></html>"


def _spine_epub() -> bytes:
    """One chapter named 10,000 times by the spine, then an image and a nested archive."""
    nested = io.BytesIO()
    with zipfile.ZipFile(nested, "w") as inner:
        inner.writestr("inner.xhtml", "<p>nested archive words</p>")
    items = [("c1", "text/c1.xhtml", "application/xhtml+xml"), ("img", "cover.png", "image/png"),
             ("zip", "more.zip", "application/zip")]
    manifest = "".join(f'<item id="{i}" href="{h}" media-type="{m}"/>' for i, h, m in items)
    spine = '<itemref idref="c1"/>' * 10_000 + '<itemref idref="img"/><itemref idref="zip"/>'
    opf = package(manifest, spine, title="Spun")
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64
    return epub({"META-INF/container.xml": CONTAINER, "OEBPS/content.opf": opf,
                 "OEBPS/text/c1.xhtml": CHAPTER, "OEBPS/cover.png": png,
                 "OEBPS/more.zip": nested.getvalue()})


def test_epub_spine_gives_each_document_once_and_only_documents(
        run: Callable[..., Run], good: Callable[..., list[Path]], tmp_path: Path) -> None:
    # Before: 10,002 chapters (the image and the archive among them, as text), 40 million
    # words, 38 s and 4.8 GB; now one chapter of 4,000 words in about a second.
    folder = tmp_path / "batch"
    landing = _batch(good, folder, AO3_EPUB) + 1
    (folder / "spun.epub").write_bytes(_spine_epub())
    result = run("ingest", "-j", "1", str(folder))
    assert result.returncode == 0, result.stderr
    _landed(result, landing)
    exported = run("export")
    [spun] = [r for r in exported_works(exported.stdout) if r["title"] == "Spun"]
    assert spun["chapters"] == 1 and spun["words"] == 4000
    assert "nested" not in spun["text"] and "PNG" not in spun["text"]
    assert result.seconds < 20 and result.peak_mb < 400, (result.seconds, result.peak_mb)


def test_each_epub_entry_is_inflated_once(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "spun.epub"
    path.write_bytes(_spine_epub())
    reads: Counter[str] = Counter()
    inflate = zipfile.ZipFile.read

    def counted(self: zipfile.ZipFile, name: Any, pwd: bytes | None = None) -> bytes:
        reads[str(name)] += 1
        return inflate(self, name, pwd)

    monkeypatch.setattr(zipfile.ZipFile, "read", counted)
    [record] = list(epub_reader.read(Unit(path, "epub"), 64 * MB))
    assert reads and max(reads.values()) == 1, reads
    assert "OEBPS/cover.png" not in reads and "OEBPS/more.zip" not in reads
    assert isinstance(record, WorkRecord) and len(record.chapters) == 1


def _legacy_text(size: int) -> bytes:
    """Windows-1252 prose of about `size` bytes: curly quotes, ellipses, dashes, accents."""
    lines = [f"\u201cLine {i},\u201d she said\u2026 The na\u00efve caf\u00e9 owner \u2013 "
             f"Ren\u00e9e \u2013 lit lantern {i % 97} for the crypt keeper.\n"
             for i in range(2000)]
    block = "".join(lines).encode("cp1252")
    return b"Title: Lanterns\nAuthor: Quill\n\n" + block * (size // len(block) + 1)


def test_large_legacy_text_is_detected_on_a_sample_and_decoded_whole(
        run: Callable[..., Run], good: Callable[..., list[Path]], tmp_path: Path) -> None:
    # 8 MB of Windows-1252: before, 4.1 s and a 346 MB peak (detection over the whole
    # file); now 3.6 s and 191 MB, most of it counting and indexing the words.
    folder = tmp_path / "batch"
    landing = _batch(good, folder) + 1
    data = _legacy_text(8 * MB)
    (folder / "lanterns.txt").write_bytes(data)
    result = run("ingest", "-j", "1", str(folder))
    assert result.returncode == 0, result.stderr
    _landed(result, landing)
    [record] = [r for r in exported_works(run("export").stdout)
                if r["title"] == "Lanterns"]
    assert record["encoding"] == "windows-1252"
    assert record["text"] == data.decode("cp1252").split("\n\n", 1)[1]
    assert result.seconds < 40 and result.peak_mb < 300, (result.seconds, result.peak_mb)


def test_decoding_peaks_at_a_few_times_the_file() -> None:
    data = _legacy_text(8 * MB)
    tracemalloc.start()
    try:
        text, encoding = decode(data, "lanterns.txt")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert encoding == "windows-1252" and text == data.decode("cp1252")
    # The text (two bytes a character here) and one copy while the decoder widens it;
    # detection over the whole file used to take 30 times the file.
    assert peak < 6 * len(data), peak / len(data)


def test_a_part_the_sample_missed_is_detected_again() -> None:
    data = _legacy_text(3 * MB)
    bad = data[:-1000] + b" \x81 " + data[-1000:]  # no character in Windows-1252
    text, encoding = decode(bad, "odd.txt")
    assert encoding != "windows-1252" and bad.decode(encoding) == text
