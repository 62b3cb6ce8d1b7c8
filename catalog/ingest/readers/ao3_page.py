"""Work pages saved from archiveofourown.org (`ao3-page`), not "Download → HTML" files.

    dl.work.meta.group  dd.{rating,warning,category,fandom,relationship,character,freeform}
                        .tags (a.tag each), dd.language, dd.series (a span.position per
                        series: "Part 11 of the <a>Name</a> series"), dd.collections, dd.stats
                        (dd.published; dd.status after dt "Updated:" or "Completed:";
                        dd.words; dd.chapters "N/M")
    div#workskin        div.preface (h2.title, h3.byline, div.summary, div.notes), then
                        div#chapters: a one-shot's div.userstuff, or per chapter a div.chapter
                        (preface with h3.title, summary, notes; div.userstuff opening with the
                        hidden h3.landmark "Chapter Text"; end notes); #work_endnotes after.

Pages from 2016 to 2025 differ around this skeleton (navigation, whitespace, optional
blocks, one corpus page re-indented so tags wrap), so elements are found by class and
structure, never by position. A page shows one chapter, or all with "Entire Work": each
chapter shown becomes a ChapterRecord of its content HTML only, which is what AO3 counts.
Other AO3 pages (adult-content and registered-users notices, error 404, unrevealed "Mystery
Work", series pages) are refused, saying what the page is and what to save instead.

Parsing is selectolax's HTML5 parser (Lexbor), offline, behind catalog.htmlparse's linear
guards against absurd nesting and markup that would cost it more than linear time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from catalog.errors import InputError
from catalog.htmlparse import parse_html, refusal, visible_text
from catalog.ingest import ao3
from catalog.ingest.decode import decode, read_bytes
from catalog.ingest.readers import Unit
from catalog.model import ChapterRecord, WorkRecord

_TAG_FIELDS = {"rating": "rating", "warning": "warnings", "category": "categories",
               "fandom": "fandoms", "relationship": "relationships",
               "character": "characters", "freeform": "freeform"}
_ID = re.compile(r"/(?:works|downloads)/(\d+)")
_clean, _short, _text = ao3.clean, ao3.short, visible_text


def is_ao3_page(text: str) -> bool:
    """An AO3 work page, or another AO3 site page (notice, error, series) that `read` refuses
    by name; False for AO3 downloads, which have div#preface and no dl.work.meta."""
    if ("work meta" not in text and "Archive of Our Own" not in text) or refusal(text):
        return False
    tree = parse_html(text)
    if tree.css_first("dl.work.meta") is not None:
        return True
    if tree.css_first("#preface") is not None:
        return False
    title = _clean(_text(tree.css_first("title")))
    return (title.endswith(("| Archive of Our Own", "[Archive of Our Own]"))
            or _clean(_text(tree.css_first("#header h1"))).startswith("Archive of Our Own"))


def read(unit: Unit, max_size: int) -> Iterator[WorkRecord | InputError]:
    text, encoding = decode(read_bytes(unit.path, max_size), unit.label)
    tree = parse_html(text, unit.label)
    meta = tree.css_first("dl.work.meta")
    if meta is None:
        raise InputError(unit.label, _not_a_work(tree))
    record = WorkRecord(source=unit.label, format="ao3-page", encoding=encoding)
    _read_meta(meta, record)
    _read_preface(tree.css_first("#workskin") or tree.body or tree.root, record)
    record.ao3_id = _work_id(tree)
    record.url = ao3.work_url(record.ao3_id) if record.ao3_id else None
    record.chapters = _chapters(tree.css_first("#chapters"))
    written = _written(meta)
    record.partial = written is not None and len(record.chapters) < written
    if not any(c.text.strip() for c in record.chapters):
        raise InputError(unit.label, f"AO3 work page{_for(record.ao3_id)} without its chapter "
                         "text (div#chapters): save the page again once it has fully loaded")
    yield record


