"""`show --text` reads as a story (the real corpus: no markup left, paragraphs kept,
chapter headings), `show --html` gives the stored HTML, and long text goes through a pager
only on a terminal."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest

from catalog.catalogue import Catalogue
from catalog.cli import pager
from catalog.readable import text_of
from tests.conftest import Cli


def test_every_corpus_story_reads_without_markup(corpus_db: str) -> None:
    cli = Cli(corpus_db)
    lib = Catalogue(corpus_db)
    works = [w for w in lib.works() if w["format"] in ("ao3-html", "epub", "ao3-page")]
    assert len(works) > 10
    for work in works:
        text = cli("show", str(work["id"]), "--text", "--no-pager").stdout
        assert not re.search(r"</?[a-zA-Z][a-zA-Z0-9]*[\s>/]", text), work["id"]
        assert "&amp;" not in text and "&nbsp;" not in text
        stored = cli("show", str(work["id"]), "--html").stdout
        assert "<p" in stored or "<div" in stored
        if stored.count("<p") > 1 and len(text.split()) > 50:
            assert "\n\n" in text  # paragraphs apart
        headings = re.findall(r"^Chapter \d+.*\n=+$", text, flags=re.MULTILINE)
        if work["chapters"] > 1:
            assert len(headings) == work["chapters"], work["id"]
    lib.dispose()


def test_the_light_markup() -> None:
    html = ("<p>She <em>ran</em>, <strong>fast</strong>.</p><p>***</p><hr>"
            "<ul><li>one</li><li>two</li></ul><p>Line<br>break &amp; more</p>")
    assert text_of(html) == ("She _ran_, *fast*.\n\n* * *\n\n- one\n\n- two\n\n"
                             "Line\nbreak & more")
    assert text_of("First.\n\nSecond <b>as written</b>.", "text") == \
        "First.\n\nSecond <b>as written</b>."
    assert text_of("<p><script>alert(1)</script>Safe</p>") == "Safe"


def test_the_pager_only_on_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    paged = tmp_path / "paged.txt"
    monkeypatch.setenv("PAGER", f"sh -c 'cat > {paged}'")
    pager.page("not a terminal\n")
    assert capsys.readouterr().out == "not a terminal\n" and not paged.exists()

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdout", Terminal())
    pager.page("on a terminal\n")
    assert paged.read_text() == "on a terminal\n"
    paged.unlink()
    pager.page("asked not to\n", pager=False)
    assert not paged.exists() and sys.stdout.getvalue() == "asked not to\n"
