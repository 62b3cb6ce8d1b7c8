"""Write a generated corpus straight into a catalogue, for query benchmarks at scale.

Why not ingest files: a million works as files is 40 GB and an hour of ingest; what the
query benchmarks need is the *rows* an ingest would leave. This writes them with Core bulk
inserts, in the shapes the store writes (works, chapters, authors, tag links in AO3's order,
relationship members, the full-text index), from the same seeded generator as the files.
Texts are short (`--text-words`, about 200) while each work keeps the word count drawn for
it, so `words:` ranges and sorts see AO3-like numbers. Multi-chapter works get their text
split into chapters. The schema comes from the catalogue's own migrations (a `Catalogue` on
the URL), and the top fandoms get a metatag so that metatag queries have something to find.

    python bench/populate.py sqlite:////tmp/scale.db 100000
    python bench/populate.py postgresql+psycopg://user@/db?host=/tmp 1000000
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import DEFAULT_SEED, Work, WorkMaker, build_universe  # noqa: E402
from sqlalchemy import Connection, func, insert, select, text  # noqa: E402

from catalog.catalogue import Catalogue  # noqa: E402
from catalog.store import fulltext  # noqa: E402
from catalog.store.models import (  # noqa: E402
    Author,
    Chapter,
    RelationshipMember,
    SearchDoc,
    Tag,
    TagParent,
    WorkAuthor,
    WorkTag,
)
from catalog.store.models import Work as WorkRow  # noqa: E402
from catalog.textnorm import name_key  # noqa: E402
from catalog.wrangle.edit import new_tag_rows  # noqa: E402

BATCH = 2_000
METATAG = "Bench Multiverse"
INGESTED = datetime(2026, 1, 1)


@dataclass
class Populated:
    """What was written: counts per tag name (for choosing queries) and a word for text."""

    works: int
    seconds: float = 0.0
    tag_counts: dict[str, Counter[str]] = field(default_factory=dict)
    metatag: str = METATAG
    metatag_children: list[str] = field(default_factory=list)

    def top(self, tag_type: str, k: int = 1) -> list[str]:
        return [n for n, _ in self.tag_counts[tag_type].most_common(k)]

    def rare(self, tag_type: str = "freeform") -> str:
        counts = self.tag_counts[tag_type]
        return min(counts, key=lambda n: (counts[n], n))

    def summary(self) -> dict[str, Any]:
        return {"works": self.works, "seconds": round(self.seconds, 1),
                "distinct_tags": {t: len(c) for t, c in self.tag_counts.items()},
                "top": {t: c.most_common(3) for t, c in self.tag_counts.items()},
                "metatag": self.metatag, "metatag_children": self.metatag_children}


class Ids:
    """Next free id per table: rows are written with explicit ids, as a restore does."""

    def __init__(self, conn: Connection) -> None:
        self.next = {m: (conn.scalar(select(func.max(m.id))) or 0) + 1
                     for m in (WorkRow, Chapter, Tag, Author)}

    def take(self, model: Any) -> int:
        value = self.next[model]
        self.next[model] = value + 1
        return value


class Writer:
    """Turns generated works into rows, creating tags and authors on first sight."""

    ORDER = ("rating", "warning", "category", "fandom", "relationship", "character",
             "freeform")

    def __init__(self, conn: Connection, populated: Populated) -> None:
        self.conn, self.out = conn, populated
        self.ids = Ids(conn)
        self.tags: dict[tuple[str, str], int] = {
            (t, k): i for i, t, k in conn.execute(select(Tag.id, Tag.type, Tag.name_key))}
        self.authors: dict[str, int] = {k: i for k, i in conn.execute(
            select(Author.name_key, Author.id))}
        self.spelled: dict[tuple[str, str], int] = {}  # (type, name as written) -> id
        self.new_tags: list[dict[str, Any]] = []
        self.new_members: list[dict[str, Any]] = []
        self.new_authors: list[dict[str, Any]] = []

    def tag(self, tag_type: str, name: str) -> int:
        seen = self.spelled.get((tag_type, name))
        if seen is not None:
            return seen
        key = (tag_type, name_key(name))
        found = self.tags.get(key)
        if found is None:
            found = self.tags[key] = self.ids.take(Tag)
            row, members = new_tag_rows(self.conn, tag_type, name,  # type: ignore[arg-type]
                                        canonical=tag_type == "fandom", wrangle=False)
            self.new_tags.append(row | {"id": found, "common": False})  # COPY sends every column
            self.new_members += [m | {"tag_id": found} for m in members]
        self.spelled[(tag_type, name)] = found
        return found

    def author(self, display: str) -> int:
        key = name_key(display)
        found = self.authors.get(key)
        if found is None:
            pseud, _, login = display.partition(" (")
            login = login.rstrip(")") or None
            found = self.authors[key] = self.ids.take(Author)
            self.new_authors.append({"id": found, "pseud": pseud, "login": login,
                                     "name_key": key, "pseud_key": name_key(pseud),
                                     "login_key": name_key(login) if login else None})
        return found

    def write(self, works: list[Work]) -> None:
        rows: dict[str, list[dict[str, Any]]] = {k: [] for k in
                                                 ("works", "chapters", "wa", "wt", "fts")}
        for work in works:
            self._rows(work, rows)
        batches = ((Tag, self.new_tags), (RelationshipMember, self.new_members),
                   (Author, self.new_authors), (WorkRow, rows["works"]),
                   (Chapter, rows["chapters"]), (WorkAuthor, rows["wa"]),
                   (WorkTag, rows["wt"]),
                   (SearchDoc, [{"doc_id": r["id"], "work_id": r["id"]}
                                for r in rows["works"]]))
        for model, batch in batches:
            if batch:
                self._insert(model.__table__, batch)
        self.new_tags, self.new_members, self.new_authors = [], [], []
        self._index(rows["fts"])

    def _insert(self, table: Any, batch: list[dict[str, Any]]) -> None:
        """Core executemany; on PostgreSQL, COPY (ten times faster for a million works)."""
        if self.conn.dialect.name != "postgresql":
            self.conn.execute(insert(table), batch)
            return
        from psycopg import sql

        columns = [c.name for c in table.columns if c.name in batch[0]]
        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, columns)))
        cursor = self.conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        with cursor.copy(statement) as copy:
            for row in batch:
                copy.write_row([row[c] for c in columns])

    def _index(self, docs: list[dict[str, Any]]) -> None:
        if self.conn.dialect.name != "postgresql":
            self.conn.execute(insert(fulltext.FTS), docs)
            return
        # The same document the store writes, made by the server from the rows just copied.
        self.conn.execute(text(
            "INSERT INTO works_fts (doc_id, part, document, summary) "
            "SELECT w.id, 0, to_tsvector('simple', unaccent(concat_ws(E'\\n', w.title, "
            "w.summary, (SELECT string_agg(t.name, ' ; ' ORDER BY l.position) "
            "FROM work_tags l JOIN tags t ON t.id = l.tag_id WHERE l.work_id = w.id), "
            "(SELECT string_agg(c.text, E'\\n\\n' ORDER BY c.position) FROM chapters c "
            "WHERE c.work_id = w.id)))), "
            "to_tsvector('simple', unaccent(coalesce(w.summary, ''))) "
            "FROM works w WHERE w.id BETWEEN :low AND :high"),
            {"low": docs[0]["rowid"], "high": docs[-1]["rowid"]})

    def _rows(self, work: Work, rows: dict[str, list[dict[str, Any]]]) -> None:
        work_id = self.ids.take(WorkRow)
        sha = hashlib.sha256(work.text.encode("utf-8")).hexdigest()
        stamp = INGESTED + timedelta(seconds=work.index)
        rows["works"].append({
            "id": work_id, "title": work.title, "title_key": name_key(work.title),
            "summary": work.summary, "notes": None, "language": work.language,
            "rating_raw": None, "rating_raw_key": None, "published": work.published,
            "updated": work.updated, "chapter_count": work.chapters,
            "expected_chapters": work.chapters if work.complete else None,
            "complete": work.complete, "words": work.words, "sha256": sha,
            "meta_hash": sha, "source": f"/bench/{work.index:07d}.txt", "format": "text",
            "ingested_at": stamp, "modified_at": stamp, "completed": None, "ao3_id": None,
            "url": None, "stated_words": work.words, "encoding": None})
        parts = _split(work.text, work.chapters)
        for position, part in enumerate(parts, 1):
            rows["chapters"].append({
                "id": self.ids.take(Chapter), "work_id": work_id, "position": position,
                "title": f"Chapter {position}" if len(parts) > 1 else None,
                "summary": None, "notes": None, "text": part, "text_format": "text",
                "words": work.words * len(part) // max(1, len(work.text))})
        rows["wa"] += [{"work_id": work_id, "author_id": a, "position": i}
                       for i, a in enumerate(dict.fromkeys(map(self.author, work.authors)), 1)]
        names: list[str] = []
        links: dict[int, int] = {}
        for tag_type, name in _tags(work):
            tag_id = self.tag(tag_type, name)
            if tag_id not in links:
                links[tag_id] = len(links) + 1
                names.append(name)
                self.out.tag_counts[tag_type][name] += 1
        rows["wt"] += [{"work_id": work_id, "tag_id": t, "source": "file", "position": p,
                        "mentions": None, "written": None} for t, p in links.items()]
        rows["fts"].append({"rowid": work_id, "title": work.title, "summary": work.summary,
                            "tags": " ; ".join(names), "body": work.text})


def _tags(work: Work) -> Iterator[tuple[str, str]]:
    yield "rating", work.rating or "Not Rated"
    for tag_type, names in (("warning", work.warnings), ("category", work.categories),
                            ("fandom", work.fandoms), ("relationship", work.relationships),
                            ("character", work.characters), ("freeform", work.freeforms)):
        for name in names:
            yield tag_type, name


def _split(body: str, chapters: int) -> list[str]:
    """The text in `chapters` parts at paragraph breaks (fewer if it has fewer paragraphs)."""
    paragraphs = body.split("\n\n")
    size = max(1, -(-len(paragraphs) // chapters))
    return ["\n\n".join(paragraphs[i:i + size]) for i in range(0, len(paragraphs), size)]


def _metatag(conn: Connection, writer: Writer, populated: Populated) -> None:
    """A canonical fandom above the second and third most popular fandoms."""
    children = populated.top("fandom", 3)[1:]
    parent = writer.tag("fandom", METATAG)
    conn.execute(insert(Tag), writer.new_tags)
    writer.new_tags = []
    conn.execute(insert(TagParent), [{"child_id": writer.tags[("fandom", name_key(c))],
                                      "parent_id": parent} for c in children])
    populated.metatag_children = children


# A bulk load builds the GIN indexes once at the end, not one document at a time.
GIN_DROP = ("DROP INDEX IF EXISTS ix_works_fts_document",
            "DROP INDEX IF EXISTS ix_works_fts_summary")
GIN_CREATE = ("CREATE INDEX ix_works_fts_document ON works_fts USING gin (document)",
              "CREATE INDEX ix_works_fts_summary ON works_fts USING gin (summary)")
SEQUENCES = (  # each serial column the bulk insert filled with explicit ids
    "SELECT setval(pg_get_serial_sequence('works', 'id'), (SELECT max(id) FROM works))",
    "SELECT setval(pg_get_serial_sequence('chapters', 'id'), (SELECT max(id) FROM chapters))",
    "SELECT setval(pg_get_serial_sequence('tags', 'id'), (SELECT max(id) FROM tags))",
    "SELECT setval(pg_get_serial_sequence('authors', 'id'), (SELECT max(id) FROM authors))",
    "SELECT setval(pg_get_serial_sequence('search_docs', 'doc_id'), "
    "(SELECT max(doc_id) FROM search_docs))",
)


def _advance_sequences(conn: Connection) -> None:
    """PostgreSQL's sequences do not follow explicit ids (SQLite's rowids do)."""
    if conn.dialect.name == "postgresql":
        for statement in SEQUENCES:
            conn.execute(text(statement))


def populate(url: str, n: int, seed: int = DEFAULT_SEED, text_words: int = 200,
             progress: bool = False) -> Populated:
    """Write n generated works into the (new) catalogue at `url`."""
    started = time.perf_counter()
    lib = Catalogue(url, write=True)
    out = Populated(works=n, tag_counts={t: Counter() for t in Writer.ORDER})
    maker = WorkMaker(build_universe(seed, n), random.Random(f"works:{seed}"),
                      short=text_words)
    with lib.engine.connect() as conn:
        if conn.dialect.name == "sqlite":  # the index pages of a million works stay cached
            conn.exec_driver_sql("PRAGMA cache_size=-1000000")
        writer = Writer(conn, out)
        if conn.dialect.name == "postgresql":
            for statement in GIN_DROP:
                conn.execute(text(statement))
        conn.commit()  # end the reads' implicit transaction; each batch is its own
        for start in range(0, n, BATCH):
            with conn.begin():
                writer.write([maker.make(i) for i in range(start, min(n, start + BATCH))])
            if progress and (start // BATCH) % (1 if n <= 50_000 else 25) == 0:
                print(f"  {start + BATCH:,} / {n:,} works, "
                      f"{time.perf_counter() - started:.0f} s", file=sys.stderr)
        with conn.begin():
            _metatag(conn, writer, out)
            _advance_sequences(conn)
            if conn.dialect.name == "postgresql":
                conn.execute(text("SET maintenance_work_mem = '1GB'"))
                for statement in GIN_CREATE:
                    conn.execute(text(statement))
    if lib.engine.dialect.name == "postgresql":  # what autovacuum would soon do
        with lib.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    lib.dispose()
    out.seconds = time.perf_counter() - started
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description="Write a generated corpus into a catalogue.")
    parser.add_argument("url", help="database URL or SQLite path")
    parser.add_argument("works", type=int)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--text-words", type=int, default=200)
    args = parser.parse_args()
    done = populate(args.url, args.works, args.seed, args.text_words, progress=True)
    print(json.dumps(done.summary(), indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
