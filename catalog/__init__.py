"""catalog: a fanfiction archive and metadata catalogue.

The public API is the `Catalogue` facade and the records it returns:

    from catalog import Catalogue
    with Catalogue.open("~/fic.db") as cat:
        print(cat.info()["works"])

Beneath it, readers turn story files into storage-free records (`catalog.ingest`), the
store keeps them in SQLite or PostgreSQL (`catalog.store`), queries compile to SQL
(`catalog.query`), exporters write records back out (`catalog.export`) and tags are
wrangled in `catalog.wrangle`. The CLI in `catalog.cli` is a thin shell over the facade.
Names are handed on lazily (PEP 562), so importing one small module of the package does not
load the database layers.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "Catalogue": "catalog.catalogue",
    "Query": "catalog.query.compiler",
    "WorkRecord": "catalog.model",
    "ChapterRecord": "catalog.model",
    "CatalogError": "catalog.errors",
    "InputError": "catalog.errors",
    "NotFoundError": "catalog.errors",
    "ReadOnlyError": "catalog.errors",
    "VocabularyError": "catalog.errors",
    "WranglingError": "catalog.errors",
}
__all__ = ["CatalogError", "Catalogue", "ChapterRecord", "InputError", "NotFoundError", "Query",
           "ReadOnlyError", "VocabularyError", "WorkRecord", "WranglingError", "__version__"]

if TYPE_CHECKING:
    from catalog.catalogue import Catalogue
    from catalog.errors import (
        CatalogError,
        InputError,
        NotFoundError,
        ReadOnlyError,
        VocabularyError,
        WranglingError,
    )
    from catalog.model import ChapterRecord, WorkRecord
    from catalog.query.compiler import Query


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'catalog' has no attribute {name!r}")
