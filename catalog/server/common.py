"""What the handlers of one server share: its state, addresses, pages and errors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from jinja2 import Environment
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from catalog.server.security import Csrf

if TYPE_CHECKING:
    from catalog.catalogue import Catalogue


@dataclass
class Served:
    """What every handler of one server shares."""

    lib: Catalogue
    read_write: bool
    base_url: str | None
    csrf: Csrf
    templates: Environment


def served(request: Request) -> Served:
    state: Served = request.app.state.served
    return state


def wants_json(request: Request) -> bool:
    path = request.url.path
    return path.endswith((".json", ".jsonl")) or "application/json" in request.headers.get(
        "content-type", "") or "application/json" in request.headers.get("accept", "")


def error(request: Request, status: int, message: str) -> Response:
    """`{"ok": false, "error": …}` for the API, a page for a browser."""
    if wants_json(request):
        return JSONResponse({"ok": False, "error": message}, status_code=status)
    return render(request, "error.html", {"status": status, "message": message},
                  status=status)


def absolute(request: Request, path: str) -> str:
    """`path` (with its query) as a full address: under `--base-url` when given (a proxy
    in front), else as the request reached us."""
    base = served(request).base_url
    if base:
        return base + path
    return f"{request.url.scheme}://{request.url.netloc}{path}"


def context(request: Request) -> dict[str, Any]:
    """What every page's template may use."""
    state = served(request)
    return {"request": request, "nonce": request.state.nonce,
            "read_write": state.read_write, "csrf": state.csrf.token()}


def render(request: Request, template: str, values: dict[str, Any], *,
           status: int = 200) -> HTMLResponse:
    page = served(request).templates.get_template(template)
    return HTMLResponse(page.render({**context(request), **values}), status_code=status)
