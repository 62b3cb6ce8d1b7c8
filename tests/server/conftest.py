"""A catalogue of the real corpus (and one hostile work) served in-process, once per
module: the pages and the API only read it. Tests that write get a catalogue of their own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from catalog.catalogue import Catalogue
from catalog.server.app import create_app
from tests.conftest import _CREATED, _SERVER, SHARED, migrated_database
from tests.factories import make_work

CORPUS = [SHARED / "corpus" / name for name in ("ao3-html", "ao3-page", "epub",
                                                 "text-headers")]
HOSTILE_TITLE = '<script>alert("title")</script> & <b>Bold</b>'


def hostile_file(folder: Path) -> Path:
    """A text work whose title, tags and text are markup that must show as text."""
    path = folder / "hostile.txt"
    path.write_text(make_work('Plain words <script>alert("text")</script> and <i>more</i>.',
                              title=HOSTILE_TITLE, fandom='<img src=x onerror=alert(1)>',
                              tags="<script>alert('tag')</script>"), encoding="utf-8")
    return path


def corpus_catalogue(folder: Path) -> str:
    db = migrated_database(folder / "corpus.db")
    lib = Catalogue(db)
    report = lib.ingest([*CORPUS, hostile_file(folder)])
    assert len(report.files) > 25 and not [r for r in report.errors
                                            if r.path.endswith("hostile.txt")]
    lib.dispose()
    return db


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = corpus_catalogue(tmp_path_factory.mktemp("served"))
    yield db
    if _SERVER is not None:
        _SERVER.drop(db)
        _CREATED.remove(db)


@pytest.fixture(scope="module")
def client(corpus_db: str) -> Iterator[TestClient]:
    lib = Catalogue(corpus_db)
    with TestClient(create_app(lib)) as test_client:
        yield test_client
    lib.dispose()


@pytest.fixture
def writer(migrated: Any, tmp_path: Path) -> Iterator[tuple[TestClient, Catalogue]]:
    """A read-write server over a small catalogue of its own: three text works."""
    lib = Catalogue(str(migrated))
    folder = tmp_path / "works"
    folder.mkdir()
    for n, (title, warning) in enumerate((("One", "Major Character Death"),
                                          ("Two", "No Archive Warnings Apply"),
                                          ("Three", "Graphic Depictions Of Violence")), 1):
        (folder / f"{n}.txt").write_text(make_work(f"Words of {title}.", title=title,
                                                   fandom="BtVS", warning=warning),
                                         encoding="utf-8")
    lib.ingest([folder])
    with TestClient(create_app(lib, read_write=True),
                    base_url="http://127.0.0.1:8000") as test_client:
        yield test_client, lib
    lib.dispose()
