"""The declarative base of the ORM classes, sharing the Core tables' metadata (and so their
naming convention, which lets Alembic's batch mode on SQLite name and drop constraints the
same way on every backend)."""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase

from catalog.store.tables import NAMING_CONVENTION, metadata

__all__ = ["NAMING_CONVENTION", "Base"]


class Base(DeclarativeBase):
    metadata = metadata
