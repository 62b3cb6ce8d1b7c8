"""The web application: routes, the shared state of one server, and error pages.

Starlette rather than FastAPI: the query language and the records are already checked and
shaped by the catalogue, so a second schema of pydantic models would only repeat them;
Starlette brings the routing, responses, streaming and static files, with Jinja2 (which
escapes every value unless told otherwise) for the pages, and uvicorn to serve them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from catalog import __version__
from catalog.errors import CatalogError, NotFoundError
from catalog.server import api, opds, pages, tagurl, writes
from catalog.server.common import Served, error
from catalog.server.security import Csrf, SecurityHeaders

if TYPE_CHECKING:
    from catalog.catalogue import Catalogue

STATIC = Path(__file__).with_name("static")


def create_app(lib: Catalogue, *, read_write: bool = False, base_url: str | None = None,
               secret: bytes | None = None) -> Starlette:
    """The application over `lib`; writes (reading status, blocklist, saved searches) only
    with `read_write`."""
    templates = Environment(loader=PackageLoader("catalog.server", "templates"),
                            autoescape=select_autoescape(default=True, default_for_string=True),
                            trim_blocks=True, lstrip_blocks=True)
    templates.filters["tag_url"] = tagurl.escape
    templates.globals["version"] = __version__
    routes = [
        Route("/", pages.works, name="home"),
        Route("/works", pages.works, name="works"),
        Route("/works.json", api.works, name="works_json"),
        Route("/works.jsonl", api.works_lines, name="works_jsonl"),
        Route("/works/{work_id:int}.json", api.work, name="work_json"),
        Route("/works/{work_id:int}.epub", api.book, name="work_epub"),
        Route("/works/{work_id:int}.html", api.book, name="work_html"),
        Route("/works/{work_id:int}", pages.work, name="work"),
        Route("/works/{work_id:int}/reading", writes.reading, methods=["POST"]),
        Route("/tags.json", api.tags, name="tags_json"),
        Route("/tags/{tag_type}/{name:path}", pages.tag, name="tag"),
        Route("/stats", pages.stats, name="stats"),
        Route("/stats.json", api.stats, name="stats_json"),
        Route("/blocks", pages.blocks, name="blocks"),
        Route("/blocks", writes.add_block, methods=["POST"]),
        Route("/blocks/{block_id:int}", writes.remove_block, methods=["DELETE", "POST"]),
        Route("/searches", pages.searches, name="searches"),
        Route("/searches", writes.save_search, methods=["POST"]),
        Route("/searches/{name}", writes.remove_search, methods=["DELETE", "POST"]),
        Route("/opds", opds.navigation, name="opds"),
        Route("/opds/fandoms", opds.fandoms),
        Route("/opds/authors", opds.authors),
        Route("/opds/searches", opds.searches),
        Route("/opds/works", opds.works),
        Route("/opds/search.xml", opds.search_description),
        Route("/openapi.json", api.openapi, name="openapi"),
        Route("/docs", pages.docs, name="docs"),
        Route("/favicon.ico", _favicon),  # asked for by pages without a link to it (feeds)
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(routes=routes, middleware=[Middleware(SecurityHeaders)],
                    exception_handlers={CatalogError: _failed, 404: _not_found,
                                        405: _not_allowed, 500: _broken})
    app.state.served = Served(lib, read_write, base_url.rstrip("/") if base_url else None,
                              Csrf(secret), templates)
    return app


async def _favicon(request: Request) -> Response:
    return RedirectResponse("/static/favicon.svg", status_code=301)


async def _failed(request: Request, exc: Exception) -> Response:
    status = 404 if isinstance(exc, NotFoundError) else 400
    return error(request, status, str(exc))


async def _not_found(request: Request, exc: Exception) -> Response:
    return error(request, 404, "no such page")


async def _not_allowed(request: Request, exc: Exception) -> Response:
    return error(request, 405, "this address does not take that method")


async def _broken(request: Request, exc: Exception) -> Response:
    if request.url.path.endswith((".json", ".jsonl")):
        return JSONResponse({"ok": False, "error": "internal error"}, status_code=500)
    return HTMLResponse("internal error: the server's log says more", status_code=500)
