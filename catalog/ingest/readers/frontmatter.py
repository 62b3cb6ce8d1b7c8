"""YAML front matter (`---` … `---` at the top), read with the safe loader."""

from __future__ import annotations

import re
from typing import Any

from catalog.errors import InputError

_FENCE = re.compile(r"\A\ufeff?---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)


def split_front_matter(text: str, label: str) -> tuple[dict[str, Any] | None, str]:
    """(mapping, body) when the text opens with YAML front matter, else (None, text)."""
    m = _FENCE.match(text)
    if not m:
        return None, text
    return load_mapping(m.group(1) or "", label, "front matter"), text[m.end():].lstrip("\n")


def load_mapping(source: str, label: str, what: str) -> dict[str, Any]:
    """A YAML (or JSON, which YAML reads too) mapping; anything else is an InputError."""
    import yaml

    # libyaml's safe loader when PyYAML was built with it: same rules, several times faster.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(source, Loader=loader)  # noqa: S506  (a safe loader, never full)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise InputError(label, f"invalid YAML in {what}{where}: {getattr(exc, 'problem', exc)}"
                         ) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InputError(label, f"{what} must be a mapping of keys to values")
    return data
