"""Characters (and a fandom) inferred from the text of stories that tag no characters."""

from __future__ import annotations

import json

import pytest

from tests.conftest import REFERENCE_SEED, Cli, new_database
from tests.factories import exported_works

SEED_CHARACTERS = {
    "Spike (Buffy the Vampire Slayer)", "Buffy Summers", "Willow Rosenberg", "Xander Harris",
    "Tara Maclay", "Angel (Buffy the Vampire Slayer)", "Dawn Summers",
}
BTVS = "Buffy the Vampire Slayer (TV)"


def only_record(cli: Cli) -> dict:  # type: ignore[type-arg]
    (record,) = cli.records()
    return record


def inferred(record: dict) -> dict[tuple[str, str], int]:  # type: ignore[type-arg]
    return {(t["type"], t["name"]): t["mentions"] for t in record["inferred"]}


def test_the_reference_seed_gets_its_characters_and_fandom(cli: Cli) -> None:
    cli("ingest", str(REFERENCE_SEED))
    record = only_record(cli)
    marks = inferred(record)
    assert set(record["characters"]) == SEED_CHARACTERS
    assert {name for (kind, name) in marks if kind == "character"} == SEED_CHARACTERS
    assert record["fandoms"] == [BTVS] and ("fandom", BTVS) in marks
    assert marks[("character", "Spike (Buffy the Vampire Slayer)")] > marks[
        ("character", "Dawn Summers")] >= 1  # Niblet, once
    assert marks[("character", "Angel (Buffy the Vampire Slayer)")] == 1  # Angelus
    # Never ratings or warnings: the seed states none.
    assert record["rating"] == "Not Rated"
    assert record["warnings"] == ["Creator Chose Not To Use Archive Warnings"]


def test_inferred_tags_are_marked_and_can_be_left_out(cli: Cli) -> None:
    cli("ingest", str(REFERENCE_SEED))
    assert cli.ids("--character", "niblet") == [1]
    assert cli.ids("--character", "dawn", "--given-only") == []
    assert cli.ids("--fandom", "btvs", "--given-only") == []
    page = cli("show", "1").stdout
    assert "inferred" in page and "mentions" in page
    assert "*" in cli("list").stdout and "inferred from the text" in cli("list").stdout
    stats = json.loads(cli("stats", "--json").stdout)
    assert {"name": "Dawn Summers", "works": 1} in stats["top"]["characters"]
    given = json.loads(cli("stats", "--json", "--given-only").stdout)
    assert given["top"]["characters"] == []


def test_a_restore_keeps_provenance_and_does_not_infer_again(cli: Cli, tmp_path) -> None:
    cli("ingest", str(REFERENCE_SEED))
    exported = cli("export").stdout
    original = only_record(cli)
    other = Cli(new_database(tmp_path / "restored.db"))
    other("ingest", "-", input=exported)
    restored = only_record(other)
    for key in ("characters", "fandoms", "inferred", "user_tags", "id"):
        assert restored[key] == original[key], key
    # A restored record without inferred tags stays without: no inference on restore.
    [bare] = exported_works(exported)
    bare.update(characters=[], fandoms=[], inferred=[], source="elsewhere.txt", id=None)
    third = Cli(new_database(tmp_path / "third.db"))
    third("ingest", "-", input=json.dumps(bare))
    assert only_record(third)["characters"] == []


def story(write, text: str, **headers: str):  # type: ignore[no-untyped-def]
    head = "".join(f"{k.title()}: {v}\n" for k, v in headers.items())
    return write("story.txt", f"Title: Test\n{head}\n{text}\n")


@pytest.mark.parametrize("text", [
    "A spike of fear ran through her. Will you stop? She will not. The angel on the tree "
    "glowed. Dawn broke over the town; at dawn the willow swayed. Faith, she thought.",
    "Spike lamps lit the road. Angel food cake again. Will it rain? Dawn came slowly.",
    "The willow wept. A spike, a will, an angel, a dawn: ordinary words all.",
])
def test_ordinary_words_infer_nothing(cli: Cli, write, text: str) -> None:
    cli("ingest", str(story(write, text, fandom=BTVS)))
    assert only_record(cli)["characters"] == []
    cli("ingest", str(story(write, text + " Again.")))
    assert only_record(cli)["fandoms"] == []


def test_common_names_count_mid_sentence_and_need_two_mentions(cli: Cli, write) -> None:
    text = ("Spike grinned. Later that night she looked at Spike and laughed. "
            "They all waited for Dawn, who was late.")
    cli("ingest", str(story(write, text, fandom="BtVS")))
    record = only_record(cli)
    assert record["characters"] == []  # one mid-sentence Spike, one Dawn: too weak
    cli("ingest", str(story(write, text + " She hugged Dawn and told Spike to go.",
                            fandom="BtVS")))
    record = only_record(cli)
    assert set(record["characters"]) == {"Spike (Buffy the Vampire Slayer)", "Dawn Summers"}
    assert record["fandoms"] == ["BtVS"]  # given, so not inferred
    assert all(t["type"] == "character" for t in record["inferred"])


def test_another_fandoms_story_is_left_alone(cli: Cli, write) -> None:
    text = "Harry met Willow Rosenberg and Xander Harris at the station."
    cli("ingest", str(story(write, text, fandom="Harry Potter - J. K. Rowling")))
    assert only_record(cli)["characters"] == []


def test_a_story_with_character_tags_gets_no_inference(cli: Cli, write) -> None:
    text = "Xander Harris and Willow Rosenberg and Tara Maclay talked."
    cli("ingest", str(story(write, text, characters="Giles")))
    record = only_record(cli)
    assert record["characters"] == ["Giles"] and record["inferred"] == []


def test_one_distinctive_name_is_not_enough_for_a_fandom(cli: Cli, write) -> None:
    cli("ingest", str(story(write, "Xander Harris walked home alone.")))
    record = only_record(cli)
    assert record["fandoms"] == [] and record["characters"] == []
    cli("ingest", str(story(write, "Xander Harris walked home with Anya Jenkins.")))
    record = only_record(cli)
    assert record["fandoms"] == [BTVS]
    assert set(record["characters"]) == {"Xander Harris", "Anya Jenkins"}


def test_a_metatag_fandom_scopes_inference(cli: Cli, write) -> None:
    cli("ingest", str(story(write, "Wesley Wyndam-Pryce met Xander Harris.",
                            fandom="Buffyverse")))
    assert set(only_record(cli)["characters"]) == {"Wesley Wyndam-Pryce", "Xander Harris"}
