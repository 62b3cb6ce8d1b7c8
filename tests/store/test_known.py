"""What one writer learnt of the catalogue's names is carried from one transaction to the
next only while no other connection has written (SQLite's data_version); on PostgreSQL,
which has no such thing, nothing is carried."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import text

from catalog.catalogue import Catalogue
from catalog.store.known import Known
from catalog.wrangle.edit import new_tags_rows
from catalog.wrangle.graph import NAMES_MEMO, character_names
from tests.conftest import POSTGRES, Cli
from tests.factories import make_work

FLUFF = ("freeform", "fluff")


def _transaction(lib: Catalogue, known: Known) -> bool:
    """Resume `known` in a new writing transaction; whether it still knew Fluff."""
    with lib._writing_session() as session:
        session.begin()
        known.resume(session)
        kept = FLUFF in known.tags
        known.learn_tags(session, {FLUFF})
        assert known.tags[FLUFF] is not None
        session.commit()
    return kept


def test_names_are_carried_only_while_nobody_else_writes(cli: Cli, db_path: Any,
                                                         tmp_path: Path) -> None:
    story = tmp_path / "s.txt"
    story.write_text(make_work("Dawn slept.", title="S", tags="Fluff"), "utf-8")
    cli("ingest", str(story))
    lib = Catalogue(str(db_path))
    known = Known(new_tags_rows)
    assert not _transaction(lib, known)
    assert _transaction(lib, known) is not POSTGRES  # nobody wrote in between
    other = Catalogue(str(db_path))
    with other.writer.begin() as conn:  # another connection renames the tag
        conn.execute(text("UPDATE tags SET name = 'Fluffy' WHERE name = 'Fluff'"))
    other.dispose()
    assert not _transaction(lib, known)
    assert known.tags[FLUFF] is not None and known.tags[FLUFF][1] == "Fluffy"
    lib.dispose()


def test_character_spellings_are_carried_with_the_names(cli: Cli, db_path: Any,
                                                         tmp_path: Path) -> None:
    """The writer's memo of a character's spellings lives as long as the names it knows:
    kept while nobody else writes, gone once another connection adds a spelling."""
    story = tmp_path / "s.txt"
    story.write_text(make_work("Quill slept.", title="S", characters="Quill Marrow"), "utf-8")
    cli("ingest", str(story))
    lib = Catalogue(str(db_path))
    known = Known(new_tags_rows)

    def spellings() -> tuple[bool, set[str]]:
        with lib._writing_session() as session:
            session.begin()
            known.resume(session)
            session.info[NAMES_MEMO] = known.character_names
            carried = "quill marrow" in known.character_names
            found = character_names(session, "quill marrow")
            session.commit()
        return carried, found

    assert spellings() == (False, {"quill marrow"})
    assert spellings() == (not POSTGRES, {"quill marrow"})
    cli("tag", "synonym", "Quilly", "Quill Marrow", "--type", "character")
    assert spellings() == (False, {"quill marrow", "quilly"})
    lib.dispose()
