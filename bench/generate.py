"""A deterministic, AO3-shaped corpus of story files for the benchmark.

Why synthetic: real fic cannot be shipped with the repository, and a benchmark must be
reproducible. What matters for the catalogue's speed is the *shape* of the data, so the
generator copies AO3's: a few huge fandoms and a long tail (Zipf), characters that belong to
a fandom, relationships between characters of the work's fandom, thousands of freeform tags
of which a handful are everywhere, AO3-like rating/warning/category proportions and
lognormal word counts (median about 4,000 words, capped at 50,000).

Files come in the three formats `catalog ingest` reads from a directory, mixed as a real
download folder would be: about 60% `.txt` with a `Key: value` header, 25% `.md` with YAML
front matter and 15% sidecar pairs (`.txt` prose + `.yaml` metadata).

Everything derives from one seeded `random.Random`, so a seed names a corpus exactly.
`write_corpus` returns a `Corpus` naming the most popular and the rarest tags, so the
benchmark's queries can target a popular tag, a rare tag and so on.

    python bench/generate.py /tmp/corpus 1000     # write 1,000 works and print the summary
"""

from __future__ import annotations

import argparse
import json
import math
import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate
from pathlib import Path

DEFAULT_SEED = 20240611
N_FANDOMS, N_CHARACTERS, N_FREEFORMS = 200, 2000, 3000
UNITS_PER_DIR = 100  # works per sub-directory: a subset of the corpus is its first few dirs
MEDIAN_WORDS, WORDS_SIGMA, MIN_WORDS, MAX_WORDS = 4000, 1.1, 100, 50_000


def _split(words: str) -> tuple[str, ...]:
    return tuple(words.split())


FORMATS = (("text", 60), ("markdown", 25), ("sidecar", 15))
# AO3-ish shares; each rating has the spellings writers use in text headers.
RATINGS: dict[str, tuple[int, tuple[str, ...]]] = {
    "General Audiences": (30, ("G", "PG", "General")),
    "Teen And Up Audiences": (30, ("PG-13", "T", "Teen")),
    "Mature": (15, ("M", "R")),
    "Explicit": (15, ("E", "NC-17")),
    "Not Rated": (10, ("NR",)),
}
NAWA, CNTW = "No Archive Warnings Apply", "Creator Chose Not To Use Archive Warnings"
HEAVY_WARNINGS = (("Graphic Depictions Of Violence", 60, "violence"),
                  ("Major Character Death", 30, "MCD"),
                  ("Rape/Non-Con", 8, "non-con"), ("Underage Sex", 4, "underage"))
CATEGORIES = (("M/M", 38), ("F/M", 22), ("Gen", 20), ("F/F", 10), ("Multi", 6), ("Other", 4))
MEDIA = ("TV", "Movies", "Video Game", "Anime", "Comics", "Books", "Podcast", "Cartoon")
LANGUAGES = (("en", 92), ("es", 2), ("fr", 2), ("de", 1), ("ru", 1), ("zh", 1), ("pt", 1))

SYLLABLES = _split("ka ri son mel dor vi an el tha ros be lin mar co da ne ja mi ra to su fen "
             "gal ha ith lo nor pe qui sa tav ul wen xa yor zel bra cre dre fla gri kel "
             "lor mor nim pra sel tor var wil")
COMMON_FREEFORMS = (
    "Fluff", "Angst", "Hurt/Comfort", "Romance", "Alternate Universe - Canon Divergence",
    "Established Relationship", "Friendship", "Humor", "Slow Burn", "Fluff and Angst",
    "Alternate Universe - Modern Setting", "Family", "Canon Compliant", "Post-Canon",
    "Angst with a Happy Ending", "Character Study", "Smut", "Enemies to Lovers",
    "Found Family", "Pining", "Mutual Pining", "Friends to Lovers", "Domestic Fluff",
    "Missing Scene", "Drabble", "Crack", "Whump", "Emotional Hurt/Comfort",
    "Getting Together", "First Kiss", "Tooth-Rotting Fluff", "Canon-Typical Violence",
    "Not Beta Read", "Light Angst", "Sad with a Happy Ending", "Major Character Injury",
    "Minor Character Death", "Grief/Mourning", "Time Travel", "Soulmates", "Fix-It",
    "Sexual Content", "Alternate Universe - Coffee Shops & Cafes", "Hurt No Comfort",
    "Secret Relationship", "Holidays", "Christmas", "Introspection", "Banter", "Nightmares",
)
ADJECTIVES = ("Soft", "Dark", "Slow", "Sad", "Happy", "Secret", "Broken", "Lost", "Quiet",
              "Reluctant", "Accidental", "Mutual", "Unrequited", "Hidden", "Sleepy", "Feral",
              "Domestic", "Magical", "Cursed", "Forbidden", "Tender", "Jealous", "Awkward",
              "Fake", "Temporary", "Eventual", "Implied", "Canon", "Minor", "Alternate",
              "Post", "Pre", "Rainy", "Winter", "Summer", "Midnight", "Royal", "Rival",
              "Stubborn", "Oblivious")
