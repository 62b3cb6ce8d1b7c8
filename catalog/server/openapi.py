"""The API's OpenAPI 3.1 description (`/openapi.json`), written out: the routes are few,
and a description by hand says what each parameter means in the catalogue's terms."""

from __future__ import annotations

from typing import Any

from catalog import __version__


def _param(name: str, description: str, kind: str = "string", **more: Any) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": {"type": kind, **more}}


Q = _param("q", "A query in the catalogue's language, as `catalog list` takes it, e.g. "
                "`character:spike -warning:mcd words:1000..5000 sort:-words`.")
BLOCK = _param("block", "`0` shows the works the blocklist hides.", enum=["0", "1"])
SHAPE = _param("_shape", "`array`: the bare list of rows.", enum=["array", "objects"])
ERRORS = {"400": {"$ref": "#/components/responses/Error"}}
ROWS = {"type": "object", "required": ["ok", "rows"], "properties": {
    "ok": {"const": True},
    "rows": {"type": "array", "items": {"$ref": "#/components/schemas/Work"}},
    "next_url": {"type": ["string", "null"]}, "count": {"type": "integer"}}}


def _ok(schema: dict[str, Any], media: str = "application/json") -> dict[str, Any]:
    return {"200": {"description": "OK", "content": {media: {"schema": schema}}}}


def _write(summary: str, fields: dict[str, Any], required: list[str]) -> dict[str, Any]:
    body = {"type": "object", "properties": fields, "required": required}
    return {"summary": summary,
            "description": "Only with `catalog serve --read-write`, and from this server's "
                           "own pages (an `Origin` header for JSON, a CSRF token for forms).",
            "requestBody": {"content": {"application/json": {"schema": body}}},
            "responses": {**_ok({"type": "object"}),
                          "403": {"$ref": "#/components/responses/Error"}, **ERRORS}}


def document(server: str) -> dict[str, Any]:
    """The description, with `server` as the address the client reached."""
    work_id = {"name": "work_id", "in": "path", "required": True,
               "schema": {"type": "integer", "minimum": 1}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "catalog", "version": __version__,
                 "description": "A fanfiction catalogue: AO3-style records, queried with "
                                "the catalogue's query language. Datasette's conventions."},
        "servers": [{"url": server or "/"}],
        "paths": {
            "/works.json": {"get": {
                "summary": "A page of the matching works' records",
                "parameters": [Q, _param("sort", "A sort key, e.g. -updated, title, -words."),
                               _param("limit", "Rows per page (at most 1000).", "integer",
                                      minimum=0),
                               _param("offset", "Rows to skip.", "integer", minimum=0),
                               _param("_count", "`1` adds the number of matches.",
                                      enum=["0", "1"]), SHAPE, BLOCK],
                "responses": {**_ok(ROWS), **ERRORS}}},
            "/works.jsonl": {"get": {
                "summary": "Every matching record, one JSON object a line (streamed)",
                "parameters": [Q, _param("sort", "A sort key."), BLOCK],
                "responses": {**_ok({"type": "string"}, "application/jsonl"), **ERRORS}}},
            "/works/{work_id}.json": {"get": {
                "summary": "One work's full record, with its text and chapters",
                "parameters": [work_id],
                "responses": {**_ok({"type": "object", "properties": {
                    "ok": {"const": True}, "row": {"$ref": "#/components/schemas/Work"}}}),
                    "404": {"$ref": "#/components/responses/Error"}}}},
            "/works/{work_id}.epub": {"get": {
                "summary": "One work as an EPUB 3 book (a download)",
                "parameters": [work_id],
                "responses": {"200": {"description": "The book", "content": {
                    "application/epub+zip": {"schema": {"type": "string",
                                                        "format": "binary"}}}},
                    "404": {"$ref": "#/components/responses/Error"}}}},
            "/works/{work_id}.html": {"get": {
                "summary": "One work in AO3's download HTML layout (a download)",
                "parameters": [work_id],
                "responses": {"200": {"description": "The page", "content": {
                    "text/html": {"schema": {"type": "string"}}}},
                    "404": {"$ref": "#/components/responses/Error"}}}},
            "/opds": {"get": {
                "summary": "The OPDS 1.2 catalogue for e-readers (Atom navigation feed)",
                "responses": {"200": {"description": "The feed", "content": {
                    "application/atom+xml;profile=opds-catalog;kind=navigation": {
                        "schema": {"type": "string"}}}}}}},
            "/tags.json": {"get": {
                "summary": "Tags with their work counts and wrangling, as `catalog tags`",
                "parameters": [
                    _param("type", "One tag type.", enum=["rating", "warning", "category",
                                                          "fandom", "relationship",
                                                          "character", "freeform"]),
                    _param("search", "Names containing this text."),
                    _param("unwrangled", "`1`: only unwrangled tags.", enum=["0", "1"]),
                    _param("all", "`1`: tags no work uses too.", enum=["0", "1"]),
                    _param("limit", "At most this many (1000).", "integer", minimum=0),
                    SHAPE, BLOCK],
                "responses": {**_ok({"type": "object"}), **ERRORS}}},
            "/stats.json": {"get": {
                "summary": "Totals and the most used tags of the matching works",
                "parameters": [Q, _param("top", "Tags per type (at most 100).", "integer",
                                         minimum=0), BLOCK],
                "responses": {**_ok({"type": "object"}), **ERRORS}}},
            "/works/{work_id}/reading": {"post": {
                **_write("Mark a work's reading status", {
                    "status": {"enum": ["later", "reading", "read", "dropped", "none"]},
                    "chapter": {"type": "integer", "minimum": 1}}, ["status"]),
                "parameters": [work_id]}},
            "/blocks": {"post": _write("Add a blocklist entry (any query)",
                                       {"query": {"type": "string"}}, ["query"])},
            "/blocks/{block_id}": {"delete": {
                **_write("Remove a blocklist entry", {}, []),
                "parameters": [{"name": "block_id", "in": "path", "required": True,
                                "schema": {"type": "integer"}}]}},
            "/searches": {"post": _write("Save a search (`@NAME` in any query)", {
                "name": {"type": "string"}, "query": {"type": "string"}}, ["name", "query"])},
            "/searches/{name}": {"delete": {
                **_write("Remove a saved search", {}, []),
                "parameters": [{"name": "name", "in": "path", "required": True,
                                "schema": {"type": "string"}}]}},
        },
        "components": {
            "schemas": {"Work": {"type": "object", "description": "A work record (the "
                                 "README's table of record keys).",
                                 "required": ["id", "title"],
                                 "properties": {"id": {"type": "integer"},
                                                "title": {"type": "string"},
                                                "authors": {"type": "array"},
                                                "words": {"type": "integer"}}}},
            "responses": {"Error": {"description": "A bad query, id or request", "content": {
                "application/json": {"schema": {
                    "type": "object", "required": ["ok", "error"],
                    "properties": {"ok": {"const": False}, "error": {"type": "string"}}}}}}},
        },
    }
