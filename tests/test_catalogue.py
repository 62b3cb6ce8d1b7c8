"""The public API: `from catalog import Catalogue` and the names beside it, on every backend."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import catalog
from catalog import (
    CatalogError,
    Catalogue,
    Filters,
    IngestOptions,
    NotFoundError,
    ReadOnlyError,
)
from catalog.store.migrate import head_revision
from tests.conftest import POSTGRES, ROOT, Cli
from tests.factories import exported_works, make_work, write_works


def test_every_public_name_resolves() -> None:
    for name in catalog.__all__:
        assert getattr(catalog, name) is not None, name
    assert issubclass(ReadOnlyError, CatalogError)


def test_importing_the_package_loads_no_database_layer() -> None:
    code = ("import sys, catalog, catalog.wordcount\n"
            "print(sorted(m for m in sys.modules\n"
            "             if m.startswith(('sqlalchemy', 'catalog.store'))))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout
    assert out.strip() == "[]"


def test_open_as_a_context_manager_and_read_the_schema(db_path: Path | str,
                                                       cli: Cli, tmp_path: Path) -> None:
    story = tmp_path / "s.txt"
    story.write_text("Title: One\nFandom: F\n\nA few words.\n", encoding="utf-8")
    cli("ingest", str(story))
    with Catalogue.open(str(db_path)) as cat:
        assert cat.revision() == (head_revision(), head_revision())
        info = cat.info()
        assert info["works"] == 1 and info["revision"] == head_revision()
        assert cat.upgrade() == head_revision()
    assert "engine" in cat.__dict__  # used, then disposed on leaving the block


STORIES = {
    "a.txt": make_work("One two three four five.", title="Alpha",
                       fandom="Buffy the Vampire Slayer", characters="Willow Rosenberg",
                       rating="General Audiences"),
    "b.txt": make_work("Six seven eight.", title="Beta", fandom="Buffy the Vampire Slayer",
                       rating="Explicit", warning="Major Character Death"),
    "c.txt": make_work("Nine ten eleven twelve thirteen fourteen fifteen.", title="Gamma",
                       fandom="Angel", rating="Teen And Up Audiences"),
}


@pytest.fixture
def cat(migrated: Path | str, tmp_path: Path) -> Iterator[Catalogue]:
    folder = write_works(tmp_path / "fic", STORIES)
    with Catalogue.open(str(migrated)) as opened:
        report = opened.ingest([str(folder)], jobs=1)
        assert report.counts["ingested"] == 3 and report.errors == []
        assert report.summary().startswith("ingested 3 · updated 0")
        yield opened


def test_works_are_records_read_as_attributes(cat: Catalogue) -> None:
    works = list(cat.works("fandom:buffy sort:-words"))
    assert [(w.title, w.words) for w in works] == [("Alpha", 5), ("Beta", 3)]
    assert works[0]["fandoms"] == ["Buffy the Vampire Slayer"] and "text" not in works[0]
    with pytest.raises(AttributeError):
        _ = works[0].no_such_key
    assert [w.title for w in cat.works("sort:title", limit=1, offset=1)] == ["Beta"]
    assert next(cat.works("gamma", texts=True)).text.startswith("Nine ten")


def test_ids_count_page_and_filters(cat: Catalogue) -> None:
    assert list(cat.ids("-warning:mcd sort:id")) == [1, 3]
    assert cat.count() == 3 and cat.count("fandom:angel") == 1
    assert cat.count("", cap=1) == 2  # counting stops past the cap
    page = cat.page("sort:id", limit=2, cap=1)
    assert [w.id for w in page.works] == [1, 2] and page.more and page.offset == 0
    query = Catalogue.query("sort:-id", Filters(rating=["explicit", "teen"]))
    assert list(cat.ids(query)) == [3, 2]
    with pytest.raises(CatalogError, match="unknown field"):
        cat.count("nosuchfield:x")
    with pytest.raises(CatalogError, match="nothing to search for"):
        cat.works("!!!")  # at the call, before a first record is asked for


def test_one_work_and_stats(cat: Catalogue) -> None:
    work = cat.work(1)
    assert work.title == "Alpha" and work.characters == ["Willow Rosenberg"]
    assert work.text.strip() == "One two three four five."
    with pytest.raises(NotFoundError):
        cat.work(99)
    stats = cat.stats("fandom:buffy")
    assert (stats["works"], stats["words"]) == (2, 8)
    # counted under the canonical tag its synonym is wrangled to
    assert stats["top"]["fandoms"] == [{"name": "Buffy the Vampire Slayer (TV)", "works": 2}]


def test_export_to_a_file_and_a_stream(cat: Catalogue, tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    assert cat.export(target, "fandom:buffy") == 2
    works = exported_works(target.read_text(encoding="utf-8"))
    assert [w["title"] for w in works] == ["Alpha", "Beta"]
    with pytest.raises(CatalogError, match="already exists"):
        cat.export(target)
    stream = io.StringIO()
    assert cat.export(stream, format="csv", texts=False) == 3
    assert stream.getvalue().splitlines()[0].startswith("id,title,")


def test_remove_check_reindex_compact_and_backup(cat: Catalogue, tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="nothing was removed"):
        cat.remove([1, 99])
    assert cat.count() == 3
    assert cat.remove([2]) == [(2, "Beta")]
    assert list(cat.ids()) == [1, 3]
    report = cat.check()
    assert report.problems == 0 and report.repaired == []
    assert cat.reindex() == (2, 1 if POSTGRES is False else 0)
    repaired = cat.check(repair=True)
    assert repaired.problems == 0 and repaired.repaired
    compacted = cat.compact()  # ingest packed every text already: nothing left to pack
    assert compacted is None if POSTGRES else (compacted is not None
                                               and compacted.chapters == 0)
    if POSTGRES:
        with pytest.raises(CatalogError, match="pg_dump"):
            cat.backup(tmp_path / "copy.db")
        return
    size = cat.backup(tmp_path / "copy.db")
    assert size == (tmp_path / "copy.db").stat().st_size
    with Catalogue.open(str(tmp_path / "copy.db")) as copy:
        assert list(copy.ids()) == [1, 3]


def test_ingest_reports_each_failure_and_lands_the_rest(db_path: Path | str,
                                                        tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("Title: Good\n\nFine words.\n", encoding="utf-8")
    (tmp_path / "bad.epub").write_bytes(b"not a zip")
    with Catalogue.open(str(db_path)) as cat:
        dry = cat.ingest([tmp_path], dry_run=True)
        assert dry.summary().startswith("dry run: ingested 1") and cat.count() == 0
        report = cat.ingest([tmp_path], options=IngestOptions(fandoms=["Firefly"]))
        assert report.counts["ingested"] == 1
        assert [(Path(r.path).name, bool(r.error)) for r in report.errors] == [("bad.epub", True)]
        assert next(cat.works()).fandoms == ["Firefly"]
        assert "epub" in Catalogue.input_formats()
        assert Catalogue.history()[0][0] == head_revision()


def test_tags_and_wrangling(cat: Catalogue, tmp_path: Path) -> None:
    willow = [t for t in cat.tags(type="character") if t["name"] == "Willow Rosenberg"]
    assert willow == [{"type": "character", "name": "Willow Rosenberg", "works": 1,
                       "status": "canonical", "synonym_of": None}]
    done = cat.synonym("Red", "Willow Rosenberg", type="character")
    assert (done.type, done.name, done.other, done.link) == (
        "character", "Red", "Willow Rosenberg", "synonym")
    assert "Red" in cat.tag_info("Willow Rosenberg", type="character")["synonyms"]
    assert cat.make_canonical("Red", type="character").link == "canonical"
    added = cat.add_parent("Buffy the Vampire Slayer (Comics)", "Buffy the Vampire Slayer (TV)")
    assert (added.name, added.other, added.link) == (
        "Buffy the Vampire Slayer (Comics)", "Buffy the Vampire Slayer (TV)", "metatag")
    fandom = cat.add_parent("Willow Rosenberg", "Angel: the Series")
    assert (fandom.type, fandom.other, fandom.link) == ("character", "Angel: the Series",
                                                        "fandom")
    renamed = cat.rename("Willow Rosenberg", "Willow Rosenberg-Maclay", type="character")
    assert (renamed.name, renamed.other, renamed.link) == (
        "Willow Rosenberg", "Willow Rosenberg-Maclay", "synonym")
    assert list(cat.ids('character:"willow rosenberg-maclay"')) == [1]
    with pytest.raises(NotFoundError):
        cat.tag_info("No Such Tag")
    vocabulary = tmp_path / "v.yaml"
    vocabulary.write_text("version: 1\ncharacters:\n  - name: Zed Quill\n    synonyms: [Zed Q.]\n",
                          encoding="utf-8")
    loaded = cat.load_vocabulary(vocabulary)
    assert loaded.created["character"] >= 1 and loaded.linked == 1
    dump = tmp_path / "tags.csv"
    dump.write_text("id,type,name,canonical,cached_count,merger_id\n"
                    "1,Freeform,Fluff,true,10,\n2,Freeform,fluffy,false,1,1\n",
                    encoding="utf-8")
    seen: list[int] = []
    imported = cat.import_ao3_tags(dump, seen.append)
    assert imported.rows == 2 and imported.synonyms == 1
    rows = io.StringIO()
    assert Catalogue.write(cat.tags(search="fluff", include_unused=True), rows, format="csv",
                           columns=("type", "name", "status")) == 2
    assert rows.getvalue().splitlines() == [
        "type,name,status", "freeform,Fluff,canonical", "freeform,fluffy,synonym"]


def test_the_readme_python_example_runs(tmp_path: Path) -> None:
    """The README's example, as written, against a home folder of stories."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Use it from Python", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    write_works(tmp_path / "fic", {**STORIES, "spike.txt": make_work(
        "Tara read. " * 700, title="Tara", fandom="BtVS", characters="Spike",
        rating="Teen And Up Audiences")})
    env = {k: v for k, v in os.environ.items() if k != "CATALOG_DB"} | {"HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ingested 4 · updated 0")
    assert len(exported_works((tmp_path / "backup.jsonl").read_text(encoding="utf-8"))) == 4


