"""AO3 "Download → HTML" files (`ao3-html`), and the AO3 layout shared by its EPUBs.

    div#preface   p.message (work URL) · div.meta > dl.tags (dt label / dd tags) · h1 title
                  · div.byline · "Summary"/"Notes" paragraphs, each before a blockquote
    div#chapters  per chapter: div.meta.group (h2.heading, chapter summary/notes), then the
                  content (each div whose class begins with "userstuff", directly inside),
                  then div#endnotesN; a one-shot has just the content div
    div#afterword div#endnotes (work end notes)

Both the older whitespace-rich layout and the newer compact one parse the same way, since
only elements are walked. Labels are singular or plural. Only chapter content is counted.
Parsing is selectolax's HTML5 parser (Lexbor), behind catalog.htmlparse's guards: no
network, scripts and styles never become text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from catalog.errors import InputError
from catalog.htmlparse import parse_html
from catalog.ingest import ao3
from catalog.ingest.decode import decode, read_bytes
from catalog.ingest.readers import Unit
from catalog.model import ChapterRecord, WorkRecord

_TAG_FIELDS = {"warnings", "categories", "fandoms", "relationships", "characters", "freeform"}
_clean = ao3.clean


def is_ao3_download(head: str) -> bool:
    """An AO3 download (or a page of its EPUB): the preface with typed tags and the
    'Posted originally on the Archive of Our Own' message; or a download in AO3's layout
    that `catalog export --format html` wrote (its generator line)."""
    return 'id="preface"' in head and ("archiveofourown.org" in head
                                       or '<meta name="generator" content="catalog' in head)


def read(unit: Unit, max_size: int) -> Iterator[WorkRecord | InputError]:
    text, encoding = decode(read_bytes(unit.path, max_size), unit.label)
    tree = parse_html(text, unit.label)
    record = WorkRecord(source=unit.label, format="ao3-html", encoding=encoding)
    if tree.css_first("#preface") is None:
        raise InputError(unit.label, "not an AO3 download: no preface with the work's tags "
                         "(use --input-format to read it another way)")
    read_preface(tree, record)
    record.chapters = read_chapters([tree])
    record.notes += end_notes(tree)
    if not record.chapters:
        raise InputError(unit.label, "AO3 download with no chapter content (div#chapters)")
    yield record


def read_preface(tree: Any, record: WorkRecord) -> None:
    """Tags, stats, title, byline, summary and notes from the preface."""
    link = tree.css_first('p.message a[href*="/works/"]')
    if link is not None:
        record.ao3_id = ao3.work_id(link.attributes.get("href"))
        record.url = ao3.work_url(record.ao3_id) if record.ao3_id else None
    for dl in tree.css("#preface dl.tags, dl.tags"):
        _read_tags(dl, record)
        break
    heading = tree.css_first("#preface h1") or tree.css_first("p.message b")
    if heading is not None:
        record.title = _clean(heading.text())
    byline = tree.css_first("#preface .byline")
    if byline is not None:
        record.authors = _byline(byline)
    for label, block in _labelled_blocks(tree.css_first("#preface") or tree.root):
        if label == "summary":
            record.summary = ao3.html_to_text(block) or None
        elif label == "notes":
            record.notes.append(ao3.html_to_text(block))


def _read_tags(dl: Any, record: WorkRecord) -> None:
    label = None
    for node in dl.iter():
        if node.tag == "dt":
            label = ao3.label_field(node.text())
            continue
        if node.tag != "dd" or label is None:
            continue
        names = [_clean(a.text()) for a in node.css("a")] or [_clean(node.text())]
        if label == "rating":
            record.rating = names[0] if names else None
        elif label in _TAG_FIELDS:
            getattr(record, label).extend(n for n in names if n)
        elif label == "language":
            record.language = _clean(node.text()) or None
        elif label == "series":  # "Part 2 of Name"; a series without a part: its link
            record.series += ao3.parse_series(node.text()) or [(n, None) for n in names if n]
        elif label == "collections":
            record.collections += [n for n in names if n]
        elif label == "stats":
            ao3.apply_stats(record, ao3.parse_stats(node.text()))


def _byline(node: Any) -> list[str]:
    links = node.css('a[rel="author"]') or node.css("a")
    if links:
        pairs = []
        for a in links:
            name = _clean(a.text())
            login = ao3.login_from_href(a.attributes.get("href"))
            pairs.append((name, None if "(" in name else login))
        return ao3.byline_authors(pairs)
    text = re.sub(r"^\s*by\s+", "", _clean(node.text()), flags=re.IGNORECASE)
    return [n.strip() for n in text.split(",") if n.strip()]


def _labelled_blocks(container: Any) -> Iterator[tuple[str, Any]]:
    """('summary' | 'notes' | …, blockquote) for each `<p>Label</p><blockquote>` pair."""
    for p in container.css("p"):
        label = _clean(p.text()).rstrip(":").casefold()
        block = p.next
        while block is not None and not block.is_element_node:
            block = block.next
        if block is not None and block.tag == "blockquote":
            yield label, block


def read_chapters(trees: Iterable[Any]) -> list[ChapterRecord]:
    """Chapters from every div#chapters, in order (an EPUB spreads them over several files):
    a heading group starts a chapter, content divs fill the current one."""
    chapters: list[ChapterRecord] = []
    current: ChapterRecord | None = None
    for tree in trees:
        for container in tree.css("#chapters"):
            for child in container.iter():
                kind = _kind(child)
                if kind == "heading":
                    current = _heading(child)
                    chapters.append(current)
                elif kind == "content":
                    if current is None:
                        current = ChapterRecord(text="", text_format="html")
                        chapters.append(current)
                    html = child.inner_html or ""
                    current.text = f"{current.text}\n{html}" if current.text else html
                elif kind == "endnotes" and current is not None:
                    current.notes = _join(current.notes, _notes_text(child))
    return [c for c in chapters if c.text.strip() or c.title]


def _kind(node: Any) -> str | None:
    if node.tag != "div":
        return None
    classes = (node.attributes.get("class") or "").split()
    if classes and classes[0].startswith("userstuff"):
        return "content"
    if (node.id or "").startswith("endnotes"):
        return "endnotes"
    if node.css_first("h2.heading") is not None:
        return "heading"
    return None


def _heading(group: Any) -> ChapterRecord:
    heading = _clean(group.css_first("h2.heading").text())
    numbered, subtitle, _ = ao3.chapter_heading(heading)
    title = subtitle if numbered else heading or None
    chapter = ChapterRecord(text="", text_format="html", title=title)
    for label, block in _labelled_blocks(group):
        if label == "chapter summary":
            chapter.summary = ao3.html_to_text(block) or None
        elif label == "chapter notes":
            chapter.notes = _join(chapter.notes, ao3.html_to_text(block))
    return chapter


def _notes_text(node: Any) -> str:
    block = node.css_first("blockquote")
    return ao3.html_to_text(block) if block is not None else ""


def end_notes(tree: Any) -> list[str]:
    """The work's end notes (div#afterword div#endnotes)."""
    node = tree.css_first("#afterword #endnotes")
    text = _notes_text(node) if node is not None else ""
    return [f"End notes: {text}"] if text else []


def _join(first: str | None, second: str) -> str | None:
    parts = [p for p in (first, second) if p]
    return "\n\n".join(parts) or None
