"""The `catalog list` table: one line per work that fits the terminal, as AO3's index is
read at a glance, with the work's relationships and characters on a dim second line (AO3's
blurb order) when the terminal is wide enough or with `--long`.

Cells are laid out here, not by a table widget: each is cut to its column with an ellipsis
(measured in terminal cells, so wide CJK and emoji stay aligned), so a long title never
wraps a row onto three lines. Every cell is file text escaped by `escape_line` first.
Imported only when a table is drawn, so rich is imported at the top.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len, chop_cells, set_cell_size
from rich.text import Text

from catalog.cli.render import chapters, marks
from catalog.fields import BY_NAME
from catalog.textnorm import escape_line

if TYPE_CHECKING:
    from rich.console import Console

Record = dict[str, Any]
GAP = 2
WIDE = 120  # from this width the second line is shown without --long


@dataclass(frozen=True)
class Column:
    """How one column reads a record and takes its share of a narrow terminal."""

    name: str
    header: str
    cell: Callable[[Record], str]
    flex: float = 0.0  # 0: as wide as its widest cell; else its share of what is left
    right: bool = False


def _first(values: list[str]) -> str:
    """The first of a list (the first author, the first fandom) and how many more."""
    more = f" +{len(values) - 1}" if len(values) > 1 else ""
    return f"{values[0]}{more}" if values else ""


def _joined(key: str) -> Callable[[Record], str]:
    def cell(record: Record) -> str:
        value = record.get(key)
        if isinstance(value, list):
            return ", ".join(str(v["name"] if isinstance(v, dict) else v) for v in value)
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, dict):  # a reading status
            return str(value.get("status") or "")
        return "" if value is None else f"{value:,}" if isinstance(value, int) else str(value)
    return cell


def _fandom(record: Record) -> str:
    """The first fandom, starred when inferred from the text rather than read."""
    inferred = {t["name"] for t in record.get("inferred", []) if t["type"] == "fandom"}
    return _first([f"{f}*" if f in inferred else f for f in record.get("fandoms") or []])


_SPECIAL: dict[str, Column] = {
    "id": Column("id", "id", lambda r: str(r["id"]), right=True),
    "title": Column("title", "title", lambda r: r.get("title") or "", flex=3),
    "author": Column("author", "author", lambda r: _first(r.get("authors") or []), flex=1.2),
    "fandom": Column("fandom", "fandom", _fandom, flex=1.5),
    "marks": Column("marks", "", marks),
    "words": Column("words", "words", lambda r: f"{r.get('words', 0):,}", right=True),
    "chapters": Column("chapters", "ch", chapters, right=True),
}
DEFAULT = ("id", "title", "author", "fandom", "marks", "words", "chapters")
# Short values: as wide as their widest cell; lists and text: a share of the rest.
_NARROW_KINDS = frozenset({"int", "date", "flag", "rating"})


# Record fields that are structures for machines, not cells.
_NOT_CELLS = frozenset({"inferred", "edits", "user_tags"})


def column_names() -> list[str]:
    """What `--columns` accepts: the table's own columns and every field of a record."""
    fields = [f.name for f in BY_NAME.values()
              if f.record_key and f.name not in _SPECIAL and f.name not in _NOT_CELLS]
    return [*_SPECIAL, *fields]


def columns(names: Sequence[str]) -> list[Column]:
    """Columns by field name or alias ("fandoms", "ship"); ValueError names the unknown."""
    aliases = {a: f.name for f in BY_NAME.values() for a in f.aliases}
    chosen = []
    for raw in names:
        name = aliases.get(raw.strip().lower(), raw.strip().lower())
        if name in _SPECIAL:
            chosen.append(_SPECIAL[name])
        elif name in BY_NAME and BY_NAME[name].record_key and name not in _NOT_CELLS:
            field = BY_NAME[name]
            narrow = field.kind in _NARROW_KINDS
            chosen.append(Column(name, name, _joined(field.record_key or name),
                                 flex=0.0 if narrow else 1.0, right=field.kind == "int"))
        else:
            raise ValueError(raw)
    return chosen


def render(records: list[Record], cols: Sequence[Column], width: int, *,
           long: bool = False) -> list[tuple[str, str]]:
    """The table as (line, style) pairs, each line at most `width` cells."""
    cells = [[escape_line(c.cell(r)) for c in cols] for r in records]
    widths = _widths(cols, cells, width)
    lines = [(_row([c.header for c in cols], cols, widths), "bold")]
    indent = widths[0] + GAP if len(cols) > 1 else 0
    for record, row in zip(records, cells, strict=True):
        lines.append((_row(row, cols, widths), ""))
        if long or width >= WIDE:
            tags = _tag_line(record)
            if not tags:
                continue
            room = max(width - indent, 10)
            if long:
                lines += [(" " * indent + part, "dim") for part in _wrap(tags, room)]
            else:
                lines.append((" " * indent + _cut(tags, room), "dim"))
    return lines


def _tag_line(record: Record) -> str:
    """Relationships, then characters, as AO3's blurb lists them."""
    parts = [", ".join(record.get(key) or []) for key in ("relationships", "characters")]
    return escape_line("  ·  ".join(p for p in parts if p))


def _widths(cols: Sequence[Column], cells: list[list[str]], width: int) -> list[int]:
    natural = [max([cell_len(c.header)] + [cell_len(row[i]) for row in cells])
               for i, c in enumerate(cols)]
    widths = list(natural)
    flexible = [i for i, c in enumerate(cols) if c.flex]
    room = width - GAP * (len(cols) - 1) - sum(natural[i] for i in range(len(cols))
                                               if i not in flexible)
    if sum(natural[i] for i in flexible) <= room:
        return widths
    # Shares of the room by flex, none above its natural width: what a column does not
    # need goes back to the others.
    left, open_ = room, set(flexible)
    while open_:
        share = sum(cols[i].flex for i in open_)
        capped = {i for i in open_ if natural[i] <= left * cols[i].flex / share}
        if not capped:
            for i in open_:
                widths[i] = max(int(left * cols[i].flex / share), min(natural[i], 4))
            break
        for i in capped:
            widths[i] = natural[i]
            left -= natural[i]
        open_ -= capped
    return widths


def _row(values: Sequence[str], cols: Sequence[Column], widths: Sequence[int]) -> str:
    parts = []
    for value, col, width in zip(values, cols, widths, strict=True):
        text = _cut(value, width)
        pad = " " * (width - cell_len(text))
        parts.append(pad + text if col.right else text + pad)
    return (" " * GAP).join(parts).rstrip()


def _cut(text: str, width: int) -> str:
    """The text in at most `width` cells, an ellipsis marking a cut."""
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, max(width - 1, 0)).rstrip() + "…" if width > 0 else ""


def _wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` cells, broken between words where one fits."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if cell_len(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        *whole, current = chop_cells(word, width) or [""]
        lines += whole
    return [*lines, current] if current else lines


def print_lines(console: Console, lines: list[tuple[str, str]]) -> None:
    for text, style in lines:
        console.print(Text(text, style=style), overflow="ignore", crop=False,
                      no_wrap=True)
