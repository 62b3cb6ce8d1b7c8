"""Human output: the `show` page (rich), kept apart from the commands (the list's table is
`worktable`).

Every piece of file text goes through `line` or `block`: control characters shown escaped
(so a title cannot repaint the terminal or forge a line) and never read as rich markup or
emoji codes (a title `[bold]x[/]` prints as written).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from catalog import vocab
from catalog.fields import LABELS
from catalog.layers import hidden_tags, origin, tag_mark, tag_origin
from catalog.model import LIST_KEYS, grown_since_marked
from catalog.textnorm import escape_block, escape_line

if TYPE_CHECKING:
    from rich.text import Text

Record = dict[str, Any]


def line(value: object, style: str = "") -> Text:
    """One line of file text as a rich cell: escaped, never markup."""
    # rich only to draw for a terminal
    from rich.text import Text

    return Text(escape_line(value), style=style)


def block(value: object) -> Text:
    """Multi-line file text as a rich cell: line breaks kept, the rest escaped."""
    # rich only to draw for a terminal
    from rich.text import Text

    return Text(escape_block(value))


_LABELS = LABELS  # a work page's fields and labels, from the field table


_MARKS = {"edit": " (edited)", "user": " (given)", "file": ""}


def _value(record: Record, key: str) -> str:
    value = record.get(key)
    if key == "chapters":
        return chapters(record)
    if key == "rating":
        came = tag_origin(record, "rating", value or "")
        if came == "file" and record.get("rating_raw"):
            return f"{value} (written as {record['rating_raw']!r})"
        return f"{value}{_MARKS[came]}"
    if key == "reading" and value:
        chapter = f", chapter {value['chapter']}" if value.get("chapter") else ""
        news = grown_since_marked(record)
        return (f"{value['status']} (marked {value['marked'][:10]}{chapter})"
                + (f": {news}" if news else ""))
    if key in ("summary", "language") and value is not None:
        return f"{value}{_MARKS[origin(record, key)]}"
    if key == "words":
        stated = record.get("stated_words")
        if stated is not None and stated != value:
            return f"{value:,} (the file states {stated:,}: our AO3 count differs)"
        return f"{value:,}"
    if key == "series":
        return ", ".join(f"Part {s['part']} of {s['name']}" if s["part"] else s["name"]
                         for s in value or [])
    if isinstance(value, list):
        return ", ".join(_marked(record, key, v) for v in value)
    return "" if value is None else str(value)


def chapters(record: Record) -> str:
    """Chapters as AO3 counts them: written/planned, `?` when the plan is unknown."""
    expected = record.get("expected_chapters")
    return f"{record.get('chapters', 1)}/{expected if expected is not None else '?'}"


def marks(record: Record) -> str:
    """AO3's four squares in three characters: rating (- when not rated), ! when archive
    warnings apply or ? when the creator chose not to use them, ✓ complete or ~ not."""
    warned = {"yes": "!", "choosenot": "?"}.get(
        vocab.warning_square(record.get("warnings") or []) or "", " ")
    done = "✓" if record.get("complete") else "~"
    return f"{vocab.RATING_LETTERS.get(record.get('rating') or '', '-')}{warned}{done}"


def _marked(record: Record, key: str, value: str) -> str:
    """A tag with where it came from when that is not the file: edited, given on the
    command line, or inferred from the text (with its mention count)."""
    type_of = {k: t for t, k in LIST_KEYS.items()}.get(key)
    mark = tag_mark(record, type_of, value) if type_of else ""
    return f"{value} ({mark})" if mark else value


def provenance_table(record: Record) -> Any:
    """Every field and tag of a work with where it came from: the file, inference, an
    option at ingest (user) or an edit; tags a layer hides are listed as hidden."""
    # rich only to draw for a terminal
    from rich.table import Table

    table = Table(header_style="bold", caption="user: given at ingest · edit: catalog edit")
    for name in ("field", "value", "from"):
        table.add_column(name, overflow="fold")
    for key in ("title", "authors", "summary", "language", "complete"):
        value = record.get(key)
        shown = (", ".join(value) if isinstance(value, list)
                 else ("yes" if value else "no") if isinstance(value, bool) else value)
        if shown not in (None, "", []):
            table.add_row(key, line(shown), origin(record, key))
    if record.get("rating"):
        table.add_row("rating", line(record["rating"]),
                      tag_origin(record, "rating", record["rating"]))
    for tag_type, key in LIST_KEYS.items():
        for name in record.get(key) or []:
            table.add_row(tag_type, line(name), tag_origin(record, tag_type, name))
    for tag_type, name, by in hidden_tags(record):
        table.add_row(tag_type, line(name), f"file, hidden by {by}")
    return table


# What the blurb at the top of `show` says (AO3's order, as the served work page shows
# it); every other labelled field of the field table follows in the details.
_TAG_ROWS = ("warnings", "relationships", "characters", "freeform")
_FACTS = ("series", "collections", "language", "words", "chapters", "published", "updated",
          "completed")
_BLURB = frozenset({"title", "authors", "fandoms", "rating", "categories", "summary",
                    "reading", "notes", *_TAG_ROWS, *_FACTS})


def work_page(record: Record) -> Any:
    """One work as AO3's blurb shows it (heading and byline, fandoms, the required tags,
    the tags, summary, series, stats), then its notes, chapters and details. Values
    given on the command line, edited or inferred from the text are marked."""
    # rich only to draw for a terminal
    from rich.console import Group
    from rich.padding import Padding
    from rich.text import Text

    parts: list[Any] = []
    heading = line(f"#{record['id']} ", style="bold")
    heading.append(line(f"{record['title']}{_MARKS[origin(record, 'title')]}", style="bold"))
    authors = _value(record, "authors") or "Anonymous"
    heading.append(line(f" by {authors}"))
    parts.append(heading)
    if record.get("fandoms"):
        parts.append(line(_value(record, "fandoms"), style="italic"))
    required = [_value(record, "rating"), _value(record, "categories"),
                "Complete Work" if record.get("complete") else "Work in Progress"]
    squares = Text(marks(record), style="bold")
    squares.append(line("  " + " · ".join(r for r in required if r)
                        + _MARKS[origin(record, "complete")]))
    parts.append(squares)
    if record.get("reading"):
        parts.append(line(f"Reading: {_value(record, 'reading')}", style="bold"))
    tags = _grid([(label, _value(record, key)) for key, label in _LABELS
                  if key in _TAG_ROWS])
    if tags.row_count:
        parts += [Text(), tags]
    if record.get("summary"):
        parts += [Text(), Padding(block(_value(record, "summary")), (0, 0, 0, 4))]
    labels = dict(_LABELS)
    facts = [(labels[key], _value(record, key)) for key in _FACTS]
    parts += [Text(), _grid(facts)]
    if record.get("notes"):
        parts += [Text(), line("Notes", style="bold"),
                  Padding(block(record["notes"]), (0, 0, 0, 4))]
    listed = record.get("chapter_list") or []
    if len(listed) > 1 or any(c.get("title") for c in listed):
        parts += [Text(), _grid([(f"Chapter {c['position']}",
                                  f"{c.get('title') or ''} ({c['words']:,} words)".strip())
                                 for c in listed])]
    details = _grid([(label, _value(record, key)) for key, label in _LABELS
                     if key not in _BLURB])
    parts += [Text(), details]
    return Group(*parts)


def _grid(rows: list[tuple[str, str]]) -> Any:
    """Label and value rows, the value folded under itself; empty values left out."""
    # rich only to draw for a terminal
    from rich.table import Table

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for label, text in rows:
        if text:
            grid.add_row(label, line(text))
    return grid
