"""The command line as a whole: help everywhere, start-up cost, installation."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from catalog.cli.app import app
from tests.conftest import ROOT, SEEDS

COMMANDS = [["ingest"], ["list"], ["show"], ["export"], ["tags"], ["remove"], ["info"],
            ["db"], ["db", "upgrade"], ["db", "current"], ["db", "history"]]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help_with_an_example(command: list[str]) -> None:
    result = CliRunner().invoke(app, [*command, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
    if command != ["db"]:
        assert "catalog " in result.output.split("Usage:", 1)[1]  # an example


@pytest.mark.parametrize("command", [*COMMANDS, ["stats"], ["tag", "synonym"]], ids=" ".join)
def test_help_names_values_as_people_do(command: list[str]) -> None:
    """`--title TEXT`, `--jobs N`, `QUERY...`: never Typer's Python type labels."""
    out = CliRunner().invoke(app, [*command, "--help"], env={"COLUMNS": "200"}).output
    for label in ("<str>", "<list[str]>", "<int>", "<int range>", "<list[int]>", "<path>"):
        assert label not in out, (label, out)


def test_ingest_help_names_every_reader() -> None:
    from catalog.ingest.readers import reader_names

    shown = "".join(CliRunner().invoke(app, ["ingest", "--help"]).output.split())  # unwrapped
    listed = shown.split("insteadofdetectingit:", 1)[1].split(".", 1)[0].split(",")
    assert listed == reader_names()


def test_help_does_not_import_the_orm_or_alembic() -> None:
    code = ("import sys; from catalog.cli.app import app\n"
            "try: app(['--help'])\nexcept SystemExit: pass\n"
            "print(sorted(m for m in ('sqlalchemy', 'alembic', 'yaml') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_console_script_end_to_end(tmp_path: Path) -> None:
    """The installed `catalog` script, as a user runs it: ingest the seeds, list, exit codes."""
    exe = Path(sys.executable).parent / "catalog"
    env = {**os.environ, "CATALOG_DB": str(tmp_path / "c.db")}
    done = subprocess.run([exe, "ingest", str(SEEDS)], capture_output=True, text=True, env=env)
    assert done.returncode == 0 and "ingested 5" in done.stderr
    listed = subprocess.run([exe, "list", "--format", "ids"], capture_output=True, text=True,
                            env=env)
    assert listed.stdout.split() == ["1", "2", "3", "4", "5"]
    bad = subprocess.run([exe, "list", "--rating", "bogus"], capture_output=True, text=True,
                         env=env)
    assert bad.returncode == 1 and bad.stderr.startswith("error: unknown rating")


def test_non_editable_install_finds_its_migrations(tmp_path: Path) -> None:
    """`pip install .` (not editable) ships the Alembic scripts inside the package."""
    source, target = tmp_path / "src", tmp_path / "site"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".venv", ".git", "build", "*.egg-info", "__pycache__", "bench"))
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--target", str(target), str(source)], check=True, capture_output=True)
    assert (target / "catalog" / "migrations" / "versions").is_dir()
    code = ("import catalog, catalog.store.migrate as m; print(catalog.__file__); "
            "print(m.migrations_dir()); from catalog.cli.app import main; main()")
    env = {**os.environ, "PYTHONPATH": str(target), "CATALOG_DB": str(tmp_path / "i.db")}
    done = subprocess.run([sys.executable, "-c", code, "ingest", str(SEEDS)], cwd=tmp_path,
                          capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    package_file, migrations, *_ = done.stdout.splitlines()
    assert package_file.startswith(str(target)) and migrations.startswith(str(target))
    assert "ingested 5" in done.stderr


@pytest.mark.parametrize(("db", "message"), [
    ("/proc/no-such-dir/c.db", "cannot create the catalogue's folder"),
    ("nosuchdialect://x", "database:"),
])
def test_bad_database_is_one_clear_error(db: str, message: str) -> None:
    result = CliRunner().invoke(app, ["--db", db, "list"])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and message in result.stderr
    assert "Traceback" not in result.output


def test_file_that_is_not_a_database(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_text("this is not SQLite, it is a story", "utf-8")
    result = CliRunner().invoke(app, ["--db", str(junk), "info"])
    assert result.exit_code == 1 and "file is not a database" in result.stderr
    assert junk.read_text("utf-8") == "this is not SQLite, it is a story"
