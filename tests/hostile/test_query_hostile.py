"""Hostile queries: any text given to the query language is a result or one `error:` line,
never a traceback, and a huge or deeply nested query is refused (or run) in bounded time.

The limits are the parser's (MAX_TERMS terms, groups MAX_NESTING deep, parentheses
MAX_DEPTH deep); below them the compiler's SQL must stay within what SQLite parses (an
expression tree at most 1,000 deep, a parser stack of about a hundred entries, 500 SELECTs
in a compound), which is checked here on the worst terms at the limits.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog.catalogue import Catalogue
from catalog.errors import CatalogError
from catalog.query.compiler import Query, count, work_ids
from catalog.query.language import (
    FIELDS,
    MAX_DEPTH,
    MAX_NESTING,
    MAX_TERMS,
    And,
    Or,
    QueryError,
    Tag,
    Text,
    parse,
)
from catalog.query.stats import stats
from tests.conftest import Cli, new_database
from tests.hostile.process import Run, run_catalog

SECONDS = 60  # generous: one query of a thousand terms runs in about a second
PEAK_MB = 1024

STORIES = {
    "cocoa.txt": "Title: Crypt Cocoa\nAuthor: Quill\nFandom: BtVS\nRating: PG-13\n"
                 "Warnings: MCD\nCharacters: Spike, Willow\nPairing: Spike/Willow\n"
                 "Tags: Angst, Magic\nSummary: Cocoa in a crypt.\nPublished: 2001-03-05\n\n"
                 "The café served cocoa to the lantern keeper.\n",
    "tea.txt": "Title: Tea and Spells\nAuthor: Ink\nFandom: Buffy the Vampire Slayer (TV)\n"
               "Rating: Teen\nCharacters: Tara, Willow\nPairing: Tara/Willow\nTags: Fluff\n"
               "Published: 2003-02-14\nStatus: Complete\n\nTea and a spell book. 魔法少女\n",
    "ripper.txt": "Title: Ripper Returns\nAuthor: Quill\nFandom: BtVS\nRating: R\n"
                  "Warnings: Graphic Depictions Of Violence\nCharacters: Giles\n"
                  "Published: 2005-05-05\n\nA stake, a book and an old friend.\n",
    "plain.txt": "Title: Plain\nRating: G\n\nNothing much happens here at all.\n",
}

# Terms whose SQL nests deepest: full-text and author subqueries, a `tag:` that is also a
# rating as written (an OR of two tests), ranges (ANDs of comparisons), listed values.
LEAVES = ["tag:pg-13", "character:willow", "words:1..5000", "published:2001..2003",
          "ingested:>2000", "author:quill", "summary:cocoa", "title:tea", "text:stake",
          '"a spell"', "rating:teen,mature", "rating:<=teen", "warning:mcd,violence",
          "complete:yes", "series:x", "collection:x", "source:x", "format:txt",
          "language:en", "cocoa", "fandom:btvs", "tag:magic", "-tag:fluff", "魔法"]


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A small catalogue shared by the module's tests, which only read it."""
    root = tmp_path_factory.mktemp("hostile_query")
    folder = root / "stories"
    folder.mkdir()
    for name, text in STORIES.items():
        (folder / name).write_text(text, encoding="utf-8")
    db = new_database(root / "catalog.db")
    report = Cli(db)("ingest", str(folder)).stderr
    assert f"ingested {len(STORIES)} ·" in report, report
    return db


@pytest.fixture(scope="module")
def library(catalogue: Any) -> Iterator[Catalogue]:
    lib = Catalogue(str(catalogue))
    yield lib
    lib.engine.dispose()


def listed(db: Any | Path, query: str) -> Run:
    """`catalog list -- QUERY` in a subprocess, held to the module's time bound."""
    run = run_catalog(db, "list", "--format", "ids", "--", query, timeout=SECONDS)
    assert "Traceback" not in run.stderr, run.stderr[-2000:]
    assert run.peak_mb < PEAK_MB, run.peak_mb
    return run


def one_error(run: Run, fragment: str) -> None:
    """Exit status 1 and one `error:` line, the parser's own: no database or internal error."""
    assert run.returncode == 1, (run.returncode, run.stderr[-2000:])
    lines = run.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: query: "), lines
    assert fragment in lines[0], lines[0]
    assert run.stdout == ""


