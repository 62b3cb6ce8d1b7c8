"""Bytes to text, refusing what is not a story: empty files, binary files, bad encodings.

Every refusal is an `InputError` naming the file and saying what to do next.
"""

from __future__ import annotations

import codecs
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
    browsers do. Text that fits no encoding cleanly is an error, never mojibake.
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
    if not text.strip():
        raise InputError(label, "empty file (no text to catalogue)")
    if "\x00" in text:
        raise InputError(label, "binary file (contains NUL characters), not a story text")
    return normalise_newlines(text), encoding.replace("-sig", "")


_IANA = {"cp1252": "windows-1252", "latin_1": "iso-8859-1", "cp1251": "windows-1251",
         "cp1250": "windows-1250", "cp932": "shift_jis", "koi8_r": "koi8-r",
         "gb18030": "gb18030", "big5": "big5", "euc_kr": "euc-kr", "cp949": "euc-kr",
         "euc_jp": "euc-jp", "mac_cyrillic": "x-mac-cyrillic", "utf_16": "utf-16"}
_MAX_CHAOS = 10.0


def _detect(data: bytes, label: str) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    matches = [m for m in from_bytes(data) if m.percent_chaos <= _MAX_CHAOS]
    if not matches:
        raise InputError(label, "not UTF-8, and no other character encoding fits it "
                         "cleanly; save it as UTF-8 and ingest again")
    best = min(m.percent_chaos for m in matches)
    tied = [m for m in matches if m.percent_chaos <= best + 0.5]
    western = _western(data)
    # Code pages that agree on these bytes are one answer; the web's default wins the tie.
    if western and any(m.encoding in ("cp1252", "latin_1") or str(m) == western[0]
                       for m in tied):
        return western
    codec = tied[0].encoding
    return str(tied[0]), _IANA.get(codec, codec.replace("_", "-"))


def _western(data: bytes) -> tuple[str, str] | None:
    """Windows-1252 (ISO-8859-1 when no byte needs 1252's extra characters), if it fits."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    return text, ("windows-1252" if any(0x80 <= b <= 0x9F for b in data) else "iso-8859-1")
