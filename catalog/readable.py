"""A story as text to read in a terminal: paragraphs apart, italics as _this_, bold as
*this*, scene breaks as a centred `* * *`, list items as `- `, chapter headings
underlined. The HTML is sanitised first (`catalog.sanitize`), so nothing but the story's
words and this light markup comes out."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from catalog import sanitize

BLOCKS = frozenset({"p", "div", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "li",
                    "tr", "table", "ul", "ol", "pre", "center", "details", "summary",
                    "dl", "dt", "dd"})
MARKS = {"em": "_", "i": "_", "cite": "_", "strong": "*", "b": "*"}
SCENE_BREAK = "* * *"
# A paragraph that is only a scene-break mark: ***, * * *, ~~~, xxx, ---, ###, o0o.
BREAK_LINE = re.compile(r"^\s*(?:[*~#=\-_+•·oO0x]\s*){3,}\s*$")


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.current: list[str] = []

    def _end_paragraph(self) -> None:
        text = re.sub(r"[ \t\r\f\v]+", " ", "".join(self.current))
        text = "\n".join(line.strip() for line in text.split("\n")).strip()
        if text:
            self.paragraphs.append(SCENE_BREAK if BREAK_LINE.match(text) else text)
        self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCKS:
            self._end_paragraph()
            if tag == "li":
                self.current.append("- ")
        elif tag == "br":
            self.current.append("\n")
        elif tag == "hr":
            self._end_paragraph()
            self.paragraphs.append(SCENE_BREAK)
        elif tag in MARKS:
            self.current.append(MARKS[tag])

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCKS:
            self._end_paragraph()
        elif tag in MARKS:
            self.current.append(MARKS[tag])

    def handle_data(self, data: str) -> None:
        self.current.append(data.replace("\n", " "))

    def text(self) -> str:
        self._end_paragraph()
        kept: list[str] = []
        for paragraph in self.paragraphs:
            if paragraph == SCENE_BREAK and (not kept or kept[-1] == SCENE_BREAK):
                continue  # no break at the top, none twice
            kept.append(paragraph)
        while kept and kept[-1] == SCENE_BREAK:
            kept.pop()
        return "\n\n".join(kept)


def text_of(html: str, text_format: str = "html") -> str:
    """One chapter's text (html, markdown or text), readable."""
    return _read(str(sanitize.body(html, text_format)))


def _read(clean_html: str) -> str:
    reader = _Reader()
    reader.feed(clean_html)
    reader.close()
    return reader.text()


def story(record: dict[str, Any]) -> str:
    """A work read with its text: each chapter under its heading when it has several (or
    a title), paragraphs apart."""
    chapters = sanitize.chapters(record)
    headed = len(chapters) > 1 or bool(chapters and chapters[0].get("title"))
    parts = []
    for chapter in chapters:
        body = _read(str(chapter["html"]))  # sanitised already
        if headed:
            heading = f"Chapter {chapter['position']}" + (
                f": {chapter['title']}" if chapter.get("title") else "")
            parts.append(f"{heading}\n{'=' * min(len(heading), 78)}\n\n{body}")
        else:
            parts.append(body)
    return "\n\n\n".join(parts)
