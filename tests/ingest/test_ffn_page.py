"""Saved fanfiction.net story pages (`ffn-page`), through the real CLI.

The pages below are written for these tests (titles, names and story text are ours) but
follow the site's markup as real saved pages show it: the desktop layout of story pages
committed to ambtus/mobile-pages (features/html/counting1.html, counting2.html, ibiki.html,
part6.html) and quoted whole in a D adapter's unit test ("Scribble Pad"), with
FanFicFare's adapter_fanfictionnet.py for the crossover breadcrumb ("A + B Crossover"),
"[A, B]" pairings and data-xutime dates. No saved mobile page was found whole: the mobile
page follows the fragments scrapers match on m.fanfiction.net (div#content with
`<div align=center><b>title</b> by <a href='/u/…'>`, "Rated: …, English, …" with ", "
between fields and "17k+" words, "Chapter 3: Title<br></div><div role='main' …>", div
#storycontent, "Ch 3 of <a>12</a>"), and the error page the span.gui_warning they check.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from catalog.ingest.readers import sniff
from catalog.ingest.readers.ffn_page import is_ffn_page
from tests.conftest import SHARED, Cli

STORY = 9184523
PUBLISHED, UPDATED = 1278984264, 1536107877  # 2010-07-13 and 2018-09-05, UTC
GA, TEEN, MATURE = "General Audiences", "Teen And Up Audiences", "Mature"
TEXT = ("<p>The tide went out past the pier and kept going.</p>"
        "<p><em>Low water,</em> Hermione said. <strong>Nobody</strong> answered.</p>")
TEXT_WORDS = 16

HEAD = """<!DOCTYPE html><html><head>
<meta charset='utf-8'>
<META NAME='ROBOTS' CONTENT='NOARCHIVE'>
<META NAME='viewport' content='width=device-width'><link rel="canonical"
 href="//www.fanfiction.net/s/{sid}/{ch}/Tide-Tables">
<title>{title}, a harry potter fanfic | FanFiction</title>
<link rel='stylesheet' href='/static/styles/xss26.css?v=1.0.0'>
<script src='/static/scripts/combo5.js?v=1.0.0'></script>
<script>
        xcookie_read();
        xfont_auto_loader();
        </script>
</head><body style='background-color:#E4E3D5;margin-top:0px;'><script>xfont_fix_smooth();</script>
<div id=top style='width:100%;background-color: #333399; '>
<div class='menulink maxwidth' style='padding:0.5em 10px 0.5em 10px; vertical-align:middle;'>
<span id=name_login class=pull-right></span><a href='/' style='font-size:1.1em;border:none;'
>FanFiction</a>&#160;&#160;<small>|</small>&#160;&#160;unleash your imagination <span
 class='icon-kub-mobile' style='font-size:14px;margin-left:10px;' title='Mobile Edition'
 onclick="location = '//m.fanfiction.net'"></span></div>
</div>
<div style='width:100%;' class=zmenu>
<div id=zmenu class='maxwidth' style='vertical-align:middle;padding:5px;'>
<span class=zui><table class='maxwidth'><tr><td valign=middle>
<div class='dropdown xmenu_item'>
<a class='dropdown-toggle' data-toggle='dropdown' href='#'>Browse <b class='caret'></b></a>
<ul class='dropdown-menu'>
<li><a href='/anime/'>Anime</a></li>
<li><a href='/book/'>Books</a></li>
<li><a href='/crossovers/book/'>Books</a></li>
</ul>
</div>
</td></tr></table></span>
</div>
</div>
"""

WRAPPER = """<div style='width:100%;' class=xcontrast_outer id=content_parent><div
 class='xcontrast maxwidth' id=content_wrapper style='background-color: white;'><div
 id=content_wrapper_inner style='padding:0.5em;'>
"""

DESKTOP = HEAD + WRAPPER + """<script>
if(XCOOKIE.read_theme == 'dark') {{
     $(function(){{
        _fontastic_change_theme('dark');
     }});
 }}
 </script><div style='margin-bottom: 10px' class='lc-wrapper' id=pre_story_links><span
 class=lc-left>{crumbs}
