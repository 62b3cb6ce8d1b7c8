"""Vocabulary files shipped with the catalogue (see catalog.wrangle.vocabulary)."""
