"""One compiler from query trees to SQLAlchemy expressions, for the query language and the
`--flag` filters alike (the CLI builds the same nodes from its options).

Tag terms go through wrangling (`catalog.wrangle.graph`): a name finds its synonyms,
subtags and, for characters, the relationships they are in. Each term is its own subquery
on `work_tags`, so AND, OR and NOT combine freely; nullable columns are guarded so that `x`
and `NOT x` always split the catalogue in two. Values are bound parameters, never SQL text.

The plan is chosen by tag selectivity (`tags.work_count`, kept by triggers): a term is
either a *probe*, a correlated `EXISTS` on the `(work_id, tag_id)` key checked per
candidate work, or the one *driver*, an `IN` list read from the `(tag_id, work_id)` index
that the rest is checked against. The rarest positive term drives when reading it costs
less than walking the sort order until the page is full (the cost a popular tag has with
`LIMIT`); otherwise everything probes along the sort index. SQLite has no statistics for
this, so on SQLite the columns the plan does not want used as an index are wrapped in a
no-op unary `+`; PostgreSQL's planner gets the same shapes and chooses with its own
statistics.

>>> q = Query(where=parse("character:spike -warning:mcd").where, sort="-words")
>>> session.scalars(work_ids(session, q))
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    false,
    func,
    intersect,
    not_,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import Grouping, UnaryExpression

from catalog import vocab
from catalog.fields import FIELDS
from catalog.model import SOURCE_INFERRED
from catalog.query import search
from catalog.query.language import (
    And,
    Blocked,
    Field,
    Flag,
    Node,
    Not,
    Or,
    Range,
    Rating,
    Tag,
    Text,
    all_of,
)
from catalog.query.saved import Expander
from catalog.store import tables
from catalog.store.fulltext import dialect
from catalog.textnorm import name_key
from catalog.wrangle.graph import tag_ids, tag_ids_union

if TYPE_CHECKING:  # a Session or a Connection: everything here is Core
    from catalog.store.fulltext import Executor

# The columns of the tables queried (Core: no ORM, no mapper configuration).
Work, WorkTag, Author, WorkAuthor = (tables.works.c, tables.work_tags.c, tables.authors.c,
                                     tables.work_authors.c)
Series, WorkSeries = tables.series.c, tables.work_series.c
Collection, WorkCollection = tables.collections.c, tables.work_collections.c
Reading, Blocks = tables.reading.c, tables.blocks.c

# Probing one candidate work for a tag costs about as much as reading four works of the
# tag from its (tag_id, work_id) range: what decides between probing the other terms and
# intersecting their lists with the driver's (SQLite's INTERSECT).
SCAN_PER_PROBE = 4
# SQLite parses `a OR b OR …` into a tree as deep as the chain and refuses one deeper than
# 1,000, and a statement of more than 500 SELECTs joined by UNION or INTERSECT: longer
# chains are written in parenthesised groups (`_chained`), longer compounds split or skipped.
CHAIN = 64
COMPOUND = 100
# Works of a union of tags read once as a set when they are at most 1/FEW of the catalogue.
FEW = 8

# The works columns that sort and range fields read, from the field table.
SORTS: dict[str, Any] = {f.name: Work[f.column] for f in FIELDS if f.sortable and f.column}
RANGES: dict[str, Any] = {f.name: Work[f.column] for f in FIELDS if f.ranged and f.column}


@dataclass
class Query:
    """What `list`, `export` and `stats` select: a condition tree, order and window."""

    where: Node | None = None
    sort: str = "id"
    limit: int | None = None
    offset: int = 0
    given_only: bool = False  # tag terms ignore inferred tags
    extra: list[Node] = field(default_factory=list)
    # Leave out works the blocklist matches. None: the reader's default, which is to leave
    # them out (listings, totals); an export keeps them unless asked. `only_blocked`
    # selects just those (how many a listing hid).
    block: bool | None = None
    only_blocked: bool = False

    def tree(self) -> Node | None:
        nodes = [n for n in [self.where, *self.extra] if n is not None]
        if not nodes:
            return None
        return nodes[0] if len(nodes) == 1 else And(tuple(nodes))


@dataclass
class Lookups:
    """What planning a query looked up (tag ids, their works, the id range), so that a count
    and a page of one query are planned from one set of lookups, not two."""

    ids: dict[Node, set[int]] = field(default_factory=dict)
    works: dict[frozenset[int], int] = field(default_factory=dict)
    total: int | None = None
    saved: dict[str, Node | None] = field(default_factory=dict)  # @NAMEs
    blocking: bool | None = None  # whether the blocklist has entries


class _Compiler:
    def __init__(self, session: Executor, given_only: bool,
                 lookups: Lookups | None = None, *, sets: bool = False) -> None:
        self.session = session
        self.sets = sets  # any-of tag terms as one set of works, never a probe per work
        self.lookups = lookups or Lookups()
        self.given_only = given_only
        self.hints = dialect(session) == "sqlite"
        self.driver: Node | None = None  # the term read as an IN list; others probe
        self.tags: list[Tag] = []  # every tag term of the query
        self.asked: set[str] = set()  # names looked up as ratings written by works …
        self.rated: set[str] = set()  # … and those some work wrote
        self.joined: list[Tag | Rating] = []  # terms intersected with the driver's list (SQLite)
        self.ids = self.lookups.ids
        self.sizes: dict[Node, int] = {}  # works per top-level positive tag term

    def node(self, node: Node) -> ColumnElement[bool]:
        if isinstance(node, And):
            return _chained(and_, [self.node(n) for n in sorted(node.nodes, key=self._order)])
        if isinstance(node, Or):
            merged, rest = self._merged(node.nodes)
            return _chained(or_, merged + [self.node(n) for n in rest])
        if isinstance(node, Not):
            return self.negated(node.node)
        method = getattr(self, "_" + type(node).__name__.lower())
        return method(node)  # type: ignore[no-any-return]

    def negated(self, node: Node) -> ColumnElement[bool]:
        """NOT `node`, pushed down to its terms by De Morgan's laws (which hold in SQL's
        three-valued logic too): `-(a -(b …))` written as it stands nests the SQL a level
        deeper per NOT, and SQLite's parser runs out of stack at a few dozen levels."""
        if isinstance(node, And):
            return _chained(or_, [self.negated(n) for n in node.nodes])
        if isinstance(node, Or):
            merged, rest = self._merged(node.nodes)
            return _chained(and_, [not_(m) for m in merged] + [self.negated(n) for n in rest])
        if isinstance(node, Not):
            return self.node(node.node)
        return not_(self.node(node))

    def _merged(self, nodes: Sequence[Node]) -> tuple[list[ColumnElement[bool]], list[Node]]:
        """Any of several tag terms as one test of the union of their tags, and the other
        nodes: a blocklist of twenty tags is one probe per work, not twenty. When the
        union's works are few, they are read once and each work looked up among them
        (a page walking past thousands of works, `--offset 10000`, checks each in
        memory); else each work's own tags are read."""
        tagged = [n for n in nodes if isinstance(n, Tag | Rating)
                  and not (isinstance(n, Tag) and n.type is None
                           and self._rated_as(name_key(n.name)))]
        if len(tagged) < 2:
            return [], list(nodes)
        rest = [n for n in nodes if n not in tagged]
        ids = self._union(tagged)
        if not ids:
            return [false()], rest
        wanted: list[ColumnElement[bool]] = [WorkTag.tag_id.in_(sorted(ids))]
        if self.given_only:
            wanted.append(WorkTag.source != SOURCE_INFERRED)
        if self.sets or self._works(ids) <= max(1, self._total()) // FEW:
            return [Work.id.in_(select(WorkTag.work_id).where(*wanted))], rest
        wanted[0] = self.unhinted(WorkTag.tag_id).in_(sorted(ids))
        return [select(WorkTag.work_id).where(WorkTag.work_id == Work.id, *wanted).exists()], rest

    def plan(self, tree: Node, window: int | None) -> None:
        """Choose the driver among the top-level positive tag terms (see the module doc)."""
        self.tags = list(_tag_nodes(tree))
        terms = [n for n in (tree.nodes if isinstance(tree, And) else (tree,))
                 if isinstance(n, Tag | Rating)]
        if not terms:
            return
        total = max(1, self._total())
        sizes = self.sizes = {n: min(total, self._works(self.tag_set(n))) for n in terms}
        rarest = min(terms, key=lambda n: sizes[n])
        if window is None:  # every match is read: drive unless the rarest is most works
            self.driver = rarest if sizes[rarest] < total // 2 else None
        else:  # works passed in sort order before the page is full
            walk = _walk(window, _share(sizes.values(), total))
            self.driver = rarest if sizes[rarest] < walk else None
        if self.driver is not None and self.hints:
            self.joined = self._intersected(terms, total, window)

    def _intersected(self, terms: Sequence[Tag | Rating], total: int, window: int | None
                     ) -> list[Tag | Rating]:
        """The other positive terms to intersect with the driver's list, when reading all
        their works costs less than probing the driver's candidates for them until the
        window is full (probing stops early; an intersection is read whole)."""
        assert self.driver is not None
        driver = self.sizes[self.driver]
        others = [n for n in terms if n != self.driver]
        passing = _share((self.sizes[n] for n in others), total)
        candidates = driver if window is None else min(driver, _walk(window, passing))
        probing = candidates * len(others) * SCAN_PER_PROBE
        reading = driver + sum(self.sizes[n] for n in others)
        return others if 0 < len(others) < COMPOUND and reading < probing else []

    def _order(self, node: Node) -> tuple[int, int]:
        """Check the rarest tags first (SQLite tests terms in order and stops at the first
        that fails), then other terms, exclusions last."""
        size = self.sizes.get(node)
        if size is not None:
            return (0, size)
        return (2, 0) if isinstance(node, Not) else (1, 0)

    def _total(self) -> int:
        """Works in the catalogue, from the id range (counting rows costs a scan)."""
        if self.lookups.total is None:
            # Two subqueries: SQLite reads min() or max() alone from the key, but both in
            # one SELECT by a scan.
            high, low = self.session.execute(
                select(select(func.max(Work.id)).scalar_subquery(),
                       select(func.min(Work.id)).scalar_subquery())).one()
            self.lookups.total = (0 if high is None or low is None
                                  else int(high) - int(low) + 1)
        return self.lookups.total

    def _works(self, ids: set[int]) -> int:
        if not ids:
            return 0
        key = frozenset(ids)
        if key not in self.lookups.works:
            self.lookups.works[key] = int(self.session.scalar(
                select(func.sum(tables.tags.c.work_count))
                .where(tables.tags.c.id.in_(sorted(ids)))) or 0)
        return self.lookups.works[key]

    def tag_set(self, node: Tag | Rating) -> set[int]:
        if node not in self.ids:
            self.ids[node] = (self._rating_ids(node) if isinstance(node, Rating)
                              else tag_ids(self.session, node.type, node.name))
        return self.ids[node]

    def _union(self, terms: list[Tag | Rating]) -> set[int]:
        """The tags of any of these terms, looked up together (and once per Lookups)."""
        key = Or(tuple(terms))
        if key not in self.ids:
            ratings = [n for n in terms if isinstance(n, Rating)]
            found = set().union(*(self.tag_set(n) for n in ratings))
            named = [(n.type, n.name) for n in terms if isinstance(n, Tag)]
            self.ids[key] = found | (tag_ids_union(self.session, named) if named else set())
        return self.ids[key]

    def unhinted(self, column: Any) -> Any:
        """`+column` on SQLite: the same value, but no index of it drives the query."""
        if not self.hints:
            return column
        return UnaryExpression(column, operator=operators.custom_op("+"), type_=column.type)

    def _wanted(self, node: Tag | Rating) -> list[ColumnElement[bool]]:
        wanted: list[ColumnElement[bool]] = [WorkTag.tag_id.in_(sorted(self.tag_set(node)))]
        if self.given_only:
            wanted.append(WorkTag.source != SOURCE_INFERRED)
        return wanted

    def _tagged(self, node: Tag | Rating) -> ColumnElement[bool]:
        if not self.tag_set(node):
            return false()
        if node in self.joined:  # required at the top, so true wherever it appears
            return true()
        wanted = self._wanted(node)
        if node is self.driver:
            lists = [select(WorkTag.work_id).where(*wanted)] + [
                select(WorkTag.work_id).where(*self._wanted(n)) for n in self.joined]
            return Work.id.in_(lists[0] if len(lists) == 1 else intersect(*lists))
        # Select a key column, not `*`: SQLite then answers from the key index alone.
        return select(WorkTag.work_id).where(WorkTag.work_id == Work.id, *wanted).exists()

    def _tag(self, node: Tag) -> ColumnElement[bool]:
        tagged = self._tagged(node)
        key = name_key(node.name)
        if node.type is None and self._rated_as(key):  # a rating as written ("Spicy",
            raw = and_(Work.rating_raw_key.is_not(None),  # "PG-13") is a name too
                       Work.rating_raw_key == key)
            return or_(tagged, raw)
        return tagged

    def _rated_as(self, key: str) -> bool:
        """Whether any work wrote its rating so (an OR the plan does not need keeps a rare
        tag from driving). Asked once for every name of the query: one index probe each,
        in one statement."""
        if key not in self.asked:
            keys = sorted({key} | {name_key(n.name) for n in self.tags if n.type is None})
            self.rated, self.asked = set(), set(keys)
            for start in range(0, len(keys), COMPOUND):  # a UNION of at most COMPOUND
                probes = [select(Work.rating_raw_key).where(Work.rating_raw_key == k).limit(1)
                          .subquery().select() for k in keys[start:start + COMPOUND]]
                self.rated.update(self.session.execute(union_all(*probes)).scalars())
        return key in self.rated

    def _rating(self, node: Rating) -> ColumnElement[bool]:
        return self._tagged(node)

    def _rating_ids(self, node: Rating) -> set[int]:
        if node.op == "=":
            names = [node.name]
        else:
            level = vocab.RATING_SEVERITY[node.name]
            compare = {"<": level.__gt__, "<=": level.__ge__, ">": level.__lt__,
                       ">=": level.__le__}[node.op]
            names = [r for r, sev in vocab.RATING_SEVERITY.items() if compare(sev)]
        ids: set[int] = set()
        for name in names:
            ids |= tag_ids(self.session, "rating", name)
        return ids

    def _range(self, node: Range) -> ColumnElement[bool]:
        column = RANGES[node.field]
        if self.ids:  # tag terms choose the plan: the range is checked, never the index
            column = self.unhinted(column)
        low, high = node.low, node.high
        if node.field == "ingested":  # a timestamp: whole days
            low = datetime.combine(low, datetime.min.time()) if isinstance(low, date) else low
            high = (datetime.combine(high + timedelta(days=1), datetime.min.time())
                    if isinstance(high, date) else high)
        parts = [column.is_not(None)]
        if low is not None:
            parts.append(column >= low)
        if high is not None:
            parts.append(column < high if node.field == "ingested" else column <= high)
        return and_(*parts)

    def _blocked(self, node: Blocked) -> ColumnElement[bool]:
        return Work.blocked.is_(True)

    def _flag(self, node: Flag) -> ColumnElement[bool]:
        return Work.complete == node.value

    def _text(self, node: Text) -> ColumnElement[bool]:
        return search.match(self.session, node.value)

    def _field(self, node: Field) -> ColumnElement[bool]:
        key = name_key(node.value)
        if node.field == "author":
            authors = select(Author.id).where(or_(
                Author.name_key == key, Author.pseud_key == key, Author.login_key == key))
            return Work.id.in_(select(WorkAuthor.work_id)
                               .where(WorkAuthor.author_id.in_(authors)))
        if node.field == "language":
            code = vocab.language_code(node.value) or node.value
            return and_(Work.language.is_not(None), Work.language == code)
        if node.field == "series":
            return Work.id.in_(select(WorkSeries.work_id).join(tables.series).where(
                Series.name_key.contains(key, autoescape=True)))
        if node.field == "collection":
            return Work.id.in_(select(WorkCollection.work_id).join(tables.collections).where(
                Collection.name_key.contains(key, autoescape=True)))
        if node.field == "reading":
            return _reading(node.value)
        if node.field == "title":
            return Work.title_key.contains(key, autoescape=True)
        if node.field == "summary":
            return search.match(self.session, node.value, ("summary",))
        if node.field == "source":
            return Work.source.contains(node.value, autoescape=True)
        if node.field == "format":
            return Work.format == node.value.lower()
        raise ValueError(f"no compiler for field {node.field!r}")


