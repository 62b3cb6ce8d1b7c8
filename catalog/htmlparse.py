"""HTML5 parsing with guards: selectolax (Lexbor) is a real HTML5 parser, fast on real
pages, but some markup costs it far more than linear time, so such markup is refused
before parsing, by linear scans:

- tree building slows quadratically with nesting depth (100,000 nested divs take about
  20 s);
- tag and attribute names are interned in hash tables of a fixed 128 buckets that never
  grow, and each new attribute is checked against the ones its tag already has, so many
  different names, or many attributes on one tag, cost time by the square (one tag with
  80,000 attributes, or 160,000 tags each with a name of its own, take several seconds).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import islice
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


COST_PER_CHAR = 64  # real AO3 downloads cost under 1 a character, saved AO3 pages under 10
_SLACK = 1 << 16  # a short summary may be all markup
_BATCH = 4096  # attribute names listed at a time
_RECORDED = 1 << 16  # attribute starts of one tag noted for overlapping candidates, at most
_WS = "\t\n\f\r "  # HTML's whitespace; the tokenizer reads CR as LF
# One attribute, as the tokenizer reads it from where a name may start: the name runs to
# whitespace, '/', '>' or '=' (a first '=' is its own); a value is quoted (to its closing
# quote, or the end) or runs to whitespace or '>'. Atomic, so that no input backtracks; the
# next attribute starts after whitespace or '/', or right after a quoted value.
_ATTR = (rf"(?>[^{_WS}/>][^{_WS}/>=]*+"
         rf"""(?:[{_WS}]*+=[{_WS}]*+(?:"[^"]*+"?|'[^']*+'?|[^{_WS}>]*+))?)""")
_NAMED = rf"(?=([^{_WS}/>][^{_WS}/>=]*+)){_ATTR}"  # capturing the name
_STEP = re.compile(rf"[{_WS}/]*+{_NAMED}")
_NAMES = re.compile(_NAMED)
_RUN = re.compile(rf"[^{_WS}/>]*+")  # a tag name runs to whitespace, '/' or '>'
_TAG = re.compile(rf"([^{_WS}/>]*+)(?:[{_WS}/]*+{_ATTR})*+")  # a name, then attributes
_DOCTYPE_NAME = re.compile(rf"[^{_WS}>]*+")
# Wherever a tag or DOCTYPE may start: every '<' before a letter, even inside other tags,
# comments and scripts, since this scan cannot know the tokenizer's state there.
_OPEN = re.compile(rf"<(/?)(?=[A-Za-z])|<!(?i:doctype)[{_WS}]*+(?=[^{_WS}>])")


def too_costly(text: str) -> str | None:
    """Why Lexbor would take more than linear time over `text` (see `_Cost`), or None."""
    cost = _Cost(text)
    for i, opening in enumerate(_OPEN.finditer(text)):
        if opening[1] is None:  # a DOCTYPE: only its name is interned
            cost.look(text[opening.end():_end(_DOCTYPE_NAME, text, opening.end())])
        elif opening.start() >= cost.frontier:
            cost.whole(opening)
        elif cost.run[0] < opening.end() < cost.run[1]:
            cost.within_name(opening)
        else:
            cost.overlapping(opening)
        if not i % 256 and cost.over():  # often enough to stop early, cheaply
            return cost.reason()
    return cost.reason() if cost.over() else None


