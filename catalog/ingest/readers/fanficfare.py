"""FanFicFare's EPUB and HTML downloads (`fanficfare`), from any site it supports.

What FanFicFare writes (its writers, with the labels and per-site sections of defaults.ini):

    EPUB  content.opf: dc:contributor "FanFicFare [https://github.com/JimmXinu/FanFicFare]"
          (EPUB 3 adds its role "bkp"), unique-identifier "fanficfare-uid", dc:title,
          dc:creator, dc:description, dc:subject (the tags, flattened), the story URL as
          dc:source and as dc:identifier (opf:scheme URL, or "URL:…"), calibre:series.
          Spine: cover.xhtml, title_page.xhtml (body.fff_titlepage), toc_page.xhtml
          (fff_tocpage), log_page.xhtml (fff_logpage, the update log), then one
          fileNNNN.xhtml per chapter (body.fff_chapter: h3.fff_chapter_title, the text).
    HTML  one file: h1 (the title, linked to the story URL, "by" a.authorlink), table.full
          (the title page), "Table of Contents" (a[name=TOCTOP]), then per chapter
          `<a name="sectionNNNN"><h2>title</h2></a>` followed by its HTML.

The title page's heading links the story URL (the work's identity; an archiveofourown.org
URL gives the AO3 id too) and its authors; its entries are `<b>Label:</b> value<br />` (table
rows in HTML), list values joined by ", ". A label's meaning depends on the site: on AO3 and
the other OTW archives Category holds the fandoms and Genre the additional tags and AO3's
categories together (`include_in_genre: genre, freeformtags, ao3categories`); on any other
site Category is the fandom(s) and Genre the site's genres (additional tags); Relationships
(fanfiction.net: Pairings), Characters, Rating (as the site wrote it), Warnings, Status
(Completed / In-Progress), Published, Updated, Words (the stated count), Series ("Name [2]")
and Summary are the same everywhere. The OPF fills what a book without a title page lacks.

The title page, contents page and update log are not story text. Each chapter file (each
section of the HTML) is one chapter, without its title heading; the notes FanFicFare puts
around a chapter (div.fff_chapter_notes: work notes, chapter summary and notes) leave the
text for the record's and the chapter's notes, as AO3's own downloads keep them apart.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from catalog.errors import InputError
from catalog.htmlparse import parse_html
from catalog.ingest import ao3
from catalog.ingest.decode import decode, read_bytes
from catalog.ingest.metadata import parse_date
from catalog.ingest.readers import Unit
from catalog.model import ChapterRecord, WorkRecord
from catalog.vocab import CATEGORIES

NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
_MAKERS = ("fanficfare", "fanficdownloader")  # dc:contributor (FanFicFare's older name too)
# Title-page label (defaults.ini's `*_label`, lower case) -> FanFicFare's metadata entry.
_LABELS = {
    "category": "category", "fandoms": "fandoms", "genre": "genre",
    "freeform tags": "freeformtags", "ao3 categories": "ao3categories",
    "characters": "characters", "relationships": "ships", "pairings": "ships",
    "rating": "rating", "warnings": "warnings", "status": "status", "language": "language",
    "published": "datePublished", "updated": "dateUpdated", "words": "numWords",
    "chapters": "numChapters", "series": "series", "additional series": "series",
    "collections": "collections", "summary": "description", "story url": "storyUrl",
    "publisher": "site",
}
# Sites whose Genre carries AO3's categories (their defaults.ini sections say
# `include_in_genre: genre, freeformtags, ao3categories`).
_OTW_SITES = frozenset({"archiveofourown.org", "squidgeworld.org", "superlove.sayitditto.net",
                        "www.adastrafanfic.com", "www.cfaarchive.org"})
_AO3_HOSTS = frozenset({"archiveofourown.org", "www.archiveofourown.org"})
_FFN_HOSTS = frozenset({"www.fanfiction.net", "m.fanfiction.net", "www.fictionpress.com"})
_COMPLETE = frozenset({"completed", "complete"})
_IN_PROGRESS = frozenset({"in-progress", "in progress", "incomplete", "ongoing", "wip"})
# Pages of the book that are not story text, by body class or file name.
_NOT_STORY = {"fff_titlepage": "title_page", "fff_tocpage": "toc_page",
              "fff_logpage": "log_page", "fff_coverpage": "cover"}
_SERIES = re.compile(r"^(.*?)\s*\[([\d.,]+)\]$", re.DOTALL)
_FILE_NUMBER = re.compile(r"file(\d+)\.x?html?$", re.IGNORECASE)
# A chapter section of the HTML file, and its heading. FanFicFare writes titles as text (no
# tags: "<" is "&lt;"), so each match attempt stops at the next "<": linear on any input.
_SECTION = re.compile(r'<a name="section(\d+)"><h2>([^<]*)</h2></a>')
_HTML_HEADING = re.compile(r"""<h1><a href="[^"<]*">[^<]*</a> by <a class='authorlink'""")
# Subjects FanFicFare adds of its own (extratags, lastupdate, status), not the story's tags.
_OWN_SUBJECT = re.compile(r"^(FanFiction|Last Update( Year/Month)?: .*|Completed|In-Progress)$")
_NUMBERED = re.compile(r"^(\d+)[.:\s-]+(?=\S)")  # "3. Title", as chapter menus number them
# A download of some chapters: defaults.ini's title_chapter_range_pattern, "${title} (Ch
# ${first}-${last})"; its chapter files are numbered from 1 all the same.
_RANGE = re.compile(r"^(.*\S)\s+\(Ch ([\d,]+)-([\d,]+)\)$", re.DOTALL)
_NOTES = {"summary for the chapter": "summary", "notes for the chapter": "notes",
          "author's note": "work", "author\u2019s note": "work"}

