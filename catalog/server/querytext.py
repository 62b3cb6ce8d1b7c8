"""The sidebar's form as query text: the one language the command line takes.

AO3's "Sort and Filter" keeps its state in form fields; here the state is the query in the
search box, so a filtered page's address is `/works?q=…`, shareable and editable. The
sidebar sends the box's text, the terms it offered (`shown`) and the ones ticked (`t`),
plus its plain fields; the new query is the box's text without the offered and the
replaced terms, then the ticked and filled ones. Terms the user typed stay as typed."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

# A top-level term: an optionally negated field with a quoted or bare value, a quoted
# phrase, or any other run of non-space (parentheses and OR are kept as written).
TOKEN = re.compile(r'-?[A-Za-z_][\w-]*:"(?:[^"\\]|\\.)*"|"(?:[^"\\]|\\.)*"|\S+')
# The sidebar's plain fields: form name -> the query field it writes.
PLAIN = {"complete": "complete", "language": "language", "sort": "sort"}


def term(field: str, value: str, *, exclude: bool = False) -> str:
    """`field:"value"` with quotes and backslashes escaped (`-` first to exclude)."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'{"-" if exclude else ""}{field}:"{escaped}"'


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text)


def has(text: str, wanted: str) -> bool:
    """Whether the query's top level holds exactly this term (a ticked box)."""
    return wanted in tokens(text)


def build(form: Mapping[str, str], ticked: Sequence[str], shown: Iterable[str]) -> str:
    """The query the sidebar asks for. `form` holds `q` and the plain fields (`complete`,
    `language`, `sort`, `words_from`, `words_to`, `text`); an empty one clears its term."""
    offered = set(shown)
    replaced = {field + ":" for name, field in PLAIN.items() if name in form}
    if "words_from" in form or "words_to" in form:
        replaced.add("words:")
    kept = [t for t in tokens(form.get("q", "")) if t not in offered
            and not any(t.startswith(prefix) for prefix in replaced)]
    added = [t for t in ticked if t in offered and t not in kept]
    for name, field in PLAIN.items():
        value = form.get(name, "").strip()
        if value:
            added.append(f"{field}:{value}" if re.fullmatch(r"[\w.:<>=-]+", value)
                         else term(field, value))
    low, high = form.get("words_from", "").strip(), form.get("words_to", "").strip()
    if low.isdigit() or high.isdigit():
        added.append(f"words:{low if low.isdigit() else ''}..{high if high.isdigit() else ''}"
                     if low.isdigit() and high.isdigit()
                     else f"words:>={low}" if low.isdigit() else f"words:<={high}")
    words = form.get("text", "").strip()
    if words:
        added.append(words)
    return " ".join([*kept, *added])


def current(text: str) -> dict[str, str]:
    """The plain fields' values as the query holds them, to fill the sidebar's inputs (so
    sending the form unchanged keeps them)."""
    out = {"sort": "", "complete": "", "language": "", "words_from": "", "words_to": ""}
    for token in tokens(text):
        field, _, value = token.partition(":")
        value = value[1:-1] if len(value) > 1 and value[0] == value[-1] == '"' else value
        if field in ("sort", "complete", "language"):
            out[field] = value
        elif field == "words":
            low, dots, high = value.partition("..")
            if dots:
                out["words_from"], out["words_to"] = low, high
            elif value.startswith(">="):
                out["words_from"] = value[2:]
            elif value.startswith("<="):
                out["words_to"] = value[2:]
    return out
