"""EPUB e-books (`epub`), above all AO3's downloads (built by calibre from the HTML download).

Typed tags come from the preface page inside the book (the OPF's `dc:subject` list flattens
them), chapters from the spine's (X)HTML documents (each read once, however often the spine
names it), read with the AO3 download layout; the OPF's title, creators, language, date,
description and calibre series are the fallback, and an EPUB that is not from AO3 becomes
one chapter per spine document. A book FanFicFare made (its package names it) is handed,
once the archive is checked, to the `fanficfare` reader.

Safety first: the archive's entry count, total uncompressed size and compression ratio are
checked from the central directory before any entry is read (a zip bomb is refused at once,
in bounded memory); XML is parsed with defusedxml (no DTDs, entities or network) and XHTML
with an HTML5 parser, which expands no custom entities.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator
from typing import Any

from catalog.errors import InputError
from catalog.htmlparse import parse_html
from catalog.ingest import ao3
from catalog.ingest.decode import read_bytes
from catalog.ingest.metadata import parse_date
from catalog.ingest.readers import Unit, fanficfare
from catalog.ingest.readers.ao3_html import end_notes, read_chapters, read_preface
from catalog.model import ChapterRecord, WorkRecord

MAX_ENTRIES = 5000
MAX_RATIO = 100  # uncompressed / compressed, for entries large enough to matter
RATIO_FLOOR = 1 << 20  # entries under 1 MiB uncompressed may compress as well as they like
_DOCUMENT_TYPES = ("application/xhtml+xml", "text/html")
NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/",
      "c": "urn:oasis:names:tc:opendocument:xmlns:container"}


def is_epub(head: bytes) -> bool:
    """A ZIP whose first entry is the EPUB `mimetype` file."""
    return head.startswith(b"PK\x03\x04") and b"mimetypeapplication/epub+zip" in head[:100]


def read(unit: Unit, max_size: int) -> Iterator[WorkRecord | InputError]:
    read_bytes(unit.path, max_size)  # existence and the size of the file itself
    try:
        with zipfile.ZipFile(unit.path) as book:
            check_archive(book, unit.label, max_size)
            yield _read_book(book, unit)
    except zipfile.BadZipFile as exc:
        raise InputError(unit.label, f"not a readable EPUB (damaged or truncated ZIP: {exc})"
                         ) from None


def check_archive(book: zipfile.ZipFile, label: str, max_size: int) -> None:
    """Refuse zip bombs from the central directory alone, before inflating anything."""
    entries = book.infolist()
    if len(entries) > MAX_ENTRIES:
        raise InputError(label, f"EPUB has {len(entries)} entries (limit {MAX_ENTRIES})")
    total = sum(e.file_size for e in entries)
    if total > 4 * max_size:
        raise InputError(label, f"EPUB unpacks to {total / 2**20:.0f} MB, over the "
                         f"{4 * max_size / 2**20:.0f} MB limit (4 × --max-size)")
    for e in entries:
        if e.file_size > RATIO_FLOOR and e.file_size > MAX_RATIO * max(e.compress_size, 1):
            raise InputError(label, f"EPUB entry {e.filename!r} compresses "
                             f"{e.file_size // max(e.compress_size, 1)}:1, a likely zip bomb")


def _xml(book: zipfile.ZipFile, name: str, label: str) -> Any:
    # loaded by the inputs that need it
    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException

    try:
        return ElementTree.fromstring(book.read(name), forbid_dtd=True)
    except KeyError:
        raise InputError(label, f"EPUB is missing {name}") from None
    except (DefusedXmlException, ElementTree.ParseError) as exc:
        raise InputError(label, f"EPUB {name} is not safe, well-formed XML ({exc})") from None


def _read_book(book: zipfile.ZipFile, unit: Unit) -> WorkRecord:
    container = _xml(book, "META-INF/container.xml", unit.label)
    rootfile = container.find(".//c:rootfile", NS)
    if rootfile is None or not rootfile.get("full-path"):
        raise InputError(unit.label, "EPUB container names no package (OPF) file")
    opf_path = rootfile.get("full-path")
    opf = _xml(book, opf_path, unit.label)
    if fanficfare.is_fanficfare_book(opf):  # its own reader, on the archive checked above
        return fanficfare.read_book(opf, ((name, _text(book, name, unit.label))
                                          for name in _spine(opf, opf_path)), unit)
    trees = [parse_html(_text(book, name, unit.label), unit.label)
             for name in _spine(opf, opf_path)]
    record = WorkRecord(source=unit.label, format="epub", encoding="utf-8")
    for tree in trees:
        if tree.css_first("#preface") is not None:
            read_preface(tree, record)
        record.notes += end_notes(tree)
    record.chapters = read_chapters(trees) or _plain_chapters(trees)
    _opf_fallbacks(opf, record)
    if not record.chapters:
        raise InputError(unit.label, "EPUB has no readable chapters")
    return record


def _spine(opf: Any, opf_path: str) -> list[str]:
    """The spine's documents in reading order, each once (an itemref repeated names no new
    chapter, and each entry is inflated once), and only (X)HTML ones: an image, a font or an
    archive in the spine is not text."""
    base = posixpath.dirname(opf_path)
    manifest = {item.get("id"): item for item in opf.iterfind(".//opf:item", NS)}
    names: dict[str, None] = {}  # insertion-ordered set
    for ref in opf.iterfind(".//opf:itemref", NS):
        item = manifest.get(ref.get("idref"))
        if item is not None and item.get("href") and _is_document(item):
            names.setdefault(posixpath.normpath(posixpath.join(base, item.get("href"))))
    return list(names)


def _is_document(item: Any) -> bool:
    """A manifest item of (X)HTML; one without a media type, by its extension."""
    media = (item.get("media-type") or "").split(";")[0].strip().lower()
    if media:
        return media in _DOCUMENT_TYPES
    return str(item.get("href")).lower().endswith((".xhtml", ".html", ".htm"))


def _text(book: zipfile.ZipFile, name: str, label: str) -> str:
    try:
        return book.read(name).decode("utf-8", errors="replace")
    except KeyError:
        raise InputError(label, f"EPUB spine names {name!r}, which is not in the book") from None


def _plain_chapters(trees: list[Any]) -> list[ChapterRecord]:
    """A non-AO3 EPUB: each spine document with text is a chapter."""
    chapters = []
    for tree in trees:
        body = tree.body
        if body is not None and body.text(deep=True).strip():
            heading = body.css_first("h1, h2, h3")
            title = " ".join(heading.text().split()) if heading is not None else None
            chapters.append(ChapterRecord(text=body.inner_html or "", text_format="html",
                                          title=title))
    return chapters


def _opf_fallbacks(opf: Any, record: WorkRecord) -> None:
    """OPF metadata for whatever the preface did not say."""
    meta = opf.find("opf:metadata", NS)
    if meta is None:
        return

    def dc(name: str) -> list[str]:
        return [" ".join((e.text or "").split()) for e in meta.iterfind(f"dc:{name}", NS)
                if (e.text or "").strip()]

    record.title = record.title or next(iter(dc("title")), None)
    record.authors = record.authors or dc("creator")
    stated = next(iter(dc("language")), None)
    record.language = record.language or (None if stated == "und" else stated)
    if record.published is None and dc("date"):

        record.published = parse_date(dc("date")[0])
    if record.summary is None and dc("description"):
        description = parse_html(dc("description")[0], record.source)
        record.summary = ao3.html_to_text(description.body) or None
    calibre = {m.get("name"): m.get("content") for m in meta.iterfind("opf:meta", NS)}
    if not record.series and calibre.get("calibre:series"):
        index = ao3.parse_int((calibre.get("calibre:series_index") or "").split(".")[0])
        record.series = [(calibre["calibre:series"], index)]
    if not any((record.rating, record.warnings, record.fandoms, record.freeform)):
        record.freeform = [s for s in dc("subject") if s.casefold() != "fanworks"]