_BLOCKS = "p, div, blockquote, ul, ol, li, h1, h2, h3, h4, h5, h6, hr, table, tr"
_PARAGRAPH, _LINE = "\u2029", "\u2028"  # stand for block edges and <br> in a note's text

Entry = tuple[str | None, list[Any]]  # (FanFicFare's entry name, the value's nodes)


def is_fanficfare_html(text: str) -> bool:
    """FanFicFare's HTML download: its h1 linking the story "by" a.authorlink (FanFicFare's
    own link markup), then its title page table, contents or first chapter section."""
    return ("class='authorlink'" in text and _HTML_HEADING.search(text) is not None
            and any(mark in text for mark in ('<table class="full">', '<a name="TOCTOP">',
                                               '<a name="section0001">')))


def is_fanficfare_book(opf: Any) -> bool:
    """An EPUB package FanFicFare wrote: its contributor line or its unique identifier."""
    meta = opf.find("opf:metadata", NS)
    if meta is None:
        return False
    makers = " ".join(e.text or "" for e in meta.iterfind("dc:contributor", NS)).casefold()
    ids = [e.text or "" for e in meta.iterfind("dc:identifier", NS)]
    return (any(m in makers for m in _MAKERS) or opf.get("unique-identifier") == "fanficfare-uid"
            or any(i.startswith("fanficfare-uid:") for i in ids))


def read(unit: Unit, max_size: int) -> Iterator[WorkRecord | InputError]:
    """A FanFicFare HTML file, or (named with --input-format) a FanFicFare EPUB."""
    data = read_bytes(unit.path, max_size)
    if data.startswith(b"PK\x03\x04"):
        del data
        yield _epub(unit, max_size)
        return
    text, encoding = decode(data, unit.label)
    yield read_html(text, encoding, unit)


def _epub(unit: Unit, max_size: int) -> WorkRecord:
    # here: the epub reader, which imports this module, checks the archive and hands it back
    from catalog.ingest.readers import epub

    for item in epub.read(unit, max_size):
        if isinstance(item, WorkRecord) and item.format != "fanficfare":
            raise InputError(unit.label, "an EPUB FanFicFare did not make (no FanFicFare "
                             "contributor in its package): read it as epub")
        if isinstance(item, WorkRecord):
            return item
    raise InputError(unit.label, "EPUB with no readable book")