def _read_meta(meta: Any, record: WorkRecord) -> None:
    for dd in meta.css("dd"):
        classes = _classes(dd)
        field = next((_TAG_FIELDS[c] for c in classes if c in _TAG_FIELDS), None)
        names = [n for a in (dd.css("a.tag") or dd.css("a")) if (n := _clean(_text(a)))]
        if field == "rating":
            record.rating = names[0] if names else None
        elif field:
            getattr(record, field).extend(names)
        elif "language" in classes:
            record.language = _clean(_text(dd)) or None
        elif "series" in classes:  # 'Part 11 of the <a>Name</a> series', once per series
            for position in dd.css("span.position"):
                link = position.css_first('a[href*="/series/"]')
                part = re.search(r"Part\s+([\d,.\s]+?)\s+of\b", _clean(_text(position)))
                if link is not None and (name := _clean(_text(link))):
                    record.series.append((name, ao3.parse_int(part[1]) if part else None))
        elif "collections" in classes:
            record.collections += names
    stats = {key: _clean(_text(node)) for key in ("published", "words", "chapters")
             if (node := meta.css_first(f"dl.stats dd.{key}")) is not None}
    status, label = meta.css_first("dl.stats dd.status"), meta.css_first("dl.stats dt.status")
    if status is not None:  # after "Updated:" (in progress) or "Completed:"
        stats["completed" if "complet" in _text(label).lower() else "updated"] = _text(status)
    ao3.apply_stats(record, {k: v.strip() for k, v in stats.items()})


def _read_preface(root: Any, record: WorkRecord) -> None:
    record.title = _clean(_text(root.css_first("h2.title"))) or None
    if (byline := root.css_first("h3.byline")) is not None:
        record.authors = _authors(byline)
    preface = next((d for d in root.css("div.preface")
                    if not {"chapter", "afterword"} & _classes(d)), None)
    if preface is not None:
        record.summary = _quote(preface.css_first("div.summary")) or None
        record.notes += [n for d in preface.css("div.notes") if (n := _quote(d))]
    if end := _quote(root.css_first("#work_endnotes")):
        record.notes.append(f"End notes: {end}")


def _authors(byline: Any) -> list[str]:
    """'pseud (login)' from /users/LOGIN/pseuds/PSEUD links; unlinked text ('Anonymous')."""
    links = byline.css('a[rel="author"]') or byline.css('a[href*="/users/"]')
    if not links:
        return [n for n in (_clean(p) for p in _text(byline).split(",")) if n]
    pairs: list[tuple[str, str | None]] = []
    for a in links:
        href = a.attributes.get("href") or ""
        login, pseud = ao3.login_from_href(href), _clean(_text(a))
        if login and pseud.endswith(f"({login})"):  # shown as 'pseud (login)' already
            pseud = pseud[: -len(login) - 2].strip()
        if not pseud and "/pseuds/" in href:
            pseud = unquote(href.split("/pseuds/", 1)[1].split("/")[0])
        pairs.append((pseud, login))
    return ao3.byline_authors(pairs)


def _chapters(box: Any) -> list[ChapterRecord]:
    """Each chapter shown: div.chapter children of div#chapters, or a one-shot's content."""
    chapters = []
    for child in _children(box) if box is not None else ():
        if "userstuff" in _classes(child):
            chapters.append(ChapterRecord(text=_content(child), text_format="html"))
        elif "chapter" in _classes(child):
            chapters.append(_chapter(child))
    return chapters


def _chapter(div: Any) -> ChapterRecord:
    chapter = ChapterRecord(text="", text_format="html")
    notes: list[str] = []
    for child in _children(div):
        if "userstuff" in _classes(child):
            chapter.text = _content(child)
        elif "preface" in _classes(child):  # before the text (title, summary, notes) or after
            if (heading := child.css_first("h3.title")) is not None:
                title = _clean(_text(heading))
                _, subtitle, chapter.position = ao3.chapter_heading(title)
                chapter.title = subtitle or title or None
            chapter.summary = chapter.summary or _quote(child.css_first("div.summary")) or None
            notes += [n for d in child.css("div.notes") if (n := _quote(d))]
    chapter.notes = "\n\n".join(notes) or None
    return chapter


def _written(meta: Any) -> int | None:
    """How many chapters the work has posted (N of "N/M"): more than a page shows means the
    page is one chapter of it."""
    node = meta.css_first("dl.stats dd.chapters")
    m = re.match(r"\s*([\d,]+)\s*/", _text(node))
    return ao3.parse_int(m[1]) if m else None


