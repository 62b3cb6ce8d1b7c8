"""The shared filter options and the library's `Filters` name the same things: the CLI
declares its options (with help text) where `--help` can read them without loading the
query layer, and these tests keep the two in step."""

from __future__ import annotations

import dataclasses

from catalog.cli.filters import _PARAMS
from catalog.fields import SORT_KEYS
from catalog.query.options import Filters


def test_every_filter_option_is_a_filters_field_and_back() -> None:
    options = {name for name, _, _ in _PARAMS} - {"query"}
    assert options == {f.name for f in dataclasses.fields(Filters)}


def test_option_types_match_the_filters_defaults() -> None:
    defaults = {f.name: f for f in dataclasses.fields(Filters)}
    for name, kind, _ in _PARAMS:
        if name == "query":
            continue
        field = defaults[name]
        if kind == list[str]:
            assert field.default_factory is list, name
        else:
            assert field.default_factory is dataclasses.MISSING, name


def test_sort_help_names_every_sort_key() -> None:
    sort = next(option for name, _, option in _PARAMS if name == "sort")
    help_text = sort.help.split(";")[0]
    assert [k.strip() for k in help_text.split(",")] == list(SORT_KEYS)
