"""``dxlab render FILE.json -o OUT.docx`` from the command line."""

from __future__ import annotations

import json
import os
from pathlib import Path

import docx
import pytest

from bot.cli import main

FIXTURE = Path(__file__).parent / "renderers" / "fixtures" / "full_application.json"


def test_render_writes_the_document_and_says_where(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "計画書.docx"
    assert main(["render", str(FIXTURE), "-o", str(out), "--applicant", "北浜市長"]) == 0
    assert capsys.readouterr().out.strip() == f"実施計画書（案）を書き出しました: {out}"
    document = docx.Document(str(out))
    assert document.tables[0].rows[1].cells[1].text == "北浜市長"
    assert [p.name for p in tmp_path.iterdir()] == ["計画書.docx"]  # no temporary file left


def test_render_replaces_an_existing_file(tmp_path: Path) -> None:
    out = tmp_path / "plan.docx"
    out.write_bytes(b"old")
    assert main(["render", str(FIXTURE), "-o", str(out)]) == 0
    assert out.read_bytes()[:2] == b"PK"


def test_partial_file_renders(tmp_path: Path) -> None:
    source = tmp_path / "draft.json"
    source.write_text(json.dumps({"format": "dxlab.application/1", "lab_name": "下書き"}), encoding="utf-8")
    assert main(["render", str(source), "-o", str(tmp_path / "d.docx")]) == 0


@pytest.mark.parametrize(
    ("target", "reason"),
    [("missing-folder/out.docx", "保存先のフォルダがありません"), (".", "フォルダが指定されています")],
)
def test_unwritable_output_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], target: str, reason: str
) -> None:
    assert main(["render", str(FIXTURE), "-o", str(tmp_path / target)]) == 2
    err = capsys.readouterr().err
    assert "ファイルに書き込めません" in err and reason in err and "Traceback" not in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_read_only_folder_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tmp_path.chmod(0o500)
    try:
        assert main(["render", str(FIXTURE), "-o", str(tmp_path / "x.docx")]) == 2
    finally:
        tmp_path.chmod(0o700)
    assert "書き込みの権限がありません" in capsys.readouterr().err


def test_bad_input_file_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    assert main(["render", str(bad), "-o", str(tmp_path / "x.docx")]) == 2
    assert "JSONとして読み込めません" in capsys.readouterr().err
    assert not (tmp_path / "x.docx").exists()


def test_output_is_required(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["render", str(FIXTURE)])
    assert exit_info.value.code == 2


def test_a_transitioning_lab_lists_the_changes(tmp_path: Path) -> None:
    from criteria.transition import transition_gap

    out = tmp_path / "t.docx"
    assert main(["render", str(FIXTURE), "-o", str(out)]) == 0
    document = docx.Document(str(out))
    changes = next(t for t in document.tables if [c.text for c in t.rows[0].cells] == ["No.", "項目", "内容"])
    items = transition_gap()
    assert len(changes.rows) == len(items) + 1
    assert changes.rows[1].cells[1].text == items[0].title
