"""Story pages saved from fanfiction.net (`ffn-page`), desktop (www.) or mobile (m.).

Desktop, since 2013:
    div#pre_story_links  breadcrumb: category "/book/" and fandom "/book/Harry-Potter/"
                         links; a crossover has one link ("/Harry-Potter-and-Twilight_
                         Crossovers/224/4527/") reading "Harry Potter + Twilight Crossover"
    div#profile_top      b.xcontrast_txt title, "By:" a[href^="/u/"] author, div.xcontrast_txt
                         (style margin-top:2px) summary, and span.xgray the metadata line:
                         Rated: <a …fictionratings…>Fiction  T</a> - English - Romance/
                         Hurt/Comfort - [Harry P., Hermione G.] Ron W. - Chapters: 12 -
                         Words: 55,275 - Reviews: … - Favs: … - Follows: … - Updated: <span
                         data-xutime="1536107877">9/4</span> - Published: <span data-xutime=…>
                         7/12/2010</span> - Status: Complete - id: 12999698
    select#chap_select   above and below the text, options unclosed: "3. The Storm", the
                         page's chapter `selected`; a one-shot has none
    div#storytextp > div#storytext   the chapter shown, as HTML
Mobile: div#content holds the breadcrumb, div[align=center] "<b>title</b> by <a href=/u/…>",
the same metadata line with ", " between fields (genres joined by " & ", words rounded:
"17k+"), and "Chapter 3: The Storm"; then div#storycontent, and "Ch 3 of <a>12</a>" below.
Older desktop layouts (table#gui_table1i, div style="color:gray", dates "11-06-12") are read
as far as they go. Genres are the site's fixed list (Hurt/Comfort is one genre); `[A, B]` in
the characters is a pairing. FFN shows "Status: Complete" only on finished stories.

A page shows one chapter: it becomes the record's one ChapterRecord, and a story of more
chapters is `partial`, merged into the catalogued work by position. The story's identity is
its canonical address https://www.fanfiction.net/s/ID. FFN pages that show no story
(profiles, story lists, "Story Not Found") are refused, saying what to save instead.

Parsing is selectolax's HTML5 parser (Lexbor), behind catalog.htmlparse's linear guards.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlsplit

from catalog.errors import InputError
from catalog.htmlparse import parse_html, visible_text
from catalog.ingest import ao3
from catalog.ingest.decode import decode, read_bytes
from catalog.ingest.readers import Unit
from catalog.model import ChapterRecord, WorkRecord

STORY_URL = "https://www.fanfiction.net/s/{}"
GENRES = ("Adventure", "Angst", "Crime", "Drama", "Family", "Fantasy", "Friendship",
          "General", "Horror", "Humor", "Hurt/Comfort", "Mystery", "Parody", "Poetry",
          "Romance", "Sci-Fi", "Spiritual", "Supernatural", "Suspense", "Tragedy", "Western")
_GENRE = {g.casefold(): g for g in GENRES}
# Fandoms whose own name has " + " in it, which a crossover's "A + B Crossover" also uses.
_PLUS_FANDOMS = ("Alex + Ada", "Rosario + Vampire", "Wicked + The Divine", "Tristan + Isolde")
_MARKERS = re.compile(r"""id\s*=\s*["']?(?:storytextp?|profile_top|pre_story_links|storycontent
                          |content_wrapper_inner|gui_table1i?)\b|class\s*=\s*["']?gui_warning\b""",
                      re.IGNORECASE | re.VERBOSE)
