"""The filter options shared by `list`, `export` and `stats`, declared once.

`with_filters` adds the query argument and the options to a command's signature and hands
the command one `Query` built from them by the facade (`Catalogue.query`).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Annotated, Any

import typer

FILTER_PANEL = "Filters"

def _option(flag: str, metavar: str, help: str, **kwargs: Any) -> Any:
    return typer.Option(flag, metavar=metavar, help=help, **kwargs)


_PARAMS: list[tuple[str, Any, Any]] = [
    ("query", list[str] | None, typer.Argument(
        metavar="QUERY", show_default=False,
        help="A query, e.g. 'character:spike -warning:mcd words:1000..5000 sort:-words' "
             "(words are joined with spaces; see the README's query language).")),
    ("fandom", list[str], _option("--fandom", "NAME", "Works with this fandom (repeat: all).")),
    ("character", list[str], _option("--character", "NAME", "Works with this character.")),
    ("relationship", list[str], _option(
        "--relationship", "NAME", "Works with this relationship, e.g. 'Spike/Willow'.")),
    ("tag", list[str], _option("--tag", "NAME", "Works with this tag of any type.")),
    ("exclude_tag", list[str],
     _option("--exclude-tag", "NAME", "Hide works with this tag of any type.")),
    ("rating", list[str],
     _option("--rating", "RATING", "Works with any of these ratings (PG-13, Mature, …).")),
    ("max_rating", str | None, _option(
        "--max-rating", "RATING", "At most this rating by AO3 severity; excludes Not Rated.")),
    ("warning", list[str], _option("--warning", "WARNING", "Works with this archive warning.")),
    ("exclude_warning", list[str], _option(
        "--exclude-warning", "WARNING", "Hide works with this archive warning (MCD, …).")),
    ("category", list[str],
     _option("--category", "CATEGORY", "Works in this category (F/F, Gen…).")),
    ("words", str | None,
     _option("--words", "MIN..MAX", "Word range: 1000..5000, 10k.., ..500.")),
    ("complete", bool | None,
     typer.Option("--complete/--incomplete", help="Only complete / only in-progress works.")),
    ("language", list[str],
     _option("--language", "LANGUAGE", "Language code or name (any of).")),
    ("author", list[str], _option("--author", "AUTHOR", "Works by this pseud or login.")),
    ("title", str | None, _option(
        "--title", "TEXT", "Title contains this text (case- and accent-insensitive).")),
    ("sort", str | None, _option(
        "--sort", "[-]FIELD", "id, words, title, published, updated, ingested, chapters; "
                              "prefix - for descending (-words). Overrides the query's sort:.")),
    ("limit", int | None, _option("--limit", "N", "At most this many works.", min=0)),
    ("offset", int, _option("--offset", "N", "Skip this many works first.", min=0)),
    ("given_only", bool, typer.Option(
        "--given-only", help="Match tags as given by files and options; ignore inferred ones.")),
    ("block", bool | None, typer.Option(
        "--block/--no-block", show_default=False,
        help="Leave out the works the blocklist matches (the default except for export), "
             "or show them too.")),
]
_DEFAULTS: dict[str, Any] = {"offset": 0, "given_only": False}


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
    for param in added[1:]:
        param.annotation.__metadata__[0].rich_help_panel = FILTER_PANEL

    @functools.wraps(command)
    def wrapper(**kwargs: Any) -> Any:
        # the database layers only when used (--help stays fast)
        from catalog.catalogue import Catalogue, Filters

        values = {name: kwargs.pop(name) for name, _, _ in _PARAMS}
        values.update({n: values[n] or [] for n, kind, _ in _PARAMS if kind == list[str]})
        text = " ".join(values.pop("query") or [])
        return command(filters=Catalogue.query(text, Filters(**values)), **kwargs)

    del wrapper.__wrapped__
    wrapper.__signature__ = inspect.Signature(own + added)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {p.name: p.annotation for p in own + added}
    return wrapper