NOUNS = ("Dating", "Marriage", "Kissing", "Cuddling", "Bed Sharing", "Pining", "Magic",
         "Vampires", "Werewolves", "Dragons", "Hogwarts", "Space", "Pirates", "Soulmates",
         "Road Trip", "Camping", "Cooking", "Baking", "Coffee", "Tea", "Hospitals",
         "Nightmares", "Letters", "Texting", "Injury", "Recovery", "Amnesia", "Dreams",
         "Ghosts", "Demons", "Angels", "Royalty", "Knights", "Fake Dating", "Snow",
         "Rain", "Music", "Dancing", "Libraries", "Gardens", "Cats", "Dogs", "Mermaids",
         "Heists", "Detectives", "Ballroom", "Festivals", "Birthdays", "Weddings", "Funerals",
         "Insomnia", "Tattoos", "Photography", "Trains", "Lighthouses", "Shipwrecks",
         "Witches", "Time Loop", "Body Swap", "Identity Reveal")
TEMPLATES = ("{a} {n}", "Alternate Universe - {n}", "{n} as a Metaphor", "{a} {n} AU",
             "{n} Fix-It", "Lots of {n}")
VOCABULARY = _split(
    "the a an and but or of to in on at by for with from into over under after before "
    "she he they it we you I her him them his their its my your our this that those these "
    "was were is are had has have did do could would should might must will can said asked "
    "whispered laughed looked turned walked stood sat waited watched knew thought felt "
    "wanted needed found kept left took gave made held pulled pushed reached smiled frowned "
    "night day morning evening light dark rain wind door window room house street road "
    "hand hands eyes face voice heart breath shoulder fingers hair mouth name word words "
    "cold warm quiet soft slow long small old new last first only still again never always "
    "just almost nearly already even then now here there away back down up out through "
    "fire water stone glass wood paper blood silver iron ash smoke dust snow sky sea river "
    "city garden kitchen table chair bed book letter key sword lamp candle tea coffee "
    "something nothing everything anything someone nobody everyone time moment year years "
    "don’t didn’t couldn’t wasn’t it’s I’m she’d he’d they’re you’re wouldn’t can’t "
    "half-light well-worn twenty-three self-aware"
)


@dataclass
class Universe:
    """The tag vocabulary one seed defines: every list is in popularity order."""

    fandoms: list[str]
    characters: list[list[str]]  # per fandom, most popular first
    freeforms: list[str]
    authors: list[str]
    sentences: list[str]


@dataclass
class Corpus:
    """What `write_corpus` wrote, and the tags the benchmark's queries aim at."""

    root: Path
    works: int
    seed: int
    files: int = 0
    bytes: int = 0
    formats: Counter[str] = field(default_factory=Counter)
    dirs: list[Path] = field(default_factory=list)
    tag_counts: dict[str, Counter[str]] = field(default_factory=dict)

    def top(self, tag_type: str, k: int = 5) -> list[str]:
        """The k most used tags of a type (by works that carry them)."""
        return [name for name, _ in self.tag_counts[tag_type].most_common(k)]

    def rare(self, tag_type: str = "freeform") -> str:
        """A tag used by exactly one work (or the least used one): the needle query."""
        counts = self.tag_counts[tag_type]
        return min(counts, key=lambda name: (counts[name], name))

    def subset(self, works: int) -> list[Path]:
        """The first sub-directories holding about `works` works (at least one)."""
        return self.dirs[:max(1, round(works / UNITS_PER_DIR))]

    def summary(self) -> dict[str, object]:
        return {
            "root": str(self.root), "works": self.works, "seed": self.seed,
            "files": self.files, "bytes": self.bytes, "formats": dict(self.formats),
            "top_fandoms": self.top("fandom", 3), "top_characters": self.top("character", 3),
            "top_freeforms": self.top("freeform", 5), "rare_freeform": self.rare(),
            "distinct_tags": {t: len(c) for t, c in self.tag_counts.items()},
        }


