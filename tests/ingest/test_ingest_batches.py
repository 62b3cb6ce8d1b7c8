"""Parallel parsing and batched writing: the same records as a serial ingest, and one bad
file (unreadable, or refused by the database inside a batch) fails alone."""

from __future__ import annotations

import os
import pickle
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from catalog.catalogue import Catalogue
from catalog.ingest import workers
from catalog.ingest.discover import discover
from catalog.ingest.prepare import PackedChapter
from catalog.ingest.readers import Unit
from catalog.ingest.resolve import IngestOptions
from catalog.ingest.settings import IngestSettings
from catalog.model import ChapterRecord
from catalog.store import bulk
from catalog.store.models import Chapter, Tag, Work, WorkTag
from catalog.wrangle.infer import Lexicon
from tests.conftest import SHARED, Cli, new_database

VOLATILE = {"ingested", "modified", "ingested_at", "modified_at"}


def _folder(root: Path, count: int) -> Path:
    """`count` stories (text, Markdown, sidecar pairs, a repeated text) and one bad file."""
    root.mkdir(parents=True)
    for i in range(count):
        body = f"Story {i} has words and more words, {i} of them.\n"
        if i % 3 == 0:
            (root / f"s{i:03}.md").write_text(
                f"---\ntitle: Markdown {i}\nfandom: Fandom {i % 4}\n---\n*Some* {body}", "utf-8")
        elif i % 3 == 1:
            (root / f"s{i:03}.txt").write_text(body, "utf-8")
            (root / f"s{i:03}.yaml").write_text(f"title: Sidecar {i}\ntags: [T{i % 5}]\n",
                                                "utf-8")
        else:
            (root / f"s{i:03}.txt").write_text(
                f"Title: Text {i}\nRating: PG-13\nPairing: A{i % 3}/B\n\n{body}", "utf-8")
    (root / "s999.txt").write_text((root / "s002.txt").read_text("utf-8"), "utf-8")
    (root / "s500-bad.txt").write_bytes(b"")
    return root


def _records(cli: Cli) -> list[dict[str, Any]]:
    return [{k: v for k, v in r.items() if k not in VOLATILE} for r in cli.records()]


def test_parallel_ingest_gives_the_same_records_as_serial(cli: Cli, tmp_path: Path) -> None:
    folder = _folder(tmp_path / "stories", 64)
    parallel = cli("ingest", str(folder), "--jobs", "2", ok=False)
    serial_cli = Cli(new_database(tmp_path / "serial.db"))
    serial = serial_cli("ingest", str(folder), "-j", "1", ok=False)
    for result in (parallel, serial):
        assert result.exit_code == 1
        errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
        assert len(errors) == 1 and "s500-bad.txt" in errors[0] and "empty" in errors[0]
        assert "ingested 64 · updated 0 · unchanged 0 · duplicates 1 · failed 1" in result.stderr
    assert _records(cli) == _records(serial_cli)
    again = cli("ingest", str(folder), "--jobs", "2", "--format", "json", ok=False)
    assert "unchanged 64" in again.stderr and "duplicates 1" in again.stderr


def _poison(url: str) -> None:
    """A trigger that refuses one title: a database error in the middle of a batch."""
    lib = Catalogue(url)
    with lib.engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.execute(text("CREATE TRIGGER poison BEFORE INSERT ON works "
                              "WHEN NEW.title = 'Poison' BEGIN SELECT RAISE(ABORT, 'poisoned'); "
                              "END"))
        else:
            conn.execute(text("CREATE FUNCTION poison() RETURNS trigger AS $$ BEGIN "
                              "IF NEW.title = 'Poison' THEN RAISE EXCEPTION 'poisoned'; END IF; "
                              "RETURN NEW; END $$ LANGUAGE plpgsql"))
            conn.execute(text("CREATE TRIGGER poison BEFORE INSERT ON works "
                              "FOR EACH ROW EXECUTE FUNCTION poison()"))
    lib.dispose()


def test_database_error_in_a_batch_fails_that_file_alone(cli: Cli, db_path: Any,
                                                          tmp_path: Path) -> None:
    folder = tmp_path / "stories"
    folder.mkdir()
    for i in range(12):
        title = "Poison" if i == 5 else f"Fine {i}"
        (folder / f"s{i:02}.txt").write_text(f"Title: {title}\nTags: Shared, Own {i}\n\n"
                                             f"Text number {i}.\n", "utf-8")
    cli("info")  # create the catalogue before adding the trigger
    _poison(str(db_path))
    result = cli("ingest", str(folder), ok=False)
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "s05.txt" in errors[0] and "poisoned" in errors[0]
    assert "ingested 11 · updated 0 · unchanged 0 · duplicates 0 · failed 1" in result.stderr
    lib = Catalogue(str(db_path))
    with lib.session() as s:
        assert s.scalar(select(func.count()).select_from(Work)) == 11
        assert s.scalar(select(func.count()).select_from(Chapter)) == 11
        assert s.scalar(select(func.count()).select_from(WorkTag).where(
            WorkTag.work_id.not_in(select(Work.id)))) == 0
    lib.dispose()
    assert "Own 5" not in {t for r in cli.records() for t in r["freeform"]}
    with lib.session() as s:  # the failed file's new tag went with it
        assert s.scalar(select(func.count()).select_from(Tag).where(Tag.name == "Own 5")) == 0
    lib.dispose()


