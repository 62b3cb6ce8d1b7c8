"""A work as AO3 lays out its "Download → HTML": the preface (rating, warnings, category,
fandoms, relationships, characters, additional tags, language, series, stats, title,
byline, summary, notes), then the chapters. The markup is XHTML-clean, so the EPUB
writer uses the same parts, and `catalog ingest` reads either back as the same record
(`catalog.ingest.readers.ao3_html`, which knows this file by its generator line)."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from catalog import __version__, sanitize, vocab

GENERATOR = "catalog"  # the <meta name="generator"> that marks our own downloads


@cache
def templates() -> Environment:
    env = Environment(loader=PackageLoader("catalog.export", "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.globals.update(paragraphs=paragraphs, version=__version__)
    return env


def paragraphs(text: str) -> list[Markup]:
    """Text as escaped paragraphs, its single line breaks kept as `<br />`."""
    return [Markup("<br />").join(escape(line) for line in block.split("\n"))
            for block in re.split(r"\n\s*\n", text.strip()) if block.strip()]


def language_name(code: str | None) -> str | None:
    """The language as AO3 prints it where the table knows a name ("en" -> "English")."""
    names = vocab.language_names(code) if code else ()
    name = next(iter(names), code)
    return name.title() if name and name.isascii() else name


def stats(record: dict[str, Any]) -> list[tuple[str, str]]:
    """AO3's Stats line: Published, Updated or Completed, Words, Chapters N/M."""
    out = []
    if record.get("published"):
        out.append(("Published", record["published"]))
    updated, completed = record.get("updated"), record.get("completed")
    if updated and updated != completed:
        out.append(("Updated", updated))
    if completed:
        out.append(("Completed", completed))
    out.append(("Words", f"{record.get('words') or 0:,}"))
    chapters = record.get("chapters") or 1
    expected = record.get("expected_chapters")
    if record.get("complete"):
        total = str(chapters)  # AO3's N/N
    else:  # in progress: the planned total when it is known, else "?"
        total = str(expected) if expected and expected != chapters else "?"
    out.append(("Chapters", f"{chapters}/{total}"))
    return out


def chapters(record: dict[str, Any], *, book: bool = False) -> list[dict[str, Any]]:
    """Each chapter with its text as sanitised XHTML (`xhtml`); `book`: as EPUB allows."""
    listed = record.get("chapter_list") or [{"position": 1, "format": "text"}]
    return [{**chapter, "xhtml": Markup(sanitize.xhtml(text, text_format, book=book))}
            for chapter, text, text_format in sanitize.chapter_texts(record, listed)]


def context(record: dict[str, Any], *, book: bool = False) -> dict[str, Any]:
    parts = chapters(record, book=book)
    return {"w": record, "chapters": parts, "stats": stats(record),
            "language": language_name(record.get("language")),
            "headed": len(parts) > 1 or bool(parts and parts[0].get("title"))}


def render(record: dict[str, Any]) -> str:
    """The whole download page of a work read with its text."""
    return templates().get_template("work.html").render(context(record))