class Zipf:
    """Draws from a list with weight 1/rank**s: AO3 tag popularity has this long tail."""

    def __init__(self, items: Sequence[str], s: float) -> None:
        self.items = list(items)
        self.cum = list(accumulate(1.0 / rank**s for rank in range(1, len(items) + 1)))

    def one(self, rng: random.Random) -> str:
        return rng.choices(self.items, cum_weights=self.cum)[0]

    def distinct(self, rng: random.Random, k: int) -> list[str]:
        """Up to k different items (fewer only if the list is shorter)."""
        k = min(k, len(self.items))
        out: dict[str, None] = {}
        while len(out) < k:
            out.update(dict.fromkeys(rng.choices(self.items, cum_weights=self.cum, k=k)))
        return list(out)[:k]


def _weighted(rng: random.Random, pairs: Sequence[tuple[str, int]]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


# --- the universe: names ---------------------------------------------------------------


def _word(rng: random.Random, lo: int = 2, hi: int = 3) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(lo, hi))).capitalize()


def _unique(rng: random.Random, make: Callable[[random.Random], str], n: int) -> list[str]:
    """n names from `make(rng)`, distinct ignoring case (the catalogue's tag identity)."""
    seen: set[str] = set()
    out: list[str] = []
    for _ in range(100 * n):
        if len(out) == n:
            break
        name = make(rng)
        if name.casefold() not in seen:
            seen.add(name.casefold())
            out.append(name)
    if len(out) < n:
        raise ValueError(f"only {len(out)} distinct names of {n}: widen the name lists")
    return out


def _fandom_name(rng: random.Random) -> str:
    shape = rng.random()
    if shape < 0.5:
        title = f"{_word(rng)} {_word(rng)}"
    elif shape < 0.8:
        title = f"The {_word(rng)} of {_word(rng)}"
    else:
        title = f"{_word(rng)}: {_word(rng)} {_word(rng)}"
    return f"{title} ({rng.choice(MEDIA)})"


def _character_counts(rng: random.Random) -> list[int]:
    """Characters per fandom: four each, the rest shared out by fandom popularity."""
    base = 4
    weights = [1.0 / rank for rank in range(1, N_FANDOMS + 1)]
    spare = N_CHARACTERS - base * N_FANDOMS
    counts = [base + int(spare * w / sum(weights)) for w in weights]
    for i in range(N_CHARACTERS - sum(counts)):
        counts[i % N_FANDOMS] += 1
    return counts


def _characters(rng: random.Random, fandoms: list[str]) -> list[list[str]]:
    """Per fandom; some names carry AO3's '(Fandom)' disambiguation."""
    names = _unique(rng, lambda r: f"{_word(r)} {_word(r, 2, 4)}", N_CHARACTERS)
    out: list[list[str]] = []
    start = 0
    for fandom, count in zip(fandoms, _character_counts(rng), strict=True):
        cast = names[start:start + count]
        start += count
        short = fandom.rsplit(" (", 1)[0]
        out.append([f"{c.split()[0]} ({short})" if rng.random() < 0.1 else c for c in cast])
    return out


def _freeforms(rng: random.Random) -> list[str]:
    def make(r: random.Random) -> str:
        return r.choice(TEMPLATES).format(a=r.choice(ADJECTIVES), n=r.choice(NOUNS))

    tail = _unique(rng, make, N_FREEFORMS)
    common = {c.casefold() for c in COMMON_FREEFORMS}
    return [*COMMON_FREEFORMS, *(t for t in tail if t.casefold() not in common)][:N_FREEFORMS]


def _authors(rng: random.Random, n: int) -> list[str]:
    def make(r: random.Random) -> str:
        pseud = _word(r) if r.random() < 0.6 else f"{_word(r)} {_word(r)}"
        if r.random() < 0.3:
            return f"{pseud} ({pseud.lower().replace(' ', '_')}{r.randint(1, 99)})"
        return pseud

    return _unique(rng, make, n)


