"""Bar charts drawn on the server as SVG: no script, no library, readable without colour
(each bar carries its number) and by a screen reader (a title and a table-like label)."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

WIDTH, BAR, GAP, LABEL, NUMBER = 560, 18, 6, 90, 60


def bars(data: Sequence[tuple[str, int]], *, title: str) -> Markup:
    """Horizontal bars, one per (label, value), scaled to the largest value."""
    if not data:
        return Markup('<p class="empty">{}: nothing to draw.</p>').format(title)
    most = max(value for _, value in data) or 1
    room = WIDTH - LABEL - NUMBER
    height = len(data) * (BAR + GAP) + GAP
    summary = "; ".join(f"{label}: {value:,}" for label, value in data)
    rows = []
    for i, (label, value) in enumerate(data):
        y = GAP + i * (BAR + GAP)
        length = round(room * value / most)
        rows.append(Markup(
            '<g><text x="{lx}" y="{ty}" text-anchor="end">{label}</text>'
            '<rect x="{x}" y="{y}" width="{w}" height="{h}" class="bar"></rect>'
            '<text x="{nx}" y="{ty}">{value}</text></g>').format(
            lx=LABEL - 6, ty=y + BAR - 4, label=label, x=LABEL, y=y, w=length, h=BAR,
            nx=LABEL + length + 6, value=f"{value:,}"))
    return Markup(
        '<figure class="chart"><figcaption>{title}</figcaption>'
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" role="img" '
        'aria-label="{summary}"><title>{title}</title>{rows}</svg></figure>').format(
        title=title, w=WIDTH, h=height, summary=escape(summary), rows=Markup("").join(rows))
