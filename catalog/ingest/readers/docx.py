"""Word documents (`docx`), as writers keep their stories: the text with italics and bold,
a scene break where a paragraph is only `***`, `#` or the like, and the document's core
properties (title, author) as the work's; a first paragraph in the Title style is the
title when the properties have none. Read with python-docx, after the archive is held to
the same limits as an EPUB (no zip bombs); its XML parser resolves no entities."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from typing import Any

from markupsafe import Markup, escape

from catalog.errors import InputError
from catalog.ingest.decode import read_bytes
from catalog.ingest.readers import Unit
from catalog.ingest.readers.epub import check_archive
from catalog.ingest.readers.text import title_from_name
from catalog.model import ChapterRecord, WorkRecord

SCENE_BREAK = re.compile(r"^\s*(?:[*~#=\-_+•·oO0x]\s*){1,}\s*$")


def read(unit: Unit, max_size: int) -> Iterator[WorkRecord | InputError]:
    read_bytes(unit.path, max_size)  # existence and the size of the file itself
    try:
        with zipfile.ZipFile(unit.path) as archive:
            check_archive(archive, unit.label, max_size)
            if "word/document.xml" not in archive.namelist():
                raise InputError(unit.label, "not a Word document (no word/document.xml)")
        # loaded by the inputs that need it
        from docx import Document

        document = Document(str(unit.path))
    except zipfile.BadZipFile as exc:
        raise InputError(unit.label, f"not a readable .docx (damaged ZIP: {exc})") from None
    except (KeyError, ValueError) as exc:
        raise InputError(unit.label, f"not a readable .docx ({exc})") from None
    yield _record(document, unit)


def _record(document: Any, unit: Unit) -> WorkRecord:
    record = WorkRecord(source=unit.label, format="docx", encoding="utf-8")
    props = document.core_properties
    record.title = (props.title or "").strip() or None
    if (props.author or "").strip():
        record.authors = [props.author.strip()]
    record.language = (props.language or "").strip() or None
    paragraphs = list(document.paragraphs)
    first = next((p for p in paragraphs if p.text.strip()), None)
    if first is not None and first.style is not None and first.style.name in (
            "Title", "Heading 1") and record.title is None:
        record.title = " ".join(first.text.split())
        paragraphs.remove(first)
    record.title = record.title or title_from_name(unit)
    html = [_paragraph(p) for p in paragraphs]
    text = "\n".join(h for h in html if h)
    if not text.strip():
        raise InputError(unit.label, "Word document with no story text")
    record.chapters = [ChapterRecord(text=text, text_format="html")]
    return record


def _paragraph(paragraph: Any) -> str:
    if not paragraph.text.strip():
        return ""
    if SCENE_BREAK.match(paragraph.text) and len(paragraph.text.strip()) <= 12:
        return "<hr/>"
    parts = []
    for run in paragraph.runs:
        piece = escape(run.text)
        if run.italic:
            piece = Markup("<em>{}</em>").format(piece)
        if run.bold:
            piece = Markup("<strong>{}</strong>").format(piece)
        parts.append(str(piece))
    return f"<p>{''.join(parts)}</p>"