</span>
</div>
<div id=img_large class='hide modal fade' style='color:black;'><div class='modal-body'
 align=center><img class='lazy cimage ' style='padding:2px;border:1px solid #ccc;'
 src='/static/images/d_60_90.jpg' data-original='/image/3708170/180/' width=180 height=240
></div></div><div id=profile_top style='min-height:112px;'><span style='cursor:pointer;'
 title='Click for Larger Image' onclick="var t = $('#img_large img');t.prop('src',
t.attr('data-original'));$('#img_large').modal();"><img class='cimage '
 style='clear:left;float:left;margin-right:3px;padding:2px;border:1px solid #ccc;'
 src='/image/3708170/75/' width=75 height=100></span><button class='btn pull-right icon-heart'
 type=button onClick='$("#follow_area").modal();'> Follow/Fav</button><b
 class='xcontrast_txt'>{title}</b>
<span class='xcontrast_txt'><div style='height:5px'></div>By:</span> <a class='xcontrast_txt'
 href='/u/4411062/Saltmarsh-Wren'>Saltmarsh Wren</a> <span class='icon-mail-1  xcontrast_txt'
></span> <a class='xcontrast_txt' title="Send Private Message"
 href='https://www.fanfiction.net/pm2/post.php?uid=4411062'></a>
<div style='margin-top:2px' class='xcontrast_txt'>Low water, high stakes. Harry and Hermione
 wait out a tide.</div>
<span class='xgray xcontrast_txt'>Rated: <a class='xcontrast_txt'
 href='https://www.fictionratings.com/' target='rating'>Fiction  {rating}</a> - English -
 {fields} - Reviews: <a href='/r/{sid}/'>31</a> - Favs: 110 - Follows: 166 -
 {dates}{status} - id: {sid} </span>
</div>
<div align=center class='lc-wrapper' style='margin-top:2em' ;'><div class='lc'>
<span class='xcontrast_txt'><span class='icon-tl-text' style='font-size:14px;cursor:pointer;'
 title="+ Font Size" onClick="_fontastic_change_size('u');"></span>+</span>&#160;&#160;<span
 class='xcontrast_txt icon-tl-contrast' onclick="toggleTheme();"
 style='margin-left:2px;margin-right:2px;font-size:14px;' align=absmiddle
 title="Story Contrast"></div></div>
{nav}<div style='height:5px'></div><script>
document.write('<style> .storytext {{ max-height: 999999px; }} </style>');
$(function() {{
    $.get('/eye/2/1/51303206/{sid}/');
}});
</script>
<div role='main' aria-label='story content' class='storytextp' id='storytextp'  align=center
 style='padding:0 0.5em 0 0.5em;'>
<div class='storytext xcontrast_txt nocopy' id='storytext'>{text}
</div>
</div><div style='height:5px'></div><div style='clear:both;text-align:right;'>{select}</div>
<div style='height:5px'></div>
<script>
  var storyid = {sid};
  var chapter = {ch};
</script>
</div></div></div><div id=p_footer class=maxwidth style='clear:all;padding:1em 0 1em 0;'><div
 style='text-align:center'><a href='/support/'>Help</a> . <a href='/privacy/'>Privacy</a> .
 <a href='/tos/'>Terms of Service</a>  . <a href='#top'>Top</a></div></div>
