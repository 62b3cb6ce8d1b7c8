"""AO3's fixed vocabularies and the shorthands the reference maps to them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalog import vocab
from catalog.errors import VocabularyError
from catalog.textnorm import name_key, split_list, unicode_key

RATINGS = [
    ("K", "General Audiences"), ("K+", "General Audiences"), ("G", "General Audiences"),
    ("PG", "General Audiences"), ("general", "General Audiences"),
    ("T", "Teen And Up Audiences"), ("PG-13", "Teen And Up Audiences"),
    ("pg13", "Teen And Up Audiences"), ("PG-15", "Teen And Up Audiences"),
    ("teen", "Teen And Up Audiences"), ("Teen and Up", "Teen And Up Audiences"),
    ("Teen+", "Teen And Up Audiences"),
    ("M", "Mature"), ("R", "Mature"), ("Mature", "Mature"), ("mature", "Mature"),
    ("MA", "Explicit"), ("NC-17", "Explicit"), ("NC17", "Explicit"), ("NC-18", "Explicit"),
    ("X", "Explicit"), ("E", "Explicit"), ("explicit", "Explicit"), ("Adult", "Explicit"),
    ("NR", "Not Rated"), ("not rated", "Not Rated"), ("Unrated", "Not Rated"),
    ("Teen And Up Audiences", "Teen And Up Audiences"),
    # Twisting the Hellmouth's Fiction Ratings
    ("FR7", "General Audiences"), ("FR13", "Teen And Up Audiences"),
    ("fr 13", "Teen And Up Audiences"),
    ("FR15", "Mature"), ("FR18", "Explicit"), ("FR21", "Explicit"),

]
MIXED = [("PG-13/R", "Mature"), ("PG-13 to R", "Mature"), ("R, NC-17", "Explicit"),
         ("G/PG", "General Audiences"), ("PG - PG-13", "Teen And Up Audiences"),
         ("FR13-FR15", "Mature"), ("PG-13/Spicy", "Teen And Up Audiences"), ("NR/R", "Mature")]
WARNINGS = [
    ("MCD", vocab.MCD), ("major character death", vocab.MCD), (" [mcd]. ", vocab.MCD),
    ("violence", vocab.GDOV), ("Graphic Violence", vocab.GDOV), ("GDoV", vocab.GDOV),
    ("graphic depictions of violence", vocab.GDOV),
    ("non-con", vocab.NONCON), ("noncon", vocab.NONCON), ("Non Con", vocab.NONCON),
    ("rape", vocab.NONCON), ("Rape/Non-Con", vocab.NONCON),
    ("underage", vocab.UNDERAGE), ("Underage Sex", vocab.UNDERAGE),
    ("CNTW", vocab.CNTW), ("choose not to warn", vocab.CNTW), ("chose not to warn", vocab.CNTW),
    ("Creator Chose Not To Use Archive Warnings", vocab.CNTW),
    ("Choose Not To Use Archive Warnings", vocab.CNTW),
    ("none", vocab.NAWA), ("No Warnings", vocab.NAWA), ("NAWA", vocab.NAWA),
    ("no archive warnings apply", vocab.NAWA),
]


@pytest.mark.parametrize(("written", "rating"), RATINGS)
def test_rating_table(written: str, rating: str) -> None:
    assert vocab.map_rating(written) == rating


@pytest.mark.parametrize(("written", "rating"), MIXED + RATINGS)
def test_a_files_mixed_rating_is_its_strictest_named_part(written: str, rating: str) -> None:
    assert vocab.read_rating(written) == rating


@pytest.mark.parametrize(("written", "_"), MIXED)
def test_a_typed_rating_must_be_one_rating(written: str, _: str) -> None:
    assert vocab.map_rating(written) is None


@pytest.mark.parametrize("written", ["Spicy", "PG-42", "Spicy/Hot", "FR99", "13"])
def test_an_unmappable_rating_maps_to_nothing(written: str) -> None:
    assert vocab.read_rating(written) is None


@pytest.mark.parametrize(("written", "warning"), WARNINGS)
def test_warning_shorthands(written: str, warning: str) -> None:
    assert vocab.map_warning(written) == warning


@pytest.mark.parametrize("written", ["minor character death", "dub-con", "character death",
                                     "angst", "alcohol"])
def test_other_warnings_are_not_archive_warnings(written: str) -> None:
    assert vocab.map_warning(written) is None


@pytest.mark.parametrize(("written", "category"), [
    ("F/F", "F/F"), ("femslash", "F/F"), ("het", "F/M"), ("slash", "M/M"), ("gen", "Gen"),
    ("Multi", "Multi"), ("other", "Other")])
def test_category_table(written: str, category: str) -> None:
    assert vocab.map_category(written) == category


def test_user_typed_unknown_rating_lists_accepted_values() -> None:
    with pytest.raises(VocabularyError) as err:
        vocab.require_rating("PG-42")
    for rating in vocab.RATINGS:
        assert rating in str(err.value)


def test_user_typed_unknown_warning_is_an_error() -> None:
    with pytest.raises(VocabularyError, match="Major Character Death"):
        vocab.require_warning("angst")


@pytest.mark.parametrize(("a", "b"), [
    ("Café  Fic", "cafe fic"), ("ＦＵＬＬ", "full"), ("Straße", "strasse"), ("Naïve\tX", "naive x"),
])
def test_name_key(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


@given(st.text(st.characters(max_codepoint=127)))
def test_name_key_of_ascii_is_unicodes_key(name: str) -> None:
    """The shortcut for ASCII names gives the key Unicode's rules give."""
    assert name_key(name) == unicode_key(name)


def test_split_list_on_ao3_separators() -> None:
    assert split_list("Buffy, Willow，Tara、 Dawn ,, ") == ["Buffy", "Willow", "Tara", "Dawn"]
    assert split_list(["A, B", "C"]) == ["A", "B", "C"]


@pytest.mark.parametrize(("value", "code"), [
    ("English", "en"), ("en", "en"), ("Español", "es"), ("中文-普通话 國語", "zh"), ("deu", "deu"),
    ("pt-BR", "pt"), ("Klingon", "tlh"), ("Elvish", "Elvish")])
def test_language_codes(value: str, code: str) -> None:
    assert vocab.language_code(value) == code


def test_every_ao3_language_name_maps_to_an_iso_code() -> None:
    """AO3's language names (the community code table in the shared corpus, read in place)."""
    import csv
    import re

    from tests.conftest import SHARED

    table = (SHARED / "corpus" / "datadump" / "mousemode_language_codetable.csv")
    rows = list(csv.DictReader(table.read_bytes().decode("utf-8-sig").replace("\r", "\n")
                               .splitlines()))
    assert len(rows) > 80
    for row in rows:
        if row["language"] == "tqx":  # Thermian (Galaxy Quest) has no ISO 639 code: kept as is
            assert vocab.language_code(row["ao3_lang_name"]) == "Thermian"
            continue
        code = vocab.language_code(row["ao3_lang_name"])
        assert code is not None and re.fullmatch(r"[a-z]{2,3}", code), row
        if len(row["language"]) == 2:
            assert code == row["language"], row
        if row["language"] in ("ptBR", "ptPT"):
            assert code == "pt"
        english = vocab.language_code(row["latin_lang_name"].strip())
        if row["latin_lang_name"] not in ("Kauzasian", "Tapissary"):  # mislabelled in the table
            assert english == code, row
