"""`catalog vocab export`: the catalogue's wrangling as a version 2 vocabulary that
`vocab load` reads back, so wrangling travels to another catalogue unchanged."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.conftest import SHARED, Cli, new_database
from tests.factories import make_work

DUMP = SHARED / "corpus" / "datadump" / "amecreate_fandom500_tags-subset.csv"


def _wrangle(cli: Cli, write) -> None:  # type: ignore[no-untyped-def]
    lib = write("lib/a.txt", make_work("Words a.", title="A", rating="Lemon", tags="slowburn",
                                       characters="Kaylee Frye")).parent
    write("lib/b.txt", make_work("Words b.", title="B", fandom="Firefly", tags="Slow Burn"))
    cli("ingest", str(lib))
    cli("tag", "synonym", "Lemon", "Explicit", "--type", "rating")
    cli("tag", "synonym", "slowburn", "Slow Burn")
    cli("tag", "parent", "Slow Burn", "Romance (Genre)")
    cli("tag", "canonical", "Firefly")
    cli("tag", "canonical", "Kaylee Frye")
    cli("tag", "rename", "Firefly", "Firefly (TV)")
    cli("tag", "parent", "Kaylee Frye", "Firefly (TV)")


def test_export_load_export_is_identical(cli: Cli, write, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _wrangle(cli, write)
    first = cli("vocab", "export").stdout
    data = yaml.safe_load(first)
    assert data["version"] == 2 and list(data)[1:4] == ["ratings", "warnings", "categories"]
    explicit = next(e for e in data["ratings"] if e["name"] == "Explicit")
    assert "Lemon" in explicit["synonyms"]
    freeforms = {e["name"]: e for e in data["freeforms"]}
    assert freeforms["Slow Burn"] == {"name": "Slow Burn", "synonyms": ["slowburn"],
                                      "parents": ["Romance (Genre)"]}
    assert {"name": "Romance (Genre)"} in data["freeforms"]
    characters = {e["name"]: e for e in data["characters"]}
    assert characters["Kaylee Frye"]["fandoms"] == ["Firefly (TV)"]
    fandoms = {e["name"]: e for e in data["fandoms"]}
    assert fandoms["Firefly (TV)"]["synonyms"] == ["Firefly"]
    target = tmp_path / "wrangling.yaml"
    cli("vocab", "export", "-o", str(target))
    assert target.read_text(encoding="utf-8") == first
    assert "already exists" in cli("vocab", "export", "-o", str(target), ok=False).stderr
    fresh = Cli(new_database(tmp_path / "fresh.db"))
    fresh("vocab", "load", str(target))
    assert fresh("vocab", "export").stdout == first
    # and it takes effect there: a work written Lemon is Explicit
    fresh("ingest", str(write("c.txt", make_work("Words c.", title="C", rating="lemon"))))
    assert fresh("list", "--format", "ids", "--", "rating:explicit").stdout == "1\n"


def test_imported_ao3_tags_are_written_only_with_all(cli: Cli) -> None:
    cli("vocab", "import-ao3", str(DUMP))
    plain = yaml.safe_load(cli("vocab", "export").stdout)
    every = yaml.safe_load(cli("vocab", "export", "--all").stdout)
    def imported(data: dict[str, object]) -> list[dict[str, object]]:
        return [e for s in data.values() if isinstance(s, list) for e in s if "ao3_id" in e]

    assert len(imported(every)) > 100
    # without --all, only imported tags with wrangling of the user's own (the shipped
    # vocabulary's synonyms and metatags of Buffy and Angel, say)
    assert 0 < len(imported(plain)) < 5
    assert all("synonyms" in e or "parents" in e for e in imported(plain))


def test_loading_refuses_what_ao3_fixes(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("version: 2\nratings:\n  - name: Spicy\nwarnings:\n"
                    "  - name: Major Character Death\n    synonyms: [Everyone Dies]\n",
                    encoding="utf-8")
    done = cli("vocab", "load", str(path))
    assert "ratings are AO3's fixed vocabulary: 'Spicy'" in done.stderr
    assert "new warning synonym 'Everyone Dies' refused" in done.stderr
    assert "version: 1` (or 2)" in cli("vocab", "load", str(_v(tmp_path, 3)), ok=False).stderr


def _v(folder: Path, version: int) -> Path:
    path = folder / f"v{version}.yaml"
    path.write_text(f"version: {version}\n", encoding="utf-8")
    return path
