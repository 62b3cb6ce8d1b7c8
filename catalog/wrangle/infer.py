"""Characters (and a fandom) inferred from the text of a story that tags no characters.

The lexicon is every canonical character that belongs to a fandom, with its names: the
canonical name without its bracketed disambiguation and every synonym. Names are matched
case-sensitively as whole words, so "a spike of fear" is no mention of Spike. A name that
is also an ordinary word or a common first name ("Spike", "Will", "Angel", "Dawn") counts
only mid-sentence (never as a sentence's first word), and a character named only by such
names needs two mentions. Where the work gives no fandom, the fandom with the most distinct
characters named (at least two, one of them by a distinctive name) is inferred too.
Ratings and warnings are never inferred.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, replace

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased

from catalog import vocab
from catalog.model import SOURCE_INFERRED, CatalogEntry, TagRef
from catalog.store.models import Tag, TagParent
from catalog.textnorm import name_key, strip_markup
from catalog.wrangle.edit import ancestors
from catalog.wrangle.graph import expand

_SENTENCE_END = set(".!?…:;\n")
_OPENERS = set(" \t\"'“‘«(—–-*_")


@dataclass(frozen=True)
class Character:
    name: str
    fandoms: frozenset[str]


class Lexicon:
    """The inference lexicon of one catalogue, built once per ingest run."""

    def __init__(self, names: dict[str, tuple[int, bool]], characters: dict[int, Character],
                 fandom_keys: dict[str, set[str]]) -> None:
        self.names = names  # name as written in prose -> (character id, common)
        self.characters = characters
        # name key of a fandom spelling or metatag -> the lexicon's canonical fandoms it covers
        self.fandom_keys = fandom_keys
        ordered = sorted(names, key=len, reverse=True)
        self.pattern = (re.compile(r"(?<![\w’'])(" + "|".join(map(re.escape, ordered))
                                   + r")(?![\w])") if ordered else None)

    @classmethod
    def load(cls, session: Session) -> Lexicon:
        fandom = aliased(Tag)
        rows = session.execute(
            select(Tag.id, Tag.name, fandom.name)
            .join(TagParent, TagParent.child_id == Tag.id)
            .join(fandom, fandom.id == TagParent.parent_id)
            .where(Tag.type == "character", Tag.canonical, fandom.type == "fandom"))
        fandoms: dict[int, set[str]] = defaultdict(set)
        canonical_names: dict[int, str] = {}
        for char_id, name, fandom_name in rows:
            fandoms[char_id].add(fandom_name)
            canonical_names[char_id] = name
        names: dict[str, tuple[int, bool]] = {}
        for char_id, name in canonical_names.items():
            names.setdefault(re.sub(r"\s*\([^()]*\)$", "", name), (char_id, False))
        for syn_name, target, common in session.execute(
                select(Tag.name, Tag.synonym_of_id, Tag.common)
                .where(Tag.synonym_of_id.in_(canonical_names))):
            if target is not None and len(syn_name) > 1 and "(" not in syn_name:
                names[syn_name] = (target, bool(common))
        characters = {i: Character(n, frozenset(fandoms[i])) for i, n in canonical_names.items()}
        fandom_ids = {f for fs in fandoms.values() for f in fs}
        return cls(names, characters, _fandom_keys(session, fandom_ids))

    def mentions(self, text: str) -> tuple[Counter[int], set[int]]:
        """How often each character is named in `text`, and which were named by a
        distinctive (not common) name."""
        counts: Counter[int] = Counter()
        strong: set[int] = set()
        if self.pattern is None:
            return counts, strong
        for m in self.pattern.finditer(text):
            char_id, common = self.names[m.group(1)]
            if common and _sentence_start(text, m.start()):
                continue
            counts[char_id] += 1
            if not common:
                strong.add(char_id)
        return Counter({c: n for c, n in counts.items() if c in strong or n >= 2}), strong


def _fandom_keys(session: Session, fandom_names: set[str]) -> dict[str, set[str]]:
    """Every spelling of the lexicon's fandoms, of their subtags and of their metatags."""
    keys: dict[str, set[str]] = defaultdict(set)
    for fandom_id, name in session.execute(select(Tag.id, Tag.name).where(
            Tag.type == "fandom", Tag.canonical, Tag.name.in_(fandom_names))):
        above = ancestors(session, fandom_id)
        related = expand(session, {fandom_id}) | set(session.scalars(select(Tag.id).where(
            or_(Tag.id.in_(above), Tag.synonym_of_id.in_(above)))))
        for key in session.scalars(select(Tag.name_key).where(Tag.id.in_(related))):
            keys[key].add(name)
    return keys


def _sentence_start(text: str, at: int) -> bool:
    i = at - 1
    while i >= 0 and text[i] in _OPENERS:
        i -= 1
    return i < 0 or text[i] in _SENTENCE_END


def infer(entry: CatalogEntry, lexicon: Lexicon) -> CatalogEntry:
    """The entry with inferred characters (and fandom) added, when it tags no characters."""
    if not entry.infer or not lexicon.characters or any(
            t.type == "character" for t in entry.tags):
        return entry
    given = [t.name for t in entry.tags if t.type == "fandom"]
    text = "\n\n".join(strip_markup(c.text, c.text_format) for c in entry.chapters)
    counts, strong = lexicon.mentions(text)
    if not counts:
        return entry
    added: list[TagRef] = []
    if given:
        scope = {f for g in given for f in lexicon.fandom_keys.get(name_key(g), ())}
    else:
        scope = _likely_fandoms(counts, strong, lexicon)
        added += [TagRef("fandom", f, SOURCE_INFERRED, sum(
            n for c, n in counts.items() if f in lexicon.characters[c].fandoms))
            for f in sorted(scope)]
    found = sorted(((c, n) for c, n in counts.items()
                    if lexicon.characters[c].fandoms & scope), key=lambda cn: -cn[1])
    added += [TagRef("character", lexicon.characters[c].name, SOURCE_INFERRED, n)
              for c, n in found]
    if not found:
        return entry
    return replace(entry, tags=_in_type_order(entry.tags + added))


def _likely_fandoms(counts: Counter[int], strong: set[int], lexicon: Lexicon) -> set[str]:
    """The fandom(s) naming the most distinct characters: two at least, one of them by a
    distinctive name."""
    per_fandom: Counter[str] = Counter()
    distinctive: set[str] = set()
    for char_id in counts:
        for fandom in lexicon.characters[char_id].fandoms:
            per_fandom[fandom] += 1
            if char_id in strong:
                distinctive.add(fandom)
    best = max((n for f, n in per_fandom.items() if f in distinctive), default=0)
    return {f for f, n in per_fandom.items() if n == best and f in distinctive} \
        if best >= 2 else set()


def _in_type_order(tags: list[TagRef]) -> list[TagRef]:
    order = {t: i for i, t in enumerate(vocab.TAG_TYPES)}
    return sorted(tags, key=lambda t: order[t.type])