</body></html>
"""

HP_CRUMBS = ("<a class=xcontrast_txt href='/book/'>Books</a><span class='xcontrast_txt "
             "icon-chevron-right xicon-section-arrow'></span><a class=xcontrast_txt "
             "href=\"/book/Harry-Potter/\">Harry Potter</a>")
CROSSOVER_CRUMBS = ("<img src='//ff74.b-cdn.net/static/fcons/arrow-switch.png' class='mt icons' "
                    "style='margin-right:4px'><a class=xcontrast_txt href=\"/Harry-Potter-and-"
                    "Twilight_Crossovers/224/4527/\">Harry Potter + Twilight Crossover</a>")
TITLES = ["Slack Water", "Spring Tide", "The Storm", "Ebb", "Flood", "Neap", "Shingle",
          "Groynes", "Salt", "Fog", "Harbour", "High Water"]


def _select(shown: int, count: int) -> str:
    """The chapter menu as FFN writes it: options never closed, the shown one selected."""
    options = "".join(f"<option  value={n} {'selected' if n == shown else ''}>{n}. "
                      f"{TITLES[(n - 1) % len(TITLES)]}" for n in range(1, count + 1))
    return (f"<SELECT id=chap_select title=\"Chapter Navigation\" Name=chapter onChange=\""
            f"self.location = '/s/{STORY}/'+ this.options[this.selectedIndex].value + "
            f"'/Tide-Tables';\">{options}</select>")


def _nav(shown: int, count: int) -> str:
    prev = (f"<button class=btn TYPE=BUTTON  onClick=\"self.location='/s/{STORY}/{shown - 1}/"
            f"Tide-Tables'\">&lt; Prev</button> " if shown > 1 else "")
    after = (f" <button class=btn TYPE=BUTTON onClick=\"self.location='/s/{STORY}/{shown + 1}/"
             f"Tide-Tables'\">Next &gt;</button>" if shown < count else "")
    return f"    <span style='float:right; ' >{prev}{_select(shown, count)}{after}</span>"


def _dates(updated: bool = True) -> str:
    update = f"Updated: <span data-xutime='{UPDATED}'>9/4</span> - " if updated else ""
    return f"{update}Published: <span data-xutime='{PUBLISHED}'>7/12/2010</span>"


def desktop(*, rating: str = "K+", fields: str = "Words: 1,234", shown: int = 1,
            count: int = 1, complete: bool = True, crumbs: str = HP_CRUMBS,
            title: str = "Tide Tables", text: str = TEXT, updated: bool = True) -> str:
    chaptered = count > 1
    return DESKTOP.format(
        sid=STORY, ch=shown, title=title, crumbs=crumbs, rating=rating, fields=fields,
        dates=_dates(updated), status=" - Status: Complete" if complete else "", text=text,
        nav=_nav(shown, count) if chaptered else "",
        select=_select(shown, count) if chaptered else "")


MOBILE = """<!DOCTYPE html><html><head><meta charset='utf-8'>
<meta name='viewport' content='width=device-width, initial-scale=1.0'>
<title>Tide Tables Chapter 3: The Storm, a harry potter fanfic | FanFiction</title>
<link rel='stylesheet' href='/static/styles/m_10.css'>
</head><body id=top>
<div style='padding:5px 10px 5px 10px;' class=t_head><a href='/'>FanFiction</a>
 <a href='/login.php'>Login</a></div>
<div id=content><div style='padding:5px 10px 5px 10px;' class=brb><a href='/book/'>Books</a>
 &#187; <a href="/book/Harry-Potter/">Harry Potter</a> &#187;</div>
<div style='padding:5px 10px 5px 10px;'><div align=center><b>Tide Tables</b> by
 <a href='/u/4411062/Saltmarsh-Wren'>Saltmarsh Wren</a></div>
<div style='margin-top:5px' class=gray>Rated: Fiction T, English, Romance &amp; Hurt/Comfort,
 [Harry P., Hermione G.] Ron W., Chapters: 12, Words: 17k+, Favs: 12, Follows: 4,
 Updated: <span data-xutime='{updated}'>9/4</span>,
 Published: <span data-xutime='{published}'>7/12/2010</span></div>
<span class=gray><a href='/r/{sid}/'><img src='/static/fcons/balloon.png'
 class='mt icons'>31</a></span>Chapter 3: The Storm<br></div><div role='main'
 aria-label='story content' style='font-size:1.1em;'><div style='padding:5px 10px 5px 10px;'
 class='storycontent nocopy' id='storycontent' >{text}</div></div>
<div align=center><a href='/s/{sid}/2/'>&#171; Prev</a> Ch 3 of <a href='/s/{sid}/12/'>12</a>
 <a href='/s/{sid}/4/'>Next &#187;</a></div>
</div>
<div align=center style='padding:5px;'><a href='//www.fanfiction.net/s/{sid}/3/'
>Desktop Mode</a> . <a href='/'>FanFiction</a></div>
</body></html>
"""

PROFILE = HEAD.format(sid=STORY, ch=1, title="x").replace(
    f'href="//www.fanfiction.net/s/{STORY}/1/Tide-Tables"',
    'href="//www.fanfiction.net/u/4411062/Saltmarsh-Wren"').replace(
    "<title>x, a harry potter fanfic | FanFiction</title>",
    "<title>Saltmarsh Wren | FanFiction</title>") + WRAPPER + """
