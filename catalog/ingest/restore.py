"""An export's own records (Kept: tags, saved searches, blocks) stored as they were."""

from __future__ import annotations

from sqlalchemy.orm import Session

from catalog.curate import lists
from catalog.model import Kept
from catalog.wrangle.restore import restore_tag


def kept(session: Session, item: Kept) -> None:
    if item.kind == "tag":
        restore_tag(session, item.data)
    elif item.kind == "search":
        lists.restore_search(session, item.data)
    else:
        lists.restore_block(session, item.data)
