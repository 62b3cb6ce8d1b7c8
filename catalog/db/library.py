"""The catalogue as a library: one object that owns the engine, keeps the schema at head
and hands out sessions. Every command goes through it; nothing here prints."""

from __future__ import annotations

from functools import cached_property

from sqlalchemy import Engine, func, make_url, select
from sqlalchemy.orm import Session, sessionmaker

from catalog.config import resolve_db_url, sqlite_path
from catalog.db.engine import make_engine
from catalog.db.migrate import current_revision, ensure_schema, head_revision
from catalog.db.models import Author, Chapter, Tag, Work, WorkTag
from catalog.query import fulltext


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
        return sessionmaker(self.engine, expire_on_commit=False)

    def session(self) -> Session:
        return self.sessions()

    def dispose(self) -> None:
        """Close the engine's pooled connections (a server counts them)."""
        if "engine" in self.__dict__:
            self.engine.dispose()

    def display_url(self) -> str:
        path = sqlite_path(self.url)
        if path is not None:
            return str(path)
        return make_url(self.url).render_as_string(hide_password=True)

    def info(self) -> dict[str, object]:
        """Where the catalogue is, its schema revision and what it holds."""
        with self.engine.connect() as conn:
            revision = current_revision(conn)
        with self.session() as s:
            counts = {
                "works": s.scalar(select(func.count()).select_from(Work)),
                "chapters": s.scalar(select(func.count()).select_from(Chapter)),
                "words": s.scalar(select(func.coalesce(func.sum(Work.words), 0))),
                "authors": s.scalar(select(func.count()).select_from(Author)),
                "tags": s.scalar(select(func.count(func.distinct(WorkTag.tag_id)))),
            }
            by_type = dict(s.execute(
                select(Tag.type, func.count(func.distinct(Tag.id)))
                .join(WorkTag, WorkTag.tag_id == Tag.id).group_by(Tag.type)
            ).all())
            stale = fulltext.stale(s)
        path = sqlite_path(self.url)
        return {
            "database": self.display_url(),
            "backend": self.engine.dialect.name,
            "revision": revision, "head": head_revision(),
            "size_bytes": path.stat().st_size if path and path.exists() else None,
            **counts, "tags_by_type": by_type, "stale_search_documents": stale,
        }
