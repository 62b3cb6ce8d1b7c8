"""`catalog export | catalog --db NEW ingest -` restores everything the user made: the
works with their edits, options and reading status, the wrangling, saved searches and the
blocklist. The restored catalogue answers queries, `show`, `tags` and the list commands
exactly like the original (on every backend)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import SHARED, Cli, new_database

CORPUS = SHARED / "corpus"
QUERIES = [
    "", "fandom:btvs", "fandom:buffyverse", "character:willow", "character:giles",
    'relationship:"giles/xander"', "rating:<=teen", "rating:explicit", "-warning:mcd",
    "complete:no", "words:5000..", "tag:reread", "@mine", "-@mine", "reading:later",
    "reading:none", "reading:updated", "language:zh", "title:world", 'series:"the"',
]


def _curate(cli: Cli) -> None:
    cli("ingest", str(CORPUS / "text-headers"), "--tag", "From Antennapedia")
    cli("ingest", str(CORPUS / "ao3-html"))
    cli("tag", "synonym", "Lemon", "Explicit", "--type", "rating")
    cli("tag", "canonical", "From Antennapedia")
    cli("tag", "parent", "From Antennapedia", "Collected (Meta)")
    cli("edit", "1", "2", "--add", "freeform:Reread", "--title", "Edited Title")
    cli("edit", "3", "--remove", "character:Willow Rosenberg", "--rating", "Explicit")
    cli("mark", "1", "4", "later")
    cli("mark", "2", "read")
    cli("search", "save", "mine", "tag:reread OR reading:later")
    cli("block", "add", "fandom:buffyverse character:spike")
    cli("block", "add", "language:zh")


def _answers(cli: Cli) -> dict[str, object]:
    out: dict[str, object] = {}
    for query in QUERIES:
        for blocking in ("--block", "--no-block"):
            out[f"{query} {blocking}"] = cli("list", "--format", "ids", blocking, "--",
                                             query).stdout
    out["tags"] = cli("tags", "--all", "--format", "json").stdout
    out["tags blocked"] = cli("tags", "--format", "json").stdout
    out["vocab"] = cli("vocab", "export", "--all").stdout
    out["searches"] = [(s["name"], s["query"]) for s in
                       json.loads(cli("search", "list", "--format", "json").stdout)]
    out["blocks"] = cli("block", "list").stdout
    out["stats"] = cli("stats", "--format", "json").stdout
    ids = cli("list", "--format", "ids", "--no-block").stdout.split()
    for work_id in ids:
        out[f"show {work_id}"] = cli("show", work_id, "--format", "json").stdout
        out[f"page {work_id}"] = cli("show", work_id).stdout.replace(str(cli.db), "DB")
    return out


def test_a_full_export_restores_every_answer(cli: Cli, tmp_path: Path) -> None:
    _curate(cli)
    dump = cli("export").stdout
    kinds = [json.loads(line).get("kind") for line in dump.splitlines()]
    assert {"tag", "search", "block"} <= set(kinds)
    assert kinds.index(None) > max(i for i, k in enumerate(kinds) if k)  # leading
    restored = Cli(new_database(tmp_path / "restored.db"))
    done = restored("ingest", "-", input=dump)
    assert "failed 0" in done.stderr, done.stderr + done.stderr
    original, again = _answers(cli), _answers(restored)
    assert [k for k in original if original[k] != again[k]] == []
    assert len(original["@mine --block"].split()) >= 3  # type: ignore[union-attr]
    assert restored("export").stdout == dump


def test_an_unknown_record_kind_is_one_line_and_the_rest_lands(cli: Cli, tmp_path: Path) -> None:
    lines = [json.dumps({"kind": "playlist", "name": "x"}),
             json.dumps({"kind": "search", "name": "fluffy", "query": "tag:fluff"}),
             json.dumps({"title": "A", "text": "Some words.", "source": "a.txt"})]
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = cli("ingest", str(path), ok=False)
    assert done.exit_code == 1
    assert f"{path}:1: unknown record kind 'playlist'" in done.stderr
    assert "ingested 1 ·" in done.stderr and "failed 1" in done.stderr
    assert cli("search", "list").stdout == "@fluffy  tag:fluff\n"
