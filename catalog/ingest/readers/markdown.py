"""Markdown with YAML front matter; the body is CommonMark, counted as its rendered HTML.

    ---
    title: Tea at the Magic Box
    rating: general
    relationships: [Tara Maclay/Willow Rosenberg]
    ---
    The story, in *Markdown*.

Without a `title` key, a leading `# Heading` is the title (and is not counted).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from catalog.errors import InputError
from catalog.ingest.decode import decode, read_bytes
from catalog.ingest.readers import Unit
from catalog.ingest.readers.text import parse, title_from_name
from catalog.model import WorkRecord

_H1 = re.compile(r"\A\s*#[ \t]+(.+?)[ \t#]*(?:\n|\Z)")


def read(unit: Unit, max_size: int) -> Iterator[WorkRecord | InputError]:
    text, encoding = decode(read_bytes(unit.path, max_size), unit.label)
    record = parse(text, source=unit.label, fmt="markdown", fallback_title="",
                   text_format="markdown")
    record.encoding = encoding
    chapter = record.chapters[0]
    heading = _H1.match(chapter.text)
    if heading and (not record.title or heading.group(1).strip() == record.title):
        record.title = record.title or heading.group(1).strip()
        chapter.text = chapter.text[heading.end():].lstrip("\n")
    record.title = record.title or title_from_name(unit)
    yield record
