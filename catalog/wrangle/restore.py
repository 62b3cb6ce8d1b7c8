"""A tag as an export recorded it, made so in this catalogue: its canonical flag,
synonym link, parents, AO3 id and `common` mark, whatever the catalogue said before (a
restore reproduces the catalogue that was exported, the shipped vocabulary included)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from catalog.errors import WranglingError
from catalog.store.models import Tag, TagParent
from catalog.textnorm import name_key
from catalog.wrangle import edit


def restore_tag(session: Session, data: dict[str, Any]) -> None:
    tag = _tag(session, data["type"], data["name"])
    tag.canonical = bool(data.get("canonical"))
    tag.common = bool(data.get("common"))
    if data.get("ao3_id") is not None:
        tag.ao3_id = data["ao3_id"]
    target = data.get("synonym_of")
    if target:
        canonical = _found(session, data["type"], target, "synonym_of")
        tag.canonical, tag.synonym_of_id = False, canonical.id
    else:
        tag.synonym_of_id = None
    session.flush()
    session.execute(delete(TagParent).where(TagParent.child_id == tag.id))
    for parent_type, parent_name in data.get("parents") or []:
        parent = _found(session, parent_type, parent_name, "parents")
        session.add(TagParent(child_id=tag.id, parent_id=parent.id))
    session.flush()
    if data["type"] == "rating" and tag.synonym_of_id is not None:
        edit.rerate(session, tag)


def _tag(session: Session, tag_type: str, name: str) -> Tag:
    found = session.scalars(select(Tag).where(Tag.type == tag_type,
                                              Tag.name_key == name_key(name))).first()
    if found is not None:
        if found.name != name:
            found.name = name  # the spelling the exported catalogue gave it
        return found
    tag = edit.new_tag(session, tag_type, name, wrangle=False)
    session.flush()
    return tag


def _found(session: Session, tag_type: str, name: str, key: str) -> Tag:
    tag = session.scalars(select(Tag).where(Tag.type == tag_type,
                                            Tag.name_key == name_key(name))).first()
    if tag is None:
        raise WranglingError(f"{key}: no {tag_type} tag {name!r} before this line (an export "
                             "lists a tag after the tags it names)")
    return tag
