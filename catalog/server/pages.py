"""The HTML pages: AO3's work blurbs with a filter sidebar, a work with its chapters, a
tag, the statistics, the blocklist and the saved searches."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from catalog import Filters, sanitize, vocab
from catalog.errors import CatalogError, NotFoundError
from catalog.layers import hidden_tags, tag_mark, value_mark
from catalog.model import LIST_KEYS, grown_since_marked
from catalog.server import charts, querytext, tagurl
from catalog.server.common import render, served

PER_PAGE = 20
FACET_TOP = 10
# The sidebar counts the tags of at most this many matches (the first the catalogue
# finds), so a page of a broad query costs what a narrow one does (at 100,000 works, 1,000
# took a page past 100 ms); the whole catalogue's counts are kept, and exact.
FACET_SAMPLE = 500
# The sidebar's facet groups in AO3's order: (stats section, query field, heading).
FACETS = (("ratings", "rating", "Ratings"), ("warnings", "warning", "Warnings"),
          ("categories", "category", "Categories"), ("fandoms", "fandom", "Fandoms"),
          ("characters", "character", "Characters"),
          ("relationships", "relationship", "Relationships"),
          ("additional_tags", "freeform", "Additional Tags"))
SORTS = (("", "Default (id)"), ("-updated", "Date Updated"), ("-published", "Date Posted"),
         ("title", "Title"), ("author", "Creator"), ("-words", "Word Count"),
         ("-chapters", "Chapters"))
SIDEBAR_FIELDS = ("complete", "language", "sort", "words_from", "words_to", "text")


def query_of(request: Request, *, limit: int | None = None, offset: int = 0) -> Any:
    """The page's query: `q`, the blocklist unless `block=0`."""
    text = request.query_params.get("q", "")
    block = request.query_params.get("block") != "0"
    return served(request).lib.query(text, Filters(limit=limit, offset=offset, block=block))


def page_number(request: Request) -> int:
    raw = request.query_params.get("page", "1")
    if not raw.isdigit() or int(raw) < 1:
        raise CatalogError(f"page must be a whole number from 1, not {raw!r}")
    return int(raw)


def link(path: str, **params: Any) -> str:
    kept = {k: v for k, v in params.items() if v not in (None, "", 1) or k == "q" and v}
    return path + ("?" + urlencode(kept) if kept else "")


