"""Filters over the catalogue, compiled to SQLAlchemy expressions (never SQL strings)."""
