"""`tag parent` makes a metatag that does not exist yet, and says so."""

from __future__ import annotations

import json

from tests.conftest import Cli
from tests.factories import make_work


def _ids(cli: Cli, query: str) -> set[int]:
    return {int(x) for x in cli("list", "--format", "ids", "--", query).stdout.split()}


def test_parent_creates_a_missing_metatag_of_the_childs_type(cli: Cli, write) -> None:  # type: ignore[no-untyped-def]
    lib = write("lib/a.txt", make_work("Some words here.", title="A", tags="Slow Burn")).parent
    write("lib/b.txt", make_work("Other words here.", title="B", tags="Crack"))
    cli("ingest", str(lib))
    done = cli("tag", "parent", "Slow Burn", "Romance (Genre)")
    assert done.stdout.splitlines() == [
        "created canonical freeform 'Romance (Genre)'",
        "'Romance (Genre)' is now a metatag of freeform 'Slow Burn'"]
    info = json.loads(cli("tag", "info", "Romance (Genre)", "--format", "json").stdout)
    assert info["type"] == "freeform" and info["status"] == "canonical"
    assert info["subtags"] == ["Slow Burn"]
    assert _ids(cli, 'tag:"romance (genre)"') == {1}


def test_parent_never_invents_a_fixed_tag(cli: Cli, write) -> None:  # type: ignore[no-untyped-def]
    cli("ingest", str(write("lib/a.txt", make_work("Some words.", title="A", rating="Mature"))))
    bad = cli("tag", "parent", "Mature", "Spicy", ok=False)
    assert bad.exit_code == 1
    assert "ratings are AO3's fixed vocabulary: 'Spicy' can only be a synonym" in bad.stderr
    assert json.loads(cli("tags", "--search", "spicy", "--all", "--format", "json").stdout
                      ) == []


def test_synonym_says_when_it_made_the_canonical(cli: Cli, write) -> None:  # type: ignore[no-untyped-def]
    cli("ingest", str(write("lib/a.txt", make_work("Some words.", title="A",
                                                   tags="cozy vibes"))))
    out = cli("tag", "synonym", "cozy vibes", "Cozy Vibes (Mood)").stdout.splitlines()
    assert out == ["created canonical freeform 'Cozy Vibes (Mood)'",
                   "freeform 'cozy vibes' is now a synonym of 'Cozy Vibes (Mood)'"]
