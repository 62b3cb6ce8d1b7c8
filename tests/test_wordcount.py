"""AO3's word count: every reference vector, the reference seed, and properties."""

from __future__ import annotations

import html
import json

import pytest
import regex
from hypothesis import given
from hypothesis import strategies as st

from catalog import wordcount
from catalog.wordcount import count_html, count_text
from tests.conftest import REFERENCE_SEED, SHARED

VECTORS = [json.loads(line) for line in
           (SHARED / "reference" / "wordcount-vectors.jsonl").read_text("utf-8").splitlines()
           if line.strip()]


@pytest.mark.parametrize("vector", VECTORS, ids=[v["html"][:30] for v in VECTORS])
def test_reference_vectors(vector: dict[str, object]) -> None:
    assert count_html(str(vector["html"])) == vector["ao3_words"]


def test_reference_seed_counts_718() -> None:
    text = REFERENCE_SEED.read_text(encoding="utf-8")
    assert count_text(text) == 718
    assert len(text.split()) == 714  # the naive count the reference warns about


@pytest.mark.parametrize(("html_text", "words"), [
    ("<script>var a = 1;</script>one", 1),
    ("<style>p { color: red }</style>one two", 2),
    ('<p title="three words here">four</p>', 1),
    ("", 0),
])
def test_markup_is_not_counted(html_text: str, words: int) -> None:
    assert count_html(html_text) == words


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\x00")))
def test_plain_text_counts_like_its_escaped_html(text: str) -> None:
    assert count_html(html.escape(text, quote=False)) == count_text(text)


@given(st.lists(st.text(alphabet="abcXYZ019é", min_size=1), max_size=20))
def test_words_separated_by_spaces_add_up(words: list[str]) -> None:
    assert count_text(" ".join(words)) == len(words)


def _naive_ao3(text: str) -> int:
    """A line-by-line port of AO3's Ruby counter, to check the fast path against."""
    import regex

    scripts = r"\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}"
    pattern = rf"[{scripts}]|(?:(?![{scripts}])[\p{{L}}\p{{M}}\p{{Nd}}\p{{Pc}}])+"
    cleaned = regex.sub(r"['’‘-]", "", text.replace("--", "—"))
    return len(regex.findall(pattern, cleaned))


@given(st.lists(st.sampled_from(
    list("abcXYZ09_ .,;:!?'’‘-\n\t\"/") + ["--", "“", "”", "—", "–", "…", "\xa0", "«", "»",
                                            "é", "ß", "²", "½", "\u200d", "字", "ア", "ก", "😀"]
)).map("".join))
def test_fast_path_agrees_with_a_naive_port(text: str) -> None:
    assert count_text(text) == _naive_ao3(text)


def _per_node(html_text: str) -> int:
    """AO3's rule as written: each text node counted on its own."""
    from selectolax.lexbor import LexborHTMLParser

    body = LexborHTMLParser(html_text).body
    return sum(_naive_ao3(node.text_content or "")
               for node in body.traverse(include_text=True)
               if node.is_text_node and node.parent.tag not in ("script", "style")) if body else 0


@given(st.lists(st.sampled_from(
    ["<p>", "</p>", "<em>", "</em>", "<br>", "<script>x y</script>", "a", "b1", "é", "-",
     "--", "'", "’", " ", "\n", "&amp;", "&#x2019;", "字", "—"])).map("".join))
def test_html_counts_every_text_node_on_its_own(html_text: str) -> None:
    # count_html joins the text nodes before counting: no word, dash pair or joiner may
    # span a node boundary.
    assert count_html(html_text) == _per_node(html_text)


@pytest.mark.parametrize("piece", [
    "Spike’s arm-rest -- don't stop. ",  # the fast path: ASCII and curly quotes
    "Café naïve -- l'été, 東京タワー and ไทย words_here 42. ",  # the general path
])
def test_a_long_text_counts_in_pieces_as_it_counts_whole(piece: str) -> None:
    text = (piece + "\n" + "x--y ''z\t") * 60_000  # over 2 MB: counted a megabyte at a time
    whole = (wordcount._count_utf8(text.encode()) if piece.isascii() or "’" in piece
             else wordcount._count_general(text))
    assert len(text) > 2 * wordcount._CHUNK
    assert wordcount.count_text(text) == whole


# Every assigned code point of the pinned `regex` module's Unicode version, held to AO3's rule
# as its named properties state it: a joiner is deleted; a Han, Hiragana, Katakana or Thai
# character is a word of its own; an Alphabetic, Mark, Decimal_Number or
# Connector_Punctuation character joins its neighbours into one word; anything else
# separates words.
JOINERS = {"'", "’", "‘", "-"}
_PROPERTY = {name: regex.compile(rf"\p{{{name}}}") for name in (
    "Script=Han", "Script=Hiragana", "Script=Katakana", "Script=Thai", "Alphabetic", "M",
    "Nd", "Pc", "Assigned")}


def _kind(c: str) -> str:
    if c in JOINERS:
        return "joiner"
    if any(_PROPERTY[s].match(c) for s in ("Script=Han", "Script=Hiragana", "Script=Katakana",
                                           "Script=Thai")):
        return "own"
    if any(_PROPERTY[p].match(c) for p in ("Alphabetic", "M", "Nd", "Pc")):
        return "word"
    return "separator"


EXPECTED = {  # kind -> words in "a{c}b", "{c}{c}", "{c} x"
    "joiner": (1, 0, 1), "own": (3, 2, 2), "word": (1, 1, 2), "separator": (2, 0, 1)}


def test_every_assigned_code_point_counts_as_the_rule_says() -> None:
    wrong = []
    for code in range(0x110000):
        c = chr(code)
        if not _PROPERTY["Assigned"].match(c):
            continue
        kind = _kind(c)
        got = (count_text(f"a{c}b"), count_text(c + c), count_text(f"{c} x"))
        if got != EXPECTED[kind]:
            wrong.append(f"U+{code:04X} {kind}: {got} != {EXPECTED[kind]}")
    assert not wrong, f"{len(wrong)} code points: {wrong[:20]}"


def test_letter_numbers_and_enclosed_letters_are_word_characters() -> None:
    # The characters AO3 counts and a Letter-only class did not (Ruby's Alphabetic).
    assert count_text("Chapter Ⅻ begins") == 3
    assert count_text("Ⓐnd 🄰 Ⅻ") == 3
    assert count_text("aⅫb") == 1


FAST_ALPHABET = st.sampled_from(
    [chr(c) for c in range(0x80)] + list("“”—–…\xa0«»„‹›•\u2009\u200a\u2002\u2003’‘") * 3)


@given(st.lists(FAST_ALPHABET, max_size=200).map("".join))
def test_the_fast_and_the_general_path_agree(text: str) -> None:
    # The fast path is taken exactly for such texts; the general one must say the same.
    assert wordcount._fast(text.encode())
    assert wordcount._count_utf8(text.encode()) == wordcount._count_general(text)