def _reading(status: str) -> ColumnElement[bool]:
    """reading:STATUS; `none` is no status, `updated` a work marked reading or read that
    has more chapters or words than when it was marked."""
    marked = select(Reading.work_id).where(Reading.work_id == Work.id)
    if status == "none":
        return ~marked.exists()
    if status == "updated":
        return marked.where(Reading.status.in_(("reading", "read")), or_(
            Work.chapter_count > Reading.chapters_seen, Work.words > Reading.words_seen
        )).exists()
    return marked.where(Reading.status == status).exists()


class _Group(Grouping[bool]):
    """Parentheses that and_() and or_() keep: they merge a plain Grouping's list into
    their own (it passes on its element's `operator`), and the chain is one again."""

    inherit_cache = True
    operator = None


def _chained(join: Callable[..., ColumnElement[bool]], clauses: list[ColumnElement[bool]]
             ) -> ColumnElement[bool]:
    """`join` (and_ or or_) of the clauses; past CHAIN of them, in parenthesised groups of
    about √n, so that the longest chain SQLite parses is about 2√n long, not n."""
    if len(clauses) <= CHAIN:
        return join(*clauses)
    size = math.isqrt(len(clauses) - 1) + 1
    return join(*(_Group(join(*clauses[i:i + size])) for i in range(0, len(clauses), size)))