def _tags(db: str) -> list[tuple[Any, ...]]:
    lib = Catalogue(db)
    with lib.session() as s:
        synonym = Tag.__table__.alias("canonical")
        rows = s.execute(select(Tag.type, Tag.name, Tag.canonical, synonym.c.name)
                         .outerjoin(synonym, synonym.c.id == Tag.synonym_of_id)
                         .order_by(Tag.type, Tag.name)).all()
    lib.dispose()
    return [tuple(r) for r in rows]


def test_bulk_writes_what_storing_one_at_a_time_writes(cli: Cli, db_path: Any, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    # Synthetic stories (a repeated text, a bad file) and real downloads: two formats of
    # the same AO3 works (the second updates the first) and chapter pages that merge.
    folders = [str(_folder(tmp_path / "stories", 40))] + [
        str(SHARED / "corpus" / d) for d in ("ao3-html", "epub", "ao3-page", "text-headers")]
    canonical = tmp_path / "canonical.txt"  # new "A2/B" tags become its synonyms
    canonical.write_text("Title: First\nPairing: B/A2\n\nWords.\n", "utf-8")
    single = Cli(new_database(tmp_path / "single.db"))
    for catalogue in (cli, single):
        catalogue("ingest", str(canonical))
        catalogue("tag", "canonical", "B/A2")
    in_bulk = cli("ingest", *folders, ok=False)
    monkeypatch.setattr(bulk, "fresh", lambda *args, **kwargs: False)
    one_by_one = single("ingest", *folders, ok=False)
    assert in_bulk.stderr.splitlines()[-1] == one_by_one.stderr.splitlines()[-1]
    assert "updated 0" not in in_bulk.stderr and "duplicates 1" in in_bulk.stderr
    assert ("relationship", "A2/B", False, "B/A2") in _tags(str(db_path))
    assert _records(cli) == _records(single)
    assert _tags(str(db_path)) == _tags(single.db)
    monkeypatch.undo()
    # An export ingested into an empty catalogue keeps every id, in bulk too.
    restored = Cli(new_database(tmp_path / "restored.db"))
    restored("ingest", "-", input=cli("export").stdout)
    assert _records(restored) == _records(cli)



def test_rows_reach_the_driver_in_their_columns_whatever_the_key_order(db_path: Any) -> None:
    from catalog.store.rows import _plan, insert_rows
    from catalog.store.tables import relationship_members, tags

    lib = Catalogue(str(db_path))
    given = [{"member_key": f"willow “{i}”", "kind": "/&"[i % 2], "position": i, "tag_id": 100_000}
             for i in range(3)]
    with lib.connect() as conn:
        # `canonical` left out: its Python default must still be applied, SQLAlchemy's way.
        assert _plan(tags, ("id", "type", "name", "name_key"), conn.dialect) is None
        insert_rows(conn, tags, [{"id": 100_000, "type": "relationship", "name": "Ñ/W",
                                  "name_key": "ñ/w"}])
        assert _plan(relationship_members, tuple(given[0]), conn.dialect) is not None
        insert_rows(conn, relationship_members, given)
        members = conn.execute(select(*(relationship_members.c[k] for k in given[0]))
                               .where(relationship_members.c.tag_id == 100_000)
                               .order_by(relationship_members.c.position)).all()
        canonical = conn.scalar(select(tags.c.canonical).where(tags.c.id == 100_000))
        conn.rollback()
    lib.dispose()
    assert [dict(r._mapping) for r in members] == given
    assert canonical is False


def _ingest_counting_savepoints(db: str, folder: Path) -> tuple[int, dict[str, int]]:
    """Ingest `folder` through the library API; (SAVEPOINTs issued, outcome counts)."""
    from sqlalchemy import event

    from catalog.ingest.pipeline import IngestSettings, ingest
    from catalog.ingest.resolve import IngestOptions

    lib = Catalogue(db, write=True)
    statements: list[str] = []
    event.listen(lib.engine, "before_cursor_execute",
                 lambda _c, _k, sql, *_: statements.append(sql))
    outcomes: dict[str, int] = {}
    for report in ingest(lib.session, [str(folder)], IngestSettings(options=IngestOptions(),
                                                                    max_size=2**20)):
        outcomes[report.status] = outcomes.get(report.status, 0) + 1
    lib.dispose()
    return sum(s.lstrip().upper().startswith("SAVEPOINT") for s in statements), outcomes


def test_a_batch_of_new_works_takes_no_savepoint_until_the_database_refuses_one(
        db_path: Any, tmp_path: Path) -> None:
    # A run of new works opening a batch is undone by the transaction's own rollback, so it
    # takes no savepoint (SQLite would keep an undo copy of every page it changes)...
    clean, poisoned = tmp_path / "clean", tmp_path / "poisoned"
    for folder, bad in ((clean, None), (poisoned, 3)):
        folder.mkdir()
        for i in range(8):
            title = "Poison" if i == bad else f"{folder.name} {i}"
            (folder / f"s{i}.txt").write_text(f"Title: {title}\n\n{folder.name} text {i}.\n",
                                               "utf-8")
    assert _ingest_counting_savepoints(str(db_path), clean) == (0, {"ingested": 8})
    # ...and when the database refuses it, the batch is written again file by file.
    _poison(str(db_path))
    savepoints, outcomes = _ingest_counting_savepoints(str(db_path), poisoned)
    assert outcomes == {"ingested": 7, "failed": 1} and savepoints >= 8


def _niceness() -> int:
    return os.nice(0)


@pytest.mark.skipif(not hasattr(os, "nice"), reason="no process priorities (Windows)")
def test_parsing_workers_leave_the_writer_a_core() -> None:
    """The one writer is what an ingest waits for: the parsing workers run nicer than it."""
    with ProcessPoolExecutor(1, mp_context=workers._context(), initializer=workers._start,
                             initargs=(None, None)) as pool:
        assert pool.submit(_niceness).result() == min(os.nice(0) + workers.NICER, 19)


def test_tasks_grow_to_their_size_and_results_keep_the_input_order(tmp_path: Path,
                                                                   monkeypatch: Any) -> None:
    """Small tasks first (the writer starts at once), then tasks of `CHUNK` units; the
    results come back in the order the files were found, whichever worker parsed them."""
    sizes: list[int] = []
    submit = workers._Chunk.submit.__func__  # type: ignore[attr-defined]

    def recorded(cls: type, pool: Any, units: list[Any]) -> Any:
        sizes.append(len(units))
        return submit(cls, pool, units)

    monkeypatch.setattr(workers._Chunk, "submit", classmethod(recorded))
    root = tmp_path / "many"
    root.mkdir()
    for i in range(300):
        (root / f"{i:03}.txt").write_text(f"Story number {i}.\n", "utf-8")
    settings = IngestSettings(IngestOptions(), max_size=2**20, jobs=2)
    units = [u for u in discover([str(root)]) if isinstance(u, Unit)]
    parsed = list(workers.in_workers(units, settings, Lexicon({}, {}, {}), 2))
    assert [Path(p.entry.source).name for p in parsed] == [f"{i:03}.txt" for i in range(300)]
    assert sizes == [8, 16, 32, 64, 128, 52]


def test_a_packed_chapter_crosses_to_the_writer_without_its_text() -> None:
    """The workers send a chapter's text once, packed; the writer unpacks it only where it
    reads it (an update, a merge), and then it is the text that was parsed."""
    chapter = ChapterRecord(text="Spike’s arm-rest -- don't stop. " * 400, words=2000)
    packed = PackedChapter.of(chapter)
    data = pickle.dumps(packed, protocol=pickle.HIGHEST_PROTOCOL)
    assert len(data) < len(chapter.text) / 10  # the packed text only, not the string too
    back = pickle.loads(data)
    assert "text" not in vars(back) and isinstance(back.stored, bytes)
    assert back.text == chapter.text and replace(back, position=3).text == chapter.text
    assert (back.words, back.text_format) == (2000, "text")


def _stories(root: Path, count: int, word: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        (root / f"{i:03}.txt").write_text(
            f"Title: Story {i}\n\nThe {word}{i} grazed — quietly’s the word, {i} times.\n",
            "utf-8")
    return root


def _ids(cli: Cli, query: str) -> list[int]:
    return [int(x) for x in cli("list", "--format", "ids", "--", query).stdout.split()]


def test_texts_parsed_in_workers_are_stored_indexed_and_updated_whole(cli: Cli,
                                                                      tmp_path: Path) -> None:
    folder = _stories(tmp_path / "many", 120, "zebra")
    assert "ingested 120" in cli("ingest", str(folder), "--jobs", "2").stderr
    [work] = _ids(cli, "zebra77")
    assert _ids(cli, '"zebra77 grazed"') == [work]
    shown = cli("show", str(work), "--text", "--no-pager").stdout
    assert "The zebra77 grazed — quietly’s the word, 77 times." in shown
    _stories(folder, 120, "okapi")  # every text changed: each an update, not a new work
    assert "updated 120" in cli("ingest", str(folder), "--jobs", "2").stderr
    assert _ids(cli, "zebra77") == [] and _ids(cli, "okapi77") == [work]
    assert "The okapi77 grazed" in cli("show", str(work), "--text", "--no-pager").stdout