# EPUB -------------------------------------------------------------------------------------


def read_book(opf: Any, documents: Iterable[tuple[str, str]], unit: Unit) -> WorkRecord:
    """A FanFicFare EPUB, from its package and its spine's (name, XHTML) documents, which
    epub.py has read from an archive it checked."""
    record = WorkRecord(source=unit.label, format="fanficfare", encoding="utf-8")
    entries: list[Entry] | None = None
    for name, text in documents:
        tree = parse_html(text, unit.label)
        kind = _page_kind(tree, name)
        if kind == "title_page" and entries is None:
            entries = _read_heading(tree, "h3", record)
        elif kind is None:
            chapter = _chapter(tree, record, _position(name))
            if chapter is not None:
                record.chapters.append(chapter)
    _opf_metadata(opf, record, not entries)
    if entries:
        _apply(entries, record)
    if not record.chapters:
        raise InputError(unit.label, "FanFicFare EPUB with no chapter text (its fileNNNN.xhtml "
                         "documents are missing or empty)")
    return _finish(record)


def _page_kind(tree: Any, name: str) -> str | None:
    """'title_page', 'toc_page', 'log_page', 'cover', or None for a chapter."""
    body = tree.body
    classes = ((body.attributes.get("class") or "") if body is not None else "").split()
    for cls in classes:
        if cls in _NOT_STORY:
            return _NOT_STORY[cls]
    stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0].casefold()
    return stem if stem in _NOT_STORY.values() else None


def _position(name: str) -> int | None:
    m = _FILE_NUMBER.search(name)
    return int(m.group(1)) if m else None


def _chapter(tree: Any, record: WorkRecord, position: int | None) -> ChapterRecord | None:
    body = tree.body
    if body is None:
        return None
    heading = body.css_first("h3.fff_chapter_title")
    titles = [tree.css_first(f'meta[name="{n}"]') for n in ("chapterorigtitle", "chaptertitle")]
    title = next((t.attributes.get("content") for t in titles if t is not None), None)
    if not title and heading is not None:
        title = heading.text()
    if heading is not None:
        heading.decompose()
    return _story_chapter(body, record, title, position)


def _opf_metadata(opf: Any, record: WorkRecord, untitled: bool) -> None:
    """The package's metadata for what the title page did not say. Without a title page,
    the language, summary and tags (the subjects, untyped, as epub.py reads them) too;
    with one, not its language, since FanFicFare writes 'en' when the site named none."""
    meta = opf.find("opf:metadata", NS)
    if meta is None:
        return

    def dc(name: str) -> list[Any]:
        return [e for e in meta.iterfind(f"dc:{name}", NS) if (e.text or "").strip()]

    record.title = record.title or next((ao3.clean(e.text) for e in dc("title")), None)
    record.authors = record.authors or [ao3.clean(e.text) for e in dc("creator")]
    record.url = record.url or _opf_url(dc("source"), dc("identifier"))
    events = {e.get(f"{{{NS['opf']}}}event"): parse_date(e.text) for e in dc("date")}
    record.published = record.published or events.get("publication")
    record.updated = record.updated or events.get("modification")
    if untitled:
        language = next((ao3.clean(e.text) for e in dc("language")), None)
        record.language = None if language == "und" else language
        record.summary = next((_html_text(e.text) for e in dc("description")), None)
        subjects = [ao3.clean(e.text) for e in dc("subject")]
        record.freeform = [s for s in subjects if not _OWN_SUBJECT.match(s)]
    calibre = {m.get("name"): m.get("content") for m in meta.iterfind("opf:meta", NS)}
    if not record.series and calibre.get("calibre:series"):
        index = ao3.parse_int((calibre.get("calibre:series_index") or "").split(".")[0])
        record.series = [(calibre["calibre:series"], index or None)]


