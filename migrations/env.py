"""Alembic environment: runs on the connection the catalogue hands over (so in-memory SQLite
and the caller's transaction work), or on $CATALOG_DB when Alembic's own CLI is used."""

from __future__ import annotations

from alembic import context

from catalog.config import resolve_db_url
from catalog.store import models  # noqa: F401  (registers the tables on the metadata)
from catalog.store.base import Base

target_metadata = Base.metadata


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from catalog.store.engine import make_engine

    engine = make_engine(context.config.get_main_option("sqlalchemy.url") or resolve_db_url())
    with engine.connect() as conn:
        _run(conn)
        conn.commit()


if context.is_offline_mode():
    context.configure(url=resolve_db_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
