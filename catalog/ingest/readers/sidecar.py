"""A story text with its metadata beside it: `story.txt` + `story.yaml` (or .yml, .json).

The sidecar's fields win over any header in the text; keys are those of text headers.
"""

from __future__ import annotations

from collections.abc import Iterator

from catalog.errors import InputError
from catalog.ingest.decode import decode, read_bytes
from catalog.ingest.metadata import apply_fields
from catalog.ingest.readers import Unit
from catalog.ingest.readers.frontmatter import load_mapping
from catalog.ingest.readers.text import parse, title_from_name
from catalog.model import WorkRecord


def read(unit: Unit, max_size: int) -> Iterator[WorkRecord | InputError]:
    if unit.meta is None:
        raise InputError(unit.label, "no metadata file (.yaml, .yml or .json) beside the story")
    text, encoding = decode(read_bytes(unit.path, max_size), unit.label)
    meta_text, _ = decode(read_bytes(unit.meta, max_size), str(unit.meta))
    meta = load_mapping(meta_text, str(unit.meta), "sidecar metadata")
    record = parse(text, source=unit.label, fmt="sidecar", fallback_title=title_from_name(unit))
    record.encoding = encoding
    if any(k.lower() == "title" for k in map(str, meta)):
        record.title = None
    apply_fields(record, meta.items(), override=True)
    record.title = record.title or title_from_name(unit)
    yield record
