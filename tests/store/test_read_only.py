"""A catalogue this process may only read (a read-only mount, or a file or folder it may not
write) is listed, shown, exported, checked and backed up; every write fails in one line.

Tests run as root, which ignores permission bits, so the CLI runs here as the unprivileged
user 65534 (`setpriv`), or on a read-only bind mount where `mount` is allowed."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from catalog.catalogue import Catalogue
from catalog.store import migrate
from tests.conftest import POSTGRES, ROOT, Cli
from tests.factories import exported_works

pytestmark = pytest.mark.skipif(
    POSTGRES, reason="read-only files are a SQLite matter (PostgreSQL's are the server's grants)")

NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


def _as_nobody() -> list[str]:
    """The prefix that runs a command without write permission on root's files, or skip."""
    if os.geteuid() != 0:
        return []  # permission bits already apply to this user
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: root ignores permission bits")
    probe = subprocess.run([*NOBODY, sys.executable, "-c", "import catalog"], cwd="/",
                           capture_output=True, text=True)
    if probe.returncode:
        pytest.skip(f"user 65534 cannot run this checkout's Python ({probe.stderr.strip()})")
    return NOBODY


def _run(prefix: list[str], db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "CATALOG_DB"}
    return subprocess.run([*prefix, sys.executable, "-m", "catalog", "--db", str(db), *args],
                          cwd="/", env=env | {"PYTHONPATH": str(ROOT)},
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def shelf() -> Iterator[Path]:
    """A folder everyone may read (pytest's own are private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="catalog-ro-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder)


def _catalogue(folder: Path) -> tuple[Path, list[dict[str, object]]]:
    """A catalogue of three stories in `folder`, its records, and no write permission for
    anyone but its owner."""
    stories = folder / "stories"
    stories.mkdir()
    for i in range(3):
        (stories / f"s{i}.txt").write_text(
            f"Title: Story {i}\nFandom: F{i % 2}\nRating: Teen And Up Audiences\n\n"
            f"Words of story {i} here.\n", "utf-8")
    db = folder / "cat.db"
    cli = Cli(db)
    cli("ingest", str(stories))
    Catalogue(str(db)).dispose()
    db.chmod(0o644)
    return db, cli.records()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _reads_work(prefix: list[str], db: Path, records: list[dict[str, object]],
                reason: str) -> None:
    listed = _run(prefix, db, "list", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout) == records
    shown = _run(prefix, db, "show", "2")
    assert shown.returncode == 0 and "Story 1" in shown.stdout
    exported = _run(prefix, db, "export", "fandom:F0")
    assert sorted(r["title"] for r in exported_works(exported.stdout)) == [
        "Story 0", "Story 2"]
    info = _run(prefix, db, "info")
    assert f"read-only: {reason}" in info.stdout
    checked = _run(prefix, db, "db", "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.rstrip().endswith("no problems")
    assert "info: full-text index: not checked" in checked.stdout


def _writes_fail(prefix: list[str], db: Path, reason: str) -> None:
    before = _digest(db)
    for args in (["ingest", str(db.parent / "stories")], ["remove", "1"],
                 ["tag", "synonym", "F0", "F1"], ["db", "reindex"],
                 ["db", "check", "--repair"], ["db", "upgrade"]):
        result = _run(prefix, db, *args)
        assert result.returncode == 1, (args, result.stdout)
        assert result.stderr == (f"error: the catalogue {db} is read-only ({reason}): this "
                                 "command changes it; list, show, export, db check and db "
                                 "backup still work\n"), args
    assert _digest(db) == before


def test_a_catalogue_in_a_folder_this_user_may_not_write(shelf: Path) -> None:
    prefix = _as_nobody()
    db, records = _catalogue(shelf)
    db.chmod(0o666)  # the file may be written: the folder alone stops SQLite
    shelf.chmod(0o555)
    reason = f"this user may not write its folder {shelf}"
    copies = Path(tempfile.mkdtemp(prefix="catalog-copies-"))
    copies.chmod(0o777)
    try:
        _reads_work(prefix, db, records, reason)
        _writes_fail(prefix, db, reason)
        assert sorted(p.name for p in shelf.iterdir()) == ["cat.db", "stories"]
        backed = _run(prefix, db, "db", "backup", str(copies / "copy.db"))
        assert backed.returncode == 0, backed.stderr
        assert Cli(copies / "copy.db").records() == records
    finally:
        shelf.chmod(0o755)
        shutil.rmtree(copies)


def test_a_read_only_file_in_a_folder_this_user_may_write(shelf: Path) -> None:
    prefix = _as_nobody()
    db, records = _catalogue(shelf)
    db.chmod(0o444)
    shelf.chmod(0o1777)  # anyone may make files here, as in /tmp
    reason = "this user may not write the file"
    _reads_work(prefix, db, records, reason)
    _writes_fail(prefix, db, reason)


def test_a_catalogue_on_a_read_only_mount(shelf: Path) -> None:
    db, records = _catalogue(shelf)
    mount = Path(tempfile.mkdtemp(prefix="catalog-mount-"))
    done = subprocess.run(["mount", "--bind", "-o", "ro", str(shelf), str(mount)],
                          capture_output=True, text=True)
    if done.returncode:
        mount.rmdir()
        pytest.skip(f"no read-only bind mount here ({done.stderr.strip() or 'mount failed'})")
    try:
        reason = "it is on a read-only file system"
        _reads_work([], mount / "cat.db", records, reason)
        _writes_fail([], mount / "cat.db", reason)
    finally:
        subprocess.run(["umount", str(mount)], check=True)
        mount.rmdir()


def test_an_older_read_only_catalogue_says_to_upgrade_a_copy(shelf: Path) -> None:
    prefix = _as_nobody()
    db = shelf / "old.db"
    lib = Catalogue(str(db), upgrade=False)
    migrate.upgrade(lib.engine, "0003")
    lib.dispose()
    db.chmod(0o444)
    result = _run(prefix, db, "list")
    assert result.returncode == 1
    assert result.stderr.startswith(f"error: the catalogue {db} is read-only (")
    assert "its schema (revision 0003) is older than this catalog's" in result.stderr
    assert "catalog --db COPY db upgrade" in result.stderr and result.stderr.count("\n") == 1
    lib = Catalogue(str(db), upgrade=False)
    with lib.connect() as conn:
        assert migrate.current_revision(conn) == "0003"
    lib.dispose()