def test_an_in_memory_catalogue_reads_what_it_writes(tmp_path: Path) -> None:
    """One in-memory database per engine: the writer must be the reader's engine."""
    write_works(tmp_path / "fic", STORIES)
    with Catalogue.open(":memory:") as cat:
        assert cat.ingest([tmp_path / "fic"]).counts["ingested"] == 3
        assert cat.remove([2]) == [(2, "Beta")]
        assert list(cat.ids()) == [1, 3]
        with pytest.raises(CatalogError, match="unknown output format"):
            cat.export(io.StringIO(), format="xml")


def test_ingesting_counts_first_then_reports_each_file(migrated: Path | str,
                                                       tmp_path: Path) -> None:
    folder = write_works(tmp_path / "fic", STORIES)
    (folder / "bad.epub").write_bytes(b"not a zip")
    with Catalogue.open(str(migrated)) as cat:
        run = cat.ingesting([folder], jobs=1)
        assert run.total == 4  # known before anything is read
        reports = list(run)
    assert sorted(r.status for r in reports) == ["failed", "ingested", "ingested", "ingested"]
    assert [r.path for r in reports if r.status == "failed"] == [str(folder / "bad.epub")]


def test_ingesting_without_counting_finds_the_files_as_it_goes(migrated: Path | str,
                                                               tmp_path: Path) -> None:
    """count=False: no total, nothing found before the run is read, the same reports."""
    folder = write_works(tmp_path / "fic", STORIES)
    with Catalogue.open(str(migrated)) as cat:
        run = cat.ingesting([folder], jobs=1, count=False)
        assert run.total is None
        (folder / "late.txt").write_text("Title: Late\n\nFound when read.\n", "utf-8")
        reports = list(run)
    assert "Late" in {r.title for r in reports}  # written after the call, found all the same
    assert [r.status for r in reports] == ["ingested"] * (len(STORIES) + 1)


