"""A synonym for a rating takes effect: works whose file wrote it filter and count as the
canonical rating, those catalogued before the synonym was made and those after."""

from __future__ import annotations

import json

from tests.conftest import Cli
from tests.factories import make_work


def _ids(cli: Cli, *args: str) -> list[int]:
    return [int(x) for x in cli("list", "--format", "ids", *args).stdout.split()]


def test_a_rating_synonym_rates_old_and_new_works(cli: Cli, write) -> None:  # type: ignore[no-untyped-def]
    lib = write("lib/a.txt", make_work("Words of a.", title="A", rating="Lemon")).parent
    write("lib/b.txt", make_work("Words of b.", title="B", rating="Explicit"))
    write("lib/c.txt", make_work("Words of c.", title="C", rating="Teen"))
    cli("ingest", str(lib))
    assert _ids(cli, "--", "-rating:explicit") == [1, 3]  # Lemon is Not Rated so far
    cli("tag", "synonym", "Lemon", "Explicit", "--type", "rating")
    assert _ids(cli, "--", "rating:explicit") == [1, 2]
    assert _ids(cli, "--", "-rating:explicit") == [3]
    assert _ids(cli, "--max-rating", "teen") == [3]
    later = write("more/d.txt", make_work("Words of d.", title="D", rating="lemon"))
    cli("ingest", str(later))
    assert _ids(cli, "--", "rating:explicit") == [1, 2, 4]
    stats = json.loads(cli("stats", "--format", "json").stdout)
    assert stats["top"]["ratings"] == [{"name": "Explicit", "works": 3},
                                       {"name": "Teen And Up Audiences", "works": 1}]
    shown = json.loads(cli("show", "4", "--format", "json").stdout)
    assert shown["rating"] == "Explicit" and shown["rating_raw"] == "lemon"


def test_a_rating_given_at_ingest_is_not_rerated(cli: Cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write("a.txt", make_work("Words of a.", title="A", rating="Lemon"))
    cli("ingest", str(path), "--rating", "Mature")
    cli("tag", "synonym", "Lemon", "Explicit", "--type", "rating")
    assert json.loads(cli("show", "1", "--format", "json").stdout)["rating"] == "Mature"


def test_a_new_warning_or_category_synonym_is_refused_not_ignored(cli: Cli, write) -> None:  # type: ignore[no-untyped-def]
    path = write("a.txt", make_work("Words of a.", title="A", warning="Character Death"))
    cli("ingest", str(path))
    bad = cli("tag", "synonym", "Character Death", "Major Character Death",
              "--type", "warning", ok=False)
    assert bad.exit_code == 1 and len(bad.stderr.strip().splitlines()) == 1
    assert "new warning synonyms are refused" in bad.stderr
    assert "--type freeform" in bad.stderr
    bad = cli("tag", "synonym", "Boys Kissing", "M/M", "--type", "category", ok=False)
    assert "new category synonyms are refused" in bad.stderr
    # the way that works: the additional tag the file's warning became
    cli("tag", "synonym", "Character Death", "Major Character Death (Story)")
    assert _ids(cli, "--", 'tag:"major character death (story)"') == [1]
