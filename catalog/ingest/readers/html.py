"""Generic HTML (`html`): a story saved from an old archive or a writer's site, when no
more specific reader (an AO3 download or page) claims the file.

The title is the page's first `<h1>`, else its `<title>`, else the file name; the body is
the story (scripts, styles, navigation and forms are not story text). A header block at
the top of the text (`Title:`, `Author:`, `Fandom:`, `Rating:`… lines, as mailing lists
and archives posted fic) is read as a text file's header is, and leaves the body.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from catalog.errors import InputError
from catalog.htmlparse import parse_html
from catalog.ingest.decode import decode, read_bytes
from catalog.ingest.metadata import apply_fields
from catalog.ingest.readers import Unit
from catalog.ingest.readers.text import split_header, title_from_name
from catalog.model import ChapterRecord, WorkRecord

NOT_STORY = "script, style, template, nav, form, header, footer, noscript, iframe"
_BLOCKS = ("p", "div", "pre", "blockquote", "center", "span", "font", "b", "strong")


def read(unit: Unit, max_size: int) -> Iterator[WorkRecord | InputError]:
    text, encoding = decode(read_bytes(unit.path, max_size), unit.label)
    tree = parse_html(text, unit.label)
    body = tree.body
    if body is None or not body.text(deep=True).strip():
        raise InputError(unit.label, "HTML page with no text in its body")
    for node in body.css(NOT_STORY):
        node.decompose()
    record = WorkRecord(source=unit.label, format="html", encoding=encoding)
    heading = body.css_first("h1")
    page_title = tree.css_first("head title")
    if heading is not None and _words(heading.text()):
        record.title = _words(heading.text())
        heading.decompose()
    elif page_title is not None and _words(page_title.text()):
        record.title = _words(page_title.text())
    _read_header(body, record)
    record.title = record.title or title_from_name(unit)
    content = body.inner_html or ""
    if not body.text(deep=True).strip():
        raise InputError(unit.label, "HTML page with a header but no story after it")
    record.chapters = [ChapterRecord(text=content, text_format="html")]
    yield record


def _words(text: str) -> str:
    return " ".join(text.split())


def _read_header(body: Any, record: WorkRecord) -> None:
    """A `Key: value` block at the top of the text: in one block with line breaks, or a
    block a line. Read as a text file's header; the blocks it took leave the body."""
    taken: list[Any] = []
    lines: list[str] = []
    for block in _leading_blocks(body):
        text = _block_text(block)
        if not text.strip():
            taken.append(block)
            continue
        pairs, rest = split_header(text + "\n\n")  # each block wholly header, or none
        if not pairs or rest.strip():
            break  # the story starts here
        lines.append(text)
        taken.append(block)
    if not lines:
        return
    pairs, _ = split_header("\n".join(lines) + "\n\n")
    page_title, record.title = record.title, None  # the header's Title: line wins
    apply_fields(record, pairs)
    record.title = record.title or page_title
    for block in taken:
        block.decompose()


def _leading_blocks(body: Any) -> Iterator[Any]:
    """The body's first blocks, descending into a wrapper that holds the whole story."""
    node = body
    while True:
        children = [c for c in node.iter() if c.tag != "-text" or c.text().strip()]
        if len(children) == 1 and children[0].tag in ("div", "article", "main", "section"):
            node = children[0]
            continue
        break
    for child in children[:12]:
        if child.tag in _BLOCKS or child.tag == "-text":
            yield child
        else:
            return


def _block_text(block: Any) -> str:
    """A block's text with its line breaks kept."""
    for br in block.css("br"):
        br.replace_with("\n")
    return re.sub(r"[ \t]+", " ", block.text(deep=True)).strip()
