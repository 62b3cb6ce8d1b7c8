"""`catalog ingest` end to end: real files, the real CLI, a real SQLite file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import REFERENCE_SEED, SEEDS
from tests.factories import exported_works

SEED_OPTIONS = ["--fandom", "Buffy the Vampire Slayer (TV)", "--character", "Spike",
                "--character", "Willow Rosenberg", "--relationship", "Spike/Willow Rosenberg",
                "--rating", "Mature"]


def test_reference_seed_with_options(cli) -> None:
    out = cli("ingest", str(REFERENCE_SEED), *SEED_OPTIONS).stderr
    assert "ingested 1 · updated 0 · unchanged 0 · duplicates 0 · failed 0" in out
    [record] = cli.records()
    assert record["words"] == 718
    assert record["rating"] == "Mature"
    assert record["fandoms"] == ["Buffy the Vampire Slayer (TV)"]
    assert record["characters"] == ["Spike", "Willow Rosenberg"]
    assert record["relationships"] == ["Spike/Willow Rosenberg"]
    assert record["warnings"] == ["Creator Chose Not To Use Archive Warnings"]
    assert "No Archive Warnings Apply" not in record["warnings"]
    assert record["title"] == "000_6972f77d5f5fbec3"  # long first line: not a title
    assert record["format"] == "text"
    assert record["source"] == str(REFERENCE_SEED)
    assert {t["name"] for t in record["user_tags"]} >= {"Spike", "Mature"}
    assert cli.ids("--character", "spike") == [record["id"]]
    assert cli.ids("--exclude-tag", "spike") == []
    assert cli.ids("--max-rating", "teen") == []
    assert cli.ids("--max-rating", "mature") == [record["id"]]


def test_text_is_stored_and_hashed_as_lf_utf8(cli) -> None:
    import hashlib

    cli("ingest", str(REFERENCE_SEED))
    [record] = exported_works(cli("export").stdout)
    original = REFERENCE_SEED.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
    assert record["text"] == original
    assert record["sha256"] == hashlib.sha256(original.encode()).hexdigest()


def test_seeds_ingest_with_their_metadata(cli) -> None:
    cli("ingest", str(SEEDS))
    by_title = {r["title"]: r for r in cli.records()}
    assert set(by_title) == {"The Last Patrol", "Tea at the Magic Box",
                             "What the Watcher Knew", "After the Fall", "The Rota"}
    patrol = by_title["The Last Patrol"]
    assert patrol["rating"] == "Teen And Up Audiences" and patrol["rating_raw"] == "PG-13"
    assert patrol["warnings"] == ["Major Character Death"]
    assert "angst" in [t.lower() for t in patrol["freeform"]]
    assert patrol["published"] == "2004-10-12"
    assert "Spoilers:" in patrol["notes"] and "Disclaimer:" in patrol["notes"]
    tea = by_title["Tea at the Magic Box"]
    assert tea["format"] == "markdown" and tea["rating"] == "General Audiences"
    assert tea["authors"] == ["Marginalia (marginalia_writes)"]
    assert tea["relationships"] == ["Tara Maclay/Willow Rosenberg"]
    watcher = by_title["What the Watcher Knew"]
    assert watcher["format"] == "sidecar" and len(watcher["authors"]) == 2
    assert watcher["fandoms"] == ["Buffy the Vampire Slayer (TV)", "Angel: the Series"]
    fall = by_title["After the Fall"]
    assert fall["authors"] == ["Moth Wing"]
    rota = by_title["The Rota"]
    assert rota["source"].endswith("the-rota.jsonl:1") and rota["characters"] == [
        "Andrew Wells", "Xander Harris"]
    assert all(r["words"] > 200 for r in by_title.values())


def test_reingest_is_idempotent_and_updates_in_place(cli, write) -> None:
    story = write("story.txt", "Title: First\nRating: G\n\nOne two three.\n")
    cli("ingest", str(story))
    [first] = cli.records()
    out = cli("ingest", str(story)).stderr
    assert "ingested 0 · updated 0 · unchanged 1" in out
    assert len(cli.records()) == 1
    story.write_text("Title: First, revised\nRating: G\n\nOne two three four.\n", "utf-8")
    out = cli("ingest", str(story)).stderr
    assert "updated 1" in out
    [second] = cli.records()
    assert second["id"] == first["id"]
    assert (second["title"], second["words"]) == ("First, revised", 4)


def test_changed_metadata_alone_is_an_update(cli, write) -> None:
    story = write("story.txt", "Title: Same\n\nSame text.\n")
    cli("ingest", str(story))
    assert "unchanged 1" in cli("ingest", str(story)).stderr
    assert "updated 1" in cli("ingest", str(story), "--tag", "Fluff").stderr
    assert cli.records()[0]["freeform"] == ["Fluff"]


def test_same_text_from_another_path_is_a_duplicate(cli, write, tmp_path: Path) -> None:
    story = write("a/story.txt", "Some story text here.\n")
    copy = tmp_path / "elsewhere.txt"
    shutil.copy(story, copy)
    cli("ingest", str(story))
    result = cli("ingest", str(copy), "--format", "json")
    [report] = json.loads(result.stdout)
    assert report["status"] == "duplicate" and report["duplicate_of"] == cli.ids()[0]
    assert len(cli.ids()) == 1
    cli("ingest", str(copy), "--allow-duplicates")
    assert len(cli.ids()) == 2


def test_tag_with_sql_wildcards_is_stored_and_found_verbatim(cli, write) -> None:
    cli("ingest", str(write("a.txt", "Words here.\n")), "--tag", "100% Rewritten_Fic")
    cli("ingest", str(write("b.txt", "Other words.\n")), "--tag", "100x RewrittenXFic")
    [record] = cli.records("--tag", "100% Rewritten_Fic")
    assert record["freeform"] == ["100% Rewritten_Fic"]
    assert cli.ids("--tag", "100%") == []
    assert len(cli.ids("--exclude-tag", "100% rewritten_fic")) == 1
    assert cli.ids("--tag", "x' OR '1'='1") == []


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("empty.txt", b"", "empty"),
    ("blank.txt", b"  \n\n \n", "empty"),
    ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    ("garbled.txt", bytes(range(128, 256)) * 3, "no other character encoding fits"),
    ("nul.txt", "Text with a NUL\x00 in it".encode("utf-16"), "NUL"),
    ("bad.md", b"---\ntitle: [unclosed\n---\nBody\n", "invalid YAML"),
    ("onlyheader.txt", b"Title: Nothing\nRating: G\n", "no story text"),
])
def test_bad_file_fails_alone(cli, write, name: str, content: bytes, reason: str) -> None:
    bad = write(name, content)
    good = write("good.txt", "A perfectly good story.\n")
    result = cli("ingest", str(bad), str(good), ok=False)
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and str(bad) in errors[0] and reason in errors[0]
    assert "ingested 1 · updated 0 · unchanged 0 · duplicates 0 · failed 1" in result.stderr
    assert [r["title"] for r in cli.records()] == ["good"]


def test_size_limit(cli, write) -> None:
    big = write("big.txt", "word " * 3000)
    result = cli("ingest", str(big), "--max-size", "10KB", ok=False)
    assert "over the" in result.stderr and "--max-size" in result.stderr
    assert cli.ids() == []
    cli("ingest", str(big), "--max-size", "1MB")
    assert len(cli.ids()) == 1


def test_unknown_types(cli, write, tmp_path: Path) -> None:
    write("dir/story.txt", "A story.\n")
    write("dir/cover.png", b"\x89PNG")
    result = cli("ingest", str(tmp_path / "stories" / "dir"))
    assert "skipped:" in result.stderr and "cover.png" in result.stderr
    assert "ingested 1" in result.stderr
    result = cli("ingest", str(tmp_path / "stories" / "dir" / "cover.png"), ok=False)
    assert "error:" in result.stderr and "unknown file type" in result.stderr
    result = cli("ingest", str(tmp_path / "missing.txt"), ok=False)
    assert "no such file" in result.stderr


def test_database_is_never_half_written(cli, write, db_path) -> None:  # type: ignore[no-untyped-def]
    """A failing file leaves no rows behind: no orphan work, chapter or link."""
    from sqlalchemy import func, select

    from catalog.catalogue import Catalogue
    from catalog.store.models import Chapter, Work, WorkTag

    cli("ingest", str(write("ok.txt", "Fine.\n")))
    cli("ingest", str(write("bad.txt", b"\x00\x01\x02")), ok=False)
    lib = Catalogue(str(db_path))
    with lib.session() as s:
        assert s.scalar(select(func.count()).select_from(Work)) == 1
        assert s.scalar(select(func.count()).select_from(Chapter)) == 1
        assert s.scalar(select(func.count()).select_from(WorkTag).where(
            WorkTag.work_id.not_in(select(Work.id)))) == 0
    lib.dispose()


def test_dry_run_writes_nothing(cli, write, db_path) -> None:  # type: ignore[no-untyped-def]
    story = write("story.txt", "Title: Dry\n\nText.\n")
    out = cli("ingest", str(story), "--dry-run").stderr
    assert "dry run: ingested 1" in out
    if isinstance(db_path, Path):
        assert not db_path.exists()
    assert cli.records() == []
    cli("ingest", str(story))
    assert "dry run: ingested 0 · updated 0 · unchanged 1" in cli(
        "ingest", str(story), "--dry-run").stderr
    story.write_text("Title: Dry 2\n\nText.\n", "utf-8")
    assert "updated 1" in cli("ingest", str(story), "--dry-run").stderr
    assert cli.records()[0]["title"] == "Dry"


def test_json_report(cli, write) -> None:
    good = write("good.txt", "Title: Good\n\nOne two.\n")
    bad = write("bad.txt", b"")
    result = cli("ingest", str(good), str(bad), "--format", "json", ok=False)
    reports = json.loads(result.stdout)
    assert [r["status"] for r in reports] == ["failed", "ingested"] or \
        [r["status"] for r in reports] == ["ingested", "failed"]
    by_status = {r["status"]: r for r in reports}
    assert by_status["ingested"]["words"] == 2 and by_status["ingested"]["title"] == "Good"
    assert by_status["failed"]["path"] == str(bad) and "empty" in by_status["failed"]["error"]


@pytest.mark.parametrize(("option", "value"), [("--rating", "PG-42"), ("--warning", "angst"),
                                               ("--category", "Romance")])
def test_unknown_fixed_vocabulary_on_the_command_line(cli, write, option: str,
                                                      value: str) -> None:
    result = cli("ingest", str(write("s.txt", "Text.\n")), option, value, ok=False)
    assert result.exit_code == 1
    assert "error:" in result.stderr and "accepted:" in result.stderr
    assert cli.ids() == []


def test_ratings_and_warnings_from_files(cli, write) -> None:
    cli("ingest", str(write("a.txt", "Rating: NC-17\nWarnings: non-con, dub-con\n\nA.\n")))
    cli("ingest", str(write("b.txt", "Rating: Spicy\nWarning: none\n\nB.\n")))
    cli("ingest", str(write("c.txt", "Title: C\nFandom: X\n\nC.\n")))
    a, b, c = cli.records()
    assert a["rating"] == "Explicit" and a["warnings"] == ["Rape/Non-Con"]
    assert "dub-con" in a["freeform"]
    assert b["rating"] == "Not Rated" and b["rating_raw"] == "Spicy"
    assert cli.ids("--tag", "spicy") == [b["id"]]
    assert cli.ids("--tag", "nc-17") == [a["id"]]
    assert b["id"] not in cli.ids("--exclude-tag", "Spicy")
    assert b["warnings"] == ["No Archive Warnings Apply"]
    assert c["rating"] == "Not Rated" and c["rating_raw"] is None
    assert c["warnings"] == ["Creator Chose Not To Use Archive Warnings"]


def test_options_add_lists_and_replace_scalars(cli, write) -> None:
    story = write("s.txt", "Title: Old\nRating: G\nWarnings: MCD\nFandom: Angel: the Series\n"
                           "Summary: old summary\nLanguage: English\n\nText.\n")
    cli("ingest", str(story), "--title", "New", "--rating", "explicit", "--warning", "CNTW",
        "--fandom", "BtVS", "--summary", "new summary", "--language", "Deutsch",
        "--author", "Someone (someone)")
    [r] = cli.records()
    assert r["title"] == "New" and r["rating"] == "Explicit"
    assert r["warnings"] == ["Creator Chose Not To Use Archive Warnings"]
    assert r["fandoms"] == ["Angel: the Series", "BtVS"]
    assert r["summary"] == "new summary" and r["language"] == "de"
    assert r["authors"] == ["Someone (someone)"]


def test_jsonl_bad_lines_fail_alone(cli, write) -> None:
    good = {"title": "Restored", "text": "Back again.", "source": "/x/restored.txt"}
    path = write("dump.jsonl", "\n".join([json.dumps(good), "{not json", "[1, 2]",
                                          json.dumps({"title": "no text"})]) + "\n")
    result = cli("ingest", str(path), ok=False)
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert [e.split(":")[2] for e in errors] == ["2", "3", "4"]
    assert "ingested 1" in result.stderr and "failed 3" in result.stderr
    assert cli.records()[0]["title"] == "Restored"