<span style='font-size:1.5em;'>Saltmarsh Wren</span>
<div id=bio><p>I write about the sea.</p></div>
<div class='z-list mystories' data-category="Harry Potter"><a class=stitle
 href="/s/9184523/1/Tide-Tables">Tide Tables</a><div class='z-indent z-padtop'>Low water, high
 stakes.<div class='z-padtop2 xgray'>Harry Potter - Rated: K+ - English - Words: 1,234</div>
</div></div>
<div class='z-list mystories' data-category="Harry Potter"><a class=stitle
 href="/s/9184999/1/Salt">Salt</a><div class='z-indent z-padtop'>Another.<div
 class='z-padtop2 xgray'>Harry Potter - Rated: T - English - Words: 800</div></div></div>
</div></div></div></body></html>
"""

NOT_FOUND = HEAD.format(sid=STORY, ch=1, title="x").replace(
    "<title>x, a harry potter fanfic | FanFiction</title>",
    "<title>FanFiction</title>") + WRAPPER + """
<div style='text-align:center;'><span class='gui_warning'>Story Not Found<hr size=1 noshade
>Unable to locate story. Code 1.</span></div>
</div></div></div></body></html>
"""


def _show(cli: Cli, path: Path) -> dict[str, Any]:
    cli("ingest", str(path))
    return json.loads(cli("export", "--format", "json").stdout)[-1]  # type: ignore[no-any-return]


def _day(stamp: int) -> str:
    return datetime.fromtimestamp(stamp, tz=UTC).date().isoformat()


def test_a_desktop_one_shot(cli: Cli, write) -> None:  # type: ignore[no-untyped-def]
    fields = ("Romance/Hurt/Comfort - [Harry P., Hermione G.] Ron W., Draco M. - "
              "Words: 1,234")
    text = TEXT + "<script>document.location='//evil.example/'</script>"
    page = write("tide.html", desktop(fields=fields, text=text))
    assert sniff(page.read_bytes()[:65536]) == "ffn-page"
    cli("ingest", str(page))
    record = json.loads(cli("show", "1", "--format", "json").stdout)
    assert record["format"] == "ffn-page" and record["title"] == "Tide Tables"
    assert record["authors"] == ["Saltmarsh Wren"] and record["fandoms"] == ["Harry Potter"]
    assert record["rating"] == GA and record["rating_raw"] == "K+"
    assert record["freeform"] == ["Romance", "Hurt/Comfort"]  # one genre with a slash
    assert record["characters"] == ["Harry P.", "Hermione G.", "Ron W.", "Draco M."]
    assert record["relationships"] == ["Harry P./Hermione G."]
    assert record["warnings"] == ["Creator Chose Not To Use Archive Warnings"]
    assert record["language"] == "en"
    assert record["summary"] == "Low water, high stakes. Harry and Hermione wait out a tide."
    assert record["stated_words"] == 1234 and record["words"] == TEXT_WORDS
    assert record["published"] == _day(PUBLISHED) == "2010-07-13"
    assert record["updated"] == _day(UPDATED) == "2018-09-05"
    assert record["complete"] is True and record["expected_chapters"] == 1
    assert record["chapters"] == 1
    assert record["url"] == f"https://www.fanfiction.net/s/{STORY}"
    assert "Low water" in record["text"] and "evil.example" not in record["text"]
    for page_only in ("Follow/Fav", "Reviews", "Books", "Privacy", "xcookie"):
        assert page_only not in record["text"]
    [chapter] = _show(cli, page)["chapter_list"]
    assert chapter["position"] == 1 and chapter["title"] is None


def test_chapter_three_of_twelve_is_part_of_a_story_in_progress(cli: Cli, write) -> None:  # type: ignore[no-untyped-def]
    fields = "Adventure/Angst - Harry P. - Chapters: 12   - Words: 55,275"
    page = write("ch3.html", desktop(rating="T", fields=fields, shown=3, count=12,
                                     complete=False))
    record = _show(cli, page)
    assert record["rating"] == TEEN and record["rating_raw"] == "T"
    assert record["freeform"] == ["Adventure", "Angst"] and record["characters"] == ["Harry P."]
    assert record["relationships"] == []
    assert record["complete"] is False and record["expected_chapters"] is None
    assert record["stated_words"] == 55275
    [chapter] = record["chapter_list"]
    assert chapter["position"] == 3 and chapter["title"] == "The Storm"
    assert chapter["words"] == TEXT_WORDS
    assert record["url"] == f"https://www.fanfiction.net/s/{STORY}"


def test_chapter_pages_of_one_story_merge_into_one_work(cli: Cli, write) -> None:  # type: ignore[no-untyped-def]
    """Pages of chapters 3 and 1 of the same story, in that order: one work, each chapter
    at its position; reading either page again changes nothing."""
    fields = "Adventure - Harry P. - Chapters: 12 - Words: 55,275"
    third = write("ch3.html", desktop(rating="T", fields=fields, shown=3, count=12,
                                      complete=False))
    first = write("ch1.html", desktop(rating="T", fields=fields, shown=1, count=12,
                                      complete=False, text="<p>First of all, the pier.</p>"))
    assert "ingested 1 · updated 1" in cli("ingest", str(third), str(first)).output
    [record] = json.loads(cli("export", "--format", "json").stdout)
    assert [(c["position"], c["title"]) for c in record["chapter_list"]] == [
        (1, "Slack Water"), (3, "The Storm")]
    assert "unchanged 2" in cli("ingest", str(first), str(third)).output


def test_a_finished_crossover(cli: Cli, write) -> None:  # type: ignore[no-untyped-def]
    fields = "Drama - [Bella S., Edward C., Harry P.] - Chapters: 5 - Words: 20,001"
    page = write("cross.html", desktop(rating="M", fields=fields, shown=5, count=5,
                                       crumbs=CROSSOVER_CRUMBS, updated=False))
    record = _show(cli, page)
    assert record["fandoms"] == ["Harry Potter", "Twilight"]
    assert record["rating"] == MATURE and record["rating_raw"] == "M"
    assert record["relationships"] == ["Bella S./Edward C./Harry P."]
    assert record["complete"] is True and record["expected_chapters"] == 5
    assert record["published"] == "2010-07-13" and record["updated"] is None
    assert [c["position"] for c in record["chapter_list"]] == [5]


def test_the_mobile_site(cli: Cli, write) -> None:  # type: ignore[no-untyped-def]
    page = write("m.html", MOBILE.format(sid=STORY, text=TEXT, updated=UPDATED,
                                         published=PUBLISHED))
    assert sniff(page.read_bytes()) == "ffn-page"
    record = _show(cli, page)
    assert record["format"] == "ffn-page" and record["title"] == "Tide Tables"
    assert record["authors"] == ["Saltmarsh Wren"] and record["fandoms"] == ["Harry Potter"]
    assert record["rating"] == TEEN and record["rating_raw"] == "T"
    assert record["freeform"] == ["Romance", "Hurt/Comfort"]
    assert record["characters"] == ["Harry P.", "Hermione G.", "Ron W."]
    assert record["relationships"] == ["Harry P./Hermione G."]
    assert record["stated_words"] is None  # "17k+" is rounded, not a count
    assert record["words"] == TEXT_WORDS
    assert record["published"] == "2010-07-13" and record["updated"] == "2018-09-05"
    assert record["complete"] is False and record["expected_chapters"] is None
    assert record["url"] == f"https://www.fanfiction.net/s/{STORY}"
    [chapter] = record["chapter_list"]
    assert chapter["position"] == 3 and chapter["title"] == "The Storm"
    assert "Ch 3 of" not in record["text"] and "Desktop Mode" not in record["text"]


def test_a_mobile_and_a_desktop_page_are_one_story(cli: Cli, write) -> None:  # type: ignore[no-untyped-def]
    mobile = write("m.html", MOBILE.format(sid=STORY, text=TEXT, updated=UPDATED,
                                           published=PUBLISHED))
    first = write("d.html", desktop(rating="T", fields="Romance - Chapters: 12 - Words: 9",
                                    shown=1, count=12, complete=False,
                                    text="<p>First of all, the pier.</p>"))
    cli("ingest", str(mobile), str(first))
    [record] = json.loads(cli("export", "--format", "json").stdout)
    assert [c["position"] for c in record["chapter_list"]] == [1, 3]


def test_pages_of_fanfiction_net_that_are_not_stories_are_refused(cli: Cli, write,  # type: ignore[no-untyped-def]
                                                                   tmp_path: Path) -> None:
    good = write("tide.html", desktop())
    profile = write("profile.html", PROFILE)
    missing = write("missing.htm", NOT_FOUND)
    for page in (profile, missing):
        assert is_ffn_page(page.read_text("utf-8"))
    result = cli("ingest", str(good.parent), ok=False)
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 2, result.stderr
    [refused_profile] = [e for e in errors if "profile.html" in e]
    assert "author profile page 'Saltmarsh Wren'" in refused_profile
    assert "save each story's own page" in refused_profile
    [refused_missing] = [e for e in errors if "missing.htm" in e]
    assert "'Story Not Found' page" in refused_missing and "deleted" in refused_missing
    assert [(r["format"], r["title"]) for r in cli.records()] == [("ffn-page", "Tide Tables")]


def test_a_story_page_saved_before_its_text_loaded_is_refused(cli: Cli, write) -> None:  # type: ignore[no-untyped-def]
    page = desktop().replace("<div class='storytext xcontrast_txt nocopy' id='storytext'>",
                             "<div class='storytext xcontrast_txt nocopy'>")
    result = cli("ingest", str(write("early.html", page)), ok=False)
    assert f"story page for story {STORY} without its chapter text" in result.output


@pytest.mark.parametrize("path", sorted((SHARED / "corpus" / "ao3-page").glob("*.html"))
                         + sorted((SHARED / "corpus" / "ao3-html").glob("*.html")),
                         ids=lambda p: p.name)
def test_ao3_pages_are_not_claimed(path: Path) -> None:
    text = path.read_text("utf-8", errors="replace")
    assert not is_ffn_page(text)
    assert sniff(path.read_bytes()[:65536]) != "ffn-page"


def test_other_html_naming_fanfiction_net_is_not_claimed(cli: Cli, write) -> None:  # type: ignore[no-untyped-def]
    page = write("archive.html", (
        "<html><head><title>Old Archive :: Tide Tables</title></head><body>"
        "<h1>Tide Tables</h1><div id='story'><p>Also posted at "
        "<a href='https://www.fanfiction.net/s/9184523/1/'>fanfiction.net</a>.</p>"
        "<p>The tide went out past the pier and kept going.</p></div></body></html>"))
    assert not is_ffn_page(page.read_text("utf-8"))
    cli("ingest", str(page))
    assert cli.records()[0]["format"] == "html"
    # FictionPress, the sister site, writes the same page: its own address is not FFN's.
    twin = desktop().replace("//www.fanfiction.net/s/", "//www.fictionpress.com/s/")
    assert not is_ffn_page(twin)


def test_hostile_values_in_the_metadata_break_nothing(cli: Cli, write) -> None:  # type: ignore[no-untyped-def]
    page = desktop(fields="[[[, ]]] ,,, - Words: 9" + "9" * 400).replace(
        f"data-xutime='{PUBLISHED}'", "data-xutime='99999999999999999999'")
    record = _show(cli, write("odd.html", page))
    assert record["published"] == "2010-07-12"  # the date shown, when the stamp is absurd
    assert record["stated_words"] is None
    assert record["relationships"] == [] and record["title"] == "Tide Tables"
    # A line so long that no "Words:" or "Published:" label is read: no stats, no failure.
    endless = desktop(fields="[" + "A, " * 5000 + "B] - Words: 5", title="Endless")
    record = _show(cli, write("endless.html", endless))
    assert record["title"] == "Endless" and record["stated_words"] is None
    assert record["published"] is None and record["characters"] == ["A"]  # read to 8 KB


def test_a_page_of_endless_chapter_menus_is_refused_before_parsing(cli: Cli, write) -> None:  # type: ignore[no-untyped-def]
    page = desktop(shown=3, count=3).replace("<option  value=1 >", "<option value=1>x" * 40_000)
    started = time.perf_counter()
    result = cli("ingest", str(write("menus.html", page)), ok=False)
    assert "80,004 <option>" in result.output and "too many to parse" in result.output
    assert time.perf_counter() - started < 10  # parsing it would take half a minute
