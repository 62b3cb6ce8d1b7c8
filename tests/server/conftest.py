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
from tests.corpus import HOSTILE_TITLE, corpus_catalogue
from tests.factories import make_work

__all__ = ["HOSTILE_TITLE", "corpus_catalogue"]


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
