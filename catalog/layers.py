"""What a user lays over what a file says, and how the two make the work the catalogue shows.

A work is its file's metadata (`Meta`) with up to two layers on top, applied in order:
"user", the options given at ingest (`--fandom`, `--title`, …), and "edit", what `catalog
edit` changed. A layer is a small JSON object; each key is one kind of change:

  title, summary, language   replace the value            "title": "A Better Title"
  complete                   replace (true/false)          "complete": true
  rating                     replace the rating            "rating": "Mature"
  warnings, categories       replace the whole list        "warnings": ["Major Character Death"]
  authors                    add bylines                   "authors": ["ann"]
  add                        add tags [type, name]         "add": [["fandom", "Angel"]]
  remove                     hide tags [type, name]        "remove": [["freeform", "Fluff"]]

Keeping the layers apart from the file's values is what lets a re-ingest refresh what the
file says while every change the user made stays, and `--reset` bring the file's value
back. Pure: no database, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from catalog import vocab
from catalog.model import SOURCE_EDIT, SOURCE_INFERRED, SOURCE_USER, CatalogEntry, TagRef
from catalog.textnorm import collapse, name_key, unique

Layer = dict[str, Any]
Layers = dict[str, Layer]
USER, EDIT, FILE = "user", "edit", "file"
ORDER = (USER, EDIT)  # applied in this order: an edit wins over an ingest option
SOURCES = {USER: SOURCE_USER, EDIT: SOURCE_EDIT}
SCALARS = ("title", "summary", "language", "complete", "rating")
LISTS = {"warnings": "warning", "categories": "category"}  # layer key -> tag type replaced
TAG_TYPES = ("fandom", "relationship", "character", "freeform", "warning", "category")
# What `--reset` names: a field, a tag type (its added and hidden tags), or everything.
RESETS = ("title", "summary", "language", "complete", "rating", "warning", "category",
          "author", "fandom", "relationship", "character", "freeform", "tags", "all")


@dataclass
class Meta:
    """The part of a work a layer can change."""

    title: str
    summary: str | None
    language: str | None
    complete: bool
    expected_chapters: int | None
    authors: list[str] = field(default_factory=list)
    tags: list[TagRef] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"title": self.title, "summary": self.summary, "language": self.language,
                "complete": self.complete, "expected_chapters": self.expected_chapters,
                "authors": self.authors,
                "tags": [[t.type, t.name, t.source, t.mentions] for t in self.tags]}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Meta:
        return cls(title=data["title"], summary=data.get("summary"),
                   language=data.get("language"), complete=bool(data.get("complete", True)),
                   expected_chapters=data.get("expected_chapters"),
                   authors=list(data.get("authors") or []),
                   tags=[TagRef(t[0], t[1], t[2], t[3] if len(t) > 3 else None)
                         for t in data.get("tags") or []])


def meta_of(entry: CatalogEntry) -> Meta:
    return Meta(entry.title, entry.summary, entry.language, entry.complete,
                entry.expected_chapters, list(entry.authors), list(entry.tags))


def with_meta(entry: CatalogEntry, meta: Meta) -> CatalogEntry:
    return replace(entry, title=meta.title, summary=meta.summary, language=meta.language,
                   complete=meta.complete, expected_chapters=meta.expected_chapters,
                   authors=meta.authors, tags=meta.tags)


def effective(entry: CatalogEntry, laid: Mapping[str, Layer]) -> CatalogEntry:
    """The entry as the catalogue shows it: its file's values with `laid` over them."""
    if not laid:
        return entry
    return with_meta(entry, apply(meta_of(entry), laid, len(entry.chapters)))


def apply(meta: Meta, layers: Mapping[str, Layer], chapters: int) -> Meta:
    """The work as shown: `meta` (the file's) with each layer laid over it in order.
    Characters and fandoms inferred from the text yield to those the user gave: inference
    guessed from the file alone, the user knows. `chapters` is the number the work has,
    for `complete`."""
    out = replace(meta, authors=list(meta.authors), tags=list(meta.tags))
    for name in ORDER:
        layer = layers.get(name)
        if layer:
            _lay(out, layer, SOURCES[name], chapters)
    given = {t.type for t in out.tags if t.source in (SOURCE_USER, SOURCE_EDIT)}
    out.tags = [t for t in out.tags if not (t.source == SOURCE_INFERRED and t.type in given)]
    order = {t: i for i, t in enumerate(vocab.TAG_TYPES)}
    out.tags.sort(key=lambda t: order[t.type])
    return out