def _opf_url(sources: list[Any], identifiers: list[Any]) -> str | None:
    """dc:source, else the dc:identifier of scheme URL (EPUB 3: "URL:…")."""
    if sources:
        return ao3.clean(sources[0].text)
    for e in identifiers:
        text = ao3.clean(e.text)
        if text.startswith("URL:"):
            return text[4:]
        if (e.get(f"{{{NS['opf']}}}scheme") or "").upper() == "URL":
            return text
    return None


# HTML -------------------------------------------------------------------------------------


def read_html(text: str, encoding: str, unit: Unit) -> WorkRecord:
    """FanFicFare's HTML download: the title page before the first chapter section, then
    each section (read apart, so one chapter's broken markup cannot swallow the next)."""
    parts = _SECTION.split(text)
    if len(parts) < 4 and not is_fanficfare_html(text):
        raise InputError(unit.label, "not a FanFicFare HTML download: no title page heading "
                         "or chapter sections (use --input-format html to read it as a page)")
    record = WorkRecord(source=unit.label, format="fanficfare", encoding=encoding)
    entries = _read_heading(parse_html(parts[0], unit.label), "h1", record)
    for i in range(1, len(parts) - 2, 3):
        body = parse_html(parts[i + 2], unit.label).body
        title = html.unescape(parts[i + 1])
        chapter = _story_chapter(body, record, title, int(parts[i]))
        if chapter is not None:
            record.chapters.append(chapter)
    _apply(entries, record)
    if not record.chapters:
        raise InputError(unit.label, "FanFicFare HTML download with no chapter text "
                         '(no <a name="sectionNNNN"> chapter sections)')
    return _finish(record)


# The title page ----------------------------------------------------------------------------


def _read_heading(tree: Any, tag: str, record: WorkRecord) -> list[Entry]:
    """Title, story URL and authors from the heading; the entries of the title page."""
    heading = tree.css_first(tag)
    if heading is not None:
        link = next((a for a in heading.css("a") if "authorlink" not in _classes(a)), None)
        if link is not None:
            record.title = ao3.clean(link.text()) or None
            record.url = ao3.clean(link.attributes.get("href")) or None
        record.authors = _authors(heading.css("a.authorlink"), record.url)
    table = tree.css_first("table.full")
    if table is not None:
        return _table_entries(table)
    box = next((n for n in (tree.body.iter() if tree.body else ()) if n.tag == "div"), None)
    return _div_entries(box) if box is not None else []


def _authors(links: list[Any], url: str | None) -> list[str]:
    """Author names; on AO3 `pseud (login)` as AO3's own files give them."""
    if _host(url) in _AO3_HOSTS:
        return ao3.byline_authors([(ao3.clean(a.text()), ao3.login_from_href(
            a.attributes.get("href"))) for a in links])
    return [name for a in links if (name := ao3.clean(a.text()))]


def _div_entries(box: Any) -> list[Entry]:
    """`<b>Label:</b> value<br />` entries: a label opens an entry only first or after a
    line break, so bold text inside a value (a summary's) stays in it."""
    entries: list[Entry] = []
    at_start = True
    for node in box.iter(include_text=True):
        if node.tag == "b" and at_start and node.text().strip().endswith(":"):
            entries.append((_label(node.text()), []))
            at_start = False
            continue
        if node.tag == "br":
            at_start = True
        elif node.tag != "-text" or node.text().strip():
            at_start = False
        if entries:
            entries[-1][1].append(node)
    return entries


def _table_entries(table: Any) -> list[Entry]:
    """Rows of `<td><b>Label:</b></td><td>value</td>`, or one wide cell with both."""
    entries: list[Entry] = []
    for row in _rows(table):
        cells = [c for c in row.iter() if c.tag in ("td", "th")]
        if len(cells) >= 2:
            entries.append((_label(cells[0].text()), list(cells[1].iter(include_text=True))))
        elif cells:
            nodes = list(cells[0].iter(include_text=True))
            bold = next((i for i, n in enumerate(nodes) if n.tag == "b"), None)
            if bold is not None:
                entries.append((_label(nodes[bold].text()), nodes[bold + 1:]))
    return entries


