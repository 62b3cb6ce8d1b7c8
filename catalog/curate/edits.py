"""`catalog edit`: the user's own layer over what a work's file says (`catalog.layers`).

An edit is checked whole before anything is written (AO3's names for ratings, warnings and
categories, known tag types), then laid over each work in one transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from catalog import fields, layers, vocab
from catalog.curate import blocking
from catalog.errors import CatalogError
from catalog.layers import Layer, Layers
from catalog.store import relayer
from catalog.store.known import Known
from catalog.wrangle.edit import new_tags_rows
from catalog.wrangle.graph import NAMES_MEMO

# The tag types an edit adds or hides, by the query field names and aliases users type.
TAG_FIELDS = ("fandom", "relationship", "character", "freeform", "warning", "category")


@dataclass(frozen=True)
class Edit:
    """What `catalog edit` was asked to change (None and empty: leave alone)."""

    title: str | None = None
    rating: str | None = None
    warnings: Sequence[str] = ()
    categories: Sequence[str] = ()
    complete: bool | None = None
    summary: str | None = None
    language: str | None = None
    add: Sequence[str] = ()  # "TYPE:TAG"
    remove: Sequence[str] = ()  # "TYPE:TAG"
    reset: Sequence[str] = ()  # a field, a tag type, "tags" or "all"

    def layer(self) -> Layer:
        """The edit as a layer, with every name checked (an error names the bad one)."""
        layer: Layer = {}
        if self.title is not None:
            if not self.title.strip():
                raise CatalogError("--title: a title cannot be empty")
            layer["title"] = self.title
        if self.rating is not None:
            layer["rating"] = vocab.require_rating(self.rating)
        if self.warnings:
            layer["warnings"] = [vocab.require_warning(w) for w in self.warnings]
        if self.categories:
            layer["categories"] = [vocab.require_category(c) for c in self.categories]
        if self.complete is not None:
            layer["complete"] = self.complete
        if self.summary is not None:
            layer["summary"] = self.summary
        if self.language is not None:
            layer["language"] = vocab.language_code(self.language)
        for key, given in (("add", self.add), ("remove", self.remove)):
            if given:
                layer[key] = [tag_pair(item, f"--{key}") for item in given]
        return layers.clean(layer)

    def resets(self) -> list[str]:
        unknown = [r for r in self.reset if r not in layers.RESETS]
        if unknown:
            raise CatalogError(f"--reset {unknown[0]!r}: reset one of "
                               f"{', '.join(layers.RESETS)}")
        return list(self.reset)

    def change(self) -> relayer.Change:
        layer, resets = self.layer(), self.resets()
        if not layer and not resets:
            raise CatalogError("nothing to change: give --title, --rating, --warning, "
                               "--category, --complete, --summary, --add, --remove or --reset")

        def change(before: Layers) -> Layers:
            after = layers.reset(before, resets)
            edit = layers.combine(after.get(layers.EDIT, {}), layer)
            after.pop(layers.EDIT, None)
            return {**after, **({layers.EDIT: edit} if edit else {})}

        return change


def tag_pair(item: str, option: str) -> list[str]:
    """"character:Spike" -> ["character", "Spike"]; the type by any query field name or
    alias of a tag type; warnings and categories by AO3's names."""
    kind, sep, name = item.partition(":")
    field = fields.BY_NAME.get(kind.strip().lower()) or next(
        (f for f in fields.FIELDS if kind.strip().lower() in f.aliases), None)
    if not sep or field is None or field.name not in TAG_FIELDS or not name.strip():
        raise CatalogError(f"{option} {item!r}: write TYPE:TAG with TYPE one of "
                           f"{', '.join(TAG_FIELDS)} (e.g. character:Spike)")
    name = name.strip()
    if field.name == "warning":
        name = vocab.require_warning(name)
    elif field.name == "category":
        name = vocab.require_category(name)
    return [field.name, name]


@dataclass(frozen=True)
class Edited:
    """What an edit did: the works it was given and those whose layers changed."""

    works: int
    changed: list[int] = field(default_factory=list)


def edit(session: Session, work_ids: Iterable[int], what: Edit) -> Edited:
    """Lay the edit over every work, in the caller's transaction."""
    change = what.change()
    ids = list(dict.fromkeys(work_ids))
    session.info[NAMES_MEMO] = {}
    changed = relayer.relay_all(session, ids, change, Known(new_tags_rows))
    blocking.refresh(session, changed)
    return Edited(len(ids), changed)
