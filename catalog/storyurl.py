"""A story's address as its identity: one key for every way of writing the same story's URL.

FanFicFare downloads and saved fanfiction.net pages name the story they hold by its URL;
a newer download of the same story must update the work in place, however the site's
address was written: `http` or `https`, `www.` or `m.` (the mobile site), a chapter number
and a title slug after a fanfiction.net story id, a trailing slash, a fragment.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit

_HOST_PREFIXES = ("www.", "m.", "mobile.")
# fanfiction.net and fictionpress.com: /s/ID/CHAPTER/Title-slug names story ID.
_FFN_STORY = re.compile(r"^/s/(\d+)(?:/.*)?$")
_FFN_HOSTS = frozenset({"fanfiction.net", "fictionpress.com"})
# A chapter or page number in a query (eFiction's viewstory.php?sid=1&chapter=2).
_CHAPTER_PARAMS = frozenset({"chapter", "chapterid", "page", "i", "ageconsent", "warning"})
_AO3_WORK = re.compile(r"^/works/(\d+)(?:/.*)?$")


def key(url: str | None) -> str | None:
    """The story's key ("fanfiction.net/s/123"), or None for no URL or no web address."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower()
    for prefix in _HOST_PREFIXES:
        if host.startswith(prefix) and host.count(".") > 1:
            host = host[len(prefix):]
            break
    path = re.sub(r"/+", "/", parts.path).rstrip("/")
    if host in _FFN_HOSTS and (story := _FFN_STORY.match(path)):
        return f"{host}/s/{story.group(1)}"
    if host == "archiveofourown.org" and (work := _AO3_WORK.match(path)):
        return f"{host}/works/{work.group(1)}"
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                   if k.lower() not in _CHAPTER_PARAMS)
    return f"{host}{path}" + (f"?{urlencode(query)}" if query else "")