def _rows(table: Any) -> Iterator[Any]:
    """The table's own rows (directly, or in its tbody), not those of a nested table."""
    for child in table.iter():
        if child.tag == "tr":
            yield child
        elif child.tag in ("tbody", "thead", "tfoot"):
            yield from (row for row in child.iter() if row.tag == "tr")


def _label(text: str) -> str | None:
    return _LABELS.get(ao3.clean(text).rstrip(":").strip().casefold())


def _apply(entries: list[Entry], record: WorkRecord) -> None:
    """The title page's entries as typed fields, by what the story's site puts in each."""
    host = _host(record.url)

    def text(key: str) -> str | None:
        return next((t for k, nodes in entries if k == key and (t := _text(nodes))), None)

    def names(*keys: str) -> list[str]:
        return [n for k, nodes in entries if k in keys for n in _split(_text(nodes))]

    genre = names("genre", "freeformtags")
    if host in _OTW_SITES:
        record.categories = _unique(names("ao3categories") + [g for g in genre if g in CATEGORIES])
        genre = [g for g in genre if g not in CATEGORIES]
    elif host in _FFN_HOSTS:  # FanFicFare writes FFN's Hurt/Comfort genre as Hurt-Comfort
        genre = ["Hurt/Comfort" if g == "Hurt-Comfort" else g for g in genre]
    record.fandoms = _unique(names("category", "fandoms"))
    record.freeform = _unique(genre)
    record.warnings = _unique(names("warnings"))
    record.relationships = _unique(names("ships"))
    record.characters = _unique(names("characters"))
    record.collections = _unique(names("collections"))
    record.rating = text("rating")
    record.language = text("language") or record.language
    record.url = record.url or text("storyUrl")
    summary = next((nodes for k, nodes in entries if k == "description"), None)
    if summary is not None:
        record.summary = _html_text("".join(n.html or "" for n in summary)) or record.summary
    status = (text("status") or "").casefold()
    record.complete = True if status in _COMPLETE else False if status in _IN_PROGRESS else None
    record.published = _date(text("datePublished")) or record.published
    record.updated = _date(text("dateUpdated")) or record.updated
    record.stated_words = ao3.parse_int(text("numWords") or "")
    if record.complete:  # how many chapters it has, now that it is finished
        record.expected_chapters = ao3.parse_int(text("numChapters") or "")
        record.completed = record.updated
    series = [s for k, nodes in entries if k == "series" if (s := _series(_text(nodes)))]
    record.series = series or record.series


def _series(text: str) -> tuple[str, int | None] | None:
    """'Name [2]' -> ('Name', 2); a name alone has no part."""
    m = _SERIES.match(text)
    if m is None:
        return (text, None) if text else None
    return m.group(1).strip(), ao3.parse_int(m.group(2).split(".")[0])


# Chapters ----------------------------------------------------------------------------------


def _story_chapter(body: Any, record: WorkRecord, title: str | None,
                   position: int | None) -> ChapterRecord | None:
    """A chapter's text without FanFicFare's notes around it, which go to the chapter's
    summary and notes (and the work's notes); None for a section with no text."""
    if body is None:
        return None
    chapter = ChapterRecord(text="", text_format="html", position=position,
                            title=_chapter_title(title, position))
    for box in body.css("div.fff_chapter_notes"):
        _take_notes(box, chapter, record, foot="fff_foot_notes" in _classes(box))
        box.decompose()
    if not body.text(deep=True).strip() and body.css_first("img") is None:
        return None
    chapter.text = (body.inner_html or "").strip()
    return chapter


