"""catalog: a fanfiction archive and metadata catalogue.

Readers turn story files into storage-free records (`catalog.ingest`), the catalogue keeps
them in SQLite or PostgreSQL (`catalog.db`), filters compile to SQL (`catalog.query`) and
exporters write records back out (`catalog.export`). The CLI in `catalog.cli` is a thin shell.
"""

__version__ = "0.1.0"
