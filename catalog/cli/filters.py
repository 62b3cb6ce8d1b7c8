"""The filter options shared by `list` and `export`, declared once.

`with_filters` adds the options to a command's signature and hands the command one
`WorkFilter` built from them (user-typed ratings and warnings checked against AO3's
vocabularies here, so an unknown one is an error listing the accepted values).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Annotated, Any

import typer

FILTER_PANEL = "Filters"

_PARAMS: list[tuple[str, Any, Any]] = [
    ("fandom", list[str], typer.Option("--fandom", help="Works with this fandom (repeat: all).")),
    ("character", list[str], typer.Option("--character", help="Works with this character.")),
    ("relationship", list[str],
     typer.Option("--relationship", help="Works with this relationship, e.g. 'Spike/Willow'.")),
    ("tag", list[str], typer.Option("--tag", help="Works with this tag of any type.")),
    ("exclude_tag", list[str],
     typer.Option("--exclude-tag", help="Hide works with this tag of any type.")),
    ("rating", list[str],
     typer.Option("--rating", help="Works with any of these ratings (PG-13, Mature, …).")),
    ("max_rating", str | None,
     typer.Option("--max-rating", help="At most this rating by AO3 severity; excludes Not Rated.")),
    ("warning", list[str], typer.Option("--warning", help="Works with this archive warning.")),
    ("exclude_warning", list[str],
     typer.Option("--exclude-warning", help="Hide works with this archive warning (MCD, …).")),
    ("category", list[str], typer.Option("--category", help="Works in this category (F/F, Gen…).")),
    ("words", str | None,
     typer.Option("--words", metavar="MIN..MAX", help="Word range: 1000..5000, 10k.., ..500.")),
    ("complete", bool | None,
     typer.Option("--complete/--incomplete", help="Only complete / only in-progress works.")),
    ("language", list[str], typer.Option("--language", help="Language code or name (any of).")),
    ("author", list[str], typer.Option("--author", help="Works by this pseud or login.")),
    ("title", str | None,
     typer.Option("--title", help="Title contains this text (case- and accent-insensitive).")),
    ("sort", str, typer.Option("--sort", help="id, words, title, published, updated, ingested; "
                                              "prefix - for descending (-words).")),
    ("limit", int | None, typer.Option("--limit", min=0, help="At most this many works.")),
    ("offset", int, typer.Option("--offset", min=0, help="Skip this many works first.")),
]
_DEFAULTS: dict[str, Any] = {"sort": "id", "offset": 0}


def build_filter(values: dict[str, Any]) -> Any:
    """A validated `WorkFilter` from the option values."""
    from catalog import vocab
    from catalog.query.filters import TagTerm, WorkFilter, parse_sort, parse_words

    low, high = parse_words(values["words"]) if values["words"] else (None, None)
    include = [TagTerm(t, v) for t in ("fandom", "character", "relationship")
               for v in values[t]] + [TagTerm(None, v) for v in values["tag"]]
    return WorkFilter(
        include=include, exclude=[TagTerm(None, v) for v in values["exclude_tag"]],
        ratings=[vocab.require_rating(r) for r in values["rating"]],
        max_rating=_max_rating(values["max_rating"]),
        warnings=[vocab.require_warning(w) for w in values["warning"]],
        exclude_warnings=[vocab.require_warning(w) for w in values["exclude_warning"]],
        categories=[vocab.require_category(c) for c in values["category"]],
        words_min=low, words_max=high, complete=values["complete"],
        languages=values["language"], authors=values["author"], title=values["title"],
        sort=parse_sort(values["sort"]), limit=values["limit"], offset=values["offset"],
    )


def _max_rating(value: str | None) -> str | None:
    from catalog import vocab
    from catalog.errors import VocabularyError

    if value is None:
        return None
    rating = vocab.require_rating(value)
    if rating == vocab.NOT_RATED:
        raise VocabularyError("--max-rating needs a rating with a severity: "
                              + ", ".join(vocab.RATINGS[1:]))
    return rating


def with_filters(command: Callable[..., Any]) -> Callable[..., Any]:
    """Give `command(…, filters)` the shared filter options in place of its `filters` arg."""
    own = [p for p in inspect.signature(command, eval_str=True).parameters.values()
           if p.name != "filters"]
    added = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY,
                          default=_DEFAULTS.get(name),
                          annotation=Annotated[kind, option])
        for name, kind, option in _PARAMS
    ]
    for param in added:
        param.annotation.__metadata__[0].rich_help_panel = FILTER_PANEL

    @functools.wraps(command)
    def wrapper(**kwargs: Any) -> Any:
        values = {name: kwargs.pop(name) for name, _, _ in _PARAMS}
        values.update({n: values[n] or [] for n, kind, _ in _PARAMS if kind == list[str]})
        return command(filters=build_filter(values), **kwargs)

    del wrapper.__wrapped__
    wrapper.__signature__ = inspect.Signature(own + added)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {p.name: p.annotation for p in own + added}
    return wrapper
