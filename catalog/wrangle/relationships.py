"""A relationship tag's kind and members, so that "Willow/Spike" is "Spike/Willow".

AO3 writes romantic or sexual relationships `A/B` and platonic ones `A & B`; they are
different tags with the same members. Separators inside brackets belong to a member's
disambiguation ("Angel (Buffy the Vampire Slayer/Angel)") and do not split.
"""

from __future__ import annotations

import re

from catalog.textnorm import collapse, name_key

ROMANTIC, PLATONIC = "/", "&"
_DISAMBIGUATION = re.compile(r"\s*\([^()]*\)\s*$")


def _split(name: str, separator: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(name):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(depth - 1, 0)
        elif ch == separator and depth == 0:
            parts.append(name[start:i])
            start = i + 1
    parts.append(name[start:])
    return [collapse(p) for p in parts]


def members(name: str) -> tuple[str | None, list[str]]:
    """(kind, member keys) of a relationship name; (None, []) when it names no pairing."""
    for kind in (ROMANTIC, PLATONIC):
        parts = _split(name, kind)
        if len(parts) > 1 and all(parts):
            return kind, [name_key(p) for p in parts]
    return None, []


def bare(key: str) -> str:
    """A name key without its bracketed disambiguation: 'spike (buffy …)' -> 'spike'."""
    return _DISAMBIGUATION.sub("", key) or key
