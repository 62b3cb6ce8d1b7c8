"""Bytes to text, refusing what is not a story: empty files, binary files, bad encodings.

Every refusal is an `InputError` naming the file and saying what to do next.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from catalog.errors import InputError
from catalog.textnorm import normalise_newlines

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


def read_bytes(path: Path, max_size: int) -> bytes:
    """The file's bytes, after checking it exists, is a file and is within the size limit."""
    label = str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError(label, "no such file") from None
    except OSError as exc:
        raise InputError(label, f"cannot read: {exc.strerror or exc}") from None
    if not path.is_file():
        raise InputError(label, "not a regular file")
    if size > max_size:
        raise InputError(
            label, f"file is {size / 2**20:.1f} MB, over the {max_size / 2**20:.0f} MB limit "
            "(raise it with --max-size)")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(label, f"cannot read: {exc.strerror or exc}") from None


def decode(data: bytes, label: str) -> tuple[str, str]:
    """(text with LF line endings, encoding used).

    A BOM decides (UTF-8, UTF-16); then strict UTF-8; then charset detection
    (charset-normalizer), preferring Windows-1252 among equally good Western guesses as
    browsers do. Text that fits no encoding cleanly is an error, never mojibake. Peak memory
    is the bytes and one decoded copy (two with CR line ends), whatever the encoding.
    """
    encoding = None
    for bom, name in _BOMS:
        if data.startswith(bom):
            encoding = name
            break
    if encoding is None and b"\x00" in data[:8192]:
        raise InputError(label, "binary file (contains NUL bytes), not a story text")
    if encoding is None:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text, encoding = _detect(data, label)
    else:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise InputError(label, f"not valid {encoding.replace('-sig', '').upper()} after "
                             f"its byte-order mark (offset {exc.start})") from None
    if not text or text.isspace():  # not strip(): that copies a long text
        raise InputError(label, "empty file (no text to catalogue)")
    if "\x00" in text:
        raise InputError(label, "binary file (contains NUL characters), not a story text")
    return normalise_newlines(text), encoding.replace("-sig", "")


_IANA = {"cp1252": "windows-1252", "latin_1": "iso-8859-1", "cp1251": "windows-1251",
         "cp1250": "windows-1250", "cp932": "shift_jis", "koi8_r": "koi8-r",
         "gb18030": "gb18030", "big5": "big5", "euc_kr": "euc-kr", "cp949": "euc-kr",
         "euc_jp": "euc-jp", "mac_cyrillic": "x-mac-cyrillic", "utf_16": "utf-16"}
_MAX_CHAOS = 10.0
_SAMPLE = 1 << 20  # bytes of a large file that detection reads: a head and slices
_SLICES = 16
_TRIES = 4
# A byte that is never part of a multibyte character in the legacy encodings detected
# (Shift_JIS, GBK/GB18030, Big5, EUC trail bytes are all 0x30 or above): slices cut after one.
_CUT = re.compile(rb"[\x00-\x2f]")
_C1 = re.compile(rb"[\x80-\x9f]")


def _detect(data: bytes, label: str) -> tuple[str, str]:
    """Detect on a sample (all of a small file), then decode the whole strictly with the
    encoding found; where the rest does not fit it, detect again with that part added."""
    sample = _sample(data)
    for _ in range(_TRIES):
        codec, name = _guess(sample, label)
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as exc:
            half = _SAMPLE // (4 * _SLICES)
            sample += b"\n" + _slice(data, max(exc.start - half, 0), 2 * half)
            continue
        return text, name if codec != "cp1252" or _C1.search(data) else "iso-8859-1"
    raise InputError(label, _NO_FIT)


_NO_FIT = ("not UTF-8, and no other character encoding fits it cleanly; save it as UTF-8 "
           "and ingest again")


def _guess(data: bytes, label: str) -> tuple[str, str]:
    """(Python codec, IANA name) that charset-normalizer finds for `data`; Windows-1252
    (ISO-8859-1 when no byte needs 1252's extra characters) where it fits as well."""
    # loaded by the inputs that need it
    from charset_normalizer import from_bytes

    matches = [m for m in from_bytes(data) if m.percent_chaos <= _MAX_CHAOS]
    if not matches:
        raise InputError(label, _NO_FIT)
    best = min(m.percent_chaos for m in matches)
    tied = [m for m in matches if m.percent_chaos <= best + 0.5]
    western = _western(data)
    # Code pages that agree on these bytes are one answer; the web's default wins the tie.
    if western is not None and any(m.encoding in ("cp1252", "latin_1") or str(m) == western
                                   for m in tied):
        return "cp1252", "windows-1252"
    codec = tied[0].encoding
    return codec, _IANA.get(codec, codec.replace("_", "-"))


def _western(data: bytes) -> str | None:
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return None


def _sample(data: bytes) -> bytes:
    """All of a small file; of a large one, its head and slices spread over the rest, so
    that detection takes the same time and memory for any size."""
    if len(data) <= _SAMPLE:
        return data
    size = _SAMPLE // (2 * _SLICES)
    step = (len(data) - _SAMPLE // 2) // _SLICES
    return b"\n".join([_slice(data, 0, _SAMPLE // 2)] + [
        _slice(data, _SAMPLE // 2 + i * step, size) for i in range(_SLICES)])


def _slice(data: bytes, start: int, size: int) -> bytes:
    """About `size` bytes from `start`, each end moved to just after a cut byte."""
    return data[_after_cut(data, start) if start else 0:_after_cut(data, start + size)]


def _after_cut(data: bytes, pos: int) -> int:
    found = _CUT.search(data, pos, pos + 4096)
    return found.end() if found else pos
