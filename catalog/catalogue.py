"""The catalogue as a library: one object that owns the engine, keeps the schema at head
and hands out sessions (ORM) and connections (Core, for readers that need no objects).
Every command goes through it; nothing here prints. The ORM is imported only when a
session is asked for.

    from catalog import Catalogue
    with Catalogue.open("~/fic.db") as cat:
        print(cat.info()["works"])
"""

from __future__ import annotations

from functools import cached_property
from types import TracebackType
from typing import TYPE_CHECKING, Self

from sqlalchemy import Connection, Engine, func, make_url, select

from catalog.config import resolve_db_url, sqlite_path
from catalog.store.engine import make_engine, read_only
from catalog.store.migrate import (
    check_known,
    current_revision,
    ensure_schema,
    head_revision,
    upgrade,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker


class Catalogue:
    """A catalogue database, upgraded to the newest schema on first use."""

    def __init__(self, url: str | None = None, *, upgrade: bool = True,
                 write: bool = False) -> None:
        self.url = resolve_db_url(url)
        self._upgrade = upgrade
        self._write = write

    @classmethod
    def open(cls, url: str | None = None, *, write: bool = False) -> Self:
        """The catalogue at `url` (a path, a SQLAlchemy URL, or None for the default);
        `write` takes the writer's lock for each transaction."""
        return cls(url, write=write)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.dispose()

    @cached_property
    def engine(self) -> Engine:
        engine = make_engine(self.url, immediate=self._write)
        if self._upgrade:
            ensure_schema(engine, seed=load_default_vocabulary)
        return engine

    def upgrade(self, revision: str = "head") -> str | None:
        """Upgrade the schema to `revision` (Alembic's names: head, 0004, +1); returns the
        revision the catalogue is at afterwards."""
        upgrade(self.engine, revision, seed=load_default_vocabulary)
        return self.revision()[0]

    def revision(self) -> tuple[str | None, str]:
        """(the catalogue's schema revision, the newest this catalog knows); a revision
        from a newer catalog is refused (CatalogError)."""
        with self.connect() as conn:
            revision = current_revision(conn)
        check_known(revision)
        return revision, head_revision()

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        from sqlalchemy.orm import sessionmaker

        return sessionmaker(self.engine, expire_on_commit=False)

    def session(self) -> Session:
        return self.sessions()

    def connect(self) -> Connection:
        """A Core connection (use it as a context manager), for reading without the ORM."""
        return self.engine.connect()

    def dispose(self) -> None:
        """Close the engine's pooled connections (a server counts them)."""
        if "engine" in self.__dict__:
            self.engine.dispose()

    @property
    def read_only(self) -> str | None:
        """Why this process may only read the catalogue (None when it may write)."""
        path = sqlite_path(self.url)
        return read_only(path) if path is not None else None

    def display_url(self) -> str:
        path = sqlite_path(self.url)
        if path is not None:
            return str(path)
        return make_url(self.url).render_as_string(hide_password=True)

    def info(self) -> dict[str, object]:
        """Where the catalogue is, its schema revision and what it holds."""
        from catalog.store import fulltext
        from catalog.store.tables import authors, chapters, tags, work_tags, works

        with self.connect() as s:
            revision = current_revision(s)
            counts = {
                "works": s.scalar(select(func.count()).select_from(works)),
                "chapters": s.scalar(select(func.count()).select_from(chapters)),
                "words": s.scalar(select(func.coalesce(func.sum(works.c.words), 0))),
                "authors": s.scalar(select(func.count()).select_from(authors)),
                "tags": s.scalar(select(func.count(func.distinct(work_tags.c.tag_id)))),
            }
            by_type: dict[str, int] = dict(s.execute(
                select(tags.c.type, func.count(func.distinct(tags.c.id)))
                .join(work_tags, work_tags.c.tag_id == tags.c.id).group_by(tags.c.type)
            ).all())
            stale = fulltext.stale(s)
        path = sqlite_path(self.url)
        return {
            "database": self.display_url(),
            "backend": self.engine.dialect.name,
            "revision": revision, "head": head_revision(), "read_only": self.read_only,
            "size_bytes": path.stat().st_size if path and path.exists() else None,
            **counts, "tags_by_type": by_type, "stale_search_documents": stale,
        }


def load_default_vocabulary(conn: Connection) -> None:
    """A new catalogue (or one upgraded to tag wrangling) starts with the shipped
    vocabulary, in the upgrading transaction."""
    from sqlalchemy.orm import Session

    from catalog.wrangle.vocabulary import load

    with Session(bind=conn, join_transaction_mode="create_savepoint") as session:
        load(session)
        session.commit()
