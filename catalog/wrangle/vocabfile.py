"""Vocabulary files read and checked, apart from loading them: the Core-only bulk seed of a
new catalogue (`catalog.wrangle.seed`) reads the shipped file without importing the ORM.

A file (YAML):  version: 1, then lists `fandoms`, `characters`, `relationships`,
`freeforms` of entries `{name, synonyms | aliases, parents, fandoms, common}`; see the
shipped file's header for each key.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from catalog.errors import CatalogError
from catalog.textnorm import collapse

SECTIONS = {"fandoms": "fandom", "characters": "character", "relationships": "relationship",
            "freeforms": "freeform"}
# Version 2 (`catalog vocab export`) adds AO3's fixed types, for their synonyms.
SECTIONS_2 = {"ratings": "rating", "warnings": "warning", "categories": "category",
              **SECTIONS}
DEFAULT = "buffyverse.yaml"


def default_path() -> Path:
    return Path(str(resources.files("catalog.vocabularies").joinpath(DEFAULT)))


def read(path: Path) -> dict[str, list[dict[str, Any]]]:
    """The file's sections, checked: a mistake names the file and the entry."""
    # loaded by the inputs that need it
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when installed
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise CatalogError(f"{path}: cannot read vocabulary: {exc}") from None
    if not isinstance(data, dict) or data.get("version", 1) not in (1, 2):
        raise CatalogError(f"{path}: a vocabulary file is a mapping with `version: 1` (or 2) "
                           f"and the lists {', '.join(SECTIONS_2)}")
    sections: dict[str, list[dict[str, Any]]] = {}
    for section in SECTIONS_2 if data.get("version") == 2 else SECTIONS:
        entries = data.get(section) or []
        if not isinstance(entries, list):
            raise CatalogError(f"{path}: {section!r} must be a list")
        for i, entry in enumerate(entries, 1):
            if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
                raise CatalogError(f"{path}: {section} entry {i} needs a `name`")
            for key in ("synonyms", "aliases", "parents", "fandoms", "common"):
                if not isinstance(entry.get(key) or [], list):
                    raise CatalogError(f"{path}: {section} {entry['name']!r}: "
                                       f"{key!r} must be a list")
            if not isinstance(entry.get("ao3_id", 0), int) or isinstance(
                    entry.get("ao3_id"), bool):
                raise CatalogError(f"{path}: {section} {entry['name']!r}: 'ao3_id' must be "
                                   "a number")
        sections[section] = entries
    return sections


def names(entry: dict[str, Any], key: str) -> list[str]:
    """An entry's list under `key`, each name's whitespace collapsed, empty ones dropped."""
    return [collapse(str(v)) for v in entry.get(key) or [] if collapse(str(v))]
