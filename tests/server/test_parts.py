"""The server's pure parts: AO3's tag addresses, the sidebar's query text, sanitised story
HTML and the charts."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from catalog import sanitize as story
from catalog.server import charts, querytext, tagurl


def test_tag_addresses_use_ao3s_codes() -> None:
    assert tagurl.escape("Spike/Willow Rosenberg") == "Spike*s*Willow%20Rosenberg"
    assert tagurl.escape("Q&A. Why? #1") == "Q*a*A*d*%20Why*q*%20*h*1"
    assert tagurl.unescape("Spike*s*Willow Rosenberg") == "Spike/Willow Rosenberg"


@given(st.text(min_size=1, max_size=30).filter(lambda s: "*" not in s))
def test_tag_addresses_round_trip(name: str) -> None:
    from urllib.parse import unquote

    segment = tagurl.escape(name)
    assert "/" not in segment and "?" not in segment and "#" not in segment
    assert tagurl.unescape(unquote(segment, errors="surrogatepass")) == name


def test_terms_quote_what_the_language_needs() -> None:
    assert querytext.term("fandom", 'Say "Hi" \\o/') == 'fandom:"Say \\"Hi\\" \\\\o/"'
    assert querytext.term("warning", "Major Character Death", exclude=True) == \
        '-warning:"Major Character Death"'
    assert querytext.tokens('a -fandom:"x y" "two words" (b OR c)') == [
        "a", '-fandom:"x y"', '"two words"', "(b", "OR", "c)"]


def test_the_form_replaces_what_it_offered_and_keeps_what_was_typed() -> None:
    shown = ['fandom:"A"', '-fandom:"A"', 'fandom:"B"', '-fandom:"B"']
    q = 'spike fandom:"A" sort:title words:10..20 complete:no'
    built = querytext.build({"q": q, "sort": "-words", "complete": "", "words_from": "",
                             "words_to": "500", "language": "fr", "text": "rain"},
                            ['-fandom:"B"', 'fandom:"Z"'], shown)
    # A unticked, B excluded, Z not offered (ignored), plain fields replaced
    assert built == 'spike -fandom:"B" language:fr sort:-words words:<=500 rain'
    assert querytext.current(built) == {"sort": "-words", "complete": "", "language": "fr",
                                        "words_from": "", "words_to": "500"}
    assert querytext.current("words:5..9")["words_from"] == "5"
    assert querytext.build({"q": "x", "language": "Ancient Greek"}, [], []) == \
        'x language:"Ancient Greek"'


def test_story_html_keeps_formatting_and_drops_everything_active() -> None:
    dirty = ('<p onclick="x()">Hi <em>there</em><script>alert(1)</script></p>'
             '<a href="javascript:alert(1)">a</a><a href="https://ao3.org/">b</a>'
             '<img src=x onerror=alert(1)><style>p{}</style><iframe src="//e"></iframe>'
             '<form action="/blocks"><input name=q></form><div style="color:red">d</div>')
    clean = str(story.clean(dirty))
    for gone in ("onclick", "<script", "alert(1)</", "javascript:", "onerror", "<style",
                 "<iframe", "<form", "<input", "style="):
        assert gone not in clean, gone
    assert "<em>there</em>" in clean and 'href="https://ao3.org/"' in clean
    assert "<div>d</div>" in clean


def test_plain_text_becomes_escaped_paragraphs() -> None:
    html = str(story.paragraphs("One <b>\nline\n\nTwo & three\n"))
    assert html == "<p>One &lt;b&gt;<br>\nline</p>\n<p>Two &amp; three</p>"


def test_charts_draw_a_bar_per_value_with_its_number() -> None:
    svg = str(charts.bars([("2001", 3), ("<2002>", 0), ("2003", 12)], title="Works <&>"))
    assert svg.count('class="bar"') == 3 and ">12<" in svg and "&lt;2002&gt;" in svg
    assert 'width="0"' in svg and "Works &lt;&amp;&gt;" in svg
    assert "nothing to draw" in str(charts.bars([], title="x"))
