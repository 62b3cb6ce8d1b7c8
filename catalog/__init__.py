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
    "Filters": "catalog.query.options",
    "Page": "catalog.catalogue",
    "CheckReport": "catalog.catalogue",
    "IngestOptions": "catalog.ingest.resolve",
    "IngestReport": "catalog.ingest.report",
    "FileReport": "catalog.ingest.report",
    "Ingesting": "catalog.ingest.report",
    "Wrangled": "catalog.wrangle.actions",
    "Edit": "catalog.curate.edits",
    "Edited": "catalog.curate.edits",
    "Work": "catalog.model",
    "WorkRecord": "catalog.model",
    "ChapterRecord": "catalog.model",
    "CatalogError": "catalog.errors",
    "InputError": "catalog.errors",
    "NotFoundError": "catalog.errors",
    "ReadOnlyError": "catalog.errors",
    "VocabularyError": "catalog.errors",
    "WranglingError": "catalog.errors",
}
__all__ = ["CatalogError", "Catalogue", "ChapterRecord", "CheckReport", "Edit", "Edited",
           "FileReport", "Filters",
           "IngestOptions", "IngestReport", "Ingesting", "InputError", "NotFoundError", "Page",
           "Query", "ReadOnlyError", "VocabularyError", "Work", "WorkRecord", "Wrangled",
           "WranglingError", "__version__"]

if TYPE_CHECKING:
    from catalog.catalogue import Catalogue, CheckReport, Page
    from catalog.curate.edits import Edit, Edited
    from catalog.errors import (
        CatalogError,
        InputError,
        NotFoundError,
        ReadOnlyError,
        VocabularyError,
        WranglingError,
    )
    from catalog.ingest.report import FileReport, Ingesting, IngestReport
    from catalog.ingest.resolve import IngestOptions
    from catalog.model import ChapterRecord, Work, WorkRecord
    from catalog.query.compiler import Query
    from catalog.query.options import Filters
    from catalog.wrangle.actions import Wrangled


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'catalog' has no attribute {name!r}")