def _walk(window: float, share: float) -> float:
    """Works passed in sort order until `window` of them match, when `share` of all works
    match; hundreds of rare terms multiply the share down to 0.0, an endless walk."""
    return window / share if share > 0 else math.inf


def _share(sizes: Iterable[int], total: int) -> float:
    """The share of works that pass every term of these sizes, taken as independent."""
    share = 1.0
    for size in sizes:
        share *= max(size, 1) / total
    return share


def _tag_nodes(node: Node) -> Iterator[Tag]:
    if isinstance(node, Tag):
        yield node
    elif isinstance(node, And | Or):
        for child in node.nodes:
            yield from _tag_nodes(child)
    elif isinstance(node, Not):
        yield from _tag_nodes(node.node)


def _compiled(session: Executor, query: Query, window: int | None,
              lookups: Lookups | None = None, *, sets: bool = False
              ) -> tuple[_Compiler, ColumnElement[bool]]:
    compiler = _Compiler(session, query.given_only, lookups, sets=sets)
    tree = meant(session, query, compiler.lookups)
    if tree is None:
        return compiler, true()
    compiler.plan(tree, window)
    return compiler, compiler.node(tree)


def meant(session: Executor, query: Query, lookups: Lookups | None = None) -> Node | None:
    """The query's tree with `@NAME` expanded and the blocklist applied as asked (None:
    every work). The blocklist's works are marked `works.blocked` by the writers
    (`catalog.curate.blocking`)."""
    lookups = lookups or Lookups()
    tree = query.tree()
    if tree is not None:
        tree = Expander(session, lookups.saved).expand(tree)
    if query.block is not False or query.only_blocked:
        if lookups.blocking is None:
            lookups.blocking = blocklisted(session)
        if not lookups.blocking:
            return NOTHING if query.only_blocked else tree
        wanted: Node = Blocked() if query.only_blocked else Not(Blocked())
        tree = wanted if tree is None else all_of([tree, wanted])
    return tree


