"""Property tests at the boundary: whatever a file or a line holds, the parser gives a
record that every backend can store, or a CatalogError, and nothing else."""

from __future__ import annotations

import json
import os
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog.errors import CatalogError
from catalog.ingest.bounds import check_entry
from catalog.ingest.metadata import FIELDS
from catalog.ingest.readers.export_schema import RecordError, validate
from catalog.ingest.readers.jsonl import from_export
from catalog.ingest.readers.text import parse
from catalog.ingest.resolve import resolve

SETTINGS = settings(max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", "300")), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
KEYS = sorted(alias for aliases in FIELDS.values() for alias in aliases) + ["Spoilers", "X"]
NUMBERS = st.one_of(st.integers(-(10**30), 10**30), st.sampled_from(
    ["99999999999999999999", "5/99999999999999999999", "3/?", "0", "-1", "1e309", "nan"]))
VALUES = st.one_of(st.text(max_size=40), NUMBERS.map(str),
                   st.sampled_from(["2020-13-45", "0001-01-01", "9999-12-31", "yesterday",
                                    "[a, b", "{x: 1}", "!!python/object:os.system", "&a [*a]",
                                    "\x00", "\ud800", "\x1b[2J", "PG-13", "MCD", "yes"]))


def _header(pairs: list[tuple[str, str]], body: str) -> str:
    return "".join(f"{k}: {v}\n" for k, v in pairs) + "\n" + body


def _front_matter(pairs: list[tuple[str, Any]], body: str) -> str:
    return "---\n" + "".join(f"{k}: {v}\n" for k, v in pairs) + "---\n" + body


HEADERS = st.builds(_header, st.lists(st.tuples(st.sampled_from(KEYS), VALUES), max_size=8),
                    st.text(max_size=200))
FRONT = st.builds(_front_matter, st.lists(st.tuples(st.sampled_from(KEYS), VALUES),
                                          max_size=8), st.text(max_size=200))


def _stored_or_refused(text: str) -> None:
    try:
        entry = resolve(parse(text, source="/s.txt", fmt="text", fallback_title="s"))
        check_entry(entry)
    except CatalogError:
        return
    assert entry.title and entry.chapters


@SETTINGS
@given(st.one_of(st.text(), HEADERS, FRONT))
def test_a_story_file_gives_a_storable_record_or_a_catalog_error(text: str) -> None:
    _stored_or_refused(text)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**80), 2**80) | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=3),
    max_leaves=10)
RECORD_KEYS = ["id", "title", "text", "authors", "fandoms", "words", "chapters", "published",
               "ingested", "user_tags", "inferred", "series", "chapter_list", "complete",
               "ao3_id", "source", "summary"]
RECORDS = st.dictionaries(st.sampled_from(RECORD_KEYS), JSON_VALUES, max_size=8)


def _line(value: Any) -> bytes:
    return json.dumps(value, allow_nan=True).encode()


@SETTINGS
@given(st.one_of(st.binary(max_size=200), RECORDS.map(_line),
                 st.builds(lambda r, t: _line({**r, "text": t}), RECORDS, st.text())))
def test_a_jsonl_line_gives_a_storable_record_or_a_catalog_error(raw: bytes) -> None:
    try:
        record = from_export(validate(raw), "dump.jsonl:1")
        entry = resolve(record)
        check_entry(entry)
    except (RecordError, CatalogError):
        return
    assert entry.chapters and all(c.text is not None for c in entry.chapters)