def test_engines_sessions_and_connections_read_the_same_catalogue(cat: Catalogue) -> None:
    from sqlalchemy import func, select, text

    from catalog.store.tables import works

    with cat.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(works)) == 3
    with cat.session() as session:
        assert session.scalar(text("SELECT title FROM works WHERE id = 2")) == "Beta"
    with cat.sessions() as session:
        assert session.scalar(select(func.max(works.c.id))) == 3
    assert cat.engine.dialect.name in ("sqlite", "postgresql")
    with cat.writer.begin() as conn:
        conn.execute(text("UPDATE works SET title = 'Beta 2' WHERE id = 2"))
    assert cat.work(2).title == "Beta 2"
    assert cat.read_only is None
    shown = cat.display_url()
    assert "password" not in shown and (shown == cat.url or "://" in shown
                                        or Path(shown).is_absolute())
    cat.dispose()  # pooled connections closed; the next use opens new ones
    assert cat.count() == 3


def test_the_facade_tests_cover_every_public_method() -> None:
    """A method added to the facade comes with a test here."""
    import re

    source = Path(__file__).read_text(encoding="utf-8")
    public = [name for name in vars(Catalogue) if not name.startswith("_")]
    untested = [n for n in public if not re.search(rf"\.{n}\b", source)]
    assert untested == []


