"""Tag wrangling: synonyms, relationships in any order, metatags, the `tag` and `vocab`
commands, and the import of AO3's data-dump tag table (real rows from the shared corpus)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, SHARED, Cli

DATADUMP = SHARED / "corpus" / "datadump"
FILLER = "word " * 40


def story(write, name: str, **headers: str) -> Path:  # type: ignore[no-untyped-def]
    """A small story file with the given header lines and neutral text."""
    head = "".join(f"{k.title()}: {v}\n" for k, v in headers.items())
    return write(f"lib/{name}.txt", f"Title: {name}\n{head}\n{FILLER}{name}\n")


def ingest(cli: Cli, write, stories: dict[str, dict[str, str]]) -> dict[str, int]:  # type: ignore[no-untyped-def]
    for name, headers in stories.items():
        path = story(write, name, **headers)
    cli("ingest", str(path.parent))
    return {r["title"]: r["id"] for r in cli.records()}


def found(cli: Cli, query: str) -> set[int]:
    out = cli("list", "--format", "ids", "--", query).stdout
    return {int(x) for x in out.split()}


def tag_info(cli: Cli, *args: str) -> dict[str, object]:
    return json.loads(cli("tag", "info", *args, "--json").stdout)


# --- relationships and synonyms ------------------------------------------------------

SPIKE_WILLOW = ["Spike/Willow", "Willow/Spike", "Willow Rosenberg/Spike (Buffy the Vampire Slayer)",
                "Spillow", "spike / WILLOW", "William the Bloody/Wills"]


@pytest.fixture
def ships(cli: Cli, write) -> dict[str, int]:  # type: ignore[no-untyped-def]
    stories = {f"sw{i}": {"pairing": name, "characters": "Someone"}
               for i, name in enumerate(SPIKE_WILLOW)}
    stories |= {
        "platonic": {"pairing": "Spike & Willow", "characters": "Someone"},
        "threesome": {"pairing": "Buffy/Spike/Angel", "characters": "Someone"},
        "tara": {"pairing": "Willow/Tara", "characters": "Someone"},
        "other": {"fandom": "Harry Potter - J. K. Rowling", "characters": "Harry Potter"},
    }
    return ingest(cli, write, stories)


def test_every_spelling_and_order_of_a_relationship_finds_the_same_works(cli, ships) -> None:
    expected = {ships[f"sw{i}"] for i in range(len(SPIKE_WILLOW))}
    for name in SPIKE_WILLOW + ["Spike (Buffy the Vampire Slayer)/Willow Rosenberg"]:
        assert found(cli, f'relationship:"{name}"') == expected, name
        assert set(cli.ids("--relationship", name)) == expected, name


def test_romantic_and_platonic_relationships_are_different_tags(cli, ships) -> None:
    assert found(cli, 'relationship:"Willow & Spike"') == {ships["platonic"]}
    assert ships["platonic"] not in found(cli, 'relationship:"Willow/Spike"')


def test_longer_pairings_match_in_any_order_through_character_synonyms(cli, ships) -> None:
    for name in ("Angel/Buffy/Spike", "Spike/Angelus/Buffy Summers", "Buffy/Spike/Angel"):
        assert found(cli, f'relationship:"{name}"') == {ships["threesome"]}, name
    assert found(cli, 'relationship:"Buffy/Spike"') == set()  # not a sub-pairing


def test_a_relationships_characters_count_as_the_works_characters(cli, ships) -> None:
    willow = found(cli, "character:willow")
    assert willow == {ships[f"sw{i}"] for i in range(len(SPIKE_WILLOW))} | {
        ships["platonic"], ships["tara"]}
    assert found(cli, "character:angelus") == {ships["threesome"]}


def test_new_relationship_tags_are_wrangled_to_the_canonical_one(cli, ships) -> None:
    info = tag_info(cli, "Willow/Spike", "--type", "relationship")
    assert info["synonym_of"] == "Spike (Buffy the Vampire Slayer)/Willow Rosenberg"
    assert info["members"] == ["willow", "spike"]


def test_works_keep_the_spelling_they_were_given(cli, ships) -> None:
    records = {r["title"]: r for r in cli.records()}
    for i, name in enumerate(SPIKE_WILLOW):
        assert records[f"sw{i}"]["relationships"] == [name]


def test_fandom_and_character_synonyms_from_the_shipped_vocabulary(cli, write) -> None:
    ids = ingest(cli, write, {
        "a": {"fandom": "BtVS", "characters": "Ripper"},
        "b": {"fandom": "Buffy the Vampire Slayer", "characters": "Rupert Giles"},
        "c": {"fandom": "AtS", "characters": "Wes"},
        "d": {"fandom": "Harry Potter - J. K. Rowling", "characters": "Harry Potter"},
    })
    assert found(cli, "fandom:btvs") == {ids["a"], ids["b"]}
    assert found(cli, 'fandom:"Buffy the Vampire Slayer (TV)"') == {ids["a"], ids["b"]}
    assert found(cli, "character:giles") == found(cli, "character:ripper") == {ids["a"], ids["b"]}
    assert found(cli, "fandom:buffyverse") == {ids["a"], ids["b"], ids["c"]}


# --- metatags ---------------------------------------------------------------------------

def test_metatags_are_transitive_and_refuse_loops(cli, write) -> None:
    ids = ingest(cli, write, {
        "c": {"tags": "Slow Burn (Very)"}, "b": {"tags": "Slow Burn"},
        "a": {"tags": "Romance"}, "x": {"tags": "Crack"},
    })
    cli("tag", "parent", "Slow Burn (Very)", "Slow Burn")
    cli("tag", "parent", "Slow Burn", "Romance")
    assert found(cli, "tag:romance") == {ids["a"], ids["b"], ids["c"]}
    assert found(cli, 'tag:"slow burn"') == {ids["b"], ids["c"]}
    assert found(cli, 'tag:"slow burn (very)"') == {ids["c"]}
    loop = cli("tag", "parent", "Romance", "Slow Burn (Very)", ok=False)
    assert "loop" in loop.stderr
    assert cli("tag", "parent", "Romance", "Romance", ok=False).exit_code == 1
    info = tag_info(cli, "Slow Burn")
    assert info["metatags"] == ["Romance"] and info["subtags"] == ["Slow Burn (Very)"]


def test_fandom_parents_and_type_mismatches(cli, write) -> None:
    ingest(cli, write, {"a": {"fandom": "Firefly", "characters": "Mal Reynolds",
                              "tags": "Space"}})
    cli("tag", "parent", "Mal Reynolds", "Firefly")
    assert tag_info(cli, "Mal Reynolds")["fandoms"] == ["Firefly"]
    result = cli("tag", "parent", "Firefly", "Space", ok=False)
    assert "cannot be a parent" in result.stderr
    result = cli("tag", "synonym", "Space", "Firefly", ok=False)
    assert "synonym must have its canonical's type" in result.stderr


def test_synonym_canonical_and_rename_keep_given_names(cli, write) -> None:
    ids = ingest(cli, write, {"a": {"tags": "s/b"}, "b": {"tags": "Slow Burn"},
                              "c": {"tags": "slowburn"}})
    cli("tag", "synonym", "s/b", "Slow Burn")
    assert found(cli, 'tag:"slow burn"') == found(cli, "tag:s/b") == {ids["a"], ids["b"]}
    cli("tag", "rename", "Slow Burn", "Slow Build")
    assert found(cli, 'tag:"slow build"') == {ids["a"], ids["b"]}
    info = tag_info(cli, "Slow Build")
    assert info["status"] == "canonical" and set(info["synonyms"]) == {"s/b", "Slow Burn"}
    records = {r["title"]: r for r in cli.records()}
    assert records["a"]["freeform"] == ["s/b"] and records["b"]["freeform"] == ["Slow Burn"]
    cli("tag", "synonym", "slowburn", "Slow Build")
    assert found(cli, "tag:s/b") == {ids["a"], ids["b"], ids["c"]}
    result = cli("tag", "synonym", "s/b", "slowburn", ok=False)
    assert "itself a synonym" in result.stderr
    cli("tag", "canonical", "s/b")  # unlinked: its own tag again
    assert found(cli, "tag:s/b") == {ids["a"]}
    assert ids["a"] not in found(cli, 'tag:"slow build"')


def test_fixed_vocabularies_take_synonyms_but_no_new_canonicals(cli, write) -> None:
    ids = ingest(cli, write, {"a": {"rating": "Spicy"}, "b": {"rating": "R"}})
    assert found(cli, "rating:mature") == found(cli, "rating:r") == {ids["b"]}
    assert found(cli, "tag:spicy") == {ids["a"]}  # the rating as written is searchable
    cli("tag", "synonym", "Lemon", "Explicit", "--type", "rating")
    result = cli("tag", "canonical", "Lemon", ok=False)
    assert "fixed vocabulary" in result.stderr
    result = cli("tag", "rename", "Mature", "Grown-up", ok=False)
    assert "fixed vocabulary" in result.stderr


def test_tags_listing_filters(cli, write) -> None:
    ingest(cli, write, {"a": {"tags": "Spike Angst, Tea Party", "characters": "Spike"}})
    rows = json.loads(cli("tags", "--unwrangled", "--format", "json").stdout)
    assert {r["name"] for r in rows} == {"Spike Angst", "Tea Party"}
    rows = json.loads(cli("tags", "--search", "SPIKE", "--format", "json").stdout)
    assert {(r["type"], r["name"], r["status"]) for r in rows} == {
        ("freeform", "Spike Angst", "unwrangled"), ("character", "Spike", "synonym")}
    rows = json.loads(cli("tags", "--type", "character", "--format", "json").stdout)
    assert rows == [{"type": "character", "name": "Spike", "works": 1, "status": "synonym",
                     "synonym_of": "Spike (Buffy the Vampire Slayer)"}]


def test_ambiguous_names_ask_for_a_type(cli, write) -> None:
    ingest(cli, write, {"a": {"fandom": "Angel", "characters": "Angel"}})
    result = cli("tag", "info", "Angel", ok=False)
    assert "several types" in result.stderr and "--type" in result.stderr
    assert tag_info(cli, "Angel", "--type", "fandom")["synonym_of"] == "Angel: the Series"


# --- vocabularies -------------------------------------------------------------------------

SHIPPED = ROOT / "catalog" / "vocabularies" / "buffyverse.yaml"


def test_the_shipped_vocabulary_is_consistent() -> None:
    data = yaml.safe_load(SHIPPED.read_text("utf-8"))
    fandoms = {f["name"] for f in data["fandoms"]}
    characters = {c["name"] for c in data["characters"]}
    seen: dict[str, set[str]] = {}
    for section in ("fandoms", "characters", "relationships", "freeforms"):
        names: set[str] = seen.setdefault(section, set())
        for entry in data.get(section) or []:
            for alias in entry.get("synonyms", []) + entry.get("aliases", []):
                assert alias.casefold() not in names, alias
                names.add(alias.casefold())
            assert set(entry.get("parents", [])) <= fandoms
            assert set(entry.get("fandoms", [])) <= fandoms
            assert set(entry.get("common", [])) <= set(entry.get("aliases", []))
    for entry in data["relationships"]:
        separator = "/" if "/" in entry["name"] else " & "
        assert set(entry["name"].split(separator)) <= characters, entry["name"]


def test_loading_a_vocabulary_is_idempotent(cli, db_path) -> None:
    before = json.loads(cli("tags", "--all", "--format", "json").stdout)
    again = cli("vocab", "load", str(SHIPPED))
    assert "new tags none; synonyms linked 0" in again.stdout
    assert json.loads(cli("tags", "--all", "--format", "json").stdout) == before


def test_loading_a_users_vocabulary(cli, write, tmp_path) -> None:
    ids = ingest(cli, write, {"a": {"fandom": "SG-1", "characters": "Danny"},
                              "b": {"fandom": "Stargate SG-1", "characters": "Daniel Jackson"}})
    file = tmp_path / "stargate.yaml"
    file.write_text(
        "version: 1\nfandoms:\n  - name: Stargate SG-1\n    synonyms: [SG-1, SG1]\n"
        "characters:\n  - name: Daniel Jackson\n    fandoms: [Stargate SG-1]\n"
        "    aliases: [Danny, Daniel]\n", "utf-8")
    cli("vocab", "load", str(file))
    assert found(cli, "fandom:sg1") == found(cli, "character:danny") == {ids["a"], ids["b"]}
    assert "new tags none" in cli("vocab", "load", str(file)).stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text("fandoms: {name: x}\n", "utf-8")
    result = cli("vocab", "load", str(bad), ok=False)
    assert str(bad) in result.stderr and "must be a list" in result.stderr


# --- AO3 data dump --------------------------------------------------------------------------

def _dump_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_import_of_real_data_dump_rows(cli) -> None:
    path = DATADUMP / "amecreate_fandom500_tags-subset.csv"
    rows = _dump_rows(path)
    by_id = {int(r["id"]): r for r in rows}
    result = cli("vocab", "import-ao3", str(path))
    assert f"read {len(rows)} rows" in result.stdout
    merged = [r for r in rows if r["merger_id"] and int(float(r["merger_id"])) in by_id]
    assert merged, "the sample has synonyms whose canonical is in it"
    for row in merged:
        canonical = by_id[int(float(row["merger_id"]))]["name"]
        info = tag_info(cli, row["name"], "--type", "fandom")
        assert info["synonym_of"] == canonical, row["name"]
        assert info["ao3_id"] == int(row["id"])
    hp = tag_info(cli, "Harry Potter - J. K. Rowling", "--type", "fandom")
    assert hp["status"] == "canonical" and "HP" in hp["synonyms"]
    # A work tagged with the short form is found by the canonical name and vice versa.
    ratings = DATADUMP / "amecreate_rating_tags-subset.csv"
    assert "read 6 rows" in cli("vocab", "import-ao3", str(ratings)).stdout
    assert tag_info(cli, "Teen And Up Audiences")["ao3_id"] == 11


def test_import_tolerates_the_dump_variants(cli, write, tmp_path) -> None:
    """Synonyms before their canonical, lower-case booleans, float ids, other types."""
    file = tmp_path / "tags.csv"
    file.write_text(
        "id,type,name,canonical,cached_count,merger_id\n"
        "5,Character,Captain Tightpants,false,3,7.0\n"
        "6,Media,TV Shows,true,100,\n"
        "7.0,Character,Malcolm Reynolds,true,50,\n"
        "8,Freeform,Shiny Feels,False,1,\n"
        "9,UnsortedTag,whatever,False,1,\n", "utf-8")
    ids = ingest(cli, write, {"a": {"characters": "Captain Tightpants"}})
    result = cli("vocab", "import-ao3", str(file))
    assert "read 5 rows" in result.stdout and "2 new tags" in result.stdout
    assert "1 synonyms linked" in result.stdout
    assert tag_info(cli, "Captain Tightpants")["synonym_of"] == "Malcolm Reynolds"
    assert found(cli, 'character:"malcolm reynolds"') == {ids["a"]}
    broken = tmp_path / "broken.csv"
    broken.write_text("id,name\n1,x\n", "utf-8")
    result = cli("vocab", "import-ao3", str(broken), ok=False)
    assert "not an AO3 tags table" in result.stderr
    bad_id = tmp_path / "bad_id.csv"
    bad_id.write_text("id,type,name,canonical,merger_id\n1.5,Fandom,X,true,\n", "utf-8")
    result = cli("vocab", "import-ao3", str(bad_id), ok=False)
    assert "bad_id.csv:2" in result.stderr
    assert "no fandom tag" in cli("tag", "info", "X", "--type", "fandom", ok=False).stderr


@pytest.mark.parametrize(("alias", "canonical"), [
    ("Angelus", "Angel (Buffy the Vampire Slayer)"), ("Liam", "Angel (Buffy the Vampire Slayer)"),
    ("William the Bloody", "Spike (Buffy the Vampire Slayer)"), ("Ripper", "Rupert Giles"),
    ("Niblet", "Dawn Summers"), ("Will", "Willow Rosenberg"), ("Wills", "Willow Rosenberg"),
    ("Xan", "Xander Harris"), ("Spike", "Spike (Buffy the Vampire Slayer)"),
])
def test_the_shipped_character_aliases(cli: Cli, alias: str, canonical: str) -> None:
    info = tag_info(cli, alias, "--type", "character")
    assert info["synonym_of"] == canonical
    assert "Buffy the Vampire Slayer (TV)" in tag_info(cli, canonical)["fandoms"]


def test_a_synonym_of_a_new_canonical_creates_it(cli: Cli, write) -> None:  # type: ignore[no-untyped-def]
    ids = ingest(cli, write, {"a": {"tags": "enemies2lovers"}})
    cli("tag", "synonym", "enemies2lovers", "Enemies to Lovers")
    assert tag_info(cli, "Enemies to Lovers")["status"] == "canonical"
    assert found(cli, 'tag:"enemies to lovers"') == {ids["a"]}
