"""What AO3 writes the same way in downloads, e-books and work pages.

Labels of the preface `dl.tags` (singular or plural by count since 2023), the Stats line
(`Published: 2023-06-05 Updated: 2023-09-26 Words: 6,411 Chapters: 3/?`, thousands
separators only since 2023), series (`Part 14 of A Wheel Inside a Wheel`, can repeat),
bylines (`by pseud (login), other`), the work URL, and turning story HTML into text safely.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from catalog.model import WorkRecord

# dt label (lower case, no colon) -> record field.
LABELS = {
    "rating": "rating", "ratings": "rating",
    "archive warning": "warnings", "archive warnings": "warnings", "warning": "warnings",
    "warnings": "warnings",
    "category": "categories", "categories": "categories",
    "fandom": "fandoms", "fandoms": "fandoms",
    "relationship": "relationships", "relationships": "relationships",
    "character": "characters", "characters": "characters",
    "additional tags": "freeform", "additional tag": "freeform", "freeform": "freeform",
    "language": "language", "series": "series", "collections": "collections",
    "collection": "collections", "stats": "stats",
}
WORK_URL = re.compile(r"(https?://(?:www\.)?archiveofourown\.org)?/works/(\d+)")
_STAT = re.compile(r"(Published|Updated|Completed|Words|Chapters|Comments|Kudos|Bookmarks|Hits)"
                   r":\s*([^\s]+)", re.IGNORECASE)
_SERIES = re.compile(r"Part\s+([\d,]+)\s+of\s+(.+?)\s*(?=Part\s+[\d,]+\s+of\s|$)",
                     re.IGNORECASE | re.DOTALL)
_CHAPTERS = re.compile(r"^(\d[\d,]*)/(\d[\d,]*|\?)$")


_CHAPTER_HEADING = re.compile(r"^Chapter\s+(\d+)\s*(?::\s*(.*))?$", re.IGNORECASE | re.DOTALL)


def clean(text: str | None) -> str:
    """Whitespace collapsed and trimmed: tags and labels as AO3 shows them."""
    return re.sub(r"\s+", " ", text or "").strip()


def short(text: str, limit: int = 80) -> str:
    """A value cut to `limit` characters for a one-line message."""
    text = clean(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def chapter_heading(heading: str) -> tuple[bool, str | None, int | None]:
    """'Chapter 2: The Fall' -> (True, 'The Fall', 2); 'Chapter 3' -> (True, None, 3); a
    heading in another form ('Prologue') -> (False, None, None)."""
    m = _CHAPTER_HEADING.match(clean(heading))
    if not m:
        return False, None, None
    return True, (m.group(2) or "").strip() or None, int(m.group(1))


def label_field(label: str) -> str | None:
    """The field a `dt` label fills: 'Archive Warnings:' -> 'warnings'."""
    return LABELS.get(re.sub(r"\s+", " ", label).strip().rstrip(":").strip().casefold())


def parse_int(text: str) -> int | None:
    """'6,411' or '6411' or '116 006' -> 6411; None for anything else."""
    digits = re.sub(r"[,\s.\u00a0\u202f]", "", text)
    return int(digits) if digits.isdigit() else None


def parse_stats(text: str) -> dict[str, str]:
    """The Stats line as a dict of lower-case names to raw values."""
    return {m.group(1).lower(): m.group(2) for m in _STAT.finditer(text)}


def apply_stats(record: WorkRecord, stats: dict[str, str]) -> None:
    """Dates, stated words and chapters N/M (`?` = total unknown, so not complete)."""
    record.published = _date(stats.get("published")) or record.published
    if "updated" in stats:
        record.updated = _date(stats["updated"])
    if "completed" in stats:
        record.completed = _date(stats["completed"])
        record.updated = record.updated or record.completed
    if "words" in stats:
        record.stated_words = parse_int(stats["words"])
    chapters = _CHAPTERS.match(stats.get("chapters", ""))
    if chapters:
        written, total = parse_int(chapters.group(1)), chapters.group(2)
        if total == "?":
            record.expected_chapters, record.complete = None, False
        else:
            record.expected_chapters = parse_int(total)
            record.complete = written == record.expected_chapters
    elif "updated" in stats and "completed" not in stats and "chapters" not in stats:
        record.complete = False


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def parse_series(text: str) -> list[tuple[str, int | None]]:
    """'Part 1 of Watches 'Verse' (possibly several) -> [(name, part)]."""
    flat = re.sub(r"\s+", " ", text).strip()
    return [(m.group(2).strip().rstrip(","), parse_int(m.group(1)))
            for m in _SERIES.finditer(flat)]


_ELSEWHERE = re.compile(r"^\s*[a-z][a-z0-9+.-]*://(?!(?:www\.)?(?:archiveofourown|ao3)\.org[/:]|"
                        r"(?:www\.)?(?:archiveofourown|ao3)\.org$)", re.IGNORECASE)


def work_id(url: str | None) -> int | None:
    """The AO3 work id in a URL or path ('/works/47657656', '…/works/35961484/chapters/…');
    None for another site's address, though other OTW archives share AO3's paths."""
    if _ELSEWHERE.match(url or ""):
        return None
    m = WORK_URL.search(url or "")
    return int(m.group(2)) if m else None


def work_url(ao3_id: int) -> str:
    return f"https://archiveofourown.org/works/{ao3_id}"


def byline_authors(names: list[tuple[str, str | None]]) -> list[str]:
    """(pseud, login) pairs from author links -> `pseud (login)` display strings."""
    out = []
    for pseud, login in names:
        pseud = re.sub(r"\s+", " ", pseud).strip()
        if pseud:
            out.append(f"{pseud} ({login})" if login and login != pseud else pseud)
    return out


def login_from_href(href: str | None) -> str | None:
    """'/users/natsinator/pseuds/natsinator' -> 'natsinator'."""
    m = re.search(r"/users/([^/?#]+)", href or "")
    return m.group(1) if m else None


def html_to_text(node: Any) -> str:
    """Readable text of an HTML node (selectolax; the node is consumed): paragraphs become
    blank-line separated, line breaks stay, scripts, styles and attributes never show."""
    if node is None:
        return ""
    for bad in node.css("script, style, template"):
        bad.decompose()
    for br in node.css("br"):
        br.replace_with(_BREAK)
    blocks = node.css("p") or [node]
    return "\n\n".join(t for t in (_tidy(b.text(deep=True, separator="")) for b in blocks) if t)


_BREAK = "\u2028"  # stands for <br> while the source's own line breaks are folded to spaces


def _tidy(text: str) -> str:
    folded = re.sub(r"[ \t\r\n\f\v\u00a0]+", " ", text)
    return "\n".join(line.strip() for line in folded.split(_BREAK) if line.strip())
