"""A story's text as HTML that is safe to show or to hand to a reader: for the served
pages and the books `export` writes.

Stored HTML (AO3's downloads, EPUBs) passes through nh3 (the Rust ammonia sanitiser): only
formatting tags and attributes survive; scripts, event handlers, styles, forms, frames
and `javascript:` links go. Plain text is escaped and laid out as paragraphs. `xhtml`
writes either as well-formed XHTML, for EPUB."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any
from xml.sax.saxutils import escape as xml_escape

import nh3
from markupsafe import Markup, escape

from catalog.markdown import render

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
    if text_format == "markdown":
        return clean(render(text))
    return clean(text) if text_format == "html" else paragraphs(text)


def chapter_texts(record: dict[str, Any], listed: list[dict[str, Any]]
                  ) -> Iterator[tuple[dict[str, Any], str, str]]:
    """(chapter, its text, its text format) for each of `listed`, the chapters of a record
    read with its text: a one-chapter work keeps its text in the record's `text`."""
    for chapter in listed:
        text = chapter.get("text")
        if text is None:  # one chapter: the work's text
            text = record.get("text") or ""
        yield chapter, text, chapter.get("format") or "text"


def chapters(record: dict[str, Any]) -> list[dict[str, Any]]:
    """[{position, title, summary, notes, words, html}] of a record read with its text."""
    listed = record.get("chapter_list") or []
    out = [{**chapter, "html": body(text, text_format)}
           for chapter, text, text_format in chapter_texts(record, listed)]
    if not listed and record.get("text"):
        out.append({"position": 1, "title": None, "summary": None, "notes": None,
                    "words": record.get("words"), "html": paragraphs(record["text"])})
    return out


VOID = frozenset({"area", "br", "col", "hr", "img", "wbr"})


# HTML 4 elements and attributes that EPUB 3's XHTML no longer has, and what stands in.
OBSOLETE = {"center": "div", "big": "span", "strike": "s", "tt": "code", "acronym": "abbr"}
OBSOLETE_ATTRIBUTES = frozenset({"align"})


class _Xhtml(HTMLParser):
    """Re-writes HTML that nh3 has cleaned as XHTML: void elements closed, every text and
    attribute escaped for XML, entities as characters, end tags only for open elements.
    For a book, HTML 4's obsolete elements become their HTML 5 kin, an image (which a
    book must carry inside it, not fetch) leaves its description, and a link to an anchor
    in the page (whose id the sanitiser removed) is no longer a link."""

    def __init__(self, book: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.book = book
        self.out: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.book:
            if tag == "img":  # its description, as an attribute: not story text
                alt = dict(attrs).get("alt")
                if alt:
                    self.out.append(f'<span role="img" aria-label="'
                                    f'{xml_escape(alt, {chr(34): "&quot;"})}"></span>')
                return
            tag = OBSOLETE.get(tag, tag)
            attrs = [(k, v) for k, v in attrs if k not in OBSOLETE_ATTRIBUTES
                     and not (k == "href" and (v or "").startswith("#"))]  # ids are gone
            if tag == "a" and "href" not in dict(attrs):  # `rel` needs a link
                attrs = [(k, v) for k, v in attrs if k != "rel"]
        written = "".join(f' {name}="{xml_escape(value or "", {chr(34): "&quot;"})}"'
                          for name, value in attrs if re.fullmatch(r"[a-z][a-z0-9-]*", name))
        if tag in VOID:
            self.out.append(f"<{tag}{written} />")
        else:
            self.out.append(f"<{tag}{written}>")
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.book:
            tag = OBSOLETE.get(tag, tag)
        if tag in self.open:
            while self.open:
                closing = self.open.pop()
                self.out.append(f"</{closing}>")
                if closing == tag:
                    break

    def handle_data(self, data: str) -> None:
        self.out.append(xml_escape(_XML_UNSAFE.sub("", data)))


_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xhtml(html: str, text_format: str = "html", *, book: bool = False) -> str:
    """A chapter's text as sanitised, well-formed XHTML; with `book`, as EPUB 3 allows."""
    parser = _Xhtml(book)
    parser.feed(str(body(html, text_format)))
    parser.close()
    if parser.open:
        parser.handle_endtag(parser.open[0])  # close what the text left open
    return "".join(parser.out)