_LINK_TAG = re.compile(r"<link\b[^<>]*+>", re.IGNORECASE)
_CANONICAL = re.compile(r"""\brel\s*=\s*["']?canonical\b""", re.IGNORECASE)
_HREF = re.compile(r"""\bhref\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
_SITE_TITLE = re.compile(r"\|\s*FanFiction\s*</title>", re.IGNORECASE)
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)(\S+?)\s*-->", re.IGNORECASE)
_STORY_PATH = re.compile(r"^/[sr]/(\d{1,12})(?:/(\d{1,6}))?")
_FANDOM_PATH = re.compile(r"^/(?:anime|book|cartoon|comic|game|misc|movie|play|tv)/[^/]+/?$")
_LABELS = re.compile(r"(?<![\w])(chapters|words|reviews|favs|follows|updated|published|status"
                     r"|id)\s*:", re.IGNORECASE)
_RATING = re.compile(r"^(?:Fiction\s+)?(K\+|K|T|MA|M)(?=[\s,\-]|$)")
_NOT_STORY = "script, style, template, noscript, iframe, object, embed, form, ins"
_HIDDEN = frozenset({"script", "style", "template", "noscript"})
_clean, _short = ao3.clean, ao3.short


def _text(node: Any) -> str:
    """Text as the page shows it (FFN's pages also carry <noscript> notices)."""
    return visible_text(node, _HIDDEN)


def is_ffn_page(text: str) -> bool:
    """A page saved from fanfiction.net: a story page, or another page of the site that
    `read` refuses by name. Never AO3 pages or other HTML (a page naming another site as
    its own address, fictionpress.com's twin layout among them, is not claimed)."""
    if not _MARKERS.search(text):
        return False
    if "fanfiction.net" not in text.lower() and not _SITE_TITLE.search(text):
        return False
    saved = _SAVED_FROM.search(text[:4096])
    own = saved.group(1) if saved else _canonical(text)
    return own is None or _is_ffn(own)


def _canonical(text: str) -> str | None:
    """The href of the first <link rel=canonical> in raw text (a tag scanned once)."""
    for tag in _LINK_TAG.finditer(text):
        if _CANONICAL.search(tag.group()) and (href := _HREF.search(tag.group())):
            return href.group(1)
    return None


def read(unit: Unit, max_size: int) -> Iterator[WorkRecord | InputError]:
    text, encoding = decode(read_bytes(unit.path, max_size), unit.label)
    tree = parse_html(text, unit.label)
    address = _address(tree, text)
    story = tree.css_first("#storytext") or tree.css_first("#storycontent")
    if story is None:
        raise InputError(unit.label, _not_a_story(tree, address))
    for node in story.css(f"{_NOT_STORY}, div.google-auto-placed"):
        node.decompose()
    if not _text(story).strip():
        raise InputError(unit.label, f"fanfiction.net story page{_for(_story_id(tree, address))}"
                         " without its chapter text: save the page again once it has loaded")
    chapter = ChapterRecord(text=(story.inner_html or "").strip(), text_format="html")
    story.decompose()  # nothing in the story's own text is read as the page's metadata
    chapter.position, chapter.title, listed = _chapter_shown(tree, address)
    record = WorkRecord(source=unit.label, format="ffn-page", encoding=encoding)
    _read_profile(tree, record, chapter.title)
    written, meta_id = _read_meta(_meta_node(tree), record)
    sid = _address_id(address) or meta_id or _story_id(tree, address)
    record.url = STORY_URL.format(sid) if sid else None
    record.chapters = [chapter]
    written = written or listed or 1
    record.partial = written > len(record.chapters)
    record.expected_chapters = written if record.complete else None
    yield record


# --- what the page is -------------------------------------------------------------------


def _address(tree: Any, text: str) -> str:
    """The page's own address: its canonical link, og:url or the browser's "saved from"."""
    for selector, attr in (('link[rel="canonical"]', "href"), ('meta[property="og:url"]',
                                                                "content")):
        node = tree.css_first(selector)
        if node is not None and (value := (node.attributes.get(attr) or "").strip()):
            return value
    saved = _SAVED_FROM.search(text[:4096])
    return saved.group(1) if saved else ""


def _is_ffn(url: str) -> bool:
    host = (_split(url).hostname or "").lower()
    return not host or host == "fanfiction.net" or host.endswith(".fanfiction.net")


def _split(url: str) -> Any:
    """The parts of an address: absolute, scheme-relative ("//www…"), a path ("/s/1/2/"),
    or a bare host and path ("www.fanfiction.net/s/1")."""
    url = url.strip()
    bare = not url.startswith("/") and "://" not in url
    try:
        return urlsplit("//" + url if bare else url)
    except ValueError:
        return urlsplit("")


def _address_id(address: str) -> int | None:
    m = _STORY_PATH.match(_split(address).path) if _is_ffn(address) else None
    return int(m.group(1)) if m else None


def _story_id(tree: Any, address: str) -> int | None:
    """The story id: from the page's address, else its links (chapter navigation, reviews)."""
    if sid := _address_id(address):
        return sid
    select = _chapter_select(tree)
    if select is not None and (m := re.search(r"/s/(\d{1,12})/",
                                              select.attributes.get("onchange") or "")):
        return int(m.group(1))
    for a in tree.css('a[href*="/s/"], a[href*="/r/"]'):
        href = a.attributes.get("href") or ""
        if _is_ffn(href) and (m := _STORY_PATH.match(_split(href).path)):
            return int(m.group(1))
    return None


def _not_a_story(tree: Any, address: str) -> str:
    """What the fanfiction.net page is instead of a story, and what to save instead."""
    sid = _story_id(tree, address)
    path = _split(address).path if _is_ffn(address) else ""
    title = _short(re.sub(r"\s*\|\s*FanFiction\s*$", "", _clean(_text(tree.css_first("title")))))
    named = f" {title!r}" if title else ""
    warning = _clean(_text(tree.css_first(".gui_warning, .panel")))
    if "Story Not Found" in warning or "Unable to locate story" in warning:
        return (f"fanfiction.net 'Story Not Found' page{_for(sid)} (the story was deleted, or "
                "the address was wrong), not a story: there is nothing in it to catalogue")
    if "not found" in warning.lower():
        return (f"fanfiction.net error page{named}: {_short(warning)!r}, not a story; save a "
                "chapter page that opens")
    if tree.css_first("#profile_top, #gui_table1i") is not None:
        return (f"fanfiction.net story page{_for(sid)} without its chapter text (#storytext): "
                "save the page again once it has fully loaded")
    if path.startswith("/u/") or tree.css_first("#bio") is not None:
        return (f"fanfiction.net author profile page{named}, not a story: save each story's "
                "own page (www.fanfiction.net/s/…) instead")
    lists = len(tree.css("div.z-list"))
    if path.startswith("/community/") or lists:
        what = "community page" if path.startswith("/community/") else "story list"
        return (f"fanfiction.net {what}{named} ({lists} stories listed), not a story: save "
                "each story's own page (www.fanfiction.net/s/…) instead")
    return (f"fanfiction.net page{named} shows no story text (no #storytext): save a story's "
            "own page (www.fanfiction.net/s/…) instead")


# --- the profile: title, author, summary, fandoms ----------------------------------------


def _read_profile(tree: Any, record: WorkRecord, chapter_title: str | None) -> None:
    top = (tree.css_first("#profile_top") or tree.css_first("#gui_table1i")
           or tree.css_first("#content") or tree.body)
    if top is not None:
        heading = (top.css_first("b.xcontrast_txt") or top.css_first("div[align] b")
                   or top.css_first("center b")
                   or (top.css_first("b") if top.tag != "body" else None))
        record.title = _clean(_text(heading)) or None
        author = next((a for a in top.css('a[href*="/u/"]')
                       if re.match(r"^/u/\d+", _split(a.attributes.get("href") or "").path)),
                      None)
        if author is not None and (name := _clean(_text(author))):
            record.authors = [name]
        summary = top.css_first('div[style*="margin-top:2px"]')
        record.summary = ao3.html_to_text(summary) or None
    record.title = record.title or _title_from_head(tree, chapter_title)
    record.fandoms = _fandoms(tree.css_first("#pre_story_links") or tree.css_first("#content")
                              or tree.body)


def _title_from_head(tree: Any, chapter_title: str | None) -> str | None:
    """'Title Chapter 2: The Flower, a harry potter fanfic | FanFiction' -> 'Title', for a
    page that shows no title of its own (the oldest layouts)."""
    head = _clean(_text(tree.css_first("title")))[:1000]
    m = re.match(r"^(.+), an? .+ fanfic (?:\||-) FanFiction(?:\.Net)?$", head, re.IGNORECASE)
    title = m.group(1) if m else ""
    if chapter_title and title.endswith(" " + chapter_title):
        title = title.removesuffix(" " + chapter_title)
    return re.sub(r"\s+Chapter \d+:?$", "", title).strip() or None


def _fandoms(crumbs: Any) -> list[str]:
    """The breadcrumb's fandom link, or a crossover link's two fandoms."""
    found: list[str] = []
    for a in crumbs.css("a[href]") if crumbs is not None else ():
        path, name = _split(a.attributes.get("href") or "").path, _clean(_text(a))
        if not name:
            continue
        if "crossover" in path.lower() and not path.lower().startswith("/crossovers/"):
            found += _crossover(name.removesuffix(" Crossover"))
        elif _FANDOM_PATH.match(path):
            found.append(name)
    return list(dict.fromkeys(found))


def _crossover(names: str) -> list[str]:
    kept = {f"\0{i}\0": name for i, name in enumerate(_PLUS_FANDOMS)}
    for stand_in, name in kept.items():
        names = names.replace(name, stand_in)
    parts = (kept.get(p.strip(), p.strip()) for p in names.split(" + "))
    return [p for p in parts if p]


# --- the metadata line -------------------------------------------------------------------


def _meta_node(tree: Any) -> Any:
    """The element holding "Rated: …": span.xgray on the desktop site, else the element of
    the first text that starts with "Rated:" (the mobile site, older layouts)."""
    for scope in (tree.css_first("#profile_top"), tree.css_first("#gui_table1i"),
                  tree.css_first("#content"), tree.body):
        if scope is None:
            continue
        if (gray := scope.css_first("span.xgray")) is not None:
            return gray
        for node in scope.traverse(include_text=True):
            if node.is_text_node and (node.text_content or "").lstrip().startswith("Rated:"):
                return node.parent
    return None


def _read_meta(node: Any, record: WorkRecord) -> tuple[int | None, int | None]:
    """Rating, language, genres, characters and pairings, stated words, dates and status;
    (the number of chapters the story has, its id), when the line says."""
    record.complete = False
    if node is None:
        return None, None
    for span in node.css("span[data-xutime]"):  # the exact dates, in place of "9/4", "8m ago"
        when = _from_timestamp(span.attributes.get("data-xutime") or "")
        span.replace_with(when.isoformat() if when else _text(span))
    rated = node.css_first('a[href*="fictionratings"]')
    text = _clean(_text(node))
    text = text[max(text.find("Rated:"), 0):][:8192]
    if ended := re.search(r"(?<![\w])id:\s*(\d{1,12})", text):
        text = text[:ended.end()]
    rating = _clean(_text(rated)).removeprefix("Fiction").strip() if rated is not None else ""
    labels = list(_LABELS.finditer(text))
    head = text[:labels[0].start()] if labels else text
    head = re.sub(r"^\s*Rated:\s*", "", head)
    if m := _RATING.match(head):
        rating, head = rating or m.group(1), head[m.end():]
    record.rating = rating or None
    _read_head(head, record)
    bounds = [m.start() for m in labels] + [len(text)]
    stats = {m.group(1).lower(): text[m.end():end].strip(" ,-")
             for m, end in zip(labels, bounds[1:], strict=True)}
    record.published = _date(stats.get("published", ""))
    record.updated = _date(stats.get("updated", ""))
    record.stated_words = _count(stats.get("words", ""))  # not "17k+", rounded on mobile
    record.complete = (stats.get("status", "").casefold().startswith("complete")
                       or re.search(r"(?:^|\s-\s)Complete(?:\s-|$)", text) is not None)
    chapters = re.match(r"[\d,]+", stats.get("chapters", ""))
    return _count(chapters.group()) if chapters else None, int(ended[1]) if ended else None


def _count(value: str) -> int | None:
    """'55,275' -> 55275; None for a rounded count ('17k+') or an absurd one."""
    number = ao3.parse_int(value) if re.fullmatch(r"[\d,.\s]{1,16}", value) else None
    return number if number is not None and number < 10**9 else None


def _read_head(head: str, record: WorkRecord) -> None:
    """'- English - Romance/Hurt/Comfort - [Harry P., Hermione G.] Ron W. -' (desktop) or
    ', English, Romance & Angst, [Harry P., Hermione G.] Ron W.,' (mobile)."""
    head = head.strip()
    sep = ", " if head.startswith(",") else " - "
    fields = [f.strip() for f in head.strip(" ,-").split(sep.strip() if sep == ", " else sep)]
    fields = [f for f in fields if f]
    if not fields:
        return
    record.language, rest = fields[0], fields[1:]
    if rest and (genres := _genres(rest[0])):
        record.freeform, rest = genres, rest[1:]
    _read_characters(sep.join(rest), record)


def _genres(field: str) -> list[str]:
    """'Romance/Hurt/Comfort' or 'Romance & Angst' -> the genres, or [] when any part is not
    one of FFN's genres (then the field is the characters)."""
    parts = re.split(r"/|\s&\s", re.sub(r"(?i)hurt/comfort", "Hurt-Comfort", field))
    names = [_GENRE.get(p.strip().replace("Hurt-Comfort", "Hurt/Comfort").casefold())
             for p in parts]
    return [n for n in names if n] if all(names) else []


def _read_characters(field: str, record: WorkRecord) -> None:
    """'[Harry P., Hermione G.] Ron W., Draco M.': every character, and each bracketed
    group as a pairing (three or more: A/B/C). An older page's '&' joins characters."""
    for group in re.findall(r"\[([^\[\]]*)\]", field):
        members = _names(group)
        if len(members) > 1:
            record.relationships.append("/".join(members))
    record.characters = _names(re.sub(r"[\[\]]", ",", field))


def _names(text: str) -> list[str]:
    return list(dict.fromkeys(n for n in (_clean(p) for p in re.split(r",|\s&\s", text)) if n))


def _from_timestamp(value: str) -> date | None:
    if not re.fullmatch(r"\d{1,11}", value.strip()):
        return None
    try:
        return datetime.fromtimestamp(int(value), tz=UTC).date()
    except (OverflowError, OSError, ValueError):
        return None


def _date(value: str) -> date | None:
    """2018-09-05 (from a timestamp), 7/12/2010, or an older page's 11-06-12; None for a
    date without its year ("9/4" is this year's) or a relative one ("8m ago")."""
    parts: tuple[int, int, int] | None = None
    if m := re.match(r"(\d{4})-(\d{2})-(\d{2})", value):
        parts = (int(m[1]), int(m[2]), int(m[3]))
    elif m := re.match(r"(\d{1,2})/(\d{1,2})/(\d{4})\b", value):
        parts = (int(m[3]), int(m[1]), int(m[2]))
    elif m := re.match(r"(\d{1,2})-(\d{1,2})-(\d{2})\b", value):
        year = int(m[3])
        parts = (year + (1900 if year >= 90 else 2000), int(m[1]), int(m[2]))
    try:
        return date(*parts) if parts else None
    except ValueError:
        return None


# --- the chapter shown -------------------------------------------------------------------


def _chapter_select(tree: Any) -> Any:
    return tree.css_first("select#chap_select") or tree.css_first('select[name="chapter"]')


def _chapter_shown(tree: Any, address: str) -> tuple[int, str | None, int | None]:
    """(the shown chapter's number, its title, how many chapters the page's navigation
    lists): the selected option of the desktop chapter menu ("3. The Storm"), the mobile
    page's "Chapter 3: The Storm" and "Ch 3 of 12", else chapter 1 of a one-shot."""
    position: int | None = None
    title: str | None = None
    count: int | None = None
    select = _chapter_select(tree)
    if select is not None:
        options = select.css("option")
        count = len(options) or None
        chosen = select.css_first("option[selected]")
        if chosen is not None:
            m = re.match(r"\s*(\d+)\s*\.\s*(.*)", _clean(_text(chosen)))
            value = (chosen.attributes.get("value") or "").strip()
            position = int(value) if value.isdigit() else int(m.group(1)) if m else None
            title = (m.group(2) if m else _clean(_text(chosen))) or None
    elif (content := tree.css_first("#content")) is not None:
        for node in content.traverse(include_text=True):
            if node.is_text_node and (m := re.match(r"Chapter\s+(\d+)(?::\s*(.*))?$",
                                                     _clean(node.text_content))):
                position, title = int(m.group(1)), _clean(m.group(2)) or None
        of = re.search(r"\bCh\s+(\d+)\s+of\s+(\d+)\b", _clean(_text(tree.body)))
        if of:
            position, count = position or int(of.group(1)), int(of.group(2))
    if position is None and _is_ffn(address):
        m = _STORY_PATH.match(_split(address).path)
        position = int(m.group(2)) if m and m.group(2) else None
    position = position if position and position < 10**6 else 1
    if title and re.fullmatch(rf"Chapter\s+{position}", title, re.IGNORECASE):
        title = None  # the site's default title, not the author's
    return position, title, count


# --- small helpers ------------------------------------------------------------------------


def _for(sid: int | None) -> str:
    return f" for story {sid}" if sid else ""
