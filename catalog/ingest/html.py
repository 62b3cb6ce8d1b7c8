"""HTML5 parsing with a guard: selectolax (Lexbor) is a real HTML5 parser, fast on real
pages, but tree building slows quadratically with nesting depth (100,000 nested divs take
about 20 s), so absurd nesting is refused before parsing, by one linear scan.
"""

from __future__ import annotations

from typing import Any

from catalog.errors import InputError

MAX_DEPTH = 512  # as deep as browsers build (Blink); real AO3 pages and downloads stay under 50
# Void elements hold nothing in HTML (inside <svg> or <math> they can, so count them there).
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link",
                   "meta", "param", "source", "track", "wbr"})
# An opening tag of these closes an open one of the same group (HTML's implied end tags), so
# old HTML that never closes its paragraphs is not mistaken for deep nesting.
_IMPLIED = {"p": {"p"}, "li": {"li"}, "dt": {"dt", "dd"}, "dd": {"dt", "dd"},
            "option": {"option"}, "tr": {"tr", "td", "th"}, "td": {"td", "th"},
            "th": {"td", "th"}}
_NAME_CAP = 16


def too_deep(text: str, limit: int = MAX_DEPTH) -> bool:
    """Whether elements may nest over `limit` deep, in one linear pass stepping from each '<'
    to the next '>' as the HTML5 tokenizer ends tags and bogus comments. A bound, not a
    parse, so doubt over-counts: tags in comments and scripts count, and an end tag only
    closes the element opened last (the tree builder ignores stray or misnested ones)."""
    if text.count("<") - text.count("</") <= limit:
        return False  # each element pushed needs a '<' of its own that no '/' follows
    low, pos, stack, foreign = text.lower(), 0, list[str](), 0
    while (pos := low.find("<", pos)) != -1:
        closing = low.startswith("/", pos + 1)
        start = end = pos + 1 + closing
        while end < len(low) and end - start < _NAME_CAP and low[end] not in " \t\n\r\f/>":
            end += 1
        name = low[start:end]
        is_tag = name[:1].isascii() and name[:1].isalpha()
        if not is_tag and not closing and low[pos + 1:pos + 2] not in ("!", "?"):
            pos += 1  # a bare '<' is text
            continue
        gt = low.find(">", end)  # a tag or bogus comment runs to the next '>'
        pos = len(low) if gt == -1 else gt + 1
        if not is_tag or (name in _VOID and not foreign):
            continue  # '<div/>' opens a div: a slash closes nothing
        if closing:  # a name cut at the cap might differ: never closes
            if stack and stack[-1] == name and len(name) < _NAME_CAP:
                foreign -= stack.pop() in ("svg", "math")
            continue
        if stack and stack[-1] in _IMPLIED.get(name, ()):
            stack.pop()
        if len(stack) >= limit:
            return True
        stack.append(name)
        foreign += name in ("svg", "math")
    return False


def parse_html(text: str, label: str = "") -> Any:
    """A selectolax tree of `text`; InputError when it nests deeper than any story would."""
    if too_deep(text):
        raise InputError(label, f"HTML nested over {MAX_DEPTH} elements deep, which no story "
                         "file is: not read")
    from selectolax.lexbor import LexborHTMLParser

    return LexborHTMLParser(text)