class _Cost:
    """A bound on Lexbor's work beyond linear, from every candidate tag read as the tokenizer
    would read it, were it real. Lexbor keeps tag and attribute names in hash tables of 128
    chains that never grow (a lookup may walk every name so far: `lookups` x `names`),
    checks each attribute against the different ones its tag already has, and merges the
    attributes of repeated <html> and <body> tags into one element.

    Real tags never overlap, so a candidate that reaches an attribute another one read from
    the same place ends as that one does, and its names there are not read or counted again:
    the scan stays linear even where candidates overlap (a '<' in a script or a quote)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.budget = COST_PER_CHAR * len(text) + _SLACK
        self.names: set[str] = set()
        self.suffixes = 0  # names that end another one (a '<' inside a tag name)
        self.lookups = self.checks = self.merging = self.scanned = 0
        self.merged = {"html": 0, "body": 0}
        self.widest = (0, "")
        self.starts: dict[int, int] = {}  # attribute start -> attributes from it to tag end
        self.kept = 0
        self.frontier = 0  # the end of the furthest tag read
        self.last, self.recorded = (0, 0, 0), True  # the last tag read whole: its attributes
        self.run = (0, 0, 0)  # the last tag name read: start, end, its tag's attributes
        self.suffixed = self.tangled = False

    def over(self) -> bool:
        return self.tangled or self.scanned > 8 * len(self.text) or self.budget < (
            self.lookups * (len(self.names) + self.suffixes) + self.checks + self.merging)

    def look(self, name: str) -> None:
        self.names.add(name)
        self.lookups += 1

    def whole(self, opening: re.Match[str]) -> None:
        """A tag no other candidate reached: one match for its name and the extent of its
        attributes, then their names, listed a batch at a time."""
        found = _TAG.match(self.text, opening.end())
        assert found is not None  # the pattern matches anywhere
        name, end, stop = found[1], found.end(1), found.end()
        self.look(name)
        self.frontier, count = stop, 0
        if stop > end:
            self.scanned += stop - end
            count = self._attributes(name, end, stop)
            self.last, self.recorded = (end, stop, count), False
        self.run, self.suffixed = (opening.end(), end, count), False
        self._merge(opening, name, count)

    def _attributes(self, tag: str, start: int, stop: int) -> int:
        """The number of attributes in text[start:stop], their names listed a batch at a
        time, so that a huge tag is refused before it is all listed."""
        if stop - start <= _BATCH:  # a few: each attribute takes two characters or more
            batches: Iterator[list[str]] = iter([_NAMES.findall(self.text, start, stop)])
        else:
            names = (m[1] for m in _NAMES.finditer(self.text, start, stop))
            batches = iter(lambda: list(islice(names, _BATCH)), [])
        own: set[str] = set()
        count = 0
        for batch in batches:
            count += len(batch)
            own.update(batch)
            self.names.update(batch)
            self.lookups += len(batch)
            self.widest = max(self.widest, (count, tag[:40]))
            if len(batch) == _BATCH and self.over():
                break
        self._checks(tag, count, len(own))
        return count

    def _checks(self, tag: str, count: int, different: int) -> None:
        """Each attribute is checked against the different names before it in its tag."""
        self.checks += count * different - different * (different + 1) // 2
        self.widest = max(self.widest, (count, tag[:40]))

    def within_name(self, opening: re.Match[str]) -> None:
        """A '<' inside the last tag name read: a tag that ends as that one does, with a
        name of its own. All such tags overlap, so one at most is real: one name counts."""
        _, end, count = self.run
        if not self.suffixed:
            self.lookups, self.suffixes, self.suffixed = self.lookups + 1, self.suffixes + 1, True
        self._merge(opening, self.text[opening.end():min(end, opening.end() + 5)], count)

    def overlapping(self, opening: re.Match[str]) -> None:
        """A tag that starts inside one read before, read attribute by attribute until it
        reaches one already read, whose tag it then ends with."""
        start = opening.end()
        end = _end(_RUN, self.text, start)
        name = self.text[start:end]
        self.look(name)
        self._note(opening.start())
        own: list[int] = []
        rest, at = 0, end
        while (step := _STEP.match(self.text, at)) and not self.tangled:
            if (rest := self.starts.get(step.start(1), 0)) != 0:
                break
            own.append(step.start(1))
            self.look(step[1])
            at = step.end()
            self.tangled = len(own) > _RECORDED  # too many to note: refused
        for i, at_name in enumerate(own):
            self.starts[at_name] = len(own) - i + rest
        self.frontier, self.scanned = max(self.frontier, at), self.scanned + at - end
        count = len(own) + rest
        self._checks(name, count, count)
        self.run, self.suffixed = (start, end, count), False
        self._merge(opening, name, count)

    def _merge(self, opening: re.Match[str], name: str, count: int) -> None:
        """Repeated <html> and <body> tags add their attributes to the one element, each
        checked against those it has."""
        key = "" if opening[1] else name.lower()
        if key in self.merged:
            self.merged[key] += count
            self.merging += count * self.merged[key]

    def _note(self, pos: int) -> None:
        """Note where the last whole tag's attributes start, if `pos` is inside it, and drop
        the starts no tag from `pos` on can reach, once they are many."""
        start, stop, count = self.last
        if not self.recorded and stop > pos:
            found = islice(_NAMES.finditer(self.text, start, stop), _RECORDED)
            self.starts.update((m.start(), count - i) for i, m in enumerate(found))
            self.recorded = True
        if len(self.starts) > 2 * self.kept + 1024:
            self.starts = {at: n for at, n in self.starts.items() if at > pos}
            self.kept = len(self.starts)

    def reason(self) -> str:
        count, tag = self.widest
        if self.tangled:
            what = f"a <{tag}> tag of over {_RECORDED:,} attributes, inside another tag"
        elif self.scanned > 8 * len(self.text):
            what = "tags starting inside other tags throughout"
        elif self.lookups * (names := len(self.names) + self.suffixes) >= max(self.checks,
                                                                             self.merging):
            what = f"{names:,} different tag and attribute names, {self.lookups:,} in all"
            if 4 * count >= self.lookups:  # one tag holds many of them: name it
                what += f" (at least {count:,} on one <{tag}> tag)"
        elif self.checks >= self.merging:
            what = f"tags of up to {count:,} attributes (<{tag}>)"
        else:
            what = (f"<html> and <body> tags repeated with {sum(self.merged.values()):,} "
                    "attributes in all")
        return f"HTML with {what}, too many to parse in reasonable time: not read"


def _end(pattern: re.Pattern[str], text: str, pos: int) -> int:
    """Where `pattern` (which matches anywhere, if only the empty string) ends from `pos`."""
    match = pattern.match(text, pos)
    return match.end() if match else pos


# Lexbor takes time by the square of the options in one <select> (20,000: 3 s, 40,000:
# half a minute); a story page's chapter menus (FFN shows two) list every chapter once.
MAX_OPTIONS = 10_000
_OPTION = re.compile(r"<option\b", re.IGNORECASE)


def refusal(text: str) -> str | None:
    """Why `text` is not handed to the parser (nested too deep, too many menu options, or
    too costly), or None."""
    if too_deep(text):
        return f"HTML nested over {MAX_DEPTH} elements deep, which no story file is: not read"
    if (options := len(_OPTION.findall(text))) > MAX_OPTIONS:
        return (f"HTML with {options:,} <option> elements (a story page's chapter menus have "
                "a few hundred), too many to parse in reasonable time: not read")
    return too_costly(text)


def parse_html(text: str, label: str = "") -> Any:
    """A selectolax tree of `text`; InputError when `refusal` has a reason."""
    if (reason := refusal(text)) is not None:
        raise InputError(label, reason)
    # loaded by the inputs that need it
    from selectolax.lexbor import LexborHTMLParser

    return LexborHTMLParser(text)


NOT_SHOWN = frozenset({"script", "style", "template"})


def visible_text(node: Any, hidden: frozenset[str] = NOT_SHOWN) -> str:
    """A node's text (or a text node's) without what `hidden` elements hold; '' for None."""
    if node is None:
        return ""
    if node.is_text_node:
        return str(node.text_content or "")
    return "".join(t.text_content or "" for t in node.traverse(include_text=True)
                   if t.is_text_node and (t.parent is None or t.parent.tag not in hidden))
