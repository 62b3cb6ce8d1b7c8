"""OPDS 1.2 catalogue feeds, for e-reader apps (KOReader, Thorium, Moon+ Reader): a
navigation feed at /opds (by fandom, by author, newest, recently updated, saved
searches, marked for later), acquisition feeds of works with an EPUB and an HTML link
each, AO3's tags as categories (their scheme is the tag type), paging, facets for rating,
completion and the top fandoms, and an OpenSearch description so a reader searches with
the query language. The blocklist applies as on the list pages."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from catalog import Filters
from catalog.model import LIST_KEYS
from catalog.server import querytext
from catalog.server.common import absolute, served

NAVIGATION = "application/atom+xml;profile=opds-catalog;kind=navigation"
ACQUISITION = "application/atom+xml;profile=opds-catalog;kind=acquisition"
PER_PAGE = 25
RATINGS = ("General Audiences", "Teen And Up Audiences", "Mature", "Explicit", "Not Rated")


def _feed(request: Request, feed: dict[str, Any], kind: str) -> Response:
    base = absolute(request, "")
    feed = {"kind": kind, "links": [], "facets": [], "navigation": [], "works": [],
            "updated": _now(), **feed}
    page = served(request).templates.get_template("opds_feed.xml").render(
        feed=feed, base=base, NAVIGATION=NAVIGATION, ACQUISITION=ACQUISITION)
    return Response(page, media_type=kind)


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _works_href(request: Request, q: str, page: int = 1) -> str:
    params = {"q": q} if q else {}
    if page > 1:
        params["page"] = str(page)
    if request.query_params.get("block") == "0":
        params["block"] = "0"
    return absolute(request, "/opds/works" + ("?" + urlencode(params) if params else ""))


def _subsection(request: Request, ident: str, title: str, text: str, q: str) -> dict[str, Any]:
    return {"id": absolute(request, f"/opds#{ident}"), "title": title, "text": text,
            "href": _works_href(request, q), "kind": ACQUISITION}


def navigation(request: Request) -> Response:
    """`/opds`: where a reader starts."""
    base = absolute(request, "")
    entries = [
        {"id": f"{base}/opds/fandoms", "title": "By fandom", "kind": NAVIGATION,
         "text": "The most used fandoms, each a feed of its works.",
         "href": f"{base}/opds/fandoms"},
        {"id": f"{base}/opds/authors", "title": "By author", "kind": NAVIGATION,
         "text": "The creators with the most works, each a feed of their works.",
         "href": f"{base}/opds/authors"},
        _subsection(request, "newest", "Newest", "Works by the date they were posted, "
                                                 "newest first.", "sort:-published"),
        _subsection(request, "updated", "Recently updated", "Works by the date they were "
                                                            "last updated.", "sort:-updated"),
        {"id": f"{base}/opds/searches", "title": "Saved searches", "kind": NAVIGATION,
         "text": "Your saved searches (@NAME).", "href": f"{base}/opds/searches"},
        _subsection(request, "later", "Marked for later", "Works you marked to read later.",
                    "reading:later sort:-updated"),
        _subsection(request, "all", "All works", "Every work, by id.", ""),
    ]
    return _feed(request, {"id": f"{base}/opds", "title": "catalog",
                           "self": f"{base}/opds", "navigation": entries}, NAVIGATION)


def fandoms(request: Request) -> Response:
    """`/opds/fandoms`: the most used fandoms (the blocklist applies)."""
    base = absolute(request, "")
    lib = served(request).lib
    counted = lib.facets(_query(request, ""), top=100)
    exact = counted["sample"] is None
    entries = [_subsection(request, f"fandom-{n}", f["name"],
                           f"{f['works']:,} works" if exact else "Its works.",
                           querytext.term("fandom", f["name"]))
               for n, f in enumerate(counted["top"]["fandoms"])]
    return _feed(request, {"id": f"{base}/opds/fandoms", "title": "By fandom",
                           "self": f"{base}/opds/fandoms", "navigation": entries}, NAVIGATION)


def authors(request: Request) -> Response:
    """`/opds/authors`: the creators with the most works."""
    base = absolute(request, "")
    found = served(request).lib.authors(_query(request, ""), limit=200)
    entries = [_subsection(request, f"author-{n}", a["name"], f"{a['works']:,} works",
                           querytext.term("author", a["pseud"]))
               for n, a in enumerate(found)]
    return _feed(request, {"id": f"{base}/opds/authors", "title": "By author",
                           "self": f"{base}/opds/authors", "navigation": entries}, NAVIGATION)


def searches(request: Request) -> Response:
    """`/opds/searches`: each saved search as a feed."""
    base = absolute(request, "")
    entries = [_subsection(request, f"search-{s['name']}", f"@{s['name']}", s["query"],
                           f"@{s['name']}") for s in served(request).lib.searches()]
    return _feed(request, {"id": f"{base}/opds/searches", "title": "Saved searches",
                           "self": f"{base}/opds/searches", "navigation": entries},
                 NAVIGATION)


def _query(request: Request, text: str, *, limit: int | None = None, offset: int = 0) -> Any:
    block = request.query_params.get("block") != "0"
    return served(request).lib.query(text, Filters(limit=limit, offset=offset, block=block))


def works(request: Request) -> Response:
    """`/opds/works?q=QUERY&page=N`: an acquisition feed, with facets and paging."""
    q = request.query_params.get("q", "")
    raw = request.query_params.get("page", "1")
    number = int(raw) if raw.isdigit() and int(raw) > 0 else 1
    lib = served(request).lib
    page = lib.page(_query(request, q, limit=PER_PAGE, offset=(number - 1) * PER_PAGE))
    links = []
    if number > 1:
        links.append(("previous", _works_href(request, q, number - 1)))
        links.append(("first", _works_href(request, q)))
    if page.offset + len(page.works) < page.total:
        links.append(("next", _works_href(request, q, number + 1)))
    title = f"Works: {q}" if q else "All works"
    feed = {"id": _works_href(request, q), "title": title,
            "self": _works_href(request, q, number), "links": links,
            "facets": _facets(request, q), "works": [_entry(w) for w in page.works]}
    return _feed(request, feed, ACQUISITION)


def _facets(request: Request, q: str) -> list[dict[str, Any]]:
    """Rating, completion and the top fandoms of the current matches: each toggles its
    term in the query; the counts are the sidebar's."""
    counted = served(request).lib.facets(_query(request, q), top=10)
    count = {("rating", r["name"]): r["works"] for r in counted["top"]["ratings"]}
    count.update((("fandom", f["name"]), f["works"]) for f in counted["top"]["fandoms"])
    out = []

    def facet(group: str, title: str, term: str, works: int | None) -> None:
        active = querytext.has(q, term)
        kept = " ".join(t for t in querytext.tokens(q) if t != term)
        target = kept if active else f"{q} {term}".strip()
        out.append({"group": group, "title": title, "active": active, "count": works,
                    "href": _works_href(request, target)})

    for rating in RATINGS:
        facet("Rating", rating, querytext.term("rating", rating),
              count.get(("rating", rating), 0))
    facet("Completion", "Complete", "complete:yes", None)
    facet("Completion", "In progress", "complete:no", None)
    for f in counted["top"]["fandoms"]:
        facet("Fandom", f["name"], querytext.term("fandom", f["name"]), f["works"])
    return out


def _entry(work: dict[str, Any]) -> dict[str, Any]:
    categories = [("rating", work["rating"])] if work.get("rating") else []
    for tag_type, key in LIST_KEYS.items():
        categories += [(tag_type, name) for name in work.get(key) or []]
    chapters = f"{work['chapters']}/{work.get('expected_chapters') or '?'}"
    stats = (f"{work.get('rating') or 'Not Rated'} · {work['words']:,} words · chapters "
             f"{chapters} · {'complete' if work.get('complete') else 'in progress'}")
    stamp = str(work.get("modified") or _now())
    return {**work, "categories": categories, "stats": stats,
            "stamp": stamp[:19] + "Z"}


def search_description(request: Request) -> Response:
    """`/opds/search.xml`: the OpenSearch description (searchTerms = a query)."""
    page = served(request).templates.get_template("opensearch.xml").render(
        base=absolute(request, ""), ACQUISITION=ACQUISITION)
    return Response(page, media_type="application/opensearchdescription+xml")
