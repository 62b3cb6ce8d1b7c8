"""AO3's fixed vocabularies and the shorthands writers use for them.

Ratings, archive warnings and categories are closed sets on AO3; everything else a writer
says in those fields is mapped here (PG-13 -> Teen And Up Audiences, `MCD` -> Major Character
Death) or, for warnings, becomes an additional tag, so that nothing a file says is dropped.
Source: ../shared/reference/AO3-METADATA.md.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from catalog.errors import VocabularyError
from catalog.textnorm import name_key

# AO3's display order of tag types; the record keys of each list field follow it.
TAG_TYPES = ("rating", "warning", "category", "fandom", "relationship", "character", "freeform")
# The types whose names AO3 fixes: no new tag of these types is ever canonical.
FIXED_TYPES = ("rating", "warning", "category")
# The types whose tags belong to fandoms (a fandom can be their parent).
FANDOM_CHILDREN = ("character", "relationship", "freeform")

NOT_RATED = "Not Rated"
GENERAL = "General Audiences"
TEEN = "Teen And Up Audiences"
MATURE = "Mature"
EXPLICIT = "Explicit"
# Severity order; Not Rated stands apart (AO3 hides it like an adult rating).
RATINGS = (NOT_RATED, GENERAL, TEEN, MATURE, EXPLICIT)
RATING_SEVERITY = {GENERAL: 1, TEEN: 2, MATURE: 3, EXPLICIT: 4}

CNTW = "Creator Chose Not To Use Archive Warnings"
NAWA = "No Archive Warnings Apply"
GDOV = "Graphic Depictions Of Violence"
MCD = "Major Character Death"
NONCON = "Rape/Non-Con"
UNDERAGE = "Underage Sex"
# Display names, as downloads and records show them.
WARNINGS = (CNTW, NAWA, GDOV, MCD, NONCON, UNDERAGE)
# AO3's required-tags square for a rating (Not Rated has no letter).
RATING_LETTERS = {GENERAL: "G", TEEN: "T", MATURE: "M", EXPLICIT: "E"}


def warning_square(warnings: list[str]) -> str | None:
    """AO3's warning square: "yes" when an archive warning applies, "choosenot" when the
    creator chose not to use them, None when none apply."""
    if any(w not in (NAWA, CNTW) for w in warnings):
        return "yes"
    return "choosenot" if CNTW in warnings else None

CATEGORIES = ("Gen", "F/M", "M/M", "F/F", "Multi", "Other")

_RATING_ALIASES: dict[str, tuple[str, ...]] = {
    NOT_RATED: ("nr", "not rated", "unrated", "no rating"),
    GENERAL: ("g", "k", "k+", "pg", "general", "general audiences", "gen audiences"),
    TEEN: ("t", "pg-13", "pg13", "pg 13", "pg-15", "pg15", "teen", "teen and up",
           "teen and up audiences", "teen+", "teens"),
    MATURE: ("m", "r", "mature"),
    EXPLICIT: ("e", "ma", "nc-17", "nc17", "nc 17", "nc-18", "nc18", "x", "xxx", "explicit",
               "adult"),
}
# Twisting the Hellmouth's Fiction Ratings, by the ages they name: FR7 is for everyone,
# FR13 for teens, FR15 adds stronger violence and sexual situations (Mature), FR18 and
# FR21 are adult (Explicit).
_TTH_RATINGS = {GENERAL: ("fr7", "fr 7", "fr-7"), TEEN: ("fr13", "fr 13", "fr-13"),
                MATURE: ("fr15", "fr 15", "fr-15"),
                EXPLICIT: ("fr18", "fr 18", "fr-18", "fr21", "fr 21", "fr-21")}
for _rating, _names in _TTH_RATINGS.items():
    _RATING_ALIASES[_rating] += _names
_WARNING_ALIASES: dict[str, tuple[str, ...]] = {
    MCD: ("mcd", "major character death"),
    GDOV: ("violence", "graphic violence", "gdov", "graphic depictions of violence"),
    NONCON: ("non-con", "noncon", "non con", "rape", "rape/non-con", "rape/noncon"),
    UNDERAGE: ("underage", "underage sex"),
    CNTW: ("cntw", "choose not to warn", "chose not to warn",
           "choose not to use archive warnings", "creator chose not to use archive warnings"),
    NAWA: ("none", "no warnings", "nawa", "no archive warnings apply", "no warnings apply"),
}
_CATEGORY_ALIASES: dict[str, tuple[str, ...]] = {
    "Gen": ("gen", "general"),
    "F/M": ("f/m", "het", "m/f"),
    "M/M": ("m/m", "slash"),
    "F/F": ("f/f", "femslash", "femmeslash"),
    "Multi": ("multi", "multiple"),
    "Other": ("other",),
}


def _index(aliases: dict[str, tuple[str, ...]]) -> dict[str, str]:
    table = {name_key(alias): name for name, alias_list in aliases.items() for alias in alias_list}
    table.update({name_key(name): name for name in aliases})
    return table


RATING_TABLE = _index(_RATING_ALIASES)
WARNING_TABLE = _index(_WARNING_ALIASES)
CATEGORY_TABLE = _index(_CATEGORY_ALIASES)


def _trim(key: str) -> str:
    """Drop surrounding punctuation and symbols: '[MCD]' and 'mcd.' are 'mcd'."""
    start, end = 0, len(key)
    while start < end and unicodedata.category(key[start])[0] in "PSZ":
        start += 1
    while end > start and unicodedata.category(key[end - 1])[0] in "PSZ":
        end -= 1
    return key[start:end]


def _lookup(table: dict[str, str], value: str) -> str | None:
    key = name_key(value)
    return table.get(key) or table.get(_trim(key))


# How a mixed rating is written: "PG-13/R", "PG-13 to R", "R, NC-17", "FR13-FR15".
_RATING_PARTS = re.compile(r"\s*(?:[/,;|&+]|\bto\b|\bor\b|\s[-–]\s|–)\s*|(?<=\d)-(?=[a-z])")


def map_rating(value: str) -> str | None:
    """AO3 rating for a written rating ('PG-13', 'nc17', 'Mature', 'FR15'), or None if
    unknown."""
    return _lookup(RATING_TABLE, value)


def read_rating(value: str) -> str | None:
    """`map_rating` for a rating a file wrote, which may be mixed ('PG-13/R', 'PG to
    PG-13'): its strictest named part, as a reader deciding what to open would read it;
    parts that name no rating are passed over. (A rating the user types must be one.)"""
    found = map_rating(value)
    if found is not None:
        return found
    parts = [_lookup(RATING_TABLE, part) for part in _RATING_PARTS.split(name_key(value))
             if part.strip()]
    named = [p for p in parts if p is not None]
    if len(parts) < 2 or not named:
        return None
    rated = [p for p in named if p in RATING_SEVERITY]
    return max(rated, key=RATING_SEVERITY.__getitem__) if rated else NOT_RATED


def map_warning(value: str) -> str | None:
    """Archive warning for a written warning ('MCD', 'non-con'), or None: an additional tag."""
    return _lookup(WARNING_TABLE, value)


def map_category(value: str) -> str | None:
    """AO3 category for a written category ('F/F', 'femslash'), or None."""
    return _lookup(CATEGORY_TABLE, value)


def _require(kind: str, value: str, found: str | None, accepted: tuple[str, ...]) -> str:
    if found is None:
        raise VocabularyError(
            f"unknown {kind} {value!r}; accepted: {', '.join(accepted)} "
            "(and their usual shorthands, e.g. PG-13, NC-17, MCD, CNTW)"
        )
    return found


def require_rating(value: str) -> str:
    """A rating typed by the user: unknown values are an error listing the accepted ones."""
    return _require("rating", value, map_rating(value), RATINGS)


def require_warning(value: str) -> str:
    """An archive warning typed by the user; unknown values are an error."""
    return _require("archive warning", value, map_warning(value), WARNINGS)


def require_category(value: str) -> str:
    """A category typed by the user; unknown values are an error."""
    return _require("category", value, map_category(value), CATEGORIES)


@dataclass(frozen=True)
class FixedTag:
    """A tag of a closed vocabulary with the written forms that are its synonyms."""

    type: str
    name: str
    aliases: tuple[str, ...]


def fixed_tags() -> list[FixedTag]:
    """Every rating, warning and category with its shorthands, in AO3's order."""
    groups = (("rating", _RATING_ALIASES), ("warning", _WARNING_ALIASES),
              ("category", _CATEGORY_ALIASES))
    return [FixedTag(t, name, aliases) for t, table in groups for name, aliases in table.items()]


def is_fixed_name(tag_type: str, name: str) -> bool:
    """Whether `name` is one of AO3's own names of that fixed type (not a shorthand)."""
    return name_key(name) in {name_key(f.name) for f in fixed_tags() if f.type == tag_type}


# Language names -> ISO 639 code (639-1 where there is one, else 639-3): AO3's own display
# names (as downloads and pages print them), English names and common native spellings.
_LANGUAGES: dict[str, tuple[str, ...]] = {
    "af": ("afrikaans",), "sq": ("shqip", "albanian"), "ar": ("العربية", "arabic"),
    "arc": ("ܐܪܡܝܐ | ארמיא", "aramaic", "official aramaic (700-300 bce)"),
    "hy": ("հայերեն", "armenian"), "eu": ("euskara", "basque"),
    "be": ("беларуская", "belarusian"), "bn": ("বাংলা", "bengali"),
    "bs": ("bosanski", "bosnian"), "br": ("brezhoneg", "breton"),
    "bg": ("български", "bulgarian"), "ca": ("català", "catalan"),
    "zh": ("中文-普通话 國語", "中文", "普通话", "國語", "chinese", "mandarin", "mandarin chinese"),
    "yue": ("中文-广东话 粵語", "cantonese", "yue chinese", "粵語"),
    "wuu": ("中文-吴语", "wu chinese"), "nan": ("中文-闽南话 臺語", "min nan chinese"),
    "hak": ("中文-客家话", "hakka chinese"), "chn": ("chinuk wawa", "chinook jargon"),
    "hr": ("hrvatski", "croatian"), "cs": ("čeština", "czech"), "da": ("dansk", "danish"),
    "nl": ("nederlands", "dutch"), "en": ("english",), "eo": ("esperanto",),
    "et": ("eesti keel", "eesti", "estonian"), "fil": ("filipino", "tagalog"),
    "fi": ("suomi", "finnish"), "fr": ("français", "francais", "french"),
    "fur": ("furlan", "friulian"), "gl": ("galego", "galician"),
    "ka": ("ქართული", "georgian"), "de": ("deutsch", "german"),
    "gem": ("sprēkō þiudiskō", "germanic languages"), "got": ("𐌲𐌿𐍄𐌹𐍃𐌺𐌰", "gothic"),
    "el": ("ελληνικά", "greek", "modern greek (1453-)"), "ha": ("hausa | هَرْشَن هَوْسَ", "hausa"),
    "he": ("עברית", "hebrew"), "hi": ("हिन्दी", "hindi"), "hu": ("magyar", "hungarian"),
    "is": ("íslenska", "icelandic"), "id": ("bahasa indonesia", "indonesian"),
    "ia": ("interlingua",
           "interlingua (international auxiliary language association)"),
    "ga": ("gaeilge", "irish"), "it": ("italiano", "italian"), "ja": ("日本語", "japanese"),
    "jv": ("basa jawa", "javanese"), "qkz": ("khuzdul",), "tlh": ("tlhingan-hol", "klingon"),
    "ko": ("한국어", "한국말", "korean"), "ky": ("кыргызча", "kyrgyz"),
    "la": ("lingua latina", "latin"), "lv": ("latviešu valoda", "latvian"),
    "lt": ("lietuvių kalba", "lithuanian"), "nds": ("plattdüütsch", "low german"),
    "lb": ("lëtzebuergesch", "luxembourgish"), "mk": ("македонски", "macedonian"),
    "ms": ("bahasa malaysia", "malay", "malay (macrolanguage)"),
    "ml": ("മലയാളം", "malayalam"), "mnc": ("ᠮᠠᠨᠵᡠ ᡤᡳᠰᡠᠨ", "manchu"),
    "mr": ("मराठी", "marathi"),
    "mn": ("ᠮᠣᠩᠭᠣᠯ ᠪᠢᠴᠢᠭ᠌ | монгол кирилл үсэг", "mongolian", "mongolian cyrillic alphabet"),
    "my": ("မြန်မာဘာသာ", "burmese"), "no": ("norsk", "norwegian"),
    "pa": ("ਪੰਜਾਬੀ", "panjabi", "punjabi"),
    "ps": ("پښتو", "pashto"), "fa": ("فارسی", "persian", "farsi"), "pl": ("polski", "polish"),
    "pt": ("português", "portugues", "português brasileiro", "português europeu", "portuguese",
           "brazilian portuguese"),
    "qya": ("quenya",), "ro": ("română", "romanian"), "ru": ("русский", "russian"),
    "sco": ("scots",), "gd": ("gàidhlig", "scottish gaelic"), "sr": ("српски", "serbian"),
    "sjn": ("sindarin",), "si": ("සිංහල", "sinhala"), "sk": ("slovenčina", "slovak"),
    "sl": ("slovenščina", "slovenian"), "so": ("af soomaali", "somali"),
    "es": ("español", "espanol", "castellano", "spanish"),
    "sw": ("kiswahili", "swahili", "swahili (macrolanguage)"), "sv": ("svenska", "swedish"),
    "ta": ("தமிழ்", "tamil"), "th": ("ไทย", "ภาษาไทย", "thai"), "bo": ("བོད་སྐད་", "tibetan"),
    "tok": ("toki pona",), "tr": ("türkçe", "turkish"),
    "uk": ("українська", "ukrainian"), "ug": ("ئۇيغۇر تىلى", "uyghur"),
    "vi": ("tiếng việt", "vietnamese"), "cy": ("cymraeg", "welsh"), "zu": ("isizulu", "zulu"),
    "fcs": ("langue des signes québécoise", "quebec sign language"),
}
LANGUAGE_TABLE = {name_key(alias): code for code, names in _LANGUAGES.items() for alias in names}


def language_names(code: str) -> tuple[str, ...]:
    """The names the table knows for a language code, AO3's display name first."""
    return _LANGUAGES.get(code, ())


def language_code(value: str | None) -> str | None:
    """ISO 639 code for a language name or code; an unknown name is kept as written."""
    if value is None or not value.strip():
        return None
    key = name_key(value)
    if key in LANGUAGE_TABLE:
        return LANGUAGE_TABLE[key]
    if key in _LANGUAGES or (len(key) == 3 and key.isalpha()):
        return key
    base = key.replace("_", "-").split("-")[0]
    if base in _LANGUAGES and len(base) == 2:
        return base
    return value.strip()
