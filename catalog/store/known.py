"""What one writing transaction knows of the catalogue: works, tags, authors, series and
collections by key, looked up in bulk for a whole batch and kept current as the writer adds
rows, so that storing a file does not re-query what the batch already asked.

Only valid while the transaction holds the write lock (nobody else writes meanwhile) and
only for rows this writer saw: after a rolled-back savepoint, `forget()` and ask again.
`None` means "known to be absent".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from sqlalchemy import ColumnElement, Table, select

from catalog.store.tables import authors, tags, works
from catalog.textnorm import name_key

if TYPE_CHECKING:  # a reader that needs `chunks` does not import the ORM
    from sqlalchemy.orm import Session

IN_CHUNK = 500  # keys per IN (...) list, well inside every backend's parameter limit
K = TypeVar("K")
W, Tag, Author = works, tags.c, authors.c


class WorkRow(NamedTuple):
    id: int
    source: str
    ao3_id: int | None
    sha256: str
    meta_hash: str
    url_key: str | None = None


_WORK_COLUMNS = (W.c.id, W.c.source, W.c.ao3_id, W.c.sha256, W.c.meta_hash, W.c.url_key)


CARRIED_NAMES = 20_000  # names kept from one transaction to the next, at most: ~5 MB


def _write_token(session: Session) -> tuple[int, int] | None:
    """(the connection, SQLite's data_version): it stays the same while no other
    connection commits a change, whatever this one writes. None where there is no such
    thing (PostgreSQL): there, nothing is kept between transactions."""
    conn = session.connection()
    if conn.dialect.name != "sqlite":
        return None
    version = conn.exec_driver_sql("PRAGMA data_version").scalar_one()
    return id(conn.connection.dbapi_connection), int(version)


def chunks(values: Iterable[K]) -> Iterator[list[K]]:
    batch: list[K] = []
    for value in values:
        batch.append(value)
        if len(batch) == IN_CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


# Rows for new tags, (values, relationship member rows) per (type, name): the wrangling
# layer above decides them (a new relationship is matched to a canonical one), the store
# inserts them.
NewTags = Callable[["Session", list[tuple[str, str]]],
                   list[tuple[dict[str, Any], list[dict[str, Any]]]]]


class Known:
    """Memos of catalogue rows by key for one transaction, and how new tags are made."""

    def __init__(self, new_tags: NewTags) -> None:
        self.new_tags = new_tags
        self.tags: dict[tuple[str, str], tuple[int, str] | None] = {}  # -> (id, name)
        self.authors: dict[str, int | None] = {}
        self.named: dict[tuple[str, str], int | None] = {}  # (table name, name key) -> id
        self.by_source: dict[str, WorkRow | None] = {}
        self.by_ao3: dict[int, WorkRow | None] = {}
        self.by_url: dict[str, WorkRow | None] = {}
        self.by_sha: dict[str, int | None] = {}
        # The wrangling layer's memo of each character name's spellings (kept in the
        # writer's session as `catalog.wrangle.graph.NAMES_MEMO`), carried as names are.
        self.character_names: dict[str, set[str]] = {}
        self._ratings: dict[str, str] | None = None
        self._token: tuple[int, int] | None = None  # see `resume`

    def forget(self) -> None:
        for memo in (self.tags, self.authors, self.named, self.by_source, self.by_ao3,
                     self.by_url, self.by_sha, self.character_names):
            memo.clear()
        self._ratings = None
        self._token = None

    def resume(self, session: Session) -> None:
        """Begin a transaction of the same writer: the works learnt are forgotten (a batch's
        own), the names (tags, authors, series, collections, character spellings) are
        kept while no other connection has written since the last transaction and there
        are not too many.
        A batch of new works looked up some 3,000 tags it mostly knew from the batch
        before: a sixth of the writer's time in a large ingest."""
        for memo in (self.by_source, self.by_ao3, self.by_url, self.by_sha):
            memo.clear()
        token = _write_token(session)
        names = (len(self.tags) + len(self.authors) + len(self.named)
                 + len(self.character_names))
        if token is None or token != self._token or names > CARRIED_NAMES:
            self.forget()
        self._token = token

    def rating_named(self, session: Session, written: str) -> str | None:
        """The canonical rating the catalogue holds `written` ("PG-13", "Lemon") as a
        synonym of, if any: a rating synonym made by the user takes effect on ingest."""
        if self._ratings is None:
            synonym, target = tags.alias("synonym"), tags.alias("target")
            rows = session.connection().execute(
                select(synonym.c.name_key, target.c.name)
                .join(target, target.c.id == synonym.c.synonym_of_id)
                .where(synonym.c.type == "rating"))
            self._ratings = {key: name for key, name in rows}
        return self._ratings.get(name_key(written))

    # Works -------------------------------------------------------------------------------

    def works(self, session: Session, *, sources: Iterable[str] = (),
              ao3_ids: Iterable[int] = (), url_keys: Iterable[str] = (),
              shas: Iterable[str] = ()) -> None:
        """Learn the works with these sources, AO3 ids, story URLs and texts (the lowest
        id of each)."""
        for part in chunks({k for k in sources if k not in self.by_source}):
            self.by_source.update(dict.fromkeys(part))
            for row in self._lowest_first(session, W.c.source.in_(part)):
                if self.by_source[row.source] is None:
                    self.by_source[row.source] = row
        for ids in chunks({k for k in ao3_ids if k not in self.by_ao3}):
            self.by_ao3.update(dict.fromkeys(ids))
            for row in self._lowest_first(session, W.c.ao3_id.in_(ids)):
                if row.ao3_id is not None and self.by_ao3[row.ao3_id] is None:
                    self.by_ao3[row.ao3_id] = row
        for part in chunks({k for k in url_keys if k not in self.by_url}):
            self.by_url.update(dict.fromkeys(part))
            for row in self._lowest_first(session, W.c.url_key.in_(part)):
                if row.url_key is not None and self.by_url[row.url_key] is None:
                    self.by_url[row.url_key] = row
        for part in chunks({s for s in shas if s not in self.by_sha}):
            self.by_sha.update(dict.fromkeys(part))
            for row in self._lowest_first(session, W.c.sha256.in_(part)):
                if self.by_sha[row.sha256] is None:
                    self.by_sha[row.sha256] = row.id

    @staticmethod
    def _lowest_first(session: Session, where: ColumnElement[bool]) -> Iterator[WorkRow]:
        stmt = select(*_WORK_COLUMNS).where(where).order_by(W.c.id)
        for row in session.connection().execute(stmt):
            yield WorkRow(*row)

    def work_by_source(self, session: Session, source: str) -> WorkRow | None:
        self.works(session, sources=[source])
        return self.by_source[source]

    def work_by_ao3(self, session: Session, ao3_id: int) -> WorkRow | None:
        self.works(session, ao3_ids=[ao3_id])
        return self.by_ao3[ao3_id]

    def work_by_url(self, session: Session, url_key: str) -> WorkRow | None:
        self.works(session, url_keys=[url_key])
        return self.by_url[url_key]

    def work_with_text(self, session: Session, sha: str) -> int | None:
        self.works(session, shas=[sha])
        return self.by_sha[sha]

    def added_work(self, row: WorkRow) -> None:
        """A new work with the highest id: it is the answer only where there was none."""
        if self.by_source.get(row.source) is None:
            self.by_source[row.source] = row
        if row.ao3_id is not None and self.by_ao3.get(row.ao3_id) is None:
            self.by_ao3[row.ao3_id] = row
        if row.url_key is not None and self.by_url.get(row.url_key) is None:
            self.by_url[row.url_key] = row
        if self.by_sha.get(row.sha256) is None:
            self.by_sha[row.sha256] = row.id

    def changed_work(self, *rows: WorkRow) -> None:
        """A work changed in place (or was given an explicit id): ask about its keys again."""
        for row in rows:
            self.by_source.pop(row.source, None)
            if row.ao3_id is not None:
                self.by_ao3.pop(row.ao3_id, None)
            if row.url_key is not None:
                self.by_url.pop(row.url_key, None)
            self.by_sha.pop(row.sha256, None)

    # Tags, authors, series, collections --------------------------------------------------

    def learn_tags(self, session: Session, keys: Iterable[tuple[str, str]]) -> None:
        """Learn the tags with these (type, name key) pairs."""
        missing = {k for k in keys if k not in self.tags}
        for part in chunks(missing):
            self.tags.update(dict.fromkeys(part))
            wanted = set(part)
            rows = session.connection().execute(
                select(Tag.id, Tag.type, Tag.name_key, Tag.name).where(
                    Tag.name_key.in_({k for _, k in part}), Tag.type.in_({t for t, _ in part})))
            for tag_id, tag_type, key, name in rows:
                if (tag_type, key) in wanted:
                    self.tags[(tag_type, key)] = (tag_id, name)

    def tag(self, tag_type: str, name: str) -> tuple[int, str]:
        """(id, name) of a tag already learnt or made (`ensure_tags`)."""
        found = self.tags[(tag_type, name_key(name))]
        assert found is not None, f"tag {tag_type}:{name} was not made"
        return found

    def learn_authors(self, session: Session, keys: Iterable[str]) -> None:
        missing = {k for k in keys if k not in self.authors}
        for part in chunks(missing):
            self.authors.update(dict.fromkeys(part))
            for key, author_id in session.connection().execute(
                    select(Author.name_key, Author.id).where(Author.name_key.in_(part))):
                self.authors[key] = author_id

    def learn_named(self, session: Session, table: Table, keys: Iterable[str]) -> None:
        """Series or collections by name key."""
        missing = {k for k in keys if (table.name, k) not in self.named}
        for part in chunks(missing):
            self.named.update(dict.fromkeys((table.name, k) for k in part))
            for key, row_id in session.connection().execute(
                    select(table.c.name_key, table.c.id).where(table.c.name_key.in_(part))):
                self.named[(table.name, key)] = row_id
