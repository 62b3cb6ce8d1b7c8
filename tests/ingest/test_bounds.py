"""The last check before a work may be stored: values no backend could hold are refused."""

from __future__ import annotations

import pytest

from catalog.errors import InputError
from catalog.ingest.bounds import check_entry
from catalog.ingest.readers.text import parse
from catalog.ingest.resolve import resolve
from catalog.model import CatalogEntry

PROSE = "“Don’t,” she said — twice. " * 50_000  # 1.35 M characters, not ASCII


def _entry(text: str) -> CatalogEntry:
    return resolve(parse(text, source="/s.txt", fmt="text", fallback_title="s"))


@pytest.mark.parametrize("at", [0, 5, len(PROSE) - 1, len(PROSE)])
def test_a_lone_surrogate_anywhere_in_a_long_text_is_named(at: int) -> None:
    # Looked for a megabyte at a time: one past the first megabyte is found as well.
    text = PROSE[:at] + "\udc80" + PROSE[at:]
    with pytest.raises(InputError, match=r"text contains a lone surrogate \(U\+DC80\)"):
        check_entry(_entry(text))


def test_long_texts_without_surrogates_pass() -> None:
    for text in (PROSE, "plain ascii " * 100_000, "東京タワー"):
        check_entry(_entry(text))


def test_a_nul_in_a_text_is_named() -> None:
    with pytest.raises(InputError, match="text contains a NUL"):
        check_entry(_entry("a\x00b"))