def _lay(out: Meta, layer: Layer, source: str, chapters: int) -> None:
    for key in ("title", "summary", "language"):
        if key in layer:
            setattr(out, key, layer[key])
    if "complete" in layer:
        out.complete = bool(layer["complete"])
        if out.complete:
            out.expected_chapters = chapters
        elif out.expected_chapters == chapters:
            out.expected_chapters = None
    if "rating" in layer:
        _replace_type(out, "rating", [layer["rating"]], source)
    for key, tag_type in LISTS.items():
        if key in layer:
            _replace_type(out, tag_type, layer[key], source)
    out.authors = unique([*out.authors, *layer.get("authors", [])])
    hidden = {(t, name_key(n)) for t, n in layer.get("remove", [])}
    out.tags = [t for t in out.tags if (t.type, name_key(t.name)) not in hidden]
    present = {(t.type, name_key(t.name)): t.source for t in out.tags}
    for tag_type, name in layer.get("add", []):
        tag_key = (tag_type, name_key(name))
        if present.get(tag_key) == SOURCE_INFERRED:  # the user confirms what was guessed
            out.tags = [t for t in out.tags if (t.type, name_key(t.name)) != tag_key]
        elif tag_key in present:
            continue
        present[tag_key] = source
        out.tags.append(TagRef(tag_type, name, source))


def _replace_type(out: Meta, tag_type: str, names: Iterable[str], source: str) -> None:
    kept = [t for t in out.tags if t.type != tag_type]
    out.tags = kept + [TagRef(tag_type, n, source) for n in unique(names)]


def combine(old: Layer, new: Layer) -> Layer:
    """`new` laid over `old` in one layer: values replace, added authors and tags
    accumulate, and adding a tag takes back hiding it (and the other way round)."""
    out: Layer = {**old, **{k: v for k, v in new.items()
                            if k not in ("authors", "add", "remove")}}
    if old.get("authors") or new.get("authors"):
        out["authors"] = unique([*old.get("authors", []), *new.get("authors", [])])
    adds, removes = _pairs(old.get("add", [])), _pairs(old.get("remove", []))
    for tag_type, name in new.get("add", []):
        removes.pop((tag_type, name_key(name)), None)
        adds.setdefault((tag_type, name_key(name)), [tag_type, name])
    for tag_type, name in new.get("remove", []):
        adds.pop((tag_type, name_key(name)), None)
        removes.setdefault((tag_type, name_key(name)), [tag_type, name])
    for key, pairs in (("add", adds), ("remove", removes)):
        out.pop(key, None)
        if pairs:
            out[key] = list(pairs.values())
    return out


def _pairs(items: Iterable[list[str]]) -> dict[tuple[str, str], list[str]]:
    return {(t, name_key(n)): [t, n] for t, n in items}


def merge(stored: Mapping[str, Layer], new: Mapping[str, Layer]) -> Layers:
    """The layers after an ingest's options (or a restore's layers) meet the stored ones."""
    out: Layers = {}
    for name in ORDER:
        layer = combine(stored.get(name) or {}, new.get(name) or {})
        if layer:
            out[name] = layer
    return out


def reset(layers: Mapping[str, Layer], what: Iterable[str]) -> Layers:
    """The layers without what `--reset` names, in every layer: a field, a tag type (the
    tags added and hidden), `tags` (all of those) or `all`."""
    names = set(what)
    out: Layers = {}
    for name, layer in layers.items():
        if "all" in names:
            continue
        kept = {k: v for k, v in layer.items() if _reset_name(k) not in names}
        for key in ("add", "remove"):
            if key in kept:
                pairs = [p for p in kept[key] if p[0] not in names and "tags" not in names]
                if pairs:
                    kept[key] = pairs
                else:
                    del kept[key]
        if kept:
            out[name] = kept
    return out


def _reset_name(key: str) -> str:
    return {"warnings": "warning", "categories": "category", "authors": "author"}.get(key, key)


