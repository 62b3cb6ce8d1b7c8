"""From what a file says to what the catalogue stores: AO3's vocabularies, the user's
options, defaults and word counts.

- Rating: mapped (PG-13 -> Teen And Up Audiences); no rating -> Not Rated; a rating that maps
  to nothing -> Not Rated with the raw value kept.
- Warnings: shorthands mapped (MCD -> Major Character Death); other values become
  additional tags; none left -> Creator Chose Not To Use Archive Warnings.
- Categories: mapped (femslash -> F/F); other values become additional tags.
- Options become the "user" layer over the file's values (`catalog.layers`): list options
  add tags with provenance "user"; title, rating, warnings, language and summary replace
  what the file says. The entry keeps the file's values and the layer apart, so that a
  later ingest of the same work refreshes the one and keeps the other.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from catalog import layers, vocab
from catalog.errors import InputError
from catalog.markdown import render
from catalog.model import (
    SOURCE_FILE,
    SOURCE_INFERRED,
    SOURCE_USER,
    CatalogEntry,
    ChapterRecord,
    TagRef,
    WorkRecord,
)
from catalog.textnorm import collapse, name_key, unique
from catalog.wordcount import count_html, count_text


@dataclass
class IngestOptions:
    """Command-line metadata applied to every file of one `catalog ingest` call."""

    authors: list[str] = field(default_factory=list)
    fandoms: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    relationships: list[str] = field(default_factory=list)
    characters: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    title: str | None = None
    rating: str | None = None
    warnings: list[str] = field(default_factory=list)
    language: str | None = None
    summary: str | None = None

    def validated(self) -> IngestOptions:
        """Check the fixed vocabularies up front: an unknown rating is a usage error."""
        return IngestOptions(
            authors=self.authors, fandoms=self.fandoms,
            categories=[vocab.require_category(c) for c in self.categories],
            relationships=self.relationships, characters=self.characters, tags=self.tags,
            title=self.title,
            rating=vocab.require_rating(self.rating) if self.rating else None,
            warnings=[vocab.require_warning(w) for w in self.warnings],
            language=vocab.language_code(self.language), summary=self.summary,
        )


def count_chapter(chapter: ChapterRecord) -> int:
    """AO3's count for one chapter's content, by how its text is written."""
    if chapter.text_format == "html":
        return count_html(chapter.text)
    if chapter.text_format == "markdown":

        return count_html(render(chapter.text))
    return count_text(chapter.text)


def resolve(record: WorkRecord, options: IngestOptions | None = None) -> CatalogEntry:
    """Apply vocabularies, options and defaults to a record read from a file."""
    opts = options or IngestOptions()
    if not record.chapters or not any(c.text.strip() for c in record.chapters):
        raise InputError(record.source, "no story text after the metadata")
    for chapter in record.chapters:
        if chapter.words is None:
            try:
                chapter.words = count_chapter(chapter)
            except InputError as exc:
                raise InputError(record.source, exc.reason) from None

    tags = _Tags(record.user_tags, record.inferred)
    rating_raw = record.rating_raw
    rating = vocab.read_rating(record.rating) if record.rating else vocab.NOT_RATED
    if record.rating and rating is None:
        rating, rating_raw = vocab.NOT_RATED, rating_raw or collapse(record.rating)
    elif record.rating and rating_raw is None and name_key(record.rating) != name_key(rating or ""):
        rating_raw = collapse(record.rating)
    tags.add("rating", rating or vocab.NOT_RATED, SOURCE_FILE)

    file_warnings = []
    for value in record.warnings:
        mapped = vocab.map_warning(value)
        if mapped:
            file_warnings.append(mapped)
        else:
            tags.add("freeform", value, SOURCE_FILE)
    for value in file_warnings or [vocab.CNTW]:
        tags.add("warning", value, SOURCE_FILE)

    for value in record.categories:
        mapped = vocab.map_category(value)
        tags.add("category" if mapped else "freeform", mapped or value, SOURCE_FILE)
    for tag_type, values in (("fandom", record.fandoms), ("relationship", record.relationships),
                             ("character", record.characters), ("freeform", record.freeform)):
        for value in values:
            tags.add(tag_type, value, SOURCE_FILE)

    chapters = record.chapters
    complete = record.complete if record.complete is not None else True
    expected = record.expected_chapters
    if expected is None and complete and record.complete is None:
        expected = len(chapters)
    user = layers.clean(user_layer(opts))
    return CatalogEntry(
        source=record.source, format=record.format,
        title=collapse(record.title or "") or "Untitled",
        authors=unique(collapse(a) for a in record.authors if collapse(a)),
        tags=tags.ordered(), rating_raw=rating_raw,
        language=vocab.language_code(record.language), summary=record.summary,
        notes="\n".join(n for n in record.notes if n.strip()) or None,
        published=record.published, updated=record.updated,
        expected_chapters=expected, complete=complete, chapters=chapters,
        completed=record.completed, series=_unique_series(record.series),
        collections=unique(collapse(c) for c in record.collections if collapse(c)),
        ao3_id=record.ao3_id, url=record.url, stated_words=record.stated_words,
        encoding=record.encoding, partial=record.partial,
        id=record.id, ingested=record.ingested, modified=record.modified,
        infer=record.infer, layers=layers.merge(record.layers, {layers.USER: user}),
        reading=record.reading,
    )


def user_layer(opts: IngestOptions) -> layers.Layer:
    """The options of one ingest as the "user" layer over every file of it: values
    replace the file's (warnings all of them), lists of tags and authors add."""
    layer: layers.Layer = {}
    for key, value in (("title", opts.title), ("rating", opts.rating),
                       ("summary", opts.summary), ("language", opts.language)):
        if value:
            layer[key] = value
    if opts.warnings:
        layer["warnings"] = opts.warnings
    if opts.authors:
        layer["authors"] = opts.authors
    add = [[tag_type, value] for tag_type, values in (
        ("category", opts.categories), ("fandom", opts.fandoms),
        ("relationship", opts.relationships), ("character", opts.characters),
        ("freeform", opts.tags)) for value in values]
    if add:
        layer["add"] = add
    return layer


def _unique_series(series: list[tuple[str, int | None]]) -> list[tuple[str, int | None]]:
    seen: dict[str, tuple[str, int | None]] = {}
    for name, part in series:
        name = collapse(name)
        if name and name_key(name) not in seen:
            seen[name_key(name)] = (name, part)
    return list(seen.values())


class _Tags:
    """Tags in AO3's type order, one per (type, name key); the first provenance wins except
    that a restored record's "user" and "inferred" marks are kept."""

    def __init__(self, user_keys: set[tuple[str, str]],
                 inferred: dict[tuple[str, str], int | None]) -> None:
        self._seen: dict[tuple[str, str], TagRef] = {}
        self._user_keys = user_keys
        self._inferred = inferred

    def add(self, tag_type: str, name: str, source: str) -> None:
        name = collapse(name)
        if not name:
            return
        key = (tag_type, name_key(name))
        mentions = None
        if key in self._user_keys:
            source = SOURCE_USER
        elif key in self._inferred:
            source, mentions = SOURCE_INFERRED, self._inferred[key]
        if key not in self._seen:
            self._seen[key] = TagRef(tag_type, name, source, mentions)

    def ordered(self) -> list[TagRef]:
        order = {t: i for i, t in enumerate(vocab.TAG_TYPES)}
        return sorted(self._seen.values(), key=lambda t: order[t.type])
