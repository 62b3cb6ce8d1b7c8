"""EPUBs built in memory, for tests and the benchmark's hostile inputs: the archive, its
container and a package document, each as small as a reader will accept."""

from __future__ import annotations

import io
import zipfile


def epub(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """An EPUB archive: `mimetype` first, then the entries as given."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as book:
        book.writestr(zipfile.ZipInfo("mimetype"), b"application/epub+zip")
        for name, data in entries.items():
            book.writestr(name, data)
    return buffer.getvalue()


def container(opf_path: str = "content.opf") -> bytes:
    """META-INF/container.xml pointing at the package document."""
    return (b'<?xml version="1.0"?><container version="1.0" '
            b'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
            b'<rootfile full-path="' + opf_path.encode() + b'" '
            b'media-type="application/oebps-package+xml"/></rootfiles></container>')


def package(manifest: str, spine: str, title: str = "T") -> bytes:
    """A package document (OPF 2.0) with a title, the manifest items and the spine."""
    return ('<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="2.0">'
            '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<dc:title>{title}</dc:title></metadata><manifest>{manifest}</manifest>"
            f"<spine>{spine}</spine></package>").encode()
