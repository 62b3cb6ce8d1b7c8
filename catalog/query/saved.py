"""What a query means beyond its own text: `@NAME` terms expanded to the saved searches
they name, and the blocklist, whose entries no listing shows. Both are read from the
catalogue where a query is compiled, so a search saved or a block added later applies to
every query from then on."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from catalog.query.language import (
    And,
    Node,
    Not,
    Or,
    QueryError,
    Saved,
    all_of,
    any_of,
    parse,
)
from catalog.store.tables import blocks, saved_searches
from catalog.textnorm import name_key

if TYPE_CHECKING:
    from catalog.store.fulltext import Executor

S, B = saved_searches.c, blocks.c


class Expander:
    """Expands `@NAME` terms, each saved query (and the blocklist) read and parsed once
    for all the compiles that share `parsed` (a page's count and the page itself)."""

    def __init__(self, session: Executor, parsed: dict[str, Node | None] | None = None
                 ) -> None:
        self.session = session
        self.parsed: dict[str, Node | None] = {} if parsed is None else parsed

    def expand(self, node: Node, trail: tuple[str, ...] = ()) -> Node:
        if isinstance(node, Saved):
            return self._saved(node.name, trail)
        if isinstance(node, And):
            return all_of([self.expand(n, trail) for n in node.nodes])
        if isinstance(node, Or):
            return any_of([self.expand(n, trail) for n in node.nodes])
        if isinstance(node, Not):
            inner = self.expand(node.node, trail)
            return inner.node if isinstance(inner, Not) else Not(inner)
        return node

    def _saved(self, name: str, trail: tuple[str, ...]) -> Node:
        key = name_key(name)
        if key in trail:
            path = " -> ".join(f"@{n}" for n in (*trail[trail.index(key):], key))
            raise QueryError(f"saved search @{name} refers to itself ({path})", 0,
                             "change one of them: catalog search save NAME QUERY")
        if key not in self.parsed:
            text = self.session.scalar(select(S.query).where(S.name_key == key))
            if text is None:
                raise QueryError(f"no saved search @{name}", 0,
                                 "see `catalog search list`; save one with "
                                 "`catalog search save NAME QUERY`")
            self.parsed[key] = _parsed(text, f"saved search @{name}")
        where = self.parsed[key]
        assert where is not None
        return self.expand(where, (*trail, key))

    def blocked(self) -> Node | None:
        """Any blocklist entry, expanded; None when the blocklist is empty."""
        if BLOCKLIST not in self.parsed:
            entries = [_parsed(text, f"block {block_id}") for block_id, text in
                       self.session.execute(select(B.id, B.query).order_by(B.id))]
            self.parsed[BLOCKLIST] = self.expand(any_of(entries)) if entries else None
        return self.parsed[BLOCKLIST]


BLOCKLIST = "@"  # the key of the expanded blocklist among the saved searches' names


def _parsed(text: str, what: str) -> Node:
    try:
        where = parse(text).where
    except QueryError as exc:
        raise QueryError(f"{what}: {exc.reason}", 0, exc.hint) from None
    if where is None:
        raise QueryError(f"{what} is empty", 0)
    return where
