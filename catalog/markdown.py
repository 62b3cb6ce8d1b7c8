"""Markdown to HTML, for counting, showing and exporting a Markdown story alike."""

from __future__ import annotations


def render(source: str) -> str:
    """CommonMark to HTML with cmark, the reference implementation in C (a pure-Python
    renderer was the largest cost of an ingest). Raw HTML passes through (`UNSAFE`): it is
    counted by its text nodes, and sanitised wherever it is shown or exported."""
    # loaded by the inputs that need it
    from cmarkgfm import cmark

    return str(cmark.markdown_to_html(source, cmark.Options.CMARK_OPT_UNSAFE))
