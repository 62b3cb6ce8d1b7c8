"""The write routes: reading status, the blocklist and saved searches.

Each answers 403 unless the server runs with `--read-write`, and then only to a
same-origin request: a form must carry the page's CSRF token, a JSON request an `Origin`
(or `Referer`) of this server. A form gets a redirect back (303); JSON gets
`{"ok": true, …}`. HTML forms cannot send DELETE, so `POST /blocks/ID` and
`POST /searches/NAME` with `_method=DELETE` do the same."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from catalog.errors import CatalogError
from catalog.server.api import JSON
from catalog.server.common import error, served
from catalog.server.security import same_origin

FORM = "application/x-www-form-urlencoded"  # what the pages' forms send
MAX_BODY = 64 * 1024


def _refuse(form: bool, request: Request, status: int, message: str) -> Response:
    """A page for a form, JSON for anything else (a script, whatever it accepts)."""
    if form:
        return error(request, status, message)
    return JSON({"ok": False, "error": message}, status_code=status)


async def _payload(request: Request) -> tuple[dict[str, Any], bool] | Response:
    """The request's fields and whether it came from a form, or the refusal to send."""
    state = served(request)
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    form = kind == FORM
    if not state.read_write:
        return _refuse(form, request, 403, "this catalogue is served read-only; start the "
                                           "server with --read-write to change it")
    body = await request.body()
    if len(body) > MAX_BODY:
        return _refuse(form, request, 413, f"a request body may be at most {MAX_BODY} bytes")
    if form:
        try:
            fields = {k: v[-1] for k, v in parse_qs(body.decode("utf-8"),
                                                    max_num_fields=100).items()}
        except (UnicodeDecodeError, ValueError):
            return _refuse(form, request, 400, "the form could not be read")
        if not state.csrf.valid(fields.get("csrf")):
            return _refuse(form, request, 403, "the form's token is missing or stale; reload "
                                               "the page and try again")
        return fields, True
    if not same_origin(request.headers, request.url.scheme, request.headers.get("host")):
        return _refuse(form, request, 403, "a JSON write must come from this server's own "
                                           "pages (its Origin header)")
    if not body:
        return {}, False
    try:
        data = json.loads(body)
    except ValueError:
        return _refuse(form, request, 400, "the body is not JSON")
    if not isinstance(data, dict):
        return _refuse(form, request, 400, "the body must be a JSON object")
    return data, False


def _done(request: Request, fields: dict[str, Any], form: bool, back: str,
          **answer: Any) -> Response:
    if form:
        target = fields.get("next") or back
        if not isinstance(target, str) or not target.startswith("/") or \
                target.startswith("//"):
            target = back  # only this server's own pages
        return RedirectResponse(target, status_code=303)
    return JSON({"ok": True, **answer})


def _text(fields: dict[str, Any], name: str) -> str:
    value = fields.get(name)
    if not isinstance(value, str) or not value.strip():
        raise CatalogError(f"{name} is required")
    return value.strip()


Action = Callable[[Request, dict[str, Any]], dict[str, Any]]


def writing(back: Callable[[Request], str], *, delete: bool = False
            ) -> Callable[[Action], Callable[[Request], Awaitable[Response]]]:
    """An endpoint around `action` (run in a worker thread: it writes the database): the
    checks of `_payload`, `_method=DELETE` for a form's stand-in for DELETE, then a redirect
    to `back` for a form or the action's answer as JSON."""

    def wrap(action: Action) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            got = await _payload(request)
            if isinstance(got, Response):
                return got
            fields, form = got
            if delete and request.method == "POST" and \
                    str(fields.get("_method", "")).upper() != "DELETE":
                return _refuse(form, request, 405, "use DELETE, or POST with _method=DELETE")
            answer = await run_in_threadpool(action, request, fields)
            return _done(request, fields, form, back(request), **answer)

        endpoint.__doc__ = action.__doc__
        return endpoint

    return wrap


@writing(lambda request: f"/works/{request.path_params['work_id']}")
def reading(request: Request, fields: dict[str, Any]) -> dict[str, Any]:
    """`POST /works/ID/reading` with `status` (later, reading, read, dropped, none) and
    optionally `chapter`."""
    work_id = request.path_params["work_id"]
    chapter = fields.get("chapter")
    if chapter in ("", None):
        chapter = None
    elif isinstance(chapter, str) and chapter.isdigit() or isinstance(chapter, int):
        chapter = int(chapter)
    else:
        raise CatalogError("chapter must be a whole number")
    status = _text(fields, "status")
    served(request).lib.mark([work_id], status, chapter=chapter)
    return {"id": work_id, "status": status}


@writing(lambda request: "/blocks")
def add_block(request: Request, fields: dict[str, Any]) -> dict[str, Any]:
    """`POST /blocks` with `query`."""
    query = _text(fields, "query")
    return {"id": served(request).lib.block(query), "query": query}


@writing(lambda request: "/blocks", delete=True)
def remove_block(request: Request, fields: dict[str, Any]) -> dict[str, Any]:
    """`DELETE /blocks/ID` (or a form's POST with `_method=DELETE`)."""
    block_id = request.path_params["block_id"]
    return {"id": block_id, "query": served(request).lib.unblock(block_id)}


@writing(lambda request: "/searches")
def save_search(request: Request, fields: dict[str, Any]) -> dict[str, Any]:
    """`POST /searches` with `name` and `query`."""
    name, query = _text(fields, "name"), _text(fields, "query")
    replaced = served(request).lib.save_search(name, query)
    return {"name": name, "query": query, "replaced": replaced}


@writing(lambda request: "/searches", delete=True)
def remove_search(request: Request, fields: dict[str, Any]) -> dict[str, Any]:
    """`DELETE /searches/NAME` (or a form's POST with `_method=DELETE`)."""
    return {"name": served(request).lib.remove_search(request.path_params["name"])}
