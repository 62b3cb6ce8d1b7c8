"""`catalog export`: formats, safe writing, and the lossless JSONL round trip."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from tests.conftest import REFERENCE_SEED, SEEDS, Cli, new_database
from tests.factories import exported_works
from tests.ingest.test_ingest import SEED_OPTIONS


def _fill(cli: Cli) -> None:
    cli("ingest", str(SEEDS))
    cli("ingest", str(REFERENCE_SEED), *SEED_OPTIONS)


def test_jsonl_round_trip_reproduces_the_catalogue(cli, tmp_path: Path) -> None:
    _fill(cli)
    cli("remove", "2")  # a gap in the ids must survive too
    dump = cli("export").stdout
    everything = [json.loads(line) for line in dump.splitlines()]
    originals = exported_works(dump)
    assert all("text" in r and r["chapter_list"] for r in originals)
    assert {r["kind"] for r in everything if "kind" in r} == {"tag"}  # the vocabulary's

    restored = Cli(new_database(tmp_path / "restored.db"))
    out = restored("ingest", "-", input=dump).stderr
    assert f"ingested {len(originals)} ·" in out
    assert restored("export").stdout == dump  # tags and works alike
    again = exported_works(restored("export").stdout)
    assert again == originals
    assert [r["id"] for r in again] == [1, 3, 4, 5, 6]
    seed = next(r for r in again if r["words"] == 718)
    assert {(t["type"], t["name"]) for t in seed["user_tags"]} == {
        ("rating", "Mature"), ("fandom", "Buffy the Vampire Slayer (TV)"),
        ("character", "Spike"), ("character", "Willow Rosenberg"),
        ("relationship", "Spike/Willow Rosenberg")}
    assert "unchanged 5" in restored("ingest", "-", input=dump).stderr


def test_export_file_is_written_atomically_and_not_overwritten(cli, tmp_path: Path) -> None:
    _fill(cli)
    target = tmp_path / "out.jsonl"
    result = cli("export", "-o", str(target))
    assert "exported 6 works" in result.stderr
    assert len(exported_works(target.read_text("utf-8"))) == 6
    target.write_text("precious", "utf-8")
    result = cli("export", "-o", str(target), ok=False)
    assert "already exists" in result.stderr and "--force" in result.stderr
    assert target.read_text("utf-8") == "precious"
    cli("export", "-o", str(target), "--force", "--character", "spike", "--given-only")
    assert len(exported_works(target.read_text("utf-8"))) == 1
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []


def test_export_formats_and_filters(cli) -> None:
    _fill(cli)
    as_json = json.loads(cli("export", "--format", "json", "--max-rating", "teen").stdout)
    assert {r["title"] for r in as_json} == {"Tea at the Magic Box", "The Last Patrol",
                                             "What the Watcher Knew", "The Rota"}
    rows = list(csv.DictReader(io.StringIO(cli("export", "--format", "csv").stdout)))
    assert len(rows) == 6 and all(row["text"] for row in rows)
    no_text = cli("export", "--no-texts").stdout.splitlines()
    assert all("text" not in json.loads(line) for line in no_text)


def test_chapters_round_trip(cli, write, tmp_path: Path) -> None:
    record = {"id": 7, "title": "Two Parts", "source": "/archive/two-parts.html",
              "format": "jsonl", "complete": False, "expected_chapters": None,
              "chapter_list": [
                  {"position": 1, "title": "Begin", "format": "text", "text": "One two."},
                  {"position": 2, "title": "End", "format": "html",
                   "text": "<p>three <b>fo</b>ur</p>", "notes": "Thanks!"}]}
    cli("ingest", str(write("two.jsonl", json.dumps(record) + "\n")))
    [out] = exported_works(cli("export").stdout)
    assert out["id"] == 7 and out["chapters"] == 2 and out["words"] == 2 + 3
    assert out["expected_chapters"] is None and out["complete"] is False
    assert [c["title"] for c in out["chapter_list"]] == ["Begin", "End"]
    assert [c["text"] for c in out["chapter_list"]] == ["One two.", "<p>three <b>fo</b>ur</p>"]
    assert out["chapter_list"][1]["notes"] == "Thanks!"
    assert out["text"] == "One two.\n\n<p>three <b>fo</b>ur</p>"
    again = Cli(new_database(tmp_path / "again.db"))
    again("ingest", "-", input=json.dumps(out) + "\n")
    assert exported_works(again("export").stdout) == [out]


def test_single_chapter_text_is_not_written_twice(cli) -> None:
    cli("ingest", str(REFERENCE_SEED))
    [record] = exported_works(cli("export").stdout)
    assert "text" not in record["chapter_list"][0] and record["text"].startswith("Spike was")


def test_records_of_any_id_set_are_those_built_one_at_a_time(cli) -> None:
    """Batches read a range of ids when they are dense and a list when not; either way each
    record is the one built for its id alone, in the order asked, missing ids left out."""
    from catalog.catalogue import Catalogue
    from catalog.export.records import build

    _fill(cli)
    cli("remove", "3")
    with Catalogue(str(cli.db)).connect() as conn:
        alone = {i: build(conn, [i], texts=True) for i in range(1, 8)}
        for ids in ([1, 2, 3, 4, 5, 6], [6, 4, 2], [1, 6], [5, 1, 7, 2], [3]):
            expected = [r for i in ids for r in alone[i]]
            assert build(conn, ids, texts=True) == expected
            assert build(conn, ids) == [{k: v for k, v in r.items()
                                         if k not in ("text", "chapter_list")}
                                        for r in expected]
    assert alone[3] == [] and alone[7] == [] and all(alone[i] for i in (1, 2, 4, 5, 6))
