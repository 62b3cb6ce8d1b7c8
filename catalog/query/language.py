r"""The catalogue's query language: one line of text parsed into a tree of filter nodes.

    character:spike -warning:mcd rating:<=teen words:1000..5000 sort:-words
    fandom:btvs (relationship:"spike/willow" OR relationship:"spike/buffy")
    tara -tag:"character death" complete:yes published:2001..2003 NOT (a OR b)

Grammar (`OR`, `AND` and `NOT` are keywords in any case, but only as whole words)::

    query   = [ or ]
    or      = and { "OR" and }             OR binds looser than AND: a b OR c = (a b) OR c
    and     = unary { [ "AND" ] unary }    terms side by side are ANDed
    unary   = { "NOT" | "-" } primary      "-" sits directly before its term: -tag:x -(a OR b)
    primary = "(" or ")" | field ":" value | '"' phrase '"' | word

- `name:` directly followed by a non-space character is always a field term: an unknown
  field is an error with a suggestion, never a text search. `name:` followed by a space is
  the word `name` unless `name` is a field (then the value is missing: an error).
- A value ends at whitespace or a parenthesis; a value with spaces, ':' or parentheses is
  quoted: `fandom:"Angel: the Series"`. Inside double quotes `\"` is a quote and `\\` a
  backslash. Bare words and bare quoted phrases are full-text terms.
- A query holds at most 1,000 terms (MAX_TERMS; `sort:` is not a term), and its groups
  nest at most 16 deep (MAX_NESTING: an AND inside an OR inside an AND…; parentheses that
  change nothing, and NOTs, do not count); parentheses as written nest at most 100 deep.
  Past these a query is not a search anyone types but a program's, and the SQL it would
  make outgrows what the databases parse (SQLite's parser stack runs out at a few dozen
  levels): an error, not a slow or failing search.
- `@NAME` is the saved search NAME (`catalog search save NAME QUERY`): its query, as if
  written there in parentheses (its `sort:` is not used there).
- A NUL character or a lone surrogate (a byte of the command line that is not UTF-8) is
  refused: no database can search for it.

Fields (aliases in brackets) and their values:

    fandom [fandoms] character [char characters]     a tag name, commas kept literally:
    relationship [ship pairing relationships]        fandom:btvs  tag:"character death"
    freeform [additional freeforms] tag [tags]       (tag: is a tag of any type)
    rating [ratings]                                 rating:teen  rating:teen,mature
                                                     rating:<=teen (<, <=, >, >=)
    warning [warnings archive-warning]               warning:mcd  warning:mcd,violence
    category [categories]                            category:f/f
    words [wordcount word_count] chapters id         5000  1000..5000  10k..  ..5,000
                                                     >10k  <=1.5k  1k-5k
    published [posted] updated completed ingested    2003  2003-02  2003-02-14
                                                     2001..2003  >2003  <=2003-06
    complete [finished]                              yes no true false y n 1 0
    author [by creator] language [lang] series       the value as written:
    collection title summary source format           author:"Some One"
    reading                                          later reading read dropped none
                                                     updated (grown since marked)
    text                                             full text, like a bare word/phrase
    sort                                             id words title published updated
                                                     ingested chapters, `-` descending;
                                                     top level only, at most once

A date names its whole period (published:2003 is 2003-01-01..2003-12-31); ranges are
inclusive and `a..b` runs from the start of a to the end of b. Numbers above 10**12 are
refused. Errors are `QueryError`s carrying the 0-based offset of the offending text.
"""

from __future__ import annotations

import calendar
import difflib
import operator
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeAlias, TypeVar

from catalog import fields, vocab
from catalog.errors import CatalogError
from catalog.textnorm import collapse

MAX_DEPTH = 100
MAX_NESTING = 16
MAX_TERMS = 1_000
MAX_NUMBER = 10**12
SORT_KEYS = fields.SORT_KEYS


class QueryError(CatalogError):
    """A query that cannot be parsed; `pos` is the 0-based offset of the offending text."""

    def __init__(self, reason: str, pos: int, hint: str | None = None) -> None:
        message = f"query: {reason} at column {pos + 1}" + (f" — {hint}" if hint else "")
        super().__init__(message)
        self.reason = reason
        self.pos = pos
        self.hint = hint


