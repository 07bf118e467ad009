"""Safety limits checked on the raw bytes before python-docx (or zipfile extraction) sees them.

Owns what an uploaded or named file must be to be opened at all: not larger than
``MAX_INPUT_BYTES``; a ZIP package (an Office Open XML file), not an old binary .doc, a PDF or an
encrypted (password-protected) Office file, which are OLE2 containers; a package that really is a
Word document (``word/document.xml``), not a renamed zip or .xlsx; and no zip bomb — the sizes
declared in the zip directory are checked (entries, total, each XML part and the ratio) before
anything is inflated (zipfile never inflates an entry past its declared size).
"""

from __future__ import annotations

import io
import zipfile

from bot.files import MAX_FILE_BYTES
from bot.plan_import.errors import PlanError

MAX_INPUT_BYTES = MAX_FILE_BYTES
"""The largest file dxlab reads as input (a 実施計画書 is typically 30–300 KB): the one limit of
``bot.files``, shared by every input path (CLI check/render/import, chat uploads)."""

MAX_UNCOMPRESSED_BYTES = 40 * 1024 * 1024
"""The most a package may inflate to, summed over its entries."""

MAX_COMPRESSION_RATIO = 100
"""The largest ratio inflated/compressed an entry of more than 1 MB may declare."""

MAX_XML_PART_BYTES = 16 * 1024 * 1024
"""The most one XML part (the body, styles …) may inflate to: python-docx parses each one whole
(about ten times its size in memory); a 300-page plan's body is 5–10 MB."""

MAX_ENTRIES = 2_000
"""The most entries a package may list (a Word file has 10–40)."""

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_PDF = b"%PDF"
_RTF = b"{\\rtf"
_ZIP = b"PK\x03\x04"
_MAIN_PART = "word/document.xml"


def _megabytes(size: int) -> str:
    """5 MB as 「5」, 5.3 MB as 「5.3」 (a size just over the limit is never shown as the limit)."""
    value = size / (1024 * 1024)
    return f"{value:g}" if value == int(value) else f"{max(value, 0.1):.1f}".rstrip("0").rstrip(".")


def check_size(size: int, *, name: str) -> None:
    """Refuse a file over ``MAX_INPUT_BYTES`` (before downloading or reading it when possible)."""
    if size > MAX_INPUT_BYTES:
        raise PlanError("too_large", name=name, limit=_megabytes(MAX_INPUT_BYTES))


def check_package(data: bytes, *, name: str) -> None:
    """Raise ``PlanError`` unless ``data`` is a .docx package that is safe to open."""
    check_size(len(data), name=name)
    if not data:
        raise PlanError("empty", name=name)
    if data.startswith(_OLE2):
        # Word 97-2003 (.doc) and every password-protected Office file are OLE2 compound files;
        # an encrypted .docx keeps its package in a stream named EncryptedPackage.
        raise PlanError("encrypted" if _ENCRYPTED_STREAM in data else "old_doc", name=name)
    if data.startswith(_PDF):
        raise PlanError("pdf", name=name)
    if data.startswith(_RTF):
        raise PlanError("rtf", name=name)
    if not data.startswith(_ZIP):
        raise PlanError("not_docx", name=name)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise PlanError("broken", name=name) from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ENTRIES:
            raise PlanError("zip_bomb", name=name)
        total = 0
        for info in infos:
            total += info.file_size
            if info.filename.endswith((".xml", ".rels")) and info.file_size > MAX_XML_PART_BYTES:
                raise PlanError("zip_bomb", name=name)
            big = info.file_size > 1024 * 1024
            if big and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
                raise PlanError("zip_bomb", name=name)
            if info.flag_bits & 0x1:
                raise PlanError("encrypted", name=name)
        if total > MAX_UNCOMPRESSED_BYTES:
            raise PlanError("zip_bomb", name=name)
        names = {info.filename for info in infos}
        if _MAIN_PART not in names:
            if "xl/workbook.xml" in names or "ppt/presentation.xml" in names:
                raise PlanError("other_office", name=name)
            raise PlanError("not_docx", name=name)