def clean(layer: Layer) -> Layer:
    """A layer as stored: names collapsed, empty lists dropped."""
    out: Layer = {}
    for key, value in layer.items():
        if key in ("add", "remove"):
            value = [[t, collapse(n)] for t, n in value if collapse(n)]
        elif key in ("authors", "warnings", "categories"):
            value = unique(collapse(v) for v in value if collapse(v))
        elif isinstance(value, str):
            value = collapse(value) if key != "summary" else value.strip() or None
        if value not in ([], None) or key in ("summary", "language"):
            out[key] = value
    return out


# A work record's value keys a layer can set, and the layer key that sets each.
_VALUE_KEYS = {"title": "title", "rating": "rating", "summary": "summary",
               "language": "language", "complete": "complete", "authors": "authors"}
_TYPE_KEYS = {"warning": "warnings", "category": "categories", "rating": "rating"}


def origin(record: Mapping[str, Any], key: str) -> str:
    """Where a work record's value came from: "edit", "user" (an option at ingest) or
    "file"."""
    laid = record.get("edits") or {}
    layer_key = _VALUE_KEYS.get(key, key)
    for name in (EDIT, USER):
        if layer_key in (laid.get(name) or {}):
            return name
    return "file"


def tag_origin(record: Mapping[str, Any], tag_type: str, name: str) -> str:
    """Where a tag of a work record came from: "edit", "user", "inferred" or "file"."""
    laid = record.get("edits") or {}
    key = (tag_type, name_key(name))
    for layer_name, given in ((EDIT, laid.get(EDIT) or {}), (USER, laid.get(USER) or {})):
        listed = given.get(_TYPE_KEYS.get(tag_type, ""))
        named = [listed] if isinstance(listed, str) else listed or []
        if key in {(tag_type, name_key(n)) for n in named} or key in {
                (t, name_key(n)) for t, n in given.get("add", [])}:
            return layer_name
    if key in {(t["type"], name_key(t["name"])) for t in record.get("user_tags") or []}:
        return USER
    if key in {(t["type"], name_key(t["name"])) for t in record.get("inferred") or []}:
        return "inferred"
    return "file"


MARKS = {EDIT: "edited", USER: "given", "file": ""}


def value_mark(record: Mapping[str, Any], key: str) -> str:
    """How a work page marks a value's origin: "edited", "given" or "" (the file's)."""
    return MARKS[origin(record, key)]


def tag_mark(record: Mapping[str, Any], tag_type: str, name: str) -> str:
    """How a work page marks a tag's origin: "edited", "given", "inferred, 3 mentions"
    or "" (the file's); `show` and the web page say the same."""
    came = tag_origin(record, tag_type, name)
    if came != "inferred":
        return MARKS[came]
    n = next((t.get("mentions") for t in record.get("inferred") or []
              if (t["type"], t["name"]) == (tag_type, name)), None)
    return f"inferred, {n} mention{'' if n == 1 else 's'}" if n else "inferred"


def hidden_tags(record: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """(type, name, layer) of the tags the file states that a layer hides or replaces."""
    laid = record.get("edits") or {}
    file_tags = [(t[0], t[1]) for t in (laid.get(FILE) or {}).get("tags", [])]
    shown = {(t, name_key(n)) for t, n in _record_tags(record)}
    out = []
    for tag_type, name in file_tags:
        if (tag_type, name_key(name)) in shown:
            continue
        by = next((n for n in (EDIT, USER) if _hides(laid.get(n) or {}, tag_type, name)),
                  EDIT)
        out.append((tag_type, name, by))
    return out


def _hides(layer: Layer, tag_type: str, name: str) -> bool:
    return (_TYPE_KEYS.get(tag_type, "") in layer
            or (tag_type, name_key(name)) in {(t, name_key(n)) for t, n in
                                              layer.get("remove", [])})


def _record_tags(record: Mapping[str, Any]) -> list[tuple[str, str]]:
    keys = {"warning": "warnings", "category": "categories", "fandom": "fandoms",
            "relationship": "relationships", "character": "characters",
            "freeform": "freeform"}
    tags = [(t, n) for t, k in keys.items() for n in record.get(k) or []]
    return tags + ([("rating", record["rating"])] if record.get("rating") else [])
