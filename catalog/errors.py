"""One error family, so the CLI can turn any known failure into `error: …` and exit 1."""

from __future__ import annotations


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


class WranglingError(CatalogError):
    """A wrangling change that would break the model: a type mismatch, a loop, a synonym of
    a synonym."""