NOTHING = Range("id", None, 0)  # ids start at 1: matches no work


def blocklisted(session: Executor) -> bool:
    """Whether the blocklist has any entry."""
    return session.scalar(select(Blocks.id).limit(1)) is not None


def blocked_works(session: Executor) -> Select[Any] | None:
    """SELECT of the ids of the works the blocklist matches; None when it is empty."""
    if not blocklisted(session):
        return None
    return select(Work.id).where(Work.blocked.is_(True))


def condition(session: Executor, query: Query, *, sets: bool = False,
              lookups: Lookups | None = None) -> ColumnElement[bool]:
    """The query's condition, planned for reading every match (with `sets`, a list of
    tags is read as one set of works even when it is most of them: for a whole-catalogue
    pass such as keeping `works.blocked`); `lookups` shares what an earlier step of the
    same request looked up (saved searches, whether there is a blocklist)."""
    return _compiled(session, query, None, lookups, sets=sets)[1]


def work_ids(session: Executor, query: Query, lookups: Lookups | None = None) -> Select[Any]:
    """SELECT of matching work ids, sorted, with limit and offset applied."""
    window = None if query.limit is None else query.offset + query.limit
    compiler, where = _compiled(session, query, window, lookups)
    sort = SORTS[query.sort.lstrip("-+")]
    # The driver's few works are sorted, not the index walked.
    column = sort if compiler.driver is None else compiler.unhinted(sort)
    descending = query.sort.startswith("-")
    order = column.desc() if descending else column.asc()
    # Works without a date go last either way. Only where there can be none: on a column
    # that is never NULL, NULLS LAST kept PostgreSQL from walking the column's index.
    if sort.nullable:
        order = order.nulls_last()
    tiebreak = Work.id.desc() if descending else Work.id.asc()
    stmt = select(Work.id).where(where).order_by(order, tiebreak)
    if query.offset:
        stmt = stmt.offset(query.offset)
    if query.limit is not None:
        stmt = stmt.limit(query.limit)
    return stmt


def count(session: Executor, query: Query, cap: int | None = None,
          lookups: Lookups | None = None) -> Select[Any]:
    """The number of matching works; with `cap`, counting stops past `cap` (the answer is
    then cap + 1), planned as a page of that size: a table caption's "more than 10,000"
    costs what its page costs, not a count of every popular match."""
    if cap is None:
        where = _compiled(session, query, None, lookups)[1]
        return select(func.count()).select_from(tables.works).where(where)
    matching = (select(Work.id).where(_compiled(session, query, cap + 1, lookups)[1])
                .limit(cap + 1).subquery())
    return select(func.count()).select_from(matching)
