"""The query language parser: every field kind, precedence, errors with positions, fuzzing."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catalog import vocab
from catalog.errors import CatalogError
from catalog.query.language import (
    FIELDS,
    And,
    Field,
    Flag,
    Node,
    Not,
    Or,
    Parsed,
    QueryError,
    Range,
    Rating,
    Tag,
    Text,
    parse,
    parse_range,
)


def w(word: str) -> Text:
    return Text(word, False)


def only(node: Node) -> Parsed:
    return Parsed(node, None)


TEEN = Rating("=", vocab.TEEN)
D = date

GOOD: list[tuple[str, Parsed]] = [
    # empty queries
    ("", Parsed(None, None)),
    ("  \t\n ", Parsed(None, None)),
    # full text
    ("tara", only(w("tara"))),
    ('"dark  willow "', only(Text("dark willow", True))),
    ('text:"dark willow"', only(Text("dark willow", True))),
    ("text:willow", only(Text("willow", False))),
    ("spike: willow", only(And((w("spike"), w("willow"))))),  # not a field: a word
    ("10:30 don't 🦇", only(And((w("10:30"), w("don't"), w("🦇"))))),
    # tag fields and their aliases
    ("character:spike", only(Tag("character", "spike"))),
    ("char:spike", only(Tag("character", "spike"))),
    ("Characters:Spike", only(Tag("character", "Spike"))),
    ("fandoms:btvs", only(Tag("fandom", "btvs"))),
    ('fandom:"Angel: the Series"', only(Tag("fandom", "Angel: the Series"))),
    ('fandom:"  Angel:\tthe   Series "', only(Tag("fandom", "Angel: the Series"))),
    ("fandom:btvs,ats", only(Tag("fandom", "btvs,ats"))),
    ('fandom:"btvs, ats"', only(Tag("fandom", "btvs, ats"))),
    ("ship:spike/willow", only(Tag("relationship", "spike/willow"))),
    ("pairing:x relationships:y", only(And((Tag("relationship", "x"),
                                            Tag("relationship", "y"))))),
    ("additional:fluff freeforms:angst", only(And((Tag("freeform", "fluff"),
                                                   Tag("freeform", "angst"))))),
    ('tag:"character death"', only(Tag(None, "character death"))),
    ("tags:angst", only(Tag(None, "angst"))),
    (r'tag:"say \"hi\" \\o/"', only(Tag(None, 'say "hi" \\o/'))),
    (r'"back\\slash \x"', only(Text("back\\slash \\x", True))),
    ('fandom:Angel"s', only(Tag("fandom", 'Angel"s'))),
    # fixed vocabularies
    ("warning:mcd", only(Tag("warning", vocab.MCD))),
    ("archive-warning:violence", only(Tag("warning", vocab.GDOV))),
    ("warnings:mcd,violence,MCD", only(Or((Tag("warning", vocab.MCD),
                                           Tag("warning", vocab.GDOV))))),
    ("category:femslash categories:gen", only(And((Tag("category", "F/F"),
                                                   Tag("category", "Gen"))))),
    ("rating:teen", only(TEEN)),
    ("rating:PG-13", only(TEEN)),
    ('rating:"teen and up"', only(TEEN)),
    ("rating:nr", only(Rating("=", vocab.NOT_RATED))),
    ("rating:<=teen", only(Rating("<=", vocab.TEEN))),
    ("rating:>m ratings:<explicit", only(And((Rating(">", vocab.MATURE),
                                              Rating("<", vocab.EXPLICIT))))),
    ("rating:teen,mature", only(Or((TEEN, Rating("=", vocab.MATURE))))),
    ("rating:teen,", only(TEEN)),
    # number ranges
    ("words:5000", only(Range("words", 5000, 5000))),
    ("words:1000..5000", only(Range("words", 1000, 5000))),
    ("wordcount:10k..", only(Range("words", 10000, None))),
    ("word_count:..5,000", only(Range("words", None, 5000))),
    ("words:>10k", only(Range("words", 10001, None))),
    ("words:>=10K", only(Range("words", 10000, None))),
    ("words:<1000", only(Range("words", None, 999))),
    ("words:<=1.5k", only(Range("words", None, 1500))),
    ("words:1k-2.25k", only(Range("words", 1000, 2250))),
    ("words:1_000_000", only(Range("words", 1000000, 1000000))),
    ("words:1000000000000", only(Range("words", 10**12, 10**12))),
    ("chapters:1 id:42", only(And((Range("chapters", 1, 1), Range("id", 42, 42))))),
    # date periods
    ("published:2003", only(Range("published", D(2003, 1, 1), D(2003, 12, 31)))),
    ("posted:2003-02", only(Range("published", D(2003, 2, 1), D(2003, 2, 28)))),
    ("published:2004-02", only(Range("published", D(2004, 2, 1), D(2004, 2, 29)))),
    ("updated:2003-02-14", only(Range("updated", D(2003, 2, 14), D(2003, 2, 14)))),
    ("published:2001..2003", only(Range("published", D(2001, 1, 1), D(2003, 12, 31)))),
    ("published:2001-06..2003-02", only(Range("published", D(2001, 6, 1), D(2003, 2, 28)))),
    ("published:>2003", only(Range("published", D(2004, 1, 1), None))),
    ("published:>=2003-06", only(Range("published", D(2003, 6, 1), None))),
    ("published:<2003", only(Range("published", None, D(2002, 12, 31)))),
    ("published:<=2003-06", only(Range("published", None, D(2003, 6, 30)))),
    ("completed:2010.. ingested:..2020-05-01",
     only(And((Range("completed", D(2010, 1, 1), None),
               Range("ingested", None, D(2020, 5, 1)))))),
    # flags and plain fields
    ("complete:yes", only(Flag("complete", True))),
    ("finished:N complete:TRUE", only(And((Flag("complete", False),
                                           Flag("complete", True))))),
    ("complete:0", only(Flag("complete", False))),
    ("author:xander by:Some creator:x", only(And((Field("author", "xander"),
                                                  Field("author", "Some"),
                                                  Field("author", "x"))))),
    ('lang:en title:"once  more, with feeling"',
     only(And((Field("language", "en"), Field("title", "once more, with feeling"))))),
    ("series:a collection:b summary:c source:ao3 format:epub",
     only(And((Field("series", "a"), Field("collection", "b"), Field("summary", "c"),
               Field("source", "ao3"), Field("format", "epub"))))),
    # boolean structure
    ("a b", only(And((w("a"), w("b"))))),
    ("a AND b", only(And((w("a"), w("b"))))),
    ("a and b", only(And((w("a"), w("b"))))),
    ("a b OR c", only(Or((And((w("a"), w("b"))), w("c"))))),
    ("a OR b c", only(Or((w("a"), And((w("b"), w("c"))))))),
    ("a or b Or c", only(Or((w("a"), w("b"), w("c"))))),
    ("a OR (b OR c)", only(Or((w("a"), w("b"), w("c"))))),
    ("(a OR b) c", only(And((Or((w("a"), w("b"))), w("c"))))),
    ("a (b (c d))", only(And((w("a"), w("b"), w("c"), w("d"))))),
    ("a(b)", only(And((w("a"), w("b"))))),
    ("((a))", only(w("a"))),
    ("-a", only(Not(w("a")))),
    ("NOT a", only(Not(w("a")))),
    ("not a", only(Not(w("a")))),
    ('-"dark willow"', only(Not(Text("dark willow", True)))),
    ("-(a OR b)", only(Not(Or((w("a"), w("b")))))),
    ("NOT (a OR b) c", only(And((Not(Or((w("a"), w("b")))), w("c"))))),
    ("NOT NOT a", only(w("a"))),
    ("--a", only(w("a"))),
    ("-(-a)", only(w("a"))),
    ("a-b", only(w("a-b"))),
    ('"or" "NOT"', only(And((Text("or", True), Text("NOT", True))))),
    # sort directive
    ("sort:-words", Parsed(None, "-words")),
    ("sort:+Title", Parsed(None, "title")),
    ("sort:chapters", Parsed(None, "chapters")),
    ("sort:-wordcount", Parsed(None, "-words")),
    ("a sort:published b", Parsed(And((w("a"), w("b"))), "published")),
    ("(a OR b) AND sort:-updated", Parsed(Or((w("a"), w("b"))), "-updated")),
    ("sort:-id (a OR b)", Parsed(Or((w("a"), w("b"))), "-id")),
    # the examples of the documentation
    ("character:spike -warning:mcd rating:<=teen words:1000..5000 sort:-words",
     Parsed(And((Tag("character", "spike"), Not(Tag("warning", vocab.MCD)),
                 Rating("<=", vocab.TEEN), Range("words", 1000, 5000))), "-words")),
    ('fandom:btvs (relationship:"spike/willow" OR relationship:"spike/buffy")',
     only(And((Tag("fandom", "btvs"), Or((Tag("relationship", "spike/willow"),
                                          Tag("relationship", "spike/buffy"))))))),
    ('tara -tag:"character death" complete:yes',
     only(And((w("tara"), Not(Tag(None, "character death")), Flag("complete", True))))),
    ('published:2001..2003  fandom:"Angel: the Series"  words:>10k  NOT (a OR b)',
     only(And((Range("published", D(2001, 1, 1), D(2003, 12, 31)),
               Tag("fandom", "Angel: the Series"), Range("words", 10001, None),
               Not(Or((w("a"), w("b")))))))),
]


@pytest.mark.parametrize(("query", "expected"), GOOD, ids=[q or "<empty>" for q, _ in GOOD])
def test_parses(query: str, expected: Parsed) -> None:
    assert parse(query) == expected


BAD: list[tuple[str, int, str]] = [
    ("charcter:spike", 0, "unknown field 'charcter' at column 1 — did you mean 'character'?"),
    ("spike fandon:btvs", 6, "did you mean 'fandom'?"),
    ("zzzzzz:x", 0, "fields: fandom, character"),
    ("character: spike", 0, "empty value for field 'character'"),
    ("a char:", 2, "empty value for field 'char'"),
    ('fandom:""', 0, "empty value for field 'fandom'"),
    ("fandom:(a OR b)", 0, "(fandom:a OR fandom:b)"),
    ("fandom:Angel: the Series", 7, "contains ':'"),
    ("(a OR b", 0, "unclosed '('"),
    ("a (b (c) d", 2, "unclosed '('"),
    ("a OR b)", 6, "unbalanced ')'"),
    ('tara "spike', 5, "unterminated quote"),
    ('fandom:"Angel', 7, "unterminated quote"),
    ('"a\\"', 0, "unterminated quote"),
    ('"a"b', 3, "after the closing quote"),
    ('""', 0, "empty quoted phrase"),
    ("a ()", 2, "empty parentheses"),
    ("a ( )", 2, "empty parentheses"),
    ("a OR", 2, "expected a term after OR"),
    ("a OR OR b", 2, "expected a term after OR"),
    ("(a OR) b", 3, "expected a term after OR"),
    ("OR a", 0, "OR needs a term before it"),
    ("a AND", 2, "expected a term after AND"),
    ("AND a", 0, "AND needs a term before it"),
    ("a NOT", 2, "expected a term after NOT"),
    ("-OR a", 0, "expected a term after '-'"),
    ("a -", 2, "'-' must be directly followed"),
    ("a - b", 2, "'-' must be directly followed"),
    ("(a -)", 3, "'-' must be directly followed"),
    ("words:10x", 6, "invalid number '10x'"),
    ("words:1000..5x", 12, "invalid number '5x'"),
    ("words:1000,5000", 6, "invalid number"),
    ("words:1.5", 6, "not a whole number"),
    ("words:1.2345k", 6, "not a whole number"),
    ("words:5000..1000", 6, "empty range"),
    ("words:..", 6, "at least one bound"),
    ("words:-5", 6, "invalid number"),
    ("words:<0", 6, "cannot be below 0"),
    ("words:99999999999999999999999", 6, "too large"),
    ("words:1000000000001", 6, "too large"),
    ("published:2003-02-30", 10, "no such day"),
    ("published:2003-13", 10, "invalid date"),
    ("published:0000", 10, "invalid date"),
    ("published:2001-2003", 10, "invalid date"),
    ("published:2004..2003", 10, "empty range"),
    ("published:>9999", 10, "no date is after 9999-12-31"),
    ("published:<0001-01-01", 10, "no date is before 0001-01-01"),
    ("rating:spicy", 7, "unknown rating 'spicy' at column 8 — accepted: Not Rated"),
    ("rating:teen,spicy", 12, "unknown rating 'spicy'"),
    ('rating:"teen,mature"', 7, "unknown rating"),
    ("rating:<nr", 8, "Not Rated has no severity"),
    ("rating:<=teen,mature", 9, "a comparison takes one rating"),
    ("rating:<general", 8, "no rating is < General Audiences"),
    ("rating:>=", 9, "missing rating"),
    ("warning:fluff", 8, "unknown archive warning 'fluff'"),
    ("category:fm", 9, "unknown category 'fm'"),
    ("complete:maybe", 9, "expected yes or no"),
    ("(sort:words)", 1, "top level"),
    ("a OR sort:words", 5, "sort: cannot be part of an OR"),
    ("sort:words b OR c", 0, "sort: cannot be part of an OR"),
    ("-sort:words", 1, "cannot be negated"),
    ("NOT sort:words", 4, "cannot be negated"),
    ("sort:words a sort:title", 13, "only one sort: is allowed"),
    ("sort:wrods", 5, "unknown sort 'wrods' at column 6 — did you mean 'words'?"),
    ("sort:-rating", 6, "unknown sort"),
    ("(" * 101 + "a" + ")" * 101, 100, "nested more than 100 deep"),
]


@pytest.mark.parametrize(("query", "pos", "fragment"), BAD, ids=[q[:40] for q, _, _ in BAD])
def test_rejects(query: str, pos: int, fragment: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse(query)
    assert caught.value.pos == pos, str(caught.value)
    assert fragment in str(caught.value)


def test_error_message_is_one_line_with_column() -> None:
    with pytest.raises(QueryError) as caught:
        parse("charcter:spike")
    error = caught.value
    assert isinstance(error, CatalogError)
    assert str(error) == "query: unknown field 'charcter' at column 1 — did you mean 'character'?"
    assert (error.pos, error.reason, error.hint) == (
        0, "unknown field 'charcter'", "did you mean 'character'?")


def test_fields_are_exported() -> None:
    assert {"fandom", "rating", "words", "published", "complete", "author", "text",
            "sort"} <= set(FIELDS)
    assert "char" not in FIELDS  # aliases are not canonical names


@pytest.mark.parametrize(("field", "value", "expected"), [
    ("words", "1000..5000", Range("words", 1000, 5000)),
    ("wordcount", " 10k ", Range("words", 10000, 10000)),
    ("chapters", ">3", Range("chapters", 4, None)),
    ("published", "2003", Range("published", D(2003, 1, 1), D(2003, 12, 31))),
])
def test_parse_range(field: str, value: str, expected: Range) -> None:
    assert parse_range(field, value) == expected


@pytest.mark.parametrize(("field", "value", "fragment"), [
    ("words", "1000..5x", "invalid number '5x'"),
    ("published", "2003-02-30", "no such day"),
    ("fandom", "btvs", "not a range field"),
    ("nonsense", "1", "not a range field"),
])
def test_parse_range_errors_are_at_position_zero(field: str, value: str, fragment: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse_range(field, value)
    assert caught.value.pos == 0
    assert fragment in str(caught.value)


def test_deep_nesting_is_a_query_error_not_a_recursion_error() -> None:
    for query in ("(" * 10_000, "(" * 10_000 + "a" + ")" * 10_000, "-(" * 10_000 + "a",
                  "(a OR " * 10_000):
        with pytest.raises(QueryError, match="nested more than 100 deep"):
            parse(query)


def test_long_chains_parse_without_recursion() -> None:
    assert parse("(" * 100 + "a" + ")" * 100) == only(w("a"))
    assert parse("NOT " * 10_001 + "a") == only(Not(w("a")))
    assert parse("-" * 10_000 + "a") == only(w("a"))
    where = parse(" OR ".join(["a b"] * 500)).where  # 1,000 terms: MAX_TERMS
    assert isinstance(where, Or) and len(where.nodes) == 500


def _check_tree(node: Node) -> None:
    """And/Or hold at least two children and are flat; negations never stack."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, And | Or):
            assert len(current.nodes) >= 2
            assert not any(isinstance(child, type(current)) for child in current.nodes)
            stack.extend(current.nodes)
        elif isinstance(current, Not):
            assert not isinstance(current.node, Not)
            stack.append(current.node)


