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
    """(text with LF line endings, encoding used); UTF-8 with or without BOM, or UTF-16 BOM."""
    encoding = "utf-8"
    for bom, name in _BOMS:
        if data.startswith(bom):
            encoding = name
            break
    if encoding == "utf-8" and b"\x00" in data[:8192]:
        raise InputError(label, "binary file (contains NUL bytes), not a story text")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        name = encoding.upper().replace("-SIG", "")
        raise InputError(
            label, f"not valid {name} (byte {exc.object[exc.start]:#04x} at offset "
            f"{exc.start}); save it as UTF-8 and ingest again") from None
    if not text.strip():
        raise InputError(label, "empty file (no text to catalogue)")
    return normalise_newlines(text), encoding.replace("-sig", "")