@dataclass(frozen=True)
class Tag:
    """A tag named `name` (any spelling with the same key) of one type, or of any if None."""

    type: str | None
    name: str


@dataclass(frozen=True)
class Rating:
    """The work's rating compared with `name` by severity; `=` is plain equality."""

    op: str
    name: str


@dataclass(frozen=True)
class Range:
    """An inclusive range over a number or date column; None leaves that end open."""

    field: str
    low: int | date | None
    high: int | date | None


@dataclass(frozen=True)
class Flag:
    """A yes/no property of the work."""

    field: str
    value: bool


@dataclass(frozen=True)
class Field:
    """A free-form metadata field (author, title…) matched against `value` as written."""

    field: str
    value: str


@dataclass(frozen=True)
class Text:
    """A full-text term: a word, or a phrase whose words must be adjacent."""

    value: str
    phrase: bool


@dataclass(frozen=True)
class Not:
    """Works that `node` does not match."""

    node: Node


@dataclass(frozen=True)
class And:
    """All of `nodes` (at least two; never directly holds another And)."""

    nodes: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    """Any of `nodes` (at least two; never directly holds another Or)."""

    nodes: tuple[Node, ...]


@dataclass(frozen=True)
class Saved:
    """`@NAME`: the saved search NAME's query, expanded where it is compiled."""

    name: str


@dataclass(frozen=True)
class Blocked:
    """The works the blocklist matches: not written in a query, but added where a
    listing leaves them out (see `catalog.query.compiler.meant`)."""


Node: TypeAlias = Tag | Rating | Range | Flag | Field | Text | Saved | Blocked | Not | And | Or


@dataclass(frozen=True)
class Parsed:
    """A parsed query: the filter (None matches every work) and the sort, e.g. '-words'."""

    where: Node | None
    sort: str | None