def nested(levels: int, leaves: list[str], negate: bool, inner: str) -> str:
    """`inner` inside groups that alternate OR and AND, `levels` deep in all."""
    query = inner
    for level in range(levels - 1):
        op = " OR " if level % 2 == 0 else " "
        pair = [leaves[2 * level % len(leaves)], leaves[(2 * level + 1) % len(leaves)]]
        query = f"{op.join(pair)}{op}{'-' if negate else ''}({query})"
    return query


# ---- thousands of terms -------------------------------------------------------------------

def test_2000_unknown_tags_is_one_error_line(catalogue: Any) -> None:
    """Once a ZeroDivisionError from the planner (the share of works passing 2,000 rare tags
    underflowed to 0.0)."""
    query = " ".join(f"character:zz{i}" for i in range(2000))
    one_error(listed(catalogue, query), "too many terms (2,000; the limit is 1,000)")


def test_2000_ored_words_is_one_error_line(catalogue: Any) -> None:
    """Once SQLite's "Expression tree is too large"."""
    query = " OR ".join(f"w{i}" for i in range(2000))
    one_error(listed(catalogue, query), "too many terms (2,000; the limit is 1,000)")


@pytest.mark.parametrize("query", [
    " ".join(f"character:zz{i}" for i in range(MAX_TERMS)),
    " OR ".join(f"w{i}" for i in range(MAX_TERMS)),
    " OR ".join(f"tag:zz{i}" for i in range(MAX_TERMS)),
    " ".join(["tag:magic"] + [f"-tag:zz{i}" for i in range(MAX_TERMS - 1)]) + " sort:-words",
], ids=["and-tags", "or-words", "or-tags", "tag-minus-tags"])
def test_a_query_at_the_term_limit_runs(catalogue: Any, query: str) -> None:
    run = listed(catalogue, query)
    assert run.returncode == 0, run.stderr
    assert all(line.isdigit() for line in run.stdout.split())


def test_the_term_limit_is_checked_by_the_parser() -> None:
    parse(" ".join(["x"] * MAX_TERMS) + " sort:-words")  # sort: is not a term
    with pytest.raises(QueryError) as caught:
        parse(" ".join(["x"] * (MAX_TERMS + 500)))
    assert caught.value.pos == 2 * MAX_TERMS  # the first term past the limit
    assert f"({MAX_TERMS + 500:,}; the limit is {MAX_TERMS:,})" in caught.value.reason
    with pytest.raises(QueryError, match=r"terms \(the limit is 1,000\)"):  # the rest does not lex
        parse(" ".join(["x"] * (MAX_TERMS + 1)) + ' "unterminated')


def test_the_compiler_runs_thousands_of_terms_given_as_nodes(library: Catalogue) -> None:
    """Nodes built by a program (or by many options) skip the parser's limit: long ORs and
    ANDs are compiled in groups, within SQLite's expression depth, and the planner copes
    with a share of matching works too small for a float."""
    words = Or(tuple(Text(f"w{i}", False) for i in range(3000)))
    tags = And(tuple(Tag("character", f"zz{i}") for i in range(3000)))
    untyped = And(tuple(Tag(None, f"zz{i}") for i in range(1200)))  # > 500 rating probes
    with library.session() as session:
        for where in (words, tags, untyped):
            for limit in (None, 20):
                query = Query(where=where, limit=limit, sort="-words")
                assert session.scalars(work_ids(session, query)).all() == []


# ---- nesting ------------------------------------------------------------------------------

def test_500_deep_parentheses_are_one_error_line(catalogue: Any) -> None:
    one_error(listed(catalogue, "(" * 500 + "x" + ")" * 500),
              f"parentheses nested more than {MAX_DEPTH} deep")


def test_groups_past_the_nesting_limit_are_one_error_line(catalogue: Any) -> None:
    query = nested(MAX_NESTING + 1, ["cocoa", "tea"], negate=True, inner="a b")
    one_error(listed(catalogue, query), f"groups nested more than {MAX_NESTING} deep")


def test_redundant_parentheses_do_not_count_as_nesting() -> None:
    assert parse("(" * MAX_DEPTH + "a b" + ")" * MAX_DEPTH).where is not None
    parse("(" * 50 + "-(a OR (b OR (c -(-d))))" + ")" * 50)


