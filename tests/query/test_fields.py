"""The field table is the one place a field is declared: the parser, the compiler's sorts
and ranges, the record's keys and the work page all follow it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from catalog import Catalogue, fields
from catalog.query import compiler, language

STORY = ("Title: Once More\nAuthor: Some One\nFandom: BtVS\nCharacters: Spike\n"
         "Relationship: Spike/Willow\nRating: Teen And Up Audiences\n"
         "Archive Warning: No Archive Warnings Apply\nCategory: F/M\nLanguage: English\n"
         "Series: Dark Willow\n\nHush, said Spike, and the vampire smiled.\n")


@pytest.fixture(scope="module")
def cat(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Catalogue]:
    root = tmp_path_factory.mktemp("fields")
    (root / "s.txt").write_text(STORY, encoding="utf-8")
    with Catalogue.open(str(root / "c.db")) as opened:
        opened.ingest([str(root / "s.txt")], jobs=1)
        yield opened


def test_every_query_field_and_alias_is_the_parser_s() -> None:
    expected = {name: f.name for f in fields.QUERY_FIELDS for name in (f.name, *f.aliases)}
    assert expected == language._NAMES
    assert language.SORT_KEYS == fields.SORT_KEYS


@pytest.mark.parametrize("field", fields.QUERY_FIELDS, ids=lambda f: f.name)
def test_each_example_runs(cat: Catalogue, field: fields.Field) -> None:
    assert field.example, f"{field.name} has no example"
    query = field.example if field.kind != "sort" else f"spike {field.example}"
    assert cat.count(query) in (0, 1)


@pytest.mark.parametrize("name", fields.SORT_KEYS)
def test_each_sortable_field_sorts_both_ways(cat: Catalogue, name: str) -> None:
    assert list(cat.ids(f"sort:{name}")) == list(cat.ids(f"sort:-{name}")) == [1]
    assert name in compiler.SORTS


def test_ranged_fields_have_a_column() -> None:
    assert set(compiler.RANGES) == {f.name for f in fields.FIELDS if f.ranged}


def test_a_record_has_the_table_s_keys_in_order(cat: Catalogue, tmp_path: Path) -> None:
    work = next(cat.works())
    assert tuple(work) == fields.RECORD_KEYS
    assert work.series == [{"name": "Dark Willow", "part": None}]
    labelled = {key for key, _ in fields.LABELS}
    assert labelled <= set(fields.RECORD_KEYS)
