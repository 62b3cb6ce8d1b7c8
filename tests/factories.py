"""Shared factories for tests: story files as the readers see them, written in one call."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

# Header keys as old archives wrote them, in the order a header lists them.
_HEADER = (("title", "Title"), ("author", "Author"), ("fandom", "Fandom"),
           ("rating", "Rating"), ("warning", "Archive Warning"), ("category", "Category"),
           ("relationship", "Relationship"), ("characters", "Characters"),
           ("tags", "Additional Tags"), ("language", "Language"), ("series", "Series"),
           ("summary", "Summary"))


def make_work(body: str = "A few words.", **fields: str) -> str:
    """A plain-text story with a `Title:/Rating:` header: make_work("Text.", title="One",
    fandom="BtVS", characters="Spike, Willow Rosenberg")."""
    unknown = set(fields) - {key for key, _ in _HEADER}
    assert not unknown, f"no header line for {unknown}"
    lines = [f"{label}: {fields[key]}" for key, label in _HEADER if key in fields]
    return "\n".join(lines) + "\n\n" + body.rstrip("\n") + "\n"


def write_works(folder: Path, works: dict[str, str]) -> Path:
    """Write {file name: text} under `folder` (made if missing); returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in works.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def exported_works(jsonl: str) -> list[dict[str, Any]]:
    """The work records of a JSON Lines export (its lines without a `kind`: those before
    the works are the tags, saved searches and blocks)."""
    records = [json.loads(line) for line in jsonl.splitlines()]
    return [r for r in records if "kind" not in r]
