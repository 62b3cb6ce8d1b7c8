"""The JSON API, after Datasette's conventions: `{"ok": true, "rows": [...], "next_url":
…}`, `?_shape=array` for the bare list, `?_count=1` for the number of matches, and
`{"ok": false, "error": …}` with a 400 or 404 when a query or an id is wrong. The rows are
the records `catalog list --format json` prints for the same query."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import orjson
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from catalog import Filters
from catalog.errors import CatalogError
from catalog.server import openapi as spec
from catalog.server.common import absolute, served
from catalog.server.pages import link

DEFAULT_LIMIT, MAX_LIMIT = 50, 1000
TAG_TYPES = ("rating", "warning", "category", "fandom", "relationship", "character",
             "freeform")


def dumps(data: Any) -> bytes:
    """JSON as UTF-8: orjson, or the standard library (escaping) for what orjson refuses,
    such as a lone surrogate from a badly encoded file."""
    try:
        return orjson.dumps(data)
    except orjson.JSONEncodeError:
        return json.dumps(data).encode()


class JSON(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return dumps(content)


def _number(request: Request, name: str, default: int, most: int | None = None) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit():
        raise CatalogError(f"{name} must be a whole number, not {raw!r}")
    return min(int(raw), most) if most is not None else int(raw)


def _query(request: Request, *, limit: int | None, offset: int) -> Any:
    params = request.query_params
    sort = params.get("sort") or None
    return served(request).lib.query(params.get("q", ""), Filters(
        sort=sort, limit=limit, offset=offset, block=params.get("block") != "0"))


def works(request: Request) -> Response:
    """`/works.json?q=…&sort=…&limit=…&offset=…`."""
    params = request.query_params
    limit = _number(request, "limit", DEFAULT_LIMIT, MAX_LIMIT)
    offset = _number(request, "offset", 0)
    lib = served(request).lib
    page = lib.page(_query(request, limit=limit, offset=offset),
                    cap=None if params.get("_count") == "1" else limit + offset)
    rows = page.works
    if params.get("_shape") == "array":
        return JSON(rows)
    more = offset + len(rows) < page.total
    kept = {k: v for k, v in params.items() if k != "offset"}
    body: dict[str, Any] = {
        "ok": True, "rows": rows,
        "next_url": absolute(request, link("/works.json", **kept, offset=offset + limit))
        if more and limit else None}
    if params.get("_count") == "1":
        body["count"] = page.total
    return JSON(body)


def works_lines(request: Request) -> Response:
    """`/works.jsonl?q=…`: every matching record, one a line, as they are read."""
    limit = request.query_params.get("limit")
    q = _query(request, limit=_number(request, "limit", 0) if limit else None,
               offset=_number(request, "offset", 0))
    records = served(request).lib.works(q)  # fails here, before the first line, if bad

    def lines() -> Iterator[bytes]:
        for record in records:
            yield dumps(record) + b"\n"

    return StreamingResponse(lines(), media_type="application/jsonl")


def work(request: Request) -> Response:
    """`/works/ID.json`: the full record, text and chapters included, as `show` prints."""
    return JSON({"ok": True, "row": served(request).lib.work(request.path_params["work_id"])})


def book(request: Request) -> Response:
    """`/works/ID.epub` and `/works/ID.html`: the work as a book to download."""
    work_id = request.path_params["work_id"]
    fmt = request.url.path.rsplit(".", 1)[1]
    name, data = served(request).lib.book(work_id, fmt)
    media = "application/epub+zip" if fmt == "epub" else "text/html; charset=utf-8"
    return Response(data, media_type=media, headers={
        "content-disposition": f"attachment; filename*=UTF-8''{quote(name)}"})


def tags(request: Request) -> Response:
    """`/tags.json?type=…&search=…&unwrangled=1&all=1&limit=…`: as `catalog tags`."""
    params = request.query_params
    tag_type = params.get("type") or None
    if tag_type is not None and tag_type not in TAG_TYPES:
        raise CatalogError(f"unknown tag type {tag_type!r}; use one of {', '.join(TAG_TYPES)}")
    rows = served(request).lib.tags(
        type=tag_type, unwrangled=params.get("unwrangled") == "1",
        search=params.get("search") or None, include_unused=params.get("all") == "1",
        limit=_number(request, "limit", DEFAULT_LIMIT, MAX_LIMIT),
        block=params.get("block") != "0")
    return JSON(rows if params.get("_shape") == "array" else {"ok": True, "rows": rows})


def stats(request: Request) -> Response:
    """`/stats.json?q=…`: totals and the most used tags of the matching works."""
    found = served(request).lib.stats(_query(request, limit=None, offset=0),
                                      top=_number(request, "top", 10, 100))
    return JSON({"ok": True, **found})


def openapi(request: Request) -> Response:
    return JSON(spec.document(absolute(request, "")))
