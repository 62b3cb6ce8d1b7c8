"""A query from the query text and the filter options beside it (`--fandom`, `--words`, …):
the options become the same nodes the query language builds, ANDed with it, so one
compiler serves both. Ratings and warnings typed by the user are checked against AO3's
vocabularies here, so an unknown one is an error listing the accepted values."""

from __future__ import annotations

from dataclasses import dataclass, field

from catalog import vocab
from catalog.errors import CatalogError, VocabularyError
from catalog.query.compiler import SORTS, Query
from catalog.query.language import (
    Field,
    Flag,
    Node,
    Not,
    Or,
    QueryError,
    Rating,
    Tag,
    parse,
    parse_range,
)


@dataclass(frozen=True)
class Filters:
    """The filter options of `list`, `export` and `stats`; each list requires every value
    (ratings and languages: any of them)."""

    fandom: list[str] = field(default_factory=list)
    character: list[str] = field(default_factory=list)
    relationship: list[str] = field(default_factory=list)
    tag: list[str] = field(default_factory=list)
    exclude_tag: list[str] = field(default_factory=list)
    rating: list[str] = field(default_factory=list)
    max_rating: str | None = None
    warning: list[str] = field(default_factory=list)
    exclude_warning: list[str] = field(default_factory=list)
    category: list[str] = field(default_factory=list)
    words: str | None = None
    complete: bool | None = None
    language: list[str] = field(default_factory=list)
    author: list[str] = field(default_factory=list)
    title: str | None = None
    sort: str | None = None
    limit: int | None = None
    offset: int = 0
    given_only: bool = False
    block: bool | None = None  # leave out blocked works (None: the command's default)


def build(text: str = "", filters: Filters | None = None) -> Query:
    """One `Query` from the query text and the filters."""
    f = filters or Filters()
    parsed = parse(text)
    nodes: list[Node | None] = [Tag(t, v) for t in ("fandom", "character", "relationship")
                                for v in getattr(f, t)]
    nodes += [Tag(None, v) for v in f.tag]
    nodes += [Not(Tag(None, v)) for v in f.exclude_tag]
    nodes += [_any([Rating("=", vocab.require_rating(r)) for r in f.rating])]
    if f.max_rating:
        nodes.append(Rating("<=", _max_rating(f.max_rating)))
    nodes += [Tag("warning", vocab.require_warning(w)) for w in f.warning]
    nodes += [Not(Tag("warning", vocab.require_warning(w))) for w in f.exclude_warning]
    nodes += [Tag("category", vocab.require_category(c)) for c in f.category]
    if f.words:
        nodes.append(_words(f.words))
    if f.complete is not None:
        nodes.append(Flag("complete", f.complete))
    nodes += [_any([Field("language", v) for v in f.language])]
    nodes += [Field("author", v) for v in f.author]
    if f.title:
        nodes.append(Field("title", f.title))
    sort = f.sort if f.sort is not None else parsed.sort or "id"
    if sort.lstrip("-+") not in SORTS:
        raise QueryError(f"unknown sort {sort!r}; use one of {', '.join(SORTS)} "
                         "(prefix - for descending, e.g. -words)", 0)
    return Query(where=parsed.where, extra=[n for n in nodes if n is not None], sort=sort,
                 limit=f.limit, offset=f.offset, given_only=f.given_only, block=f.block)


def _words(value: str) -> Node:
    try:
        return parse_range("words", value)
    except QueryError as exc:
        hint = f" ({exc.hint})" if exc.hint else ""
        raise CatalogError(f"invalid word range {value!r} for --words: {exc.reason}{hint}; "
                           "use MIN..MAX, MIN.., ..MAX or N (e.g. 1000..5000, 10k..)") from None


def _max_rating(value: str) -> str:
    rating = vocab.require_rating(value)
    if rating == vocab.NOT_RATED:
        raise VocabularyError("--max-rating needs a rating with a severity: "
                              + ", ".join(vocab.RATINGS[1:]))
    return rating


def _any(nodes: list[Node]) -> Node | None:
    if not nodes:
        return None
    return nodes[0] if len(nodes) == 1 else Or(tuple(nodes))
