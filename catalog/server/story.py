"""A story's chapters as HTML that is safe to show.

Stored HTML (AO3's downloads, EPUBs) passes through nh3 (the Rust ammonia sanitiser): only
formatting tags and attributes survive; scripts, event handlers, styles, forms, frames
and `javascript:` links go. Plain text is escaped and laid out as paragraphs."""

from __future__ import annotations

import re
from typing import Any

import nh3
from markupsafe import Markup, escape

# What a story may keep: text formatting, lists, tables, images by address, rules.
TAGS = {"a", "abbr", "acronym", "address", "b", "big", "blockquote", "br", "center",
        "cite", "code", "del", "details", "dfn", "div", "dl", "dd", "dt", "em", "h1", "h2",
        "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "ol", "p", "pre", "q",
        "rp", "rt", "ruby", "s", "samp", "small", "span", "strike", "strong", "sub",
        "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "tt", "u",
        "ul", "var"}
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title", "width", "height"},
              "*": {"title", "lang", "dir", "align"}, "td": {"colspan", "rowspan"},
              "th": {"colspan", "rowspan"}, "ol": {"start", "type"}}
PARAGRAPH = re.compile(r"\n\s*\n")


def clean(html: str) -> Markup:
    """Stored story HTML with only formatting left."""
    return Markup(nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES,
                            url_schemes={"http", "https", "mailto"},
                            link_rel="noopener noreferrer nofollow"))


def paragraphs(text: str) -> Markup:
    """Plain text as escaped paragraphs (single line breaks kept)."""
    parts = [p.strip("\n") for p in PARAGRAPH.split(text) if p.strip()]
    return Markup("\n").join(Markup("<p>{}</p>").format(
        Markup("<br>\n").join(escape(line) for line in part.split("\n"))) for part in parts)


def body(text: str, text_format: str) -> Markup:
    return clean(text) if text_format == "html" else paragraphs(text)


def chapters(record: dict[str, Any]) -> list[dict[str, Any]]:
    """[{position, title, summary, notes, words, html}] of a record read with its text (a
    one-chapter work keeps its text in `text`)."""
    listed = record.get("chapter_list") or []
    out = []
    for chapter in listed:
        text = chapter.get("text")
        if text is None:  # one chapter: the work's text
            text = record.get("text") or ""
        out.append({**chapter, "html": body(text, chapter.get("format") or "text")})
    if not listed and record.get("text"):
        out.append({"position": 1, "title": None, "summary": None, "notes": None,
                    "words": record.get("words"), "html": paragraphs(record["text"])})
    return out