# Canonical field name -> (kind, aliases), from the field table. The kind decides how the
# value is read.
_FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    f.name: (f.kind, f.aliases) for f in fields.QUERY_FIELDS}
FIELDS = tuple(_FIELDS)
_NAMES = {name: canon for canon, (_, aliases) in _FIELDS.items() for name in (canon, *aliases)}
_REQUIRE: dict[str, Callable[[str], str]] = {
    "rating": vocab.require_rating, "warning": vocab.require_warning,
    "category": vocab.require_category,
}
_OPS = (">=", "<=", ">", "<")  # longest first, so '>=' is not read as '>' and '=…'
_COMPARE = {">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt}
_YES = frozenset({"yes", "true", "y", "1"})
_NO = frozenset({"no", "false", "n", "0"})
_KEYWORDS = {"or": "OR", "and": "AND", "not": "NOT"}
_FIELD = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*:")
# Digits with `_` anywhere or `,` every three; a fraction only counts with the k suffix.
_NUMBER = re.compile(
    r"(?P<int>[0-9]+(?:_[0-9]+)*|[0-9]{1,3}(?:,[0-9]{3})+)(?:\.(?P<frac>[0-9]+))?(?P<k>[kK])?")
_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
_UNSEARCHABLE = re.compile("[\x00\ud800-\udfff]")
SAVED_NAME = re.compile(r"[^\W][\w-]{0,63}")  # a saved search's name, as `@NAME` names it
_NUMBER_HINT = "write a whole number such as 5000, 5,000, 5_000, 5k or 1.5k"
_DATE_HINT = "write YYYY, YYYY-MM or YYYY-MM-DD; ranges as 2001..2003, >2003 or <=2003-06"
_B = TypeVar("_B", int, date)


class _Bad(Exception):
    """A bad value, `offset` characters into it; the caller turns it into a QueryError."""

    def __init__(self, reason: str, offset: int = 0, hint: str | None = None) -> None:
        super().__init__(reason)
        self.reason, self.offset, self.hint = reason, offset, hint


def _show(text: str) -> str:
    """Quote user text for a message, shortened so that the message stays readable."""
    return repr(text if len(text) <= 40 else text[:39] + "…")


def _field_hint(name: str) -> str:
    """'did you mean …' for a misspelt field, else the list of fields."""
    close = difflib.get_close_matches(name.lower(), list(_NAMES), n=1)
    if close:
        return f"did you mean {_NAMES[close[0]]!r}?"
    return f"fields: {', '.join(FIELDS)}"


# ---- values -------------------------------------------------------------------------------

def _number(text: str, offset: int) -> int:
    """A count as people write it: 5000, 5,000, 5_000, 10k, 1.5k."""
    m = _NUMBER.fullmatch(text)
    if not m:
        raise _Bad(f"invalid number {_show(text)}", offset, _NUMBER_HINT)
    digits = m["int"].replace(",", "").replace("_", "").lstrip("0") or "0"
    fraction = (m["frac"] or "").rstrip("0")
    if fraction and (not m["k"] or len(fraction) > 3):
        raise _Bad(f"{_show(text)} is not a whole number", offset, _NUMBER_HINT)
    # Checked before int(): a huge digit string is refused, not converted.
    if len(digits) > len(str(MAX_NUMBER)):
        raise _Bad(f"number {_show(text)} is too large", offset, f"the limit is {MAX_NUMBER:,}")
    value = int(digits) * (1000 if m["k"] else 1) + int(fraction.ljust(3, "0"))
    if value > MAX_NUMBER:
        raise _Bad(f"number {_show(text)} is too large", offset, f"the limit is {MAX_NUMBER:,}")
    return value


def _number_period(text: str, offset: int) -> tuple[int, int]:
    value = _number(text, offset)
    return value, value


def _date_period(text: str, offset: int) -> tuple[date, date]:
    """First and last day of the year, month or day that `text` names."""
    m = _DATE.fullmatch(text)
    if not m:
        raise _Bad(f"invalid date {_show(text)}", offset, _DATE_HINT)
    year = int(m[1])
    try:
        if m[3]:
            day = date(year, int(m[2]), int(m[3]))
            return day, day
        if m[2]:
            month = int(m[2])
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        return date(year, 1, 1), date(year, 12, 31)
    except ValueError:
        raise _Bad(f"invalid date {_show(text)}: no such day", offset, _DATE_HINT) from None


def _next_number(value: int, step: int) -> int:
    return value + step


def _next_day(value: date, step: int) -> date:
    try:
        return value + timedelta(days=step)
    except OverflowError:
        raise _Bad(f"no date is {'after' if step > 0 else 'before'} {value}") from None


def _bounds(value: str, period: Callable[[str, int], tuple[_B, _B]],
            step: Callable[[_B, int], _B], dash: bool) -> tuple[_B | None, _B | None]:
    """Inclusive bounds of `N`, `a..b`, `a..`, `..b`, `>N`, `>=N`, `<N`, `<=N` (and `a-b`)."""
    for op in _OPS:
        if value.startswith(op):
            start, end = period(value[len(op):], len(op))
            if op == ">":
                return step(end, 1), None
            if op == "<":
                return None, step(start, -1)
            return (start, None) if op == ">=" else (None, end)
    if ".." in value:
        first, _, last = value.partition("..")
        if not first and not last:
            raise _Bad("a range needs at least one bound", 0, "e.g. 1000..5000, 10k.. or ..5000")
        low = period(first, 0)[0] if first else None
        high = period(last, len(first) + 2)[1] if last else None
    elif dash and value.count("-") == 1 and not value.startswith("-") \
            and not value.endswith("-"):
        first, _, last = value.partition("-")
        low, high = period(first, 0)[0], period(last, len(first) + 1)[1]
    else:
        low, high = period(value, 0)
    if low is not None and high is not None and low > high:
        raise _Bad(f"empty range {_show(value)}: the start is after the end")
    return low, high


def _range(field: str, kind: str, value: str) -> Range:
    """A number or date range; `a-b` is AO3's number range (for dates it would be ambiguous)."""
    if kind == "int":
        low, high = _bounds(value, _number_period, _next_number, dash=True)
        if high is not None and high < 0:
            raise _Bad(f"{field} cannot be below 0")
        return Range(field, low, high)
    dlow, dhigh = _bounds(value, _date_period, _next_day, dash=False)
    return Range(field, dlow, dhigh)


def _require(kind: str, value: str, offset: int) -> str:
    """The vocabulary's canonical name, its error re-raised with the position."""
    try:
        return _REQUIRE[kind](value)
    except CatalogError as exc:
        reason, sep, accepted = str(exc).partition("; accepted: ")
        raise _Bad(reason, offset, f"accepted: {accepted}" if sep else None) from None


def _items(value: str, listed: bool) -> list[tuple[str, int]]:
    """The comma-separated items of an unquoted value with their offsets, empties dropped."""
    if not listed:
        return [(value, 0)]
    out, offset = [], 0
    for part in value.split(","):
        if part:
            out.append((part, offset))
        offset += len(part) + 1
    return out


def _any(nodes: Iterable[Node]) -> Node:
    """One node, or an Or of the distinct nodes in the order given."""
    distinct = tuple(dict.fromkeys(nodes))
    if not distinct:
        raise _Bad("empty list of values")
    return distinct[0] if len(distinct) == 1 else Or(distinct)


def _rating(value: str, listed: bool) -> Node:
    """`teen`, `teen,mature` or a severity comparison such as `<=teen`."""
    op = next((op for op in _OPS if value.startswith(op)), "=")
    if op == "=":
        return _any(Rating("=", _require("rating", v, at)) for v, at in _items(value, listed))
    text = value[len(op):].strip()
    if not text:
        raise _Bad(f"missing rating after {op!r}", len(op))
    if "," in text:
        raise _Bad("a comparison takes one rating", len(op),
                   f"write rating:{op}teen, or list ratings as rating:teen,mature")
    name = _require("rating", text, len(op))
    if name not in vocab.RATING_SEVERITY:
        raise _Bad(f"{name} has no severity to compare with", len(op),
                   "use rating:nr to find it, or -rating:nr to leave it out")
    level = vocab.RATING_SEVERITY[name]
    if not any(_COMPARE[op](other, level) for other in vocab.RATING_SEVERITY.values()):
        raise _Bad(f"no rating is {op} {name}", len(op))
    return Rating(op, name)


def _flag(value: str) -> bool:
    key = value.lower()
    if key in _YES or key in _NO:
        return key in _YES
    raise _Bad(f"expected yes or no, not {_show(value)}", 0, "yes/no, true/false, y/n, 1/0")


def _sort(value: str) -> str:
    """A sort key with an optional sign, normalised: '+Words' -> 'words', '-posted' ->
    '-published' (a field alias names the same column)."""
    text = value.lower()
    sign = "-" if text.startswith("-") else ""
    offset = 1 if text.startswith(("-", "+")) else 0
    name = _NAMES.get(text[offset:], text[offset:])
    if name not in SORT_KEYS:
        close = difflib.get_close_matches(text[offset:], SORT_KEYS, n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"sort by one of {', '.join(SORT_KEYS)}"
        raise _Bad(f"unknown sort {_show(value)}", offset, hint + " (prefix - for descending)")
    return sign + name


def _term(field: str, value: str, quoted: bool) -> Node:
    """The node for `field:value` (the value already collapsed and non-empty)."""
    kind = _FIELDS[field][0]
    if kind == "tag":
        return Tag(None if field == "tag" else field, value)
    if kind == "rating":
        return _rating(value, listed=not quoted)
    if kind == "vocab":
        return _any(Tag(field, _require(field, v, at)) for v, at in _items(value, not quoted))
    if kind in ("int", "date"):
        return _range(field, kind, value)
    if kind == "flag":
        return Flag(field, _flag(value))
    if kind == "text":
        return Text(value, quoted)
    if kind == "status":
        return _any(Field(field, _status(v, at)) for v, at in _items(value, not quoted))
    return Field(field, value)


READING = ("later", "reading", "read", "dropped", "none", "updated")


def _status(value: str, offset: int) -> str:
    if value.lower() not in READING:
        raise _Bad(f"unknown reading status {_show(value)}", offset,
                   f"use one of {', '.join(READING)}")
    return value.lower()


def parse_range(field: str, value: str) -> Range:
    """`words:1000..5000` without the `words:`, for options such as `--words 1000..5000`.

    Errors are QueryErrors at position 0: the value stands alone, not in a query.
    """
    canon = _NAMES.get(field.lower())
    kind = _FIELDS[canon][0] if canon else ""
    if canon is None or kind not in ("int", "date"):
        ranged = [name for name, (k, _) in _FIELDS.items() if k in ("int", "date")]
        raise QueryError(f"{_show(field)} is not a range field", 0,
                         f"range fields: {', '.join(ranged)}")
    try:
        return _range(canon, kind, collapse(value))
    except _Bad as exc:
        raise QueryError(exc.reason, 0, exc.hint) from None


# ---- tokens -------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Token:
    kind: str  # "(", ")", "OR", "AND", "NOT", "TERM", "SORT" or "END"
    pos: int
    text: str = ""  # the keyword as typed, or the normalised sort
    node: Node | None = None


class _Lexer:
    """Splits a query into tokens left to right, building each term's node as it goes."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0

    def __iter__(self) -> Iterator[_Token]:
        while True:
            while self.i < len(self.text) and self.text[self.i].isspace():
                self.i += 1
            if self.i >= len(self.text):
                yield _Token("END", len(self.text))
                return
            yield self._token()

    def _token(self) -> _Token:
        start, ch = self.i, self.text[self.i]
        if ch in "()":
            self.i += 1
            return _Token(ch, start)
        if ch == '"':
            phrase = collapse(self._quoted())
            if not phrase:
                raise QueryError("empty quoted phrase", start)
            return _Token("TERM", start, node=Text(phrase, True))
        if ch == "-":
            return self._minus()
        field = _FIELD.match(self.text, start)
        if field:
            return self._field(field)
        word = self._bare()
        keyword = _KEYWORDS.get(word.lower())
        if keyword:
            return _Token(keyword, start, word)
        if word.startswith("@"):
            if not SAVED_NAME.fullmatch(word[1:]):
                raise QueryError(f"{_show(word)} is not a saved search's name", start,
                                 'names are letters, digits, "-" and "_"; quote a literal '
                                 'word: "@home"')
            return _Token("TERM", start, node=Saved(word[1:]))
        return _Token("TERM", start, node=Text(word, False))

    def _ends(self, at: int) -> bool:
        """Whether a term may end before `at`: end of text, whitespace or ')'."""
        return at >= len(self.text) or self.text[at].isspace() or self.text[at] == ")"

    def _bare(self) -> str:
        """An unquoted word or value: up to whitespace or a parenthesis."""
        start = self.i
        while (self.i < len(self.text) and not self.text[self.i].isspace()
               and self.text[self.i] not in "()"):
            self.i += 1
        return self.text[start:self.i]

    def _quoted(self) -> str:
        """A double-quoted string, unescaped; it must be followed by a space or parenthesis."""
        start, text, out = self.i, self.text, []
        i = start + 1
        while i < len(text):
            ch = text[i]
            if ch == "\\" and i + 1 < len(text) and text[i + 1] in '"\\':
                out.append(text[i + 1])
                i += 2
            elif ch == '"':
                self.i = i + 1
                if not self._ends(self.i) and text[self.i] != "(":
                    raise QueryError("expected a space after the closing quote", self.i,
                                     'write \\" for a quote inside quotes')
                return "".join(out)
            else:
                out.append(ch)
                i += 1
        raise QueryError("unterminated quote", start, 'close it with "; write \\" for a quote')

    def _minus(self) -> _Token:
        start = self.i
        if self._ends(start + 1):
            raise QueryError("'-' must be directly followed by the term it excludes", start,
                             "e.g. -tag:crossover or -(a OR b); quote a literal dash: \"-\"")
        self.i += 1
        return _Token("NOT", start, "-")

    def _field(self, match: re.Match[str]) -> _Token:
        """`name:value`; an unknown name is an error, unless nothing follows the colon."""
        start, name, at = match.start(), match.group()[:-1], match.end()
        canon = _NAMES.get(name.lower())
        if canon is None:
            if self._ends(at):
                self.i = at
                return _Token("TERM", start, node=Text(name, False))
            raise QueryError(f"unknown field {_show(name)}", start, _field_hint(name))
        empty = QueryError(f"empty value for field {name!r}", start,
                           f'write {name}:VALUE with no space, or quote it: {name}:"two words"')
        if self._ends(at):
            raise empty
        if self.text[at] == "(":
            raise QueryError(f"empty value for field {name!r}", start,
                             f"a field takes one value; group whole terms: "
                             f"({name}:a OR {name}:b)")
        self.i = at
        quoted = self.text[at] == '"'
        raw = self._quoted() if quoted else self._bare()
        if not quoted and ":" in raw:
            raise QueryError(f"unquoted value for field {name!r} contains ':'", at,
                             f'quote the value: {name}:"…"')
        value = collapse(raw)
        if not value:
            raise empty
        try:
            if canon == "sort":
                return _Token("SORT", start, _sort(value))
            return _Token("TERM", start, node=_term(canon, value, quoted))
        except _Bad as exc:
            raise QueryError(exc.reason, at if quoted else at + exc.offset, exc.hint) from None


# ---- parser -------------------------------------------------------------------------------

def all_of(nodes: list[Node]) -> Node:
    """The AND of nodes, flattened (an And never directly holds an And)."""
    return _and(nodes)


def any_of(nodes: list[Node]) -> Node:
    """The OR of nodes, flattened."""
    return _or(nodes)


def _and(nodes: list[Node]) -> Node:
    flat = [child for node in nodes for child in (node.nodes if isinstance(node, And) else (node,))]
    return flat[0] if len(flat) == 1 else And(tuple(flat))


def _or(nodes: list[Node]) -> Node:
    flat = [child for node in nodes for child in (node.nodes if isinstance(node, Or) else (node,))]
    return flat[0] if len(flat) == 1 else Or(tuple(flat))


class _Parser:
    """Recursive descent over the tokens, parentheses capped at MAX_DEPTH (no RecursionError)
    and the groups they make at MAX_NESTING."""

    def __init__(self, text: str) -> None:
        self.tokens = iter(_Lexer(text))
        self.terms = 0
        self.tok = self.next()
        self.sort: _Token | None = None
        self.opened = [self.tok.pos]  # where each open group starts, the query at depth 0
        # And/Or nodes -> (node, how deep their groups nest); the node is kept so that its
        # id is not reused while the parse lasts.
        self.levels: dict[int, tuple[Node, int]] = {}

    def next(self) -> _Token:
        """The next token, counting terms: past MAX_TERMS the query is refused while it is
        parsed, before anything is planned."""
        tok = next(self.tokens)
        if tok.kind == "TERM":
            self.terms += 1
            if self.terms > MAX_TERMS:
                raise self.too_many(tok)
        return tok

    def too_many(self, tok: _Token) -> QueryError:
        """The error for too many terms, counting them all if the rest of the query lexes."""
        try:
            total = f"{self.terms + sum(t.kind == 'TERM' for t in self.tokens):,}; "
        except QueryError:
            total = ""
        return QueryError(f"too many terms ({total}the limit is {MAX_TERMS:,})", tok.pos,
                          "split the query, or tag the works it names with one tag (or "
                          "wrangle their tags together) and search that")

    def advance(self) -> _Token:
        tok = self.tok
        if tok.kind != "END":
            self.tok = self.next()
        return tok

    def expect_term(self, op: _Token) -> None:
        """An operator must be followed by something it can apply to."""
        if self.tok.kind in ("END", ")", "OR", "AND"):
            label = "'-'" if op.text == "-" else op.kind
            raise QueryError(f"expected a term after {label}", op.pos)

    def parse(self) -> Parsed:
        where = self.or_(0)
        if self.tok.kind == ")":
            raise QueryError("unbalanced ')': there is no '(' to close", self.tok.pos)
        return Parsed(where, self.sort.text if self.sort else None)

    def or_(self, depth: int) -> Node | None:
        alternatives = [self.and_(depth)]
        while self.tok.kind == "OR":
            self.expect_term(self.advance())
            alternatives.append(self.and_(depth))
        if len(alternatives) == 1:
            return alternatives[0]
        if depth == 0 and self.sort is not None:
            raise QueryError("sort: cannot be part of an OR", self.sort.pos,
                             "put the OR in parentheses: (a OR b) sort:-words")
        return self.nested(_or([node for node in alternatives if node is not None]), depth)

    def and_(self, depth: int) -> Node | None:
        nodes: list[Node] = []
        seen = False
        while self.tok.kind not in ("END", ")", "OR"):
            if self.tok.kind == "AND":
                op = self.advance()
                if not seen:
                    raise QueryError("AND needs a term before it", op.pos)
                self.expect_term(op)
                continue
            node = self.unary(depth)
            seen = True
            if node is not None:
                nodes.append(node)
        if not seen and self.tok.kind == "OR":
            raise QueryError("OR needs a term before it", self.tok.pos)
        return self.nested(_and(nodes), depth) if nodes else None

    def level(self, node: Node) -> int:
        """How deep the groups in `node` nest: 0 for a term, 1 for a listed value such as
        rating:teen,mature; NOTs are not counted (the compiler moves them down to the terms)."""
        while isinstance(node, Not):
            node = node.node
        return self.levels.get(id(node), (node, 1))[1] if isinstance(node, And | Or) else 0

    def nested(self, node: Node, depth: int) -> Node:
        """`node`, new from `_and` or `_or`, with its level recorded and checked: the error
        points at the innermost group past MAX_NESTING."""
        if isinstance(node, And | Or) and id(node) not in self.levels:
            level = 1 + max(self.level(child) for child in node.nodes)
            if level > MAX_NESTING:
                raise QueryError(f"groups nested more than {MAX_NESTING} deep",
                                 self.opened[depth], "an AND inside an OR inside an AND… "
                                 "counts a level each: simplify the query or split it")
            self.levels[id(node)] = (node, level)
        return node

    def unary(self, depth: int) -> Node | None:
        """A term with its negations (counted in a loop: `NOT NOT x` is x); None for sort."""
        negations = 0
        while self.tok.kind == "NOT":
            negations += 1
            self.expect_term(self.advance())
        if self.tok.kind == "SORT":
            self.take_sort(self.advance(), depth, negations > 0)
            return None
        node = self.primary(depth)
        if negations % 2 == 0:
            return node
        return node.node if isinstance(node, Not) else Not(node)

    def take_sort(self, tok: _Token, depth: int, negated: bool) -> None:
        """sort: is a directive on the whole query, so it only stands at the top level."""
        if negated:
            raise QueryError("sort: cannot be negated", tok.pos)
        if depth:
            raise QueryError("sort: must be at the top level, not inside parentheses", tok.pos)
        if self.sort is not None:
            raise QueryError("only one sort: is allowed", tok.pos,
                             f"the first is at column {self.sort.pos + 1}")
        self.sort = tok

    def primary(self, depth: int) -> Node:
        tok = self.advance()
        if tok.kind == "TERM" and tok.node is not None:
            return tok.node
        if tok.kind != "(":
            raise QueryError("expected a term", tok.pos)
        if depth >= MAX_DEPTH:
            raise QueryError(f"parentheses nested more than {MAX_DEPTH} deep", tok.pos)
        if self.tok.kind == ")":
            raise QueryError("empty parentheses", tok.pos)
        self.opened.append(tok.pos)
        node = self.or_(depth + 1)
        self.opened.pop()
        if self.tok.kind != ")":
            raise QueryError("unclosed '('", tok.pos, "add the missing ')'")
        self.advance()
        if node is None:
            raise QueryError("empty parentheses", tok.pos)
        return node


def _searchable(query: str) -> None:
    """Refuse what no database can be asked for: SQLite's full-text query ends at a NUL and
    PostgreSQL refuses one in text; a lone surrogate (how Python passes on a byte of a
    command line that is not UTF-8) cannot be encoded at all."""
    bad = _UNSEARCHABLE.search(query)
    if bad:
        code = ord(bad.group())
        what = ("a NUL character" if code == 0 else
                f"a byte that is not UTF-8 (0x{code - 0xDC00:02X})" if 0xDC80 <= code <= 0xDCFF
                else f"a lone surrogate (U+{code:04X})")
        raise QueryError(f"{what} cannot be searched for", bad.start(), "remove it")


def parse(query: str) -> Parsed:
    """Parse a query (see the module docstring); an empty one matches every work."""
    _searchable(query)
    return _Parser(query).parse()
