"""The catalogue as a library: one object that owns the engine, keeps the schema at head
and hands out sessions (ORM) and connections (Core, for readers that need no objects).
Every command goes through it; nothing here prints. The ORM is imported only when a
session is asked for."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, func, make_url, select

from catalog.config import resolve_db_url, sqlite_path
from catalog.db.engine import make_engine, read_only
from catalog.db.migrate import current_revision, ensure_schema, head_revision

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker


class Library:
    """A catalogue database, upgraded to the newest schema on first use."""

    def __init__(self, url: str | None = None, *, upgrade: bool = True,
                 write: bool = False) -> None:
        self.url = resolve_db_url(url)
        self._upgrade = upgrade
        self._write = write

    @cached_property
    def engine(self) -> Engine:
        engine = make_engine(self.url, immediate=self._write)
        if self._upgrade:
            ensure_schema(engine)
        return engine

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
        from catalog.db.tables import authors, chapters, tags, work_tags, works
        from catalog.query import fulltext

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