def test_curation_edits_searches_and_the_blocklist(cat: Catalogue) -> None:
    from catalog import Edit

    done = cat.edit([1], Edit(title="Alpha Prime", add=["freeform:Reread"]))
    assert (done.works, done.changed) == (1, [1])
    assert cat.work(1).title == "Alpha Prime"
    assert cat.edit(where="fandom:angel", what=Edit(add=["freeform:Reread"])).changed == [3]
    with pytest.raises(NotFoundError):
        cat.edit([9], Edit(title="x"))
    assert cat.save_search("again", "tag:reread") is False
    assert [s["name"] for s in cat.searches()] == ["again"]
    assert list(cat.ids("@again")) == [1, 3]
    block = cat.block("rating:explicit")
    assert [b["id"] for b in cat.blocks()] == [block]
    assert list(cat.ids()) == [1, 3] and cat.page().hidden == 1
    assert list(cat.ids(cat.query("", Filters(block=False)))) == [1, 2, 3]
    assert cat.unblock(block) == "rating:explicit"
    assert cat.mark([1, 3], "later") == 2
    assert list(cat.ids("reading:later")) == [1, 3]
    with pytest.raises(NotFoundError):
        cat.mark([9], "read")
    assert cat.remove_search("again") == "again"
    with pytest.raises(CatalogError):
        cat.save_search("bad", "@missing")
    assert cat.series() == []  # none of these works is in a series
    assert cat.dupes() == [] and cat.dupes(by="text") == []  # three different stories
    assert cat.authors() == []  # the stories name no creator
    facets = cat.facets()  # the whole catalogue: exact, from the kept counts
    assert facets["sample"] is None
    assert facets["top"] == cat.stats(top=10)["top"]
    sampled = cat.facets("words:>0", sample=2)  # the first two matches only
    assert sampled["sample"] == 2 and sum(r["works"] for r in sampled["top"]["ratings"]) == 2
    assert cat.facets("words:>0", sample=100)["top"] == cat.stats("words:>0")["top"]
    spread = cat.spread()
    assert sum(n for _, n in spread["words"]) == cat.count()  # every work in one step
    assert [label for label, _ in spread["words"]][0] == "under 1k"
    assert sum(n for _, n in spread["years"]) <= cat.count()
    with pytest.raises(CatalogError, match="unknown duplicate key"):
        cat.dupes(by="colour")
    assert cat.vocabulary()["version"] == 2
    out = io.StringIO()
    cat.export_vocabulary(out)
    assert out.getvalue().count("- name: Buffy the Vampire Slayer (TV)") == 1


def test_books_out_and_back(cat: Catalogue, tmp_path: Path) -> None:
    """export_books writes one file for one work, a folder for several; book() is one
    work's file name and bytes."""
    name, data = cat.book(1, "epub")
    assert name.startswith("1-") and name.endswith(".epub") and data[:2] == b"PK"
    name, html = cat.book(1, "html")
    assert name.endswith(".html") and b'id="preface"' in html
    with pytest.raises(CatalogError, match="unknown book format"):
        cat.book(1, "pdf")
    one = cat.export_books(tmp_path / "one.epub", "id:1")
    assert one == [tmp_path / "one.epub"] and one[0].read_bytes()[:2] == b"PK"
    many = cat.export_books(tmp_path / "shelf", format="html")
    assert len(many) == cat.count() and all(p.parent == tmp_path / "shelf" for p in many)
    with pytest.raises(CatalogError, match="already exists"):
        cat.export_books(tmp_path / "shelf", format="html")
    with pytest.raises(NotFoundError):
        cat.export_books(tmp_path / "none.epub", "title:nothing-like-this")
