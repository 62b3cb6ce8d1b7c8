"""The real corpus as one catalogue, with a hostile work beside it: what the served pages
and the books are tested on."""

from __future__ import annotations

from pathlib import Path

from catalog.catalogue import Catalogue
from tests.conftest import SHARED, migrated_database
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
