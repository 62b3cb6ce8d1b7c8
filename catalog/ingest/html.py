"""HTML5 parsing with a guard: selectolax (Lexbor) is a real HTML5 parser, fast on real
pages, but tree building slows quadratically with nesting depth (100,000 nested divs take
about 20 s), so absurd nesting is refused before parsing.
"""

from __future__ import annotations

import re
from typing import Any

from catalog.errors import InputError

MAX_DEPTH = 2000
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*?(/?)>")
# Void elements never nest; these are often left unclosed in old HTML, so they are not
# counted either.
_FLAT = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option",
})


def nesting_depth(text: str) -> int:
    """The deepest element nesting, approximately (no parse): open tags minus close tags."""
    depth = deepest = 0
    for closing, name, self_closing in _TAG.findall(text):
        if name.lower() in _FLAT or self_closing:
            continue
        if closing:
            depth = max(depth - 1, 0)
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def parse_html(text: str, label: str = "") -> Any:
    """A selectolax tree of `text`; InputError when it nests deeper than any story would."""
    depth = nesting_depth(text)
    if depth > MAX_DEPTH:
        raise InputError(label, f"HTML nested {depth} elements deep (limit {MAX_DEPTH}): "
                         "not a story page")
    from selectolax.lexbor import LexborHTMLParser

    return LexborHTMLParser(text)
