"""The filters of `catalog list` and `catalog export`, as a value object compiled to SQL.

Every tag term is its own match (tag A AND tag B is two subqueries, never one join); values
are compared by normalised key with bound parameters, so `%`, `_` and quotes are literal.

>>> f = WorkFilter(include=[TagTerm("character", "spike")], max_rating="Teen And Up Audiences")
>>> stmt = work_ids(f)   # SELECT works.id … WHERE works.id IN (…) AND works.id IN (…)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select

from catalog import vocab
from catalog.db.models import Author, Tag, Work, WorkAuthor, WorkTag
from catalog.errors import CatalogError
from catalog.textnorm import name_key

SORTS = {"id": Work.id, "words": Work.words, "title": Work.title_key,
         "published": Work.published, "updated": Work.updated, "ingested": Work.ingested_at}
_RANGE = re.compile(r"^\s*(\d[\d,_]*k?)?\s*(\.\.|-)?\s*(\d[\d,_]*k?)?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class TagTerm:
    """A tag name to match, of one type or (type None) of any type."""

    type: str | None
    value: str


@dataclass
class WorkFilter:
    include: list[TagTerm] = field(default_factory=list)
    exclude: list[TagTerm] = field(default_factory=list)
    ratings: list[str] = field(default_factory=list)
    max_rating: str | None = None
    warnings: list[str] = field(default_factory=list)
    exclude_warnings: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    words_min: int | None = None
    words_max: int | None = None
    complete: bool | None = None
    languages: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    title: str | None = None
    sort: str = "id"
    limit: int | None = None
    offset: int = 0


def parse_words(value: str) -> tuple[int | None, int | None]:
    """'1000..5000', '..5000', '10k..', '2000' (exactly) -> (min, max)."""
    m = _RANGE.match(value or "")
    if not m or not (m.group(1) or m.group(3)) or (m.group(2) is None and m.group(3)):
        raise CatalogError(f"invalid word range {value!r}: use MIN..MAX, MIN.. or ..MAX "
                           "(e.g. 1000..5000, 10k..)")

    def number(text: str | None) -> int | None:
        if not text:
            return None
        text = text.replace(",", "").replace("_", "").lower()
        return int(text[:-1]) * 1000 if text.endswith("k") else int(text)

    low, high = number(m.group(1)), number(m.group(3))
    if m.group(2) is None:
        return low, low
    if low is not None and high is not None and low > high:
        raise CatalogError(f"invalid word range {value!r}: the minimum is above the maximum")
    return low, high


def parse_sort(value: str) -> str:
    name = value.lstrip("-+")
    if name not in SORTS:
        raise CatalogError(f"unknown sort {value!r}; use one of {', '.join(SORTS)} "
                           "(prefix - for descending, e.g. -words)")
    return value


def _tag_ids(tag_type: str | None, value: str) -> Select[Any]:
    stmt = select(Tag.id).where(Tag.name_key == name_key(value))
    return stmt.where(Tag.type == tag_type) if tag_type else stmt


def _tagged(tag_ids: Select[Any]) -> ColumnElement[bool]:
    return Work.id.in_(select(WorkTag.work_id).where(WorkTag.tag_id.in_(tag_ids)))


def _tagged_any(tag_type: str, names: list[str]) -> ColumnElement[bool]:
    keys = [name_key(n) for n in names]
    return _tagged(select(Tag.id).where(Tag.type == tag_type, Tag.name_key.in_(keys)))


def _by_author(value: str) -> ColumnElement[bool]:
    key = name_key(value)
    authors = select(Author.id).where(
        or_(Author.name_key == key, Author.pseud_key == key, Author.login_key == key))
    return Work.id.in_(select(WorkAuthor.work_id).where(WorkAuthor.author_id.in_(authors)))


def _term(term: TagTerm) -> ColumnElement[bool]:
    """A tag term; a term of any type also finds a rating as written ("Spicy", "PG-13")."""
    tagged = _tagged(_tag_ids(term.type, term.value))
    if term.type is None:
        raw = and_(Work.rating_raw_key.is_not(None), Work.rating_raw_key == name_key(term.value))
        return or_(tagged, raw)  # NULL-safe, so that NOT (…) keeps works with no raw rating
    return tagged


def conditions(f: WorkFilter) -> list[ColumnElement[bool]]:
    """One condition per filter; all must hold."""
    out: list[ColumnElement[bool]] = [_term(t) for t in f.include]
    out += [~_term(t) for t in f.exclude]
    if f.ratings:
        out.append(_tagged_any("rating", f.ratings))
    if f.max_rating:
        ceiling = vocab.RATING_SEVERITY[f.max_rating]
        allowed = [r for r, level in vocab.RATING_SEVERITY.items() if level <= ceiling]
        out.append(_tagged_any("rating", allowed))
    out += [_tagged_any("warning", [w]) for w in f.warnings]
    if f.exclude_warnings:
        out.append(~_tagged_any("warning", f.exclude_warnings))
    out += [_tagged_any("category", [c]) for c in f.categories]
    if f.words_min is not None:
        out.append(Work.words >= f.words_min)
    if f.words_max is not None:
        out.append(Work.words <= f.words_max)
    if f.complete is not None:
        out.append(Work.complete == f.complete)
    if f.languages:
        out.append(Work.language.in_([vocab.language_code(x) for x in f.languages]))
    out += [_by_author(a) for a in f.authors]
    if f.title:
        out.append(Work.title_key.contains(name_key(f.title), autoescape=True))
    return out


def work_ids(f: WorkFilter) -> Select[Any]:
    """SELECT of matching work ids, sorted, with limit and offset applied."""
    name = f.sort.lstrip("-+")
    column = SORTS[name]
    order = column.desc() if f.sort.startswith("-") else column.asc()
    tiebreak = Work.id.desc() if f.sort.startswith("-") else Work.id.asc()
    stmt = select(Work.id).where(*conditions(f)).order_by(order.nulls_last(), tiebreak)
    if f.offset:
        stmt = stmt.offset(f.offset)
    if f.limit is not None:
        stmt = stmt.limit(f.limit)
    return stmt


def count(f: WorkFilter) -> Select[Any]:
    return select(func.count()).select_from(Work).where(*conditions(f))
