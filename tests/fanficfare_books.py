"""FanFicFare EPUB and HTML files made at test time by FanFicFare itself (offline): its own
adapters and writers, with its shipped defaults.ini and per-site sections.

- AO3: the real archiveofourown.org adapter reads the real saved AO3 pages of work 35961484
  (both chapter pages are in the shared corpus) through a stand-in fetcher; only AO3's
  chapter index page (`/navigate`) is built, from the work page's own chapter list, byline
  and dates.
- fanfiction.net: no saved FFN page exists to read, so the real FFN adapter's metadata step
  is replaced by one that sets what it sets from a story page, with the same calls and the
  same parsing of FFN's "Rated: … - English - Genre - Characters - …" line.
- test1.com: FanFicFare's own offline test site (a site the reader knows nothing about).
"""

from __future__ import annotations

import io
import logging
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from selectolax.lexbor import LexborHTMLParser

from tests.conftest import SHARED

fanficfare = pytest.importorskip("fanficfare", reason="FanFicFare makes these test files "
                                 "(pip install -e '.[dev]')")
logging.getLogger("fanficfare").setLevel(logging.WARNING)

from fanficfare import adapters, writers  # noqa: E402
from fanficfare.adapters.adapter_fanfictionnet import FanFictionNetSiteAdapter  # noqa: E402
from fanficfare.configurable import Configuration  # noqa: E402

PAGES = SHARED / "corpus" / "ao3-page"
AO3_WORK = 35961484
AO3_URL = f"https://archiveofourown.org/works/{AO3_WORK}"
# What AO3 serves for each chapter of the work: both pages were saved from AO3.
AO3_CHAPTERS = {89650822: PAGES / "ao3apinode_work-35961484.html",
                89729749: PAGES / "ao3apinode_chapter-89729749.html"}
# Every book: its contents page and update log too (the EPUB defaults leave both out).
PAGES_ON = "[overrides]\ninclude_tocpage:true\ninclude_logpage:true\n"


def _configuration(url: str, fmt: str, extra: str = "") -> Any:
    """FanFicFare's configuration for `url` as its CLI builds it: defaults.ini, then ours."""
    config = Configuration(adapters.getConfigSectionsFor(url), fmt)
    config.read(str(Path(fanficfare.__file__).parent / "defaults.ini"))
    config.read_string(PAGES_ON + extra.strip() + "\n")
    return config


def _write(adapter: Any, config: Any, fmt: str, path: Path) -> Path:
    out = io.BytesIO()
    writers.getWriter(fmt, config, adapter).writeStory(outstream=out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue())
    return path


# AO3 ------------------------------------------------------------------------------------


class _AO3Pages:
    """A fetcher answering AO3's URLs from the saved pages."""

    def __init__(self) -> None:
        self.pages = {cid: path.read_text(encoding="utf-8") for cid, path in AO3_CHAPTERS.items()}

    def get_request_redirected(self, url: str, referer: Any = None, usecache: bool = True,
                               image: bool = False) -> tuple[str, str]:
        if "/navigate" in url:
            return self.navigate(), url
        chapter = re.search(r"/chapters/(\d+)", url)
        first = next(iter(self.pages))
        return self.pages[int(chapter[1]) if chapter else first], url

    def navigate(self) -> str:
        """AO3's chapter index, from the work page: title, byline, each chapter and date."""
        page = LexborHTMLParser(next(iter(self.pages.values())))
        heading, byline = page.css_first("h2.title"), page.css_first("h3.byline")
        assert heading is not None and byline is not None, "not an AO3 work page"
        title = " ".join(heading.text().split())
        dates = [" ".join(d.text().split()) for d in page.css("dl.stats dd.published, "
                                                                 "dl.stats dd.status")]
        items = "".join(
            f'<li><a href="/works/{AO3_WORK}/chapters/{option.attributes["value"]}">'
            f'{option.text().strip()}</a> <span class="datetime">'
            f'({datetime.fromisoformat(dates[min(i, len(dates) - 1)]):%Y-%b-%d})</span></li>'
            for i, option in enumerate(page.css("#selected_id option")))
        return (f'<html><body><div id="main"><h2 class="heading">Chapter Index for '
                f'<a href="/works/{AO3_WORK}">{title}</a> by {byline.html}</h2>'
                f'<ol class="chapter index group" role="navigation">{items}</ol>'
                "</div></body></html>")


def ao3_work(folder: Path, fmt: str = "epub", extra: str = "") -> Path:
    """AO3 work 35961484 as FanFicFare downloads it (`fmt` "epub" or "html"; `extra`: more
    of FanFicFare's settings, for [overrides])."""
    config = _configuration(AO3_URL, fmt, f"{extra}\n[archiveofourown.org]\nis_adult:true\n"
                            "use_view_full_work:false\n")
    config.get_fetcher = lambda *args, **kwargs: _AO3Pages()
    adapter = adapters.getAdapter(config, AO3_URL)
    return _write(adapter, config, fmt, folder / f"ao3-{AO3_WORK}.{fmt}")