def _parse_or_query_error(query: str) -> None:
    try:
        parsed = parse(query)
    except QueryError as error:
        assert 0 <= error.pos <= len(query)
        assert "\n" not in str(error) and len(str(error).splitlines()) == 1
        return
    if parsed.where is not None:
        _check_tree(parsed.where)


@given(st.text())
def test_any_text_parses_or_raises_query_error(query: str) -> None:
    _parse_or_query_error(query)


FRAGMENTS = [
    "fandom:", "character:", "char:", "charcter:", "rating:", "warning:", "category:",
    "words:", "published:", "complete:", "author:", "text:", "sort:", "tag:", "zz:",
    "spike", "willow", "teen", "mature", "mcd", "nr", "yes", "maybe", "-words", "+title",
    '"', '"a b"', '"x: y"', "\\", '\\"', "(", ")", "()", "OR", "or", "AND", "NOT", "not",
    "-", "--", "..", "1000", "1,000", "10k", "1.5k", ">", ">=", "<", "<=", ",", ":",
    "2003", "2003-02", "2003-02-30", "99999999999999999999999", "🦇", "\x00", "\t", "é",
]


@settings(max_examples=500)
@given(st.lists(st.tuples(st.sampled_from(FRAGMENTS), st.sampled_from(["", "", " "])),
                max_size=25).map(lambda parts: "".join(a + b for a, b in parts)))
def test_grammar_like_text_parses_or_raises_query_error(query: str) -> None:
    _parse_or_query_error(query)