def works(request: Request) -> Response:
    """`/` and `/works?q=…&page=N`: a page of blurbs. A sidebar submission is turned into
    query text and redirected, so every filtered page's address is `?q=…`."""
    params = request.query_params
    if "shown" in params or any(name in params for name in SIDEBAR_FIELDS):
        form = {k: v for k, v in params.items() if k in ("q", *SIDEBAR_FIELDS)}
        text = querytext.build(form, params.getlist("t"), params.getlist("shown"))
        return RedirectResponse(link("/works", q=text, block=params.get("block")),
                                status_code=303)
    lib = served(request).lib
    number = page_number(request)
    text = params.get("q", "")
    block = params.get("block")
    q = query_of(request, limit=PER_PAGE, offset=(number - 1) * PER_PAGE)
    found = lib.page(q)
    counted = lib.facets(query_of(request), top=FACET_TOP, sample=FACET_SAMPLE)
    facets = _facets(counted, text)
    last = max(1, -(-min(found.total, found.cap or found.total) // PER_PAGE))
    return render(request, "works.html", {
        "page": found, "q": text, "block": block, "number": number, "last": last,
        "more": found.more,
        "previous": link("/works", q=text, block=block, page=number - 1) if number > 1
        else None,
        "next": link("/works", q=text, block=block, page=number + 1)
        if found.offset + len(found.works) < found.total else None,
        "facets": facets, "sorts": SORTS, "searches": lib.searches(),
        "current": querytext.current(text),
        "sampled": counted["sample"] if counted["sample"] and found.total > counted["sample"]
        else None,
        "show_all": link("/works", q=text, block="0"), "with_block": link("/works", q=text),
        "blurbs": [blurb(r) for r in found.works]})


def _facets(stats: dict[str, Any], text: str) -> list[dict[str, Any]]:
    groups = []
    for section, field, heading in FACETS:
        items = []
        for entry in stats["top"].get(section, []):
            include = querytext.term(field, entry["name"])
            exclude = querytext.term(field, entry["name"], exclude=True)
            items.append({"name": entry["name"], "works": entry["works"],
                          "include": include, "exclude": exclude,
                          "included": querytext.has(text, include),
                          "excluded": querytext.has(text, exclude)})
        groups.append({"field": field, "heading": heading, "items": items})
    return groups


def blurb(record: dict[str, Any]) -> dict[str, Any]:
    """A record as AO3's blurb shows it: the four-square's symbols, then tags in order."""
    rating = record.get("rating") or ""
    return {**record, "square": {
        "rating": (_RATING_CLASSES.get(rating, "rating-notrated"),
                   vocab.RATING_LETTERS.get(rating, "")),
        "warning": _WARNING_SQUARES[vocab.warning_square(record.get("warnings") or [])],
        "category": _category(record.get("categories") or []),
        "complete": ("complete-yes", "✓") if record.get("complete") else ("complete-no", "…")},
        "news": grown_since_marked(record)}


_RATING_CLASSES = {vocab.GENERAL: "rating-general", vocab.TEEN: "rating-teen",
                   vocab.MATURE: "rating-mature", vocab.EXPLICIT: "rating-explicit"}
_WARNING_SQUARES = {"yes": ("warning-yes", "!"), "choosenot": ("warning-choosenot", "?"),
                    None: ("warning-no", "")}


def _category(categories: list[str]) -> tuple[str, str]:
    if len(categories) > 1:
        return ("category-multi", "")
    names = {"F/F": "femslash", "F/M": "het", "Gen": "gen", "M/M": "slash",
             "Multi": "multi", "Other": "other"}
    return (f"category-{names.get(categories[0], 'none')}" if categories else
            "category-none", "")


def work(request: Request) -> Response:
    """`/works/ID`: the blurb with provenance marks, then the text by chapter."""
    work_id = request.path_params["work_id"]
    record = served(request).lib.work(work_id)
    return render(request, "work.html", {
        "work": blurb(record), "chapters": sanitize.chapters(record),
        "marks": _marks(record), "hidden": hidden_tags(record)})


def _marks(record: dict[str, Any]) -> dict[str, Any]:
    """Each shown value's and tag's origin mark ("edited", "given", "inferred, …")."""
    marks: dict[str, Any] = {key: value_mark(record, key)
                             for key in ("title", "summary", "language", "complete")}
    marks["rating"] = tag_mark(record, "rating", record.get("rating") or "")
    for tag_type, key in LIST_KEYS.items():
        marks[key] = {name: tag_mark(record, tag_type, name) for name in record.get(key) or []}
    return marks


def tag(request: Request) -> Response:
    """`/tags/TYPE/NAME` (AO3's escaped names): the tag's wrangling and its works."""
    tag_type = request.path_params["tag_type"]
    name = tagurl.unescape(request.path_params["name"])
    if tag_type not in LIST_KEYS:
        raise NotFoundError(f"no tag type {tag_type!r}; the types are "
                            f"{', '.join(LIST_KEYS)}")
    info = served(request).lib.tag_info(name, type=tag_type)
    return render(request, "tag.html", {"tag": info,
                                        "works_link": link("/works", q=querytext.term(
                                            tag_type, info["name"]))})


def stats(request: Request) -> Response:
    """`/stats`: totals, top tags and two charts drawn from the data."""
    lib = served(request).lib
    q = query_of(request)
    found = lib.stats(q, top=FACET_TOP)
    spread = lib.spread(q)
    return render(request, "stats.html", {
        "stats": found, "q": request.query_params.get("q", ""),
        "words_chart": charts.bars(spread["words"], title="Works by length (words)"),
        "years_chart": charts.bars(spread["years"], title="Works by year updated"),
        "facets": FACETS})


def blocks(request: Request) -> Response:
    return render(request, "blocks.html", {"blocks": served(request).lib.blocks()})


def searches(request: Request) -> Response:
    return render(request, "searches.html", {"searches": served(request).lib.searches()})


def docs(request: Request) -> Response:
    """The API, described for people (the machine-readable one is /openapi.json)."""
    return render(request, "docs.html", {})
