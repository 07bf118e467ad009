"""Files that are not a readable .docx plan get a Japanese reason, and nothing is changed."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from bot.cli import main
from bot.plan_import import MAX_INPUT_BYTES, PlanError, read_plan
from storage.sqlite import SQLiteStore
from tests.plan_import import documents


def _zip(entries: dict[str, bytes], *, flag_encrypted: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    raw = buffer.getvalue()
    if flag_encrypted:
        # Set the "encrypted" flag bit in the local header and the central directory entry.
        raw = bytearray(raw)
        raw[6] |= 0x1
        central = raw.rfind(b"PK\x01\x02")
        raw[central + 8] |= 0x1
        raw = bytes(raw)
    return raw


OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512
# An encrypted .docx: an OLE2 file whose directory names the EncryptionInfo / EncryptedPackage streams.
ENCRYPTED = OLE2 + "EncryptionInfo".encode("utf-16-le") + "EncryptedPackage".encode("utf-16-le")

CASES = {
    "old .doc": (OLE2, "old_doc", ".doc"),
    "password-protected .docx": (ENCRYPTED, "encrypted", "パスワード"),
    "PDF": (b"%PDF-1.7\n%...", "pdf", "PDF"),
    "RTF": (b"{\\rtf1\\ansi ...}", "rtf", "RTF"),
    "renamed zip": (_zip({"readme.txt": b"hello"}), "not_docx", "拡張子"),
    "Excel file renamed": (
        _zip({"xl/workbook.xml": b"<x/>", "[Content_Types].xml": b"<x/>"}),
        "other_office",
        "Excel",
    ),
    "zip bomb": (_zip({"word/document.xml": b"\0" * (3 * 1024 * 1024)}), "zip_bomb", "安全"),
    "zip with encrypted entries": (
        _zip({"word/document.xml": b"<x/>"}, flag_encrypted=True),
        "encrypted",
        "パスワード",
    ),
    "broken zip": (b"PK\x03\x04" + b"garbage" * 20, "broken", "壊れて"),
    "text file": ("ビジョン: すばらしい町".encode(), "not_docx", "Word"),
    "empty": (b"", "empty", "空"),
    "no recognisable section": (documents.unrecognisable(), "no_sections", "何も変更していません"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_bad_file_has_its_own_japanese_reason(case: str) -> None:
    data, key, words = CASES[case]
    with pytest.raises(PlanError) as caught:
        read_plan(data, name="計画.docx")
    assert caught.value.key == key
    assert words in caught.value.message and "計画.docx" in caught.value.message


def test_a_docx_whose_main_part_is_not_xml_is_broken() -> None:
    good = zipfile.ZipFile(io.BytesIO(documents.heading_style_plan()))
    entries = {info.filename: good.read(info) for info in good.infolist()}
    entries["word/document.xml"] = b"<w:document this is not xml"
    with pytest.raises(PlanError) as caught:
        read_plan(_zip(entries), name="x.docx")
    assert caught.value.key == "broken"


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    big = tmp_path / "大きい計画.docx"
    with big.open("wb") as handle:
        handle.truncate(MAX_INPUT_BYTES + 1)
    db = tmp_path / "d.db"
    assert main(["import", str(big), "--lab", "ラボ", "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert "大きすぎる" in err and "5 MB" in err
    store = SQLiteStore(db)
    try:
        assert store.find_lab("ラボ") is None or store.draft(store.lab("ラボ").id).answers == {}
    finally:
        store.close()


@pytest.mark.parametrize("suffix", [".doc", ".pdf", ".docx"])
def test_the_cli_says_why_and_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str
) -> None:
    db = tmp_path / "d.db"
    store = SQLiteStore(db)
    lab = store.lab("ラボ")
    person = store.person("山田", channel="console")
    store.replace_draft(lab.id, {"vision": "前からのビジョン"}, person_id=person.id, channel="console")
    store.close()
    bad = tmp_path / f"計画{suffix}"
    bad.write_bytes(OLE2 if suffix != ".pdf" else b"%PDF-1.4")
    assert main(["import", str(bad), "--lab", "ラボ", "--db", str(db)]) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and captured.err.strip()
    store = SQLiteStore(db)
    try:
        assert store.draft(store.lab("ラボ").id).answers == {"vision": "前からのビジョン"}
    finally:
        store.close()
