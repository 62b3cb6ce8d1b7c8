"""Every field of a work, declared once: its query name and aliases, how a query reads its
value, its key in a work record, the works column it sorts and ranges on, its label on a
work's page and a help line with an example. The query language, the compiler's sorts
and ranges, the record's key order, `show` and `catalog fields` all read this table, so
adding a field is one entry here plus its column, migration and compiler clause.

Kinds (how a query reads the value): tag (a tag name, matched through wrangling), rating
and vocab (AO3's fixed vocabularies), int and date (a value or a range), flag (yes/no),
plain (text as written), text (the full-text index), status (the reader's own), sort
(the order), and record (no query form: in records and exports only).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    name: str
    kind: str
    record_key: str | None  # its key in a work record; None: query only
    aliases: tuple[str, ...] = ()
    column: str | None = None  # the works column a sort or range reads
    sortable: bool = False
    label: str | None = None  # on a work's page (`show`); None: not shown there
    help: str = ""
    example: str = ""

    @property
    def queryable(self) -> bool:
        return self.kind != "record"

    @property
    def ranged(self) -> bool:
        return self.kind in ("int", "date")


def _f(name: str, kind: str, record_key: str | None, help: str, example: str = "", *,
       aliases: tuple[str, ...] = (), column: str | None = None, sortable: bool = False,
       label: str | None = None) -> Field:
    return Field(name, kind, record_key, aliases, column, sortable, label, help, example)


# In a work record's key order; the query-only fields last.
FIELDS: tuple[Field, ...] = (
    _f("id", "int", "id", "the work's number in this catalogue", "id:12..40",
       column="id", sortable=True),
    _f("title", "plain", "title", "title contains the text (case and accents ignored)",
       'title:"once more"', column="title_key", sortable=True),
    _f("author", "plain", "authors", "a pseud or login, as written", 'author:"Some One"',
       aliases=("by", "creator"), label="Authors"),
    _f("fandom", "tag", "fandoms", "a fandom tag, through synonyms and metatags",
       "fandom:btvs", aliases=("fandoms",), label="Fandoms"),
    _f("rating", "rating", "rating", "AO3's rating; lists, and <, <=, >, >= by severity",
       "rating:<=teen", aliases=("ratings",), label="Rating"),
    _f("warning", "vocab", "warnings", "an archive warning; a list means any of them",
       "warning:mcd", aliases=("warnings", "archive-warning"), label="Archive Warnings"),
    _f("category", "vocab", "categories", "a category (F/F, F/M, Gen, M/M, Multi, Other)",
       "category:f/f", aliases=("categories",), label="Categories"),
    _f("relationship", "tag", "relationships", "a relationship, members in any order",
       'relationship:"spike/willow"', aliases=("ship", "pairing", "relationships"),
       label="Relationships"),
    _f("character", "tag", "characters", "a character tag", "character:spike",
       aliases=("char", "characters"), label="Characters"),
    _f("freeform", "tag", "freeform", "an additional tag", 'freeform:"hurt/comfort"',
       aliases=("additional", "freeforms"), label="Additional Tags"),
    _f("language", "plain", "language", "a language code or name", "language:fr",
       aliases=("lang",), label="Language"),
    _f("words", "int", "words", "AO3's word count; a number or a range",
       "words:1000..5000", aliases=("wordcount", "word_count"), column="words",
       sortable=True, label="Words"),
    _f("chapters", "int", "chapters", "chapters written", "chapters:>1",
       column="chapter_count", sortable=True, label="Chapters"),
    _f("expected_chapters", "record", "expected_chapters", "chapters planned (None: unknown)"),
    _f("complete", "flag", "complete", "whether the work is finished", "complete:yes",
       aliases=("finished",)),
    _f("summary", "plain", "summary", "the summary contains the words", "summary:vampire",
       label="Summary"),
    _f("notes", "record", "notes", "the author's notes", label="Notes"),
    _f("published", "date", "published", "date first posted; a year, month, day or range",
       "published:2001..2003", aliases=("posted",), column="published", sortable=True,
       label="Published"),
    _f("updated", "date", "updated", "date last updated", "updated:>2020",
       column="updated", sortable=True, label="Updated"),
    _f("source", "plain", "source", "the file's path contains the text", "source:archive/",
       label="Source"),
    _f("format", "plain", "format", "the reader that read it (text, ao3-html, epub, …)",
       "format:epub", label="Format"),
    _f("sha256", "record", "sha256", "the hash of the stored text", label="SHA-256"),
    _f("rating_raw", "record", "rating_raw", "the rating as the file wrote it"),
    _f("user_tags", "record", "user_tags", "tags given on the command line at ingest"),
    _f("ingested", "date", "ingested", "when it was first ingested", "ingested:2026-12",
       column="ingested_at", sortable=True, label="Ingested"),
    _f("modified", "record", "modified", "when its record last changed", label="Modified"),
    _f("series", "plain", "series", "a series name contains the text (case and accents "
       "ignored)", 'series:"dark willow"', label="Series"),
    _f("collection", "plain", "collections", "a collection name contains the text",
       "collection:seasonal", label="Collections"),
    _f("completed", "date", "completed", "date completed", "completed:2004",
       column="completed", label="Completed"),
    _f("ao3_id", "record", "ao3_id", "the work's id on AO3"),
    _f("url", "record", "url", "the story's page on its site (AO3, fanfiction.net, …)",
       label="URL"),
    _f("stated_words", "record", "stated_words", "the word count the file stated"),
    _f("encoding", "record", "encoding", "the text encoding the file was read in",
       label="Encoding"),
    _f("inferred", "record", "inferred", "tags inferred from the text, with mentions"),
    _f("edits", "record", "edits", "what the user laid over the file (edits, ingest "
       "options) and the file's values under them"),
    _f("reading", "status", "reading", "your reading status: later, reading, read, "
       "dropped, none; updated: marked reading or read and grown since", "reading:updated",
       label="Reading"),
    _f("tag", "tag", None, "a tag of any type", 'tag:"character death"', aliases=("tags",)),
    _f("text", "text", None, "the full text, like a bare word or phrase", 'text:"hush"'),
    _f("sort", "sort", None, "the order: a sortable field, - for descending",
       "sort:-words"),
)

BY_NAME = {f.name: f for f in FIELDS}
# The query fields as help and messages list them: tags first, as people search.
QUERY_FIELDS = tuple(BY_NAME[n] for n in (
    "fandom", "character", "relationship", "freeform", "tag", "rating", "warning", "category",
    "words", "chapters", "id", "published", "updated", "completed", "ingested", "complete",
    "author", "language", "series", "collection", "title", "summary", "source", "format",
    "reading", "text", "sort"))
SORT_KEYS = ("id", "words", "title", "published", "updated", "ingested", "chapters")
assert {f.name for f in QUERY_FIELDS} == {f.name for f in FIELDS if f.queryable}
assert set(SORT_KEYS) == {f.name for f in FIELDS if f.sortable}
RECORD_KEYS = tuple(f.record_key for f in FIELDS if f.record_key is not None)
# A work page's order: by tag type as AO3 shows them, then the rest.
PAGE_ORDER = ("author", "rating", "warning", "category", "fandom", "relationship",
              "character", "freeform", "language", "words", "chapters", "series",
              "collection", "published", "updated", "completed", "reading", "summary", "notes",
              "url",
              "source", "format", "encoding", "sha256", "ingested", "modified")
LABELS = tuple((BY_NAME[n].record_key or n, BY_NAME[n].label or n) for n in PAGE_ORDER)
