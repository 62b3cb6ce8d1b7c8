"""YAML front matter (`---` … `---` at the top), read with the safe loader."""

from __future__ import annotations

import re
from functools import cache
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
    # loaded by the inputs that need it
    import yaml

    try:
        if "&" in source and "*" in source and _has_alias(source):
            raise InputError(label, f"{what} uses YAML aliases (*name), which story metadata "
                             "has no need of and which can multiply a small file a "
                             "billionfold: write the values out")
        data = yaml.load(source, Loader=_loader())  # noqa: S506  (a safe loader, never full)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise InputError(label, f"invalid YAML in {what}{where}: {getattr(exc, 'problem', exc)}"
                         ) from None
    except RecursionError:
        raise InputError(label, f"{what} is nested too deeply") from None
    except ValueError as exc:  # a number of 5,000 digits, say
        reason = str(exc).split(";")[0]  # not the advice meant for programmers
        raise InputError(label, f"a value in {what} cannot be read: {reason}") from None
    except UnicodeEncodeError:
        raise InputError(label, f"{what} holds a lone surrogate, which no text encoding "
                         "can store") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InputError(label, f"{what} must be a mapping of keys to values")
    return data


@cache
def _loader() -> Any:
    """libyaml's safe loader when PyYAML was built with it (same rules, several times
    faster), reading a date that does not exist (`2020-13-45`, `0000-00-00`) as the text it
    is, which the date parser then judges, instead of raising from deep in the loader."""
    # loaded by the inputs that need it
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    def timestamp(loader: Any, node: Any) -> Any:
        try:
            return loader.construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            return loader.construct_scalar(node)

    loader: Any = type("StoryLoader", (base,), {})
    loader.add_constructor("tag:yaml.org,2002:timestamp", timestamp)
    return loader


def _has_alias(source: str) -> bool:
    """Whether the YAML refers back to an anchor: the events say, without building it."""
    # loaded by the inputs that need it
    import yaml

    return any(isinstance(event, yaml.AliasEvent)
               for event in yaml.parse(source, Loader=_loader()))  # noqa: S506