def _content(userstuff: Any) -> str:
    """The chapter's inner HTML without AO3's hidden 'Chapter Text' heading."""
    for child in _children(userstuff):
        if child.tag == "h3" and "landmark" in _classes(child):
            child.decompose()
    return (userstuff.inner_html or "").strip()


def _quote(module: Any) -> str:
    """The text of a summary or notes module's blockquote (not its heading or jump links)."""
    block = module.css_first("blockquote.userstuff") if module is not None else None
    if block is None:
        return ""
    # A newline in the source is a space (a re-indented page wraps lines mid-sentence), but
    # html_to_text keeps it as a line break: fold it first.
    for node in [t for t in block.traverse(include_text=True)
                 if t.is_text_node and "\n" in (t.text_content or "")]:
        node.replace_with(re.sub(r"\s+", " ", node.text_content))
    return ao3.html_to_text(block)


def _work_id(tree: Any) -> int | None:
    kind, kudo = tree.css_first("#kudo_commentable_type"), tree.css_first("#kudo_commentable_id")
    value = (kudo.attributes.get("value") or "").strip() if kudo is not None else ""
    if kind is not None and kind.attributes.get("value") == "Work" and value.isdigit():
        return int(value)
    return _linked_id(tree, "ul.work.navigation a, #chapters h3.title a, dd.bookmarks a")


def _not_a_work(tree: Any) -> str:
    """What the AO3 page is instead of a work, and what to save instead."""
    caution, signin = tree.css_first("p.caution"), tree.css_first("#signin")
    notice, heading = tree.css_first("p.notice"), _clean(_text(tree.css_first("#main h2")))
    if caution is not None and "adult content" in _text(caution):
        wid = _linked_id(tree, 'a[href*="view_adult=true"], li.work.blurb h4 a')
        blurb = _short(_text(tree.css_first("li.work.blurb h4.heading a")))
        go = _clean(_text(tree.css_first('a[href*="view_adult=true"]'))) or "Proceed"
        return (f"AO3 adult-content notice page{_for(wid)}{f' {blurb!r}' if blurb else ''}, "
                f'not the work itself: save the page again after choosing "{go}"')
    if signin is not None and "registered users" in _text(signin):
        return (f"AO3 'registered users only' notice page{_for(_return_to(tree))}, not the "
                "work itself: log in to AO3, open the work and save its page again")
    if notice is not None and "revealed" in _text(notice):
        where = _clean(_text(notice.css_first("a")))
        return (f"AO3 'Mystery Work' page{_for(_return_to(tree))}: an unrevealed challenge "
                f"work{f' in {where!r}' if where else ''}, no text or tags yet; save its page "
                "again once the collection reveals it")
    if "404" in heading:
        return ("AO3 'Error 404' page (the work was deleted, or the address was wrong), not "
                "a work: there is nothing in it to catalogue")
    if tree.css_first("dl.series.meta") is not None:
        works = len(tree.css("ul.series.work.index > li"))
        return (f"AO3 series page {_short(heading)!r} ({works} works listed), not a work: "
                "save each work's own page instead")
    page = _short(_text(tree.css_first("title"))) or heading
    return (f"AO3 page {page!r} shows no work (no dl.work.meta): save the work's own page, "
            "or its Download → HTML file")


def _linked_id(tree: Any, selector: str) -> int | None:
    for a in tree.css(selector):
        if m := _ID.match(urlsplit(a.attributes.get("href") or "").path):
            return int(m[1])
    return None


def _return_to(tree: Any) -> int | None:
    """The work id in the login links' ?return_to=/works/ID, on pages that show no work."""
    for node in tree.css('a[href*="return_to="], form[action*="return_to="]'):
        url = node.attributes.get("href") or node.attributes.get("action") or ""
        for target in parse_qs(urlsplit(url).query).get("return_to", []):
            if m := _ID.match(urlsplit(target).path):
                return int(m[1])
    return None


def _for(wid: int | None) -> str:
    return f" for work {wid}" if wid else ""


def _children(node: Any) -> Iterator[Any]:
    return (c for c in node.iter() if c.is_element_node)


def _classes(node: Any) -> set[str]:
    return set((node.attributes.get("class") or "").split())
