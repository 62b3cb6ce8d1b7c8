"""A work as an EPUB 3 book: AO3's preface page (the typed tags, summary, notes and
stats), one XHTML document per chapter, a navigation document, and the package's
metadata (title, creators, language, date, summary, tags as subjects, series as a
collection). `mimetype` comes first and is stored, as the format asks. The book passes
epubcheck; `catalog ingest` reads it back as the same record (the preface is AO3's
layout, which the EPUB reader knows)."""

from __future__ import annotations

import io
import uuid
import zipfile
from typing import Any

from catalog.export.ao3html import context, templates

CONTAINER = """<?xml version="1.0" encoding="utf-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""
STYLE = """p.message { text-align: center; }
.meta h1 { font-size: 1.5em; text-align: center; }
.meta .byline { text-align: center; }
.meta dl.tags { border: 1px solid; padding: 1em; }
.meta dd { margin: -1em 0 0 10em; }
h2.heading { font-size: 1.25em; text-align: center; }
.toc-heading { display: none; }
"""
# A fixed date inside the archive, so the same work gives the same bytes.
STAMP = (2000, 1, 1, 0, 0, 0)
NAMESPACE = uuid.UUID("6f1c3a52-7d4e-4b8a-9a1e-5b0c2f3d8e71")  # catalog's own


def book(record: dict[str, Any]) -> bytes:
    """The EPUB of a work read with its text."""
    values = context(record, book=True)
    lang = record.get("language") or "und"
    parts = values["chapters"]
    for n, chapter in enumerate(parts, start=1):
        chapter["id"], chapter["file"] = f"chapter{n}", f"chapter{n:03}.xhtml"
        chapter["label"] = (f"Chapter {chapter['position']}" + (
            f": {chapter['title']}" if chapter.get("title") else ""))
    values.update(lang=lang, identifier=identifier(record), modified=modified(record),
                  subjects=subjects(record))
    env = templates()
    page = env.get_template("book.xhtml")
    files = {"OEBPS/content.opf": env.get_template("content.opf").render(values),
             "OEBPS/nav.xhtml": env.get_template("nav.xhtml").render(values),
             "OEBPS/style.css": STYLE,
             "OEBPS/preface.xhtml": page.render(values, part="preface",
                                                heading=record["title"])}
    for chapter in parts:
        files[f"OEBPS/{chapter['file']}"] = page.render(values, part="chapter", c=chapter,
                                                        heading=chapter["label"])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype", STAMP), "application/epub+zip",
                         compress_type=zipfile.ZIP_STORED)
        archive.writestr(zipfile.ZipInfo("META-INF/container.xml", STAMP), CONTAINER,
                         compress_type=zipfile.ZIP_DEFLATED)
        for name, text in files.items():
            archive.writestr(zipfile.ZipInfo(name, STAMP), text,
                             compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def identifier(record: dict[str, Any]) -> str:
    """The book's stable identifier: the AO3 work's address, else a name-based UUID of
    the text, so exporting the same work again gives the same book."""
    if record.get("url"):
        return str(record["url"])
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, str(record.get('sha256') or record['id']))}"


def modified(record: dict[str, Any]) -> str:
    """dcterms:modified as EPUB wants it (CCYY-MM-DDThh:mm:ssZ)."""
    stamp = str(record.get("modified") or "2000-01-01T00:00:00Z")
    return stamp[:19] + "Z"


def subjects(record: dict[str, Any]) -> list[str]:
    """The tags, for readers that only know dc:subject (calibre shows them as tags)."""
    out = [record["rating"]] if record.get("rating") else []
    for key in ("warnings", "categories", "fandoms", "relationships", "characters",
                "freeform"):
        out += record.get(key) or []
    return out