def _chapter_title(title: str | None, position: int | None) -> str | None:
    """The chapter's own title: without the number a chapter menu puts before it ('2. The
    Fall'), and none for AO3's bare 'Chapter 2'."""
    title = ao3.clean(title)
    m = _NUMBERED.match(title)
    if m and position is not None and int(m.group(1)) == position:
        title = title[m.end():]
    numbered, subtitle, _ = ao3.chapter_heading(title)
    return subtitle if numbered else title or None


def _take_notes(box: Any, chapter: ChapterRecord, record: WorkRecord, *, foot: bool) -> None:
    """`<b>Label:</b>` then the note's blocks, for each note in a div.fff_chapter_notes."""
    notes: list[tuple[str, list[str]]] = []
    for node in box.iter(include_text=True):
        if node.tag == "b":
            notes.append((ao3.clean(node.text()).rstrip(":").casefold(), []))
        elif notes:
            notes[-1][1].append(node.html or "")
    for label, parts in notes:
        text = _html_text("".join(parts))
        kind = _NOTES.get(label)
        if not text:
            continue
        if kind == "summary":
            chapter.summary = _join(chapter.summary, text)
        elif kind == "work":
            record.notes.append(f"End notes: {text}" if foot else text)
        else:
            chapter.notes = _join(chapter.notes, text)


def _finish(record: WorkRecord) -> WorkRecord:
    """The story's identity, the chapters of a download of some of them, and no chapter
    title that only repeats a one-shot's title."""
    _chapter_range(record)
    if _host(record.url) in _AO3_HOSTS:
        record.ao3_id = ao3.work_id(record.url)
    if len(record.chapters) == 1 and record.chapters[0].title == record.title:
        record.chapters[0].title = None
    if record.complete and record.expected_chapters is None:
        record.expected_chapters = len(record.chapters)
    return record


def _chapter_range(record: WorkRecord) -> None:
    """A download of chapters 2-3 only ("Title (Ch 2-3)"): the story's title, the chapters'
    own numbers, and `partial`, so they merge into the stored story instead of replacing
    its text with two chapters."""
    m = _RANGE.match(record.title or "")
    if m is None:
        return
    record.title = m.group(1)
    first = ao3.parse_int(m.group(2)) or 1
    for offset, chapter in enumerate(record.chapters):
        chapter.position = first + offset
        chapter.title = _chapter_title(chapter.title, chapter.position)
    record.partial = True


# Helpers -----------------------------------------------------------------------------------


def _text(nodes: list[Any]) -> str:
    return ao3.clean("".join(n.text(deep=True) for n in nodes))


def _split(text: str) -> list[str]:
    """A list value as FanFicFare joins it (", ")."""
    return [name for part in text.split(", ") if (name := ao3.clean(part))]


def _unique(names: list[str]) -> list[str]:
    return list(dict.fromkeys(names))


def _html_text(html: str | None) -> str | None:
    """Readable text of a summary or note, which FanFicFare keeps as the site's HTML (loose
    text and paragraphs mixed): blocks become paragraphs, line breaks stay."""
    if not html or not html.strip():
        return None
    body = parse_html(html).body
    if body is None:
        return None
    for bad in body.css("script, style, template"):
        bad.decompose()
    for block in body.css(_BLOCKS):
        block.insert_before(_PARAGRAPH)
        block.insert_after(_PARAGRAPH)
    for br in body.css("br"):
        br.replace_with(_LINE)
    paragraphs = ("\n".join(line for line in map(ao3.clean, block.split(_LINE)) if line)
                  for block in body.text(deep=True, separator="").split(_PARAGRAPH))
    return "\n\n".join(p for p in paragraphs if p) or None


def _date(text: str | None) -> date | None:
    return parse_date(text) if text else None


def _host(url: str | None) -> str:
    try:
        return (urlsplit(url or "").hostname or "").casefold()
    except ValueError:
        return ""


def _classes(node: Any) -> list[str]:
    return str(node.attributes.get("class") or "").split()


def _join(first: str | None, second: str) -> str:
    return "\n\n".join(p for p in (first, second) if p)
