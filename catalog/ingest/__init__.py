"""Ingest: readers turn files into storage-free records, the pipeline stores them."""
