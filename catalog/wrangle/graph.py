"""The names a filter term stands for: AO3's rule that a filter on a tag finds works tagged
with the tag, any of its synonyms, any of its subtags (metatags are transitive) and their
synonyms; relationships match by members in any order, the members resolved through
character synonyms; a character also finds the relationships it is a member of.

Everything is read with a few set-based queries per term and returned as tag ids; the
query compiler turns them into `work_tags` lookups.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, literal, or_, select, union_all

from catalog.store.known import chunks
from catalog.store.tables import relationship_members, tag_parents, tags
from catalog.textnorm import name_key
from catalog.wrangle.relationships import bare, members

if TYPE_CHECKING:
    from catalog.store.fulltext import Executor

# The columns of the tables read (Core: no ORM, no mapper configuration).
Tag, TagParent, RelationshipMember = tags.c, tag_parents.c, relationship_members.c
_CHILD, _PARENT = tags.alias("child"), tags.alias("parent")  # made once: each copies `tags`


def tag_ids(session: Executor, tag_type: str | None, name: str) -> set[int]:
    """Every tag id a filter on `name` (of `tag_type`, or of any type) matches."""
    key = name_key(name)
    stmt = select(Tag.id, Tag.type, Tag.name, Tag.synonym_of_id).where(Tag.name_key == key)
    if tag_type:
        stmt = stmt.where(Tag.type == tag_type)
    seeds = list(session.execute(stmt)) or _listing(session, tag_type, key)
    roots = {sid or tid for tid, _, _, sid in seeds}
    # A synonym and its canonical, a subtag and its metatag, have one type: the seeds' types
    # are the types of everything found from them, so a type no seed has needs no query.
    types = {t for _, t, _, _ in seeds}
    if tag_type in (None, "relationship"):
        names = [name] + [n for _, t, n, _ in seeds if t == "relationship"]
        if "relationship" in types:
            names += [n for (n,) in session.execute(
                select(Tag.name).where(Tag.id.in_(roots), Tag.type == "relationship"))]
        if matched := same_members(session, names):
            roots |= {sid or tid for tid, sid in session.execute(
                select(Tag.id, Tag.synonym_of_id).where(Tag.id.in_(matched)))}
    found = expand(session, roots)
    if tag_type in (None, "character"):
        if tag_type == "character":
            characters = found
        elif "character" in types:
            characters = _of_type(session, found, "character")
        else:
            characters = set()
        found |= expand(session, relationships_with(session, characters, [key]))
    return found


def tag_ids_union(session: Executor, terms: Iterable[tuple[str | None, str]]) -> set[int]:
    """The union of `tag_ids` over (type, name) terms, found together: a statement per
    step for all of them instead of one per term (a blocklist of twenty entries is
    planned with every listing, so its lookups are a page's cost)."""
    terms = list(terms)
    keys = {name_key(name) for _, name in terms}
    by_key: dict[str, list[Any]] = defaultdict(list)
    for part in chunks(keys):
        for row in session.execute(select(Tag.id, Tag.type, Tag.name, Tag.synonym_of_id,
                                          Tag.name_key).where(Tag.name_key.in_(part))):
            by_key[row.name_key].append(row[:4])
    roots: set[int] = set()
    names: list[str] = []
    ship_roots: set[int] = set()
    character_keys: set[str] = set()
    for tag_type, name in terms:
        key = name_key(name)
        seeds = ([r for r in by_key[key] if tag_type is None or r[1] == tag_type]
                 or _listing(session, tag_type, key))
        roots |= {sid or tid for tid, _, _, sid in seeds}
        if tag_type in (None, "relationship"):
            names += [name] + [n for _, t, n, _ in seeds if t == "relationship"]
            ship_roots |= {sid or tid for tid, t, _, sid in seeds if t == "relationship"}
        if tag_type in (None, "character"):
            character_keys.add(key)
    if ship_roots:
        names += list(session.scalars(select(Tag.name).where(Tag.id.in_(ship_roots))))
    if matched := same_members(session, names):
        roots |= {sid or tid for tid, sid in session.execute(
            select(Tag.id, Tag.synonym_of_id).where(Tag.id.in_(matched)))}
    found = expand(session, roots)
    if character_keys:
        characters = _of_type(session, found, "character")
        found |= expand(session, relationships_with(session, characters, character_keys))
    return found


# The types AO3 names in several scripts; their range of the (type, name) index is read.
LISTED_TYPES = ("fandom", "character")


def _listing(session: Executor, tag_type: str | None, key: str) -> list[Any]:
    """Tags whose name lists `key` among alternatives, as AO3 names a canonical fandom in
    two scripts (`銀河英雄伝説 | Legend of the Galactic Heroes`) and its autocomplete
    finds it by either; works downloaded from AO3 carry that name whether or not this
    catalogue has made it canonical. Asked only for a fandom or character name no tag has
    itself (it reads every tag of the type)."""
    if tag_type not in LISTED_TYPES or not key or "|" in key:
        return []
    stmt = select(Tag.id, Tag.type, Tag.name, Tag.synonym_of_id).where(
        or_(Tag.name_key.startswith(f"{key} | ", autoescape=True),
                           Tag.name_key.endswith(f" | {key}", autoescape=True),
                           Tag.name_key.contains(f" | {key} | ", autoescape=True)))
    if tag_type:
        stmt = stmt.where(Tag.type == tag_type)
    return list(session.execute(stmt))


def expand(session: Executor, roots: Iterable[int]) -> set[int]:
    """Canonical roots -> the roots, their subtags (transitively, same type) and all of
    their synonyms: one statement per level of subtags, each reading the level's children
    and synonyms together."""
    closure = set(roots)
    frontier = set(closure)
    synonyms: set[int] = set()
    child, parent = _CHILD.c, _PARENT.c
    while frontier:
        # The types are compared here, not in WHERE: there, SQLite read every tag of the
        # type for each parent (90 ms for a character in 200 relationships, not 0.3).
        children = (select(TagParent.child_id, literal(True).label("subtag"),
                           (child.type == parent.type).label("same_type"))
                    .join(_CHILD, child.id == TagParent.child_id)
                    .join(_PARENT, parent.id == TagParent.parent_id)
                    .where(TagParent.parent_id.in_(frontier)))
        merged = select(Tag.id, literal(False), literal(True)).where(
            Tag.synonym_of_id.in_(frontier))
        rows = session.execute(union_all(children, merged)).all()
        synonyms |= {i for i, subtag, _ in rows if not subtag}
        frontier = {i for i, subtag, same_type in rows if subtag and same_type} - closure
        closure |= frontier
    return closure | synonyms


def _of_type(session: Executor, ids: set[int], tag_type: str) -> set[int]:
    return set(session.scalars(select(Tag.id).where(Tag.id.in_(ids), Tag.type == tag_type)))


def relationships_with(session: Executor, character_ids: set[int], names: Iterable[str]
                       ) -> set[int]:
    """Relationship tags (roots) with one of these characters, or a character called by
    one of the name keys `names`, among their members: a character that no work tags on
    its own is still found in the relationships that name it."""
    keys = {k for key in names for k in (key, bare(key))}
    if character_ids:
        keys |= set(session.scalars(select(Tag.name_key).where(Tag.id.in_(character_ids))))
    rows = session.execute(
        select(Tag.id, Tag.synonym_of_id)
        .join(relationship_members, RelationshipMember.tag_id == Tag.id)
        .where(RelationshipMember.member_key.in_(keys)))
    return {sid or tid for tid, sid in rows}


NAMES_MEMO = "character_names"  # session.info key: a writer's memo of character_names


def character_names(session: Executor, key: str) -> set[str]:
    """Every name key of the character(s) called `key` (its canonical and all synonyms),
    plus `key` and its bare form. A session whose `info` holds a NAMES_MEMO dict (the
    ingest writer's, which clears it whenever character names change) answers repeated
    keys from it."""
    return character_names_many(session, [key])[key]


def same_members(session: Executor, names: Iterable[str]) -> set[int]:
    """Relationship tags whose members are those of any of `names`, in any order, with
    members compared through character synonyms ("Willow/Spike" finds "Spike (Buffy the
    Vampire Slayer)/Willow Rosenberg")."""
    found: set[int] = set()
    seen: set[tuple[str, tuple[str, ...]]] = set()
    for name in names:
        kind, keys = members(name)
        if kind is None or (kind, tuple(sorted(keys))) in seen:
            continue
        seen.add((kind, tuple(sorted(keys))))
        names_of = character_names_many(session, keys)
        found |= _matching(session, kind, [names_of[k] for k in keys])
    return found


def character_names_many(session: Executor, keys: Iterable[str]) -> dict[str, set[str]]:
    """`character_names` of many keys, in two queries per chunk of them. The type is
    checked here for the second query: a type condition in SQL makes SQLite scan every
    character tag by its (type, name) index."""
    memo = session.info.get(NAMES_MEMO)
    out = {k: set(memo[k]) for k in keys if memo is not None and k in memo}
    todo = {k for k in keys if k not in out}
    spellings = {k: {k, bare(k)} for k in todo}
    roots_of: dict[str, set[int]] = defaultdict(set)
    for part in chunks({s for spelled in spellings.values() for s in spelled}):
        for key, root in session.execute(
                select(Tag.name_key, func.coalesce(Tag.synonym_of_id, Tag.id))
                .where(Tag.type == "character", Tag.name_key.in_(part))):
            roots_of[key].add(root)
    names_of: dict[int, set[str]] = defaultdict(set)
    for ids in chunks({r for roots in roots_of.values() for r in roots}):
        for tag_id, synonym_of, key, tag_type in session.execute(
                select(Tag.id, Tag.synonym_of_id, Tag.name_key, Tag.type)
                .where(Tag.id.in_(ids)).union(
                    select(Tag.id, Tag.synonym_of_id, Tag.name_key, Tag.type)
                    .where(Tag.synonym_of_id.in_(ids)))):
            if tag_type == "character":
                names_of[tag_id].add(key)
                if synonym_of is not None:
                    names_of[synonym_of].add(key)
    for key, spelled in spellings.items():
        roots = {r for s in spelled for r in roots_of.get(s, ())}
        out[key] = {n for r in roots for n in names_of.get(r, ())} | spelled
        if memo is not None:
            memo[key] = set(out[key])
    return out


def canonical_relationships(session: Executor, names: list[str]) -> dict[str, int]:
    """For each relationship name, the one canonical relationship with the same members
    (as `same_members` matches them), where there is exactly one: a batch's worth of new
    relationships wrangled in a few queries."""
    parsed = {name: members(name) for name in names}
    names_of = character_names_many(session, {k for _, keys in parsed.values() for k in keys})
    every = {n for found in names_of.values() for n in found}
    candidates: set[int] = set()
    for part in chunks(every):
        candidates |= set(session.scalars(
            select(RelationshipMember.tag_id).join(tags, tags.c.id == RelationshipMember.tag_id)
            .where(RelationshipMember.member_key.in_(part), Tag.canonical)))
    member_keys: dict[int, list[str]] = defaultdict(list)
    by_member: dict[tuple[str, str], set[int]] = defaultdict(set)
    for ids in chunks(candidates):
        for tag_id, kind, key in session.execute(
                select(RelationshipMember.tag_id, RelationshipMember.kind,
                       RelationshipMember.member_key)
                .where(RelationshipMember.tag_id.in_(ids))):
            member_keys[tag_id].append(key)
            by_member[(kind, key)].add(tag_id)
    out: dict[str, int] = {}
    for name, (kind, keys) in parsed.items():
        if kind is None:
            continue
        wanted = [names_of[k] for k in keys]
        first = {t for n in wanted[0] for t in by_member.get((kind, n), ())}
        fitting = [t for t in first if _one_to_one(member_keys[t], wanted)]
        if len(fitting) == 1:
            out[name] = fitting[0]
    return out


def _matching(session: Executor, kind: str, wanted: list[set[str]]) -> set[int]:
    """Relationships of `kind` with exactly len(wanted) members, matched one to one."""
    first = select(RelationshipMember.tag_id).where(
        RelationshipMember.member_key.in_(wanted[0]), RelationshipMember.kind == kind)
    # Every member of each candidate; `_one_to_one` checks the count (a GROUP BY here
    # would read every relationship's members for each new relationship).
    rows = session.execute(
        select(RelationshipMember.tag_id, RelationshipMember.member_key)
        .where(RelationshipMember.tag_id.in_(first)))
    candidates: dict[int, list[str]] = defaultdict(list)
    for tag_id, key in rows:
        candidates[tag_id].append(key)
    return {tag_id for tag_id, keys in candidates.items() if _one_to_one(keys, wanted)}


def _one_to_one(keys: list[str], wanted: list[set[str]]) -> bool:
    """Whether each member key can be paired with a distinct wanted name set."""
    def fits(i: int, used: frozenset[int]) -> bool:
        if i == len(keys):
            return True
        return any(j not in used and (keys[i] in names or bare(keys[i]) in names)
                   and fits(i + 1, used | {j}) for j, names in enumerate(wanted))
    return len(keys) == len(wanted) and fits(0, frozenset())
