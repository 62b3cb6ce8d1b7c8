"""Tag names in URLs as AO3 writes them: `/tags/Spike*s*Willow Rosenberg/works`.

AO3 replaces the characters a path segment cannot hold plainly with starred codes, so a
tag page's address stays readable and a name with a slash is one segment; the rest is
percent-encoded as usual. A star in a name is left alone (AO3's own ambiguity: its names
never contain `*s*` and the like)."""

from __future__ import annotations

from urllib.parse import quote

CODES = (("/", "*s*"), ("&", "*a*"), (".", "*d*"), ("?", "*q*"), ("#", "*h*"))


def escape(name: str) -> str:
    """A tag name as one path segment: AO3's starred codes, then percent-encoding."""
    for char, code in CODES:
        name = name.replace(char, code)
    return quote(name, safe="*")


def unescape(segment: str) -> str:
    """The tag name of a path segment the router has already percent-decoded."""
    name = segment
    for char, code in CODES:
        name = name.replace(code, char)
    return name
