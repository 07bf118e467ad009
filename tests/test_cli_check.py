"""``dxlab check``: the readable report, the stable JSON, and bad files (exit 2, Japanese, no traceback)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from criteria.application import Application
from criteria.checking import run_checks

FIXTURES = Path(__file__).parent / "fixtures"
FULL = FIXTURES / "full_application.json"
PARTIAL = FIXTURES / "partial_application.json"
ROOT = Path(__file__).resolve().parents[1]


def _write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_full_application_readable(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(FULL)]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert "みなと市地域DX推進ラボ" in out
    assert "準備度：100%" in out
    for label in ("方向性", "地域性", "変革", "多様性と一体感", "その他"):
        assert label in out
    assert "✅" in out and "❌" not in out
    assert "オープンデータの活用" in out
    assert "令和9年度" in out  # the KPI table shows 和暦
    assert "新規の申請と同じ書類" in out  # transition reminders for a former IoT lab


def test_partial_application_readable(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(PARTIAL)]) == 0
    out, _ = capsys.readouterr()
    assert "⚠" in out and "❌" in out
    assert "ヒント：" in out and "例：" in out
    assert "準備度：40%" in out


def test_json_is_exactly_the_report(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(PARTIAL), "--json"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    app = Application.model_validate(json.loads(PARTIAL.read_text(encoding="utf-8")))
    assert json.loads(out) == run_checks(app).model_dump(mode="json")
    assert "方向性" in out  # ensure_ascii=False


def test_db_option_is_accepted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(FULL), "--json", "--db", str(tmp_path / "x.db")]) == 0
    assert json.loads(capsys.readouterr().out)["readiness"] == 1.0


def test_empty_object_is_checked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(_write(tmp_path, "empty.json", "{}")), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["readiness"] == 0.0
    assert data["eligibility"]["municipality_participates"] is False


def test_control_characters_and_lone_surrogates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = '{"lab_name": "ラボ\\u0000\\u000b\\ud800", "kpis": [{"text": "\\udfff令和9年度までに百社"}]}'
    path = _write(tmp_path, "odd.json", text)
    assert main(["check", str(path)]) == 0
    assert main(["check", str(path), "--json"]) == 0
    out = capsys.readouterr().out
    assert "\ufffd" in out


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("broken.json", '{"vision": "未完成', "JSONとして読み込めません"),
        ("array.json", '[{"vision": "配列"}]', "JSONオブジェクト"),
        (
            "types.json",
            '{"members": "みなと市"}',
            "申請ファイル（dxlab.application/1）として正しくありません",
        ),
        ("kpi.json", '{"kpis": [{"target_value": "たくさん"}]}', "kpis.0.target_value"),
        ("format.json", '{"format": "other/9"}', "format"),
        ("latin1.json", '{"vision": "caf\xe9"}'.encode("latin-1"), "UTF-8ではありません"),
        ("text.json", "これはJSONではありません", "JSONとして読み込めません"),
    ],
)
def test_bad_files_exit_2_in_japanese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: str | bytes, expected: str
) -> None:
    path = _write(tmp_path, name, content)
    assert main(["check", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert expected in err
    assert "Traceback" not in err


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(tmp_path / "nothing.json"), "--json"]) == 2
    assert "ファイルが見つかりません" in capsys.readouterr().err


def test_help_is_japanese(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["check", "--help"])
    assert exit_info.value.code == 0
    assert "審査の視点" in capsys.readouterr().out


def test_as_a_process_no_traceback(tmp_path: Path) -> None:
    bad = _write(tmp_path, "bad.json", "[1, 2, 3]")
    done = subprocess.run(
        [sys.executable, "-m", "bot", "check", str(bad)], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert "申請ファイル" in done.stderr
    assert "Traceback" not in done.stderr
    good = subprocess.run(
        [sys.executable, "-m", "bot", "check", str(FULL), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert good.returncode == 0
    assert json.loads(good.stdout)["readiness"] == 1.0
