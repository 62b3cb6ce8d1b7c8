"""Word documents (`docx`): the text with italics, bold and scene breaks, and the core
properties as title and author; a damaged or oversized archive is one clear line."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from docx import Document

from tests.conftest import Cli


def _story(path: Path, *, title: str | None = "Sea Glass", author: str | None = "Wren",
           heading: str | None = None) -> Path:
    document = Document()
    if title:
        document.core_properties.title = title
    document.core_properties.author = author or ""  # python-docx writes its own name
    if heading:
        document.add_heading(heading, level=0)
    first = document.add_paragraph("She walked the ")
    first.add_run("whole").italic = True
    first.add_run(" beach. ")
    first.add_run("Twice.").bold = True
    document.add_paragraph("")
    document.add_paragraph("* * *")
    document.add_paragraph("Morning came & went.")
    document.save(path)
    return path


def test_text_styles_scene_breaks_and_properties(cli: Cli, tmp_path: Path) -> None:
    cli("ingest", str(_story(tmp_path / "sea.docx")))
    record = json.loads(cli("show", "1", "--format", "json").stdout)
    assert record["format"] == "docx" and record["title"] == "Sea Glass"
    assert record["authors"] == ["Wren"] and record["words"] == 9
    assert "<em>whole</em>" in record["text"] and "<strong>Twice.</strong>" in record["text"]
    assert "<hr/>" in record["text"] and "&amp; went" in record["text"]
    text = cli("show", "1", "--text", "--no-pager").stdout
    assert "_whole_" in text and "* * *" in text


def test_a_title_paragraph_when_the_properties_have_none(cli: Cli, tmp_path: Path) -> None:
    cli("ingest", str(_story(tmp_path / "x.docx", title=None, author=None,
                             heading="Low Tide")))
    record = json.loads(cli("show", "1", "--format", "json").stdout)
    assert record["title"] == "Low Tide" and record["authors"] == []
    assert "Low Tide" not in record["text"]


def test_damaged_documents_are_one_line(cli: Cli, tmp_path: Path) -> None:
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    done = cli("ingest", str(broken), ok=False)
    assert "broken.docx: not a readable .docx" in done.output
    other = tmp_path / "other.docx"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert "not a Word document" in cli("ingest", str(other), ok=False).output
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<a>" + " " * 50_000_000 + "</a>")
    assert "zip bomb" in cli("ingest", str(bomb), ok=False).output
