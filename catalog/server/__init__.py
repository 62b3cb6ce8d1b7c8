"""`catalog serve`: the catalogue as web pages, a JSON API and (later) an OPDS feed.

A shell, as the command line is: every handler reaches the catalogue through the
`Catalogue` facade and the bottom layer's records and helpers, never the store or the
query compiler. Built on Starlette (routing, requests, responses, static files) with
Jinja2 templates, served by uvicorn.
"""
