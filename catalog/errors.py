"""One error family, so the CLI can turn any known failure into `error: …` and exit 1."""

from __future__ import annotations

import os
import sys
import traceback


class CatalogError(Exception):
    """A failure the user can act on; the message says what went wrong and what to do."""


class InputError(CatalogError):
    """A story file that cannot be read; `path` names it so the one-line report can."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class VocabularyError(CatalogError):
    """A value typed by the user that is not in one of AO3's fixed vocabularies."""


class NotFoundError(CatalogError):
    """A work id (or other key) that the catalogue does not hold."""


class ReadOnlyError(CatalogError):
    """A change asked of a catalogue this process may only read: `where` it is, `why` it
    is read-only, and what that means for the command (`outcome`)."""

    def __init__(self, where: object, why: str, outcome: str = (
            "this command changes it; list, show, export, db check and db backup still work")
                 ) -> None:
        super().__init__(f"the catalogue {where} is read-only ({why}): {outcome}")
        self.where, self.why = where, why


class WranglingError(CatalogError):
    """A wrangling change that would break the model: a type mismatch, a loop, a synonym of
    a synonym."""


DEBUG_ENV = "CATALOG_DEBUG"


def debugging() -> bool:
    """`catalog --debug` or CATALOG_DEBUG=1: tracebacks are printed, not only reasons.
    An environment variable, so parsing processes started by fork see it too."""
    return os.environ.get(DEBUG_ENV, "") not in ("", "0")


def driver_message(exc: BaseException) -> str:
    """The first line of a database driver's own message (under SQLAlchemy's wrapper)."""
    return next(iter(str(getattr(exc, "orig", None) or exc).splitlines()), "")


def refused_as_read_only(exc: BaseException) -> bool:
    """Whether the database refused a write because it was opened read-only."""
    return "readonly database" in driver_message(exc)


def reason(exc: BaseException) -> str:
    """One line saying why `exc` happened, for a report (`path: reason`); under --debug the
    traceback goes to stderr as well. A known error is its own message; any other is named
    by its type, so a bug in one file's handling still reads as that file's failure."""
    if debugging():
        traceback.print_exception(exc, file=sys.stderr)
    if isinstance(exc, InputError):
        text = exc.reason
    elif isinstance(exc, CatalogError):
        text = str(exc)
    elif isinstance(exc, MemoryError):
        text = "out of memory while reading it (lower --max-size, or give it more memory)"
    elif isinstance(exc, RecursionError):
        text = "nested too deeply to read"
    else:
        orig = getattr(exc, "orig", None)  # a database driver's own error, under SQLAlchemy
        detail = str(orig or exc).strip() or "no detail"
        text = f"{type(orig or exc).__name__}: {detail}"
    return text.splitlines()[0] if text.strip() else type(exc).__name__
