"""Plain text, with or without a header block (`Title:`/`Rating:`/`Pairing:` lines, or YAML
front matter), as fic was posted to mailing lists and archives.

    Title: The Last Patrol
    Rating: PG-13
    Pairing: Buffy Summers & Faith (Buffy the Vampire Slayer)

    The story starts after the first blank line.

A body under YAML front matter is counted as Markdown (such files are blog-engine posts),
one that opens with HTML paragraphs as HTML. Without a header, a short title-like first line
(optionally followed by `by Author`) is the title and is not counted; otherwise the title
comes from the file name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from catalog.errors import InputError
from catalog.ingest.decode import decode, read_bytes
from catalog.ingest.metadata import apply_fields, field_for
from catalog.ingest.readers import SIDECAR_SUFFIXES, STORY_SUFFIXES, Unit
from catalog.ingest.readers.frontmatter import split_front_matter
from catalog.model import ChapterRecord, WorkRecord

_KEY_LINE = re.compile(r"^([A-Za-z][\w '’/&().-]{0,40}?)\s*:\s*(.*)$")
_RULE = re.compile(r"^\s*([-=*~_#])(\s*\1){2,}\s*$")
_BYLINE = re.compile(r"^\s*by[:\s]\s*(\S.{0,80})$", re.IGNORECASE)
_TITLE_MAX_CHARS, _TITLE_MAX_WORDS = 80, 12
_HTML_BODY = re.compile(r"\s*<(?:p|div|br|h[1-6]|blockquote|center)\b[^>]*>", re.IGNORECASE)


def read(unit: Unit, max_size: int) -> Iterator[WorkRecord | InputError]:
    text, encoding = decode(read_bytes(unit.path, max_size), unit.label)
    record = parse(text, source=unit.label, fmt="text", fallback_title=title_from_name(unit))
    record.encoding = encoding
    del text  # the body is its own copy now: do not hold two while the record is used
    yield record


def title_from_name(unit: Unit) -> str:
    """The file name without its story extensions ('partners.md.txt' -> 'partners'): the
    title of last resort, kept as written so the user can find the file by it."""
    name = unit.path.name
    while (suffix := Path(name).suffix.lower()) in STORY_SUFFIXES or suffix in SIDECAR_SUFFIXES:
        if not suffix or name == suffix:
            break
        name = name[: -len(suffix)]
    return name.strip() or unit.path.name


def parse(text: str, *, source: str, fmt: str, fallback_title: str,
          text_format: str = "text") -> WorkRecord:
    """Split header and body, fill the record; the body becomes the single chapter.
    Plain text may open with a title line; Markdown says its title with a heading."""
    record = WorkRecord(source=source, format=fmt)
    front, body = split_front_matter(text, source)
    if front is not None:
        apply_fields(record, front.items())
        if text_format == "text":  # a Jekyll/Hugo-style post: its body is Markdown
            text_format = "markdown"
    else:
        pairs, body = split_header(text)
        apply_fields(record, pairs)
        if not pairs and text_format == "text":
            body = _take_title_line(record, body)
    if record.title is None:
        record.title = fallback_title
    if text_format == "text" and _HTML_BODY.match(body):
        text_format = "html"  # a story posted as HTML paragraphs: counted as AO3 counts HTML
    record.chapters = [ChapterRecord(text=body, text_format=text_format)]
    return record


def split_header(text: str) -> tuple[list[tuple[str, str]], str]:
    """([(key, value)], body) when the text opens with a `Key: value` block naming at least
    one known field; ([], text) otherwise. Lines without a key continue the value above."""
    lines = _lines(text)
    pairs: list[tuple[str, list[str]]] = []  # a value's lines, joined once: linear in them
    started = False  # past the blank lines above the block
    for _, line in lines:
        if not line.strip():
            if started:
                break
            continue
        started = True
        m = _KEY_LINE.match(line)
        known = bool(m and field_for(m.group(1)))
        if _RULE.match(line):
            if pairs:
                break
        elif m and (known or (pairs and not line.startswith((" ", "\t")))):
            pairs.append((m.group(1), [m.group(2).strip()]))
        elif pairs:
            pairs[-1][1].append(line.strip())
        else:
            return [], text
    if not any(field_for(k) for k, _ in pairs):
        return [], text
    # The line that ended the block is blank or a rule; so may be the next few.
    body = next((at for at, line in lines if line.strip() and not _RULE.match(line)), None)
    return [(k, "\n".join(v).strip()) for k, v in pairs], "" if body is None else text[body:]


def _take_title_line(record: WorkRecord, body: str) -> str:
    """Take a short, title-like first line (and a `by X` line under it) out of the body."""
    lines = _lines(body)
    first = next((line for _, line in lines if line.strip()), "")
    if not _title_like(first):
        return body
    author = None
    _, line = next(lines, (len(body), ""))
    if m := _BYLINE.match(line):
        author = m.group(1).strip()
        _, line = next(lines, (len(body), ""))
    if line.strip():
        return body
    rest = next((at for at, line in lines if line.strip()), None)
    if rest is None:
        return body
    record.title = first.strip()
    if author and not record.authors:
        record.authors = [author]
    return body[rest:]


def _lines(text: str) -> Iterator[tuple[int, str]]:
    """(offset, line) for each line of `text`, split on demand: a header is a few lines at
    the top of a long story, whose body is then one slice instead of thousands of lines
    split and joined again."""
    at = 0
    while at <= len(text):
        end = text.find("\n", at)
        end = len(text) if end < 0 else end
        yield at, text[at:end]
        at = end + 1


def _title_like(line: str) -> bool:
    """Short, not a sentence, not dialogue: 'After the Fall', not 'Spike was drunk. No…'."""
    s = line.strip()
    if not s or len(s) > _TITLE_MAX_CHARS or len(s.split()) > _TITLE_MAX_WORDS:
        return False
    if s.startswith(('"', "“", "'", "‘", "-", "—", "*", "(", "[")):
        return False
    return s.endswith("...") or not s.endswith((".", ",", ";", ":"))