# fanfiction.net ------------------------------------------------------------------------

FFN_URL = "https://www.fanfiction.net/s/8067258/1/"
# FFN's story line as the adapter reads it (Hurt/Comfort renamed first, as it does).
FFN_LINE = ("Rated: Fiction K+ - English - Adventure/Hurt/Comfort - [Harry P., Luna L.] "
            "Neville L. - Chapters: 2 - Words: 4,210 - Reviews: 12 - Favs: 30 - Follows: 25 - "
            "Updated: 3/21/2013 - Published: 4/28/2012 - Status: Complete - id: 8067258")
FFN_CHAPTERS = [("1. The Lake", "<p>The lake was frozen over, and Luna was on it.</p>"),
                ("2. The Thaw", "<p>By March the ice had gone, and so had Neville.</p>")]


class _FFNStory(FanFictionNetSiteAdapter):  # type: ignore[misc]
    """The FFN adapter with its story page read already: the same metadata calls."""

    complete = True
    title, author, chapters = "Thin Ice", "Wrackspurt", FFN_CHAPTERS

    def doExtractChapterUrlsAndMetadata(self, get_cover: bool = True) -> None:
        story = self.story
        self.set_story_idurl("https://www.fanfiction.net/s/8067258/1/Thin-Ice")  # canonical
        story.setMetadata("authorId", "1234")
        story.setMetadata("authorUrl", "https://www.fanfiction.net/u/1234/")
        story.setMetadata("author", self.author)
        story.addToList("category", "Harry Potter")
        rating = "Fiction K+"
        story.setMetadata("rating", rating[8:] if "Fiction" in rating else rating)
        story.setMetadata("title", self.title)
        self.setDescription(self.url, "Luna skates; Neville worries. Friendship, mostly.")
        line = FFN_LINE.replace("Hurt/Comfort", "Hurt-Comfort")
        if not self.complete:
            line = line.replace(" - Status: Complete", "")
        story.setMetadata("status", "Completed" if "Status: Complete" in line else "In-Progress")
        meta = re.split(" ?- ", line)[1:]
        story.setMetadata("language", meta.pop(0))
        story.extendList("genre", meta.pop(0).split("/"))
        story.setMetadata("dateUpdated", datetime(2013, 3, 21, 10, 4, 5))
        story.setMetadata("datePublished", datetime(2012, 4, 28, 18, 30))
        people = []
        for part in meta:
            key, _, value = part.partition(":")
            if key.strip() == "Words":
                story.setMetadata("numWords", value.strip())
            elif not value:
                people.append(part)
        text = " - ".join(people)
        story.extendList("characters", text.replace("[", "").replace("]", ",").split(","))
        while "[" in text:
            story.addToList("ships", text[text.index("[") + 1:text.index("]")]
                            .replace(", ", "/"))
            text = text[text.index("]") + 1:]
        for i, (title, _) in enumerate(self.chapters, start=1):  # the chapter menu's options
            self.add_chapter(title, f"https://www.fanfiction.net/s/8067258/{i}/{self.urltitle}")

    def getChapterText(self, url: str) -> str:
        number = int(url.split("/")[5])
        return f"<div class='storytext'>{self.chapters[number - 1][1]}</div>"


def ffn_story(folder: Path, fmt: str = "epub", *, complete: bool = True,
              title: str | None = None, author: str | None = None,
              chapters: list[tuple[str, str]] | None = None,
              only: tuple[int, int] | None = None) -> Path:
    """A fanfiction.net story as FanFicFare downloads it; `title`, `author` and `chapters`
    ((menu title, HTML) each) replace the made-up story's; `only` (first, last) downloads
    those chapters alone (FanFicFare's `-b`/`-e`)."""
    config = _configuration(FFN_URL, fmt)
    adapter = _FFNStory(config, FFN_URL)
    if only is not None:
        adapter.setChaptersRange(*map(str, only))  # as its command line gives them
    adapter.complete = complete
    adapter.title = title or adapter.title
    adapter.author = author or adapter.author
    adapter.chapters = chapters or adapter.chapters
    name = f"ffn-8067258-ch{only[0]}-{only[1]}" if only else "ffn-8067258"
    return _write(adapter, config, fmt, folder / f"{name}.{fmt}")


# FanFicFare's own test site --------------------------------------------------------------


def offline_site_story(folder: Path, sid: int, fmt: str = "epub", extra: str = "") -> Path:
    """FanFicFare's offline test story `sid` of test1.com (odd ids are in progress)."""
    url = f"http://test1.com?sid={sid}"
    config = _configuration(url, fmt, extra)
    return _write(adapters.getAdapter(config, url), config, fmt, folder / f"test1-{sid}.{fmt}")