@pytest.mark.parametrize(("negate", "inner_terms"), [(False, 3), (True, 3), (True, 900)])
def test_groups_at_the_nesting_limit_run_everywhere(library: Catalogue, negate: bool,
                                                    inner_terms: int) -> None:
    """The worst terms at every level, MAX_NESTING deep, through each statement the CLI
    makes of a query (the table's capped count and page, ids, stats)."""
    rng = random.Random(inner_terms)
    leaves = rng.sample(LEAVES, len(LEAVES))
    inner = " OR ".join(rng.choice(LEAVES) for _ in range(inner_terms))
    parsed = parse(nested(MAX_NESTING - 1, leaves, negate, f"{leaves[0]} ({inner})"))
    with library.session() as session:
        for query in (Query(where=parsed.where, limit=50, sort="-words"),
                      Query(where=parsed.where)):
            session.scalar(count(session, query, 10_000))
            session.scalar(count(session, query))
            session.scalars(work_ids(session, query)).all()
            stats(session, query)


def test_a_byte_that_is_not_utf8_is_one_error_line(catalogue: Any) -> None:
    """Once an internal UnicodeEncodeError: Python passes on the byte as a lone surrogate."""
    one_error(listed(catalogue, "tag:caf\udcff"),
              "a byte that is not UTF-8 (0xFF) cannot be searched for at column 8")


@pytest.mark.parametrize(("query", "reason"), [
    ("cocoa\x00", "a NUL character cannot be searched for"),  # never in a command line
    ('author:"\ud800"', "a lone surrogate (U+D800) cannot be searched for"),
])
def test_text_no_database_takes_is_a_query_error(query: str, reason: str) -> None:
    """Once the database's "unterminated string" (SQLite's full-text query ends at a NUL)."""
    with pytest.raises(QueryError, match=re.escape(reason)):
        parse(query)


# ---- any text -----------------------------------------------------------------------------

TOKENS = [
    *(f"{name}:" for name in FIELDS), "char:", "ship:", "zz:", "spike", "willow", "teen",
    "mature", "mcd", "violence", "yes", "no", "cocoa", "magic", "pg-13", "-words", "+title",
    '"', '"a spell"', '"x: y"', '""', "\\", '\\"', "(", ")", "()", "OR", "or", "AND", "NOT",
    "not", "-", "--", "..", ",", ":", "1..5", "words:1..5", "words:10k..", "words:..5,000",
    "words:>=1.5k", "chapters:2-3", "rating:<=teen", "rating:>mature", "rating:teen,mature",
    "rating:<nr", "sort:-words", "sort:title", "published:2001..2003", "published:>2003-02",
    "updated:2003-02-30", "complete:yes", "author:quill", "tag:magic", "99999999999999999",
    "🦇", "é", "魔法", "\x00", "\t", "\u200b", "\udcff", "\ud800",
]
GRAMMAR = st.lists(st.tuples(st.sampled_from(TOKENS), st.sampled_from(["", " ", " "])),
                   max_size=30).map(lambda parts: "".join(a + b for a, b in parts))
# The examples share the module's catalogue, which they only read; the function-scoped
# fixture Hypothesis would warn about is conftest's autouse CATALOG_DB, unused here.
PROPERTY = settings(max_examples=200, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


def _runs_or_catalog_error(library: Catalogue, text: str) -> None:
    """Parse, compile and run `text` as `list` would; only a CatalogError may stop it."""
    try:
        parsed = parse(text)
        query = Query(where=parsed.where, sort=parsed.sort or "id", limit=20)
        with library.session() as session:
            session.scalar(count(session, query, 100))
            ids = session.scalars(work_ids(session, query)).all()
    except CatalogError as error:
        assert len(str(error).splitlines()) == 1, str(error)
        return
    assert all(isinstance(i, int) for i in ids)


@PROPERTY
@given(text=st.text())
def test_any_text_runs_or_is_a_catalog_error(library: Catalogue, text: str) -> None:
    _runs_or_catalog_error(library, text)


@PROPERTY
@given(text=GRAMMAR)
def test_any_grammar_like_text_runs_or_is_a_catalog_error(library: Catalogue, text: str) -> None:
    _runs_or_catalog_error(library, text)