def _sentences(rng: random.Random, n: int = 3000) -> list[str]:
    """A pool of sentences; stories are drawn from it (fast, and realistic enough to count)."""
    out = []
    for _ in range(n):
        words = rng.choices(VOCABULARY, k=rng.randint(5, 22))
        if rng.random() < 0.08:
            i = rng.randrange(len(words))
            words[i] = f"*{words[i]}*"
        if rng.random() < 0.1:
            words.insert(rng.randrange(1, len(words)), "—")
        text = " ".join(words)
        text = text[0].upper() + text[1:]
        if rng.random() < 0.25:
            out.append(f"“{text},” {rng.choice(('she', 'he', 'they'))} said.")
        else:
            out.append(text + rng.choice(".....?!"))
    return out


def build_universe(seed: int, works: int) -> Universe:
    """All names one seed defines; authors scale with the corpus (most write a few works)."""
    rng = random.Random(f"universe:{seed}")
    fandoms = _unique(rng, _fandom_name, N_FANDOMS)
    return Universe(fandoms=fandoms, characters=_characters(rng, fandoms),
                    freeforms=_freeforms(rng), authors=_authors(rng, max(20, works // 3)),
                    sentences=_sentences(rng))


# --- one work -------------------------------------------------------------------------


@dataclass
class Work:
    """One generated story's metadata and text, format-neutral."""

    index: int
    fmt: str
    title: str
    authors: list[str]
    rating: str | None
    rating_written: str | None
    warnings: list[str]
    warnings_written: list[str]
    categories: list[str]
    fandoms: list[str]
    relationships: list[str]
    characters: list[str]
    freeforms: list[str]
    summary: str
    language: str
    published: date
    updated: date
    complete: bool
    text: str
    words: int  # the length drawn for the work (the stored text may be shorter: see `short`)
    chapters: int  # 1 for a one-shot; a multi-chapter work's text splits into this many


class WorkMaker:
    """Turns a universe and a seeded rng into works, one at a time."""

    def __init__(self, universe: Universe, rng: random.Random, short: int | None = None,
                 fmt: str | None = None) -> None:
        """With `short`, texts are about that many words whatever the drawn length (the
        drawn `words` is kept as the work's stated count): a million works stay small.
        With `fmt`, every work is in that format."""
        self.u, self.rng, self.short, self.fmt = universe, rng, short, fmt
        self.fandoms = Zipf(universe.fandoms, 1.0)
        self.cast = {f: Zipf(c, 1.0) for f, c in zip(universe.fandoms, universe.characters,
                                                          strict=True)}
        self.freeforms = Zipf(universe.freeforms, 0.8)
        self.authors = Zipf(universe.authors, 0.8)
        self.sentences = universe.sentences
        self.mean_sentence = sum(len(s.split()) for s in self.sentences) / len(self.sentences)

    def make(self, index: int) -> Work:
        rng = self.rng
        fmt = self.fmt or _weighted(rng, FORMATS)
        rating, written = self._rating(fmt)
        warnings, warnings_written = self._warnings(fmt)
        categories = self._categories()
        fandoms = self.fandoms.distinct(rng, 1 if rng.random() < 0.92 else rng.randint(2, 3))
        relationships, characters = self._people(fandoms, categories)
        published = date(2009, 1, 1) + timedelta(days=rng.randrange(16 * 365))
        oneshot = rng.random() < 0.6
        updated = published if oneshot else published + timedelta(days=rng.randrange(1, 700))
        words = round(min(MAX_WORDS, max(MIN_WORDS, rng.lognormvariate(
            math.log(MEDIAN_WORDS), WORDS_SIGMA))))
        chapters = 1 if oneshot else min(60, max(2, round(words / rng.randint(1500, 5000))))
        return Work(
            index=index, fmt=fmt, title=self._title(),
            authors=self.authors.distinct(rng, 1 if rng.random() < 0.96 else 2),
            rating=rating, rating_written=written, warnings=warnings,
            warnings_written=warnings_written, categories=categories, fandoms=fandoms,
            relationships=relationships, characters=characters,
            freeforms=self.freeforms.distinct(rng, min(25, int(rng.expovariate(1 / 6)))),
            summary=" ".join(rng.choices(self.sentences, k=rng.randint(1, 3))),
            language=_weighted(rng, LANGUAGES), published=published, updated=updated,
            complete=oneshot or rng.random() < 0.6,
            text=self._prose(fmt, self.short or words), words=words, chapters=chapters,
        )

    def _rating(self, fmt: str) -> tuple[str | None, str | None]:
        """(AO3 rating, as the file writes it); text headers often use shorthands."""
        rating = _weighted(self.rng, [(r, w) for r, (w, _) in RATINGS.items()])
        if rating == "Not Rated" and self.rng.random() < 0.5:
            return rating, None  # no rating at all: the catalogue says Not Rated
        if fmt == "text" and self.rng.random() < 0.4:
            return rating, self.rng.choice(RATINGS[rating][1])
        return rating, rating

    def _warnings(self, fmt: str) -> tuple[list[str], list[str]]:
        roll = self.rng.random()
        if roll < 0.45:
            chosen = [NAWA]
        elif roll < 0.8:
            chosen = [CNTW]
        else:
            picks = self.rng.choices(HEAVY_WARNINGS, weights=[w[1] for w in HEAVY_WARNINGS],
                                     k=self.rng.randint(1, 2))
            chosen = list(dict.fromkeys(w[0] for w in picks))
        short = {w[0]: w[2] for w in HEAVY_WARNINGS} | {NAWA: "none", CNTW: "CNTW"}
        if fmt == "text" and self.rng.random() < 0.3:
            return chosen, [short[w] for w in chosen]
        return chosen, chosen

    def _categories(self) -> list[str]:
        roll = self.rng.random()
        if roll < 0.05:
            return []
        k = 1 if roll < 0.87 else 2
        return list(dict.fromkeys(_weighted(self.rng, CATEGORIES) for _ in range(k)))

    def _people(self, fandoms: list[str], categories: list[str]) -> tuple[list[str], list[str]]:
        """Relationships between characters of the work's fandoms, and the characters."""
        rng = self.rng
        romantic = any(c != "Gen" for c in categories)
        n_rel = (rng.choice((1, 1, 1, 2, 2, 3)) if romantic else
                 (1 if rng.random() < 0.3 else 0))
        relationships: list[str] = []
        characters: dict[str, None] = {}
        for _ in range(n_rel):
            cast = self.cast[rng.choice(fandoms)]
            if len(cast.items) < 2:
                continue
            pair = sorted(cast.distinct(rng, 2))
            sep = "/" if romantic and rng.random() < 0.85 else " & "
            relationships.append(sep.join(pair))
            characters.update(dict.fromkeys(pair))
        for fandom in fandoms:
            extra = 1 + min(8, int(rng.expovariate(1 / 2.5)))
            characters.update(dict.fromkeys(self.cast[fandom].distinct(rng, extra)))
        return list(dict.fromkeys(relationships)), list(characters)

    def _title(self) -> str:
        words = self.rng.choices(VOCABULARY[40:], k=self.rng.randint(1, 5))
        return " ".join(w.capitalize() for w in words).replace("*", "")

    def _prose(self, fmt: str, words: int) -> str:
        """Paragraphs of pool sentences, about `words` long; scene breaks now and then."""
        rng = self.rng
        picked = rng.choices(self.sentences, k=max(3, round(words / self.mean_sentence)))
        paragraphs: list[str] = []
        i = 0
        while i < len(picked):
            size = 3 if i == 0 else rng.randint(2, 7)  # a long first paragraph: never a title
            paragraphs.append(" ".join(picked[i:i + size]))
            i += size
            if rng.random() < 0.02:
                paragraphs.append("* * *")
        if fmt == "markdown":
            return "\n\n".join(paragraphs)
        return "\n\n".join(p.replace("*", "") if p != "* * *" else p for p in paragraphs)


# --- writing the files ------------------------------------------------------------------


def _q(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def _yaml(work: Work) -> str:
    """Front matter / sidecar metadata, as the seeds write it."""
    def flow(values: list[str]) -> str:
        return "[" + ", ".join(_q(v) for v in values) + "]"

    def block(values: list[str]) -> str:
        return "".join(f"\n  - {_q(v)}" for v in values) if values else " []"

    lines = [f"title: {_q(work.title)}"]
    lines.append(f"author: {_q(work.authors[0])}" if len(work.authors) == 1
                 else f"authors:{block(work.authors)}")
    lines.append(f"fandoms:{block(work.fandoms)}")
    if work.rating_written:
        lines.append(f"rating: {_q(work.rating_written)}")
    lines += [f"warnings: {flow(work.warnings_written)}",
              f"categories: {flow(work.categories)}",
              f"relationships: {flow(work.relationships)}",
              f"characters:{block(work.characters)}",
              f"tags:{block(work.freeforms)}",
              f"summary: {_q(work.summary)}",
              f"language: {work.language}",
              f"published: {work.published.isoformat()}",
              f"updated: {work.updated.isoformat()}",
              f"complete: {'true' if work.complete else 'false'}"]
    return "\n".join(lines) + "\n"


def _header(work: Work, rng: random.Random) -> str:
    """A mailing-list style `Key: value` header block."""
    rows = [("Title", work.title), ("Author", ", ".join(work.authors)),
            ("Fandom", ", ".join(work.fandoms)), ("Rating", work.rating_written),
            ("Warnings", ", ".join(work.warnings_written)),
            ("Category", ", ".join(work.categories)),
            ("Pairing", ", ".join(work.relationships)),
            ("Characters", ", ".join(work.characters)), ("Tags", ", ".join(work.freeforms)),
            ("Summary", work.summary), ("Published", work.published.isoformat()),
            ("Updated", work.updated.isoformat())]
    if rng.random() < 0.2:
        rows.append(("Disclaimer", "Not mine; no profit made."))
    return "".join(f"{k}: {v}\n" for k, v in rows if v)


def _slug(title: str) -> str:
    keep = "".join(ch if ch.isalnum() else "-" for ch in title.lower())
    return "-".join(p for p in keep.split("-") if p)[:40] or "untitled"


def _files(work: Work, rng: random.Random) -> dict[str, str]:
    """File suffix -> content for one work, in its format."""
    if work.fmt == "markdown":
        return {".md": f"---\n{_yaml(work)}---\n\n{work.text}\n"}
    if work.fmt == "sidecar":
        return {".txt": work.text + "\n", ".yaml": _yaml(work)}
    return {".txt": f"{_header(work, rng)}\n{work.text}\n"}


def _record_tags(corpus: Corpus, work: Work) -> None:
    for tag_type, names in (("fandom", work.fandoms), ("character", work.characters),
                            ("relationship", work.relationships),
                            ("freeform", work.freeforms)):
        corpus.tag_counts[tag_type].update(names)


def write_corpus(root: Path | str, n: int, seed: int = DEFAULT_SEED, *,
                 words: int | None = None, fmt: str | None = None) -> Corpus:
    """Write n works under `root` (UNITS_PER_DIR per sub-directory) and describe them; with
    `words`, every text is about that long, with `fmt`, every work is in that format."""
    root = Path(root)
    rng = random.Random(f"works:{seed}")
    maker = WorkMaker(build_universe(seed, n), rng, short=words, fmt=fmt)
    corpus = Corpus(root=root, works=n, seed=seed,
                    tag_counts={t: Counter() for t in ("fandom", "character",
                                                       "relationship", "freeform")})
    for index in range(n):
        folder = root / f"{index // UNITS_PER_DIR:04d}"
        if index % UNITS_PER_DIR == 0:
            folder.mkdir(parents=True, exist_ok=True)
            corpus.dirs.append(folder)
        work = maker.make(index)
        stem = folder / f"{_slug(work.title)}-{index:06d}"
        for suffix, content in _files(work, rng).items():
            data = content.encode("utf-8")
            stem.with_suffix(suffix).write_bytes(data)
            corpus.files += 1
            corpus.bytes += len(data)
        corpus.formats[work.fmt] += 1
        _record_tags(corpus, work)
    return corpus


def main() -> None:
    parser = argparse.ArgumentParser(description="Write a synthetic AO3-like corpus.")
    parser.add_argument("root", type=Path)
    parser.add_argument("works", type=int)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args()
    corpus = write_corpus(args.root, args.works, args.seed)
    print(json.dumps(corpus.summary(), indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
