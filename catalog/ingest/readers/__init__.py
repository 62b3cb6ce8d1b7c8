"""Readers, one module per input format, registered by name in a plain dict.

A reader takes a `Unit` (a story file, with its sidecar metadata file if any) and yields
`WorkRecord`s, or `InputError`s for parts it could not read (a bad line of a JSONL export);
an error that spoils the whole file is raised. The reader's name is the record's `format`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from catalog.errors import InputError
from catalog.model import Kept, WorkRecord


@dataclass(frozen=True)
class Unit:
    """One thing to ingest: `path` (or "-" for standard input) read by `reader`."""

    path: Path
    reader: str
    meta: Path | None = None  # the sidecar's .yaml/.yml/.json
    # `reader` is the extension's, and the first bytes may still call for another (an AO3
    # download named .txt): looked at where the file is read, not while folders are walked.
    sniff: bool = False

    @property
    def label(self) -> str:
        return str(self.path)


# A reader yields works; our own export also yields what else the user made (Kept).
Reader = Callable[[Unit, int], Iterator[WorkRecord | Kept | InputError]]

STORY_SUFFIXES = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
                  ".jsonl": "jsonl", ".ndjson": "jsonl", ".epub": "epub", ".html": "html",
                  ".htm": "html", ".xhtml": "html", ".docx": "docx"}
SIDECAR_SUFFIXES = (".yaml", ".yml", ".json")


READERS = ("text", "markdown", "sidecar", "jsonl", "ao3-html", "epub", "ao3-page",
           "fanficfare", "ffn-page", "html", "docx")


def get_reader(name: str) -> Reader:
    # here: the readers import this package
    from catalog.ingest.readers import (
        ao3_html,
        ao3_page,
        docx,
        epub,
        fanficfare,
        ffn_page,
        html,
        jsonl,
        markdown,
        sidecar,
        text,
    )

    readers: dict[str, Reader] = {"text": text.read, "markdown": markdown.read,
                                  "sidecar": sidecar.read, "jsonl": jsonl.read,
                                  "ao3-html": ao3_html.read, "epub": epub.read,
                                  "ao3-page": ao3_page.read, "html": html.read,
                                  "docx": docx.read, "fanficfare": fanficfare.read,
                                  "ffn-page": ffn_page.read}
    return readers[name]


def reader_names() -> list[str]:
    return list(READERS)


def sniff(head: bytes) -> str | None:
    """The reader a file's first bytes call for, whatever its name: an EPUB, an AO3
    download, a saved AO3 page, a FanFicFare HTML file, a saved fanfiction.net story page,
    or None (then the extension decides). The order matters: the generic `html` reader
    never takes a page a specific reader would read or refuse."""
    # here: the readers import this package
    from catalog.ingest.readers.ao3_html import is_ao3_download
    from catalog.ingest.readers.ao3_page import is_ao3_page
    from catalog.ingest.readers.epub import is_epub
    from catalog.ingest.readers.fanficfare import is_fanficfare_html
    from catalog.ingest.readers.ffn_page import is_ffn_page

    if is_epub(head):
        return "epub"
    if b"<" not in head:  # most stories: no markup at all, nothing to decode
        return None
    text = head.decode("utf-8", errors="ignore")
    if "<" not in text[:4096]:  # saved pages may be bare fragments: no <html> needed
        return None
    if is_ao3_download(text):
        return "ao3-html"
    if is_ao3_page(text):
        return "ao3-page"
    if is_fanficfare_html(text):
        return "fanficfare"
    if is_ffn_page(text):
        return "ffn-page"
    return None
