"""``dxlab import`` of Word plans: reports, asking before overwriting, bulk runs, continuing."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main
from bot.roles import Policy, console_person
from storage.sqlite import SQLiteStore
from tests.conftest import os_account
from tests.plan_import import documents

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def _answers(db: Path, lab: str) -> dict[str, Any]:
    store = SQLiteStore(db)
    try:
        found = store.find_lab(lab)
        return dict(store.draft(found.id).answers) if found else {}
    finally:
        store.close()


def test_import_reports_fields_unplaced_text_and_the_scorecard(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = _write(tmp_path, "うみべ.docx", documents.bold_paragraph_plan())
    db = tmp_path / "d.db"
    assert main(["import", str(plan), "--lab", "うみべ市ラボ", "--db", str(db), "--user", "浜"]) == 0
    out = capsys.readouterr().out
    assert "■ うみべ.docx → ラボ「うみべ市ラボ」" in out
    assert "・地域が目指すビジョン（「1. 地域が目指すビジョン」から）" in out
    assert (
        "取り込めなかった記述（1か所）" in out and "「4. スケジュール」: 令和7年度に準備会を開きます。" in out
    )
    assert "進捗とスコアカード" in out
    assert "続きは `dxlab chat --lab うみべ市ラボ` で、まだ空欄か弱い「ラボの名称」から始まります。" in out
    answers = _answers(db, "うみべ市ラボ")
    assert answers["secretariat"] == "うみべ市 産業課"
    assert len(answers["kpis"]) == 2


def test_the_dialog_continues_from_the_first_empty_question(db_path: Path, chat: Any, tmp_path: Path) -> None:
    plan = _write(tmp_path, "さくら.docx", documents.heading_style_plan())
    with os_account("山田"):  # the account the transcript's 山田 stands for
        assert main(["import", str(plan), "--lab", "さくら", "--db", str(db_path), "--user", "山田"]) == 0
    t = chat(lab="さくら", user="山田")
    opening = t.start()
    assert "■ 対象地域" in opening  # lab name was read from the title; the region is the first gap


def test_an_iot_era_plan_is_imported_as_a_transition(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = _write(tmp_path, "やまなみ.docx", documents.iot_era_plan())
    db = tmp_path / "d.db"
    assert main(["import", str(plan), "--lab", "やまなみ村DXラボ", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "地方版IoT推進ラボのものと読み取りました" in out
    assert "・要追記 「変革」の視点が新しく加わりました" in out
    assert "・要追記 経済発展に加えて、ウェルビーイングの向上を目指すことが求められます" in out
    assert "・要追記 地域企業への支援（②）も対象になりました" in out
    assert "・任意 「その他」に地域のデータ連携基盤の整備が加わり" in out  # a bonus, never required
    assert "計画書の記載: 平成29年に選定され" in out  # current activity, from the plan
    assert "IoTからDXへ、目的と取組の内容がどう変わるのか\n  → 計画書に記載がありません" in out
    assert "★IoT推進ラボから新しく加わった・変わった視点" in out  # the scorecard marks them
    answers = _answers(db, "やまなみ村DXラボ")
    assert answers["transition_from_iot_lab"] is True
    assert answers["iot_lab_name"] == "やまなみ村IoT推進ラボ"


def _seed(db: Path, lab: str) -> None:
    store = SQLiteStore(db)
    person = console_person(store, "山田")  # this OS account made the lab: its staff
    store.replace_draft(
        Policy(store).open_lab(person.id, lab).id,
        {"vision": "前からのビジョン", "region": "うみべ市"},
        person_id=person.id,
        channel="console",
    )
    store.close()


def test_importing_over_answers_shows_the_change_and_asks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "d.db"
    _seed(db, "うみべ")
    plan = _write(tmp_path, "p.docx", documents.bold_paragraph_plan())
    monkeypatch.setattr("sys.stdin", io.StringIO("いいえ\n"))
    assert main(["import", str(plan), "--lab", "うみべ", "--db", str(db)]) == 1  # declined: unchanged
    out = capsys.readouterr().out
    assert "既に回答があります" in out
    new_vision = "港の水産業をデータで強くし、暮らしの満足度も高めます。"
    assert f"・地域が目指すビジョン: 「前からのビジョン」→「{new_vision}」" in out
    assert "・事務局: （未回答）→「うみべ市 産業課」" in out
    assert "取り込みをやめました" in out
    assert _answers(db, "うみべ") == {"vision": "前からのビジョン", "region": "うみべ市"}

    monkeypatch.setattr("sys.stdin", io.StringIO("空欄だけ\n"))
    assert main(["import", str(plan), "--lab", "うみべ", "--db", str(db)]) == 0
    answers = _answers(db, "うみべ")
    assert answers["vision"] == "前からのビジョン" and answers["secretariat"] == "うみべ市 産業課"

    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # no answer at all (a script): nothing changes
    assert main(["import", str(plan), "--lab", "うみべ", "--db", str(db)]) == 1
    assert _answers(db, "うみべ")["vision"] == "前からのビジョン"

    assert main(["import", str(plan), "--lab", "うみべ", "--db", str(db), "--yes"]) == 0
    assert _answers(db, "うみべ")["vision"].startswith("港の水産業")
    store = SQLiteStore(db)
    try:
        history = [h.value for h in store.history(store.lab("うみべ").id, "vision")]
    finally:
        store.close()
    assert history == ["前からのビジョン", "港の水産業をデータで強くし、暮らしの満足度も高めます。"]


def test_only_empty_never_asks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "d.db"
    _seed(db, "うみべ")
    plan = _write(tmp_path, "p.docx", documents.bold_paragraph_plan())
    assert main(["import", str(plan), "--lab", "うみべ", "--db", str(db), "--only-empty"]) == 0
    assert "未回答だった" in capsys.readouterr().out
    assert _answers(db, "うみべ")["vision"] == "前からのビジョン"


def test_a_folder_of_plans_goes_to_each_files_lab_and_one_bad_file_does_not_stop_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inbox = tmp_path / "受付"
    inbox.mkdir()
    _write(inbox, "01_さくら.docx", documents.heading_style_plan())
    (inbox / "02_みなと.json").write_text(
        (FIXTURES / "full_application.json").read_text(encoding="utf-8"), encoding="utf-8"
    )
    _write(inbox, "03_壊れた.docx", b"%PDF-1.4 not a plan")
    _write(inbox, "~$01_さくら.docx", b"lock file of Word")  # skipped
    (inbox / "memo.txt").write_text("not imported", encoding="utf-8")
    db = tmp_path / "d.db"
    assert main(["import", str(inbox), "--db", str(db)]) == 2
    captured = capsys.readouterr()
    assert "■ 01_さくら.docx → ラボ「さくら町地域DX推進ラボ」" in captured.out
    assert "■ 02_みなと.json → ラボ「みなと市地域DX推進ラボ」" in captured.out
    assert "2件のファイルを取り込みました、1件は取り込めませんでした。" in captured.out
    assert "× 03_壊れた.docx: 03_壊れた.docx は PDF のため読み込めません" in captured.err
    assert _answers(db, "さくら町地域DX推進ラボ")["vision"].startswith("農業と観光")
    assert _answers(db, "みなと市地域DX推進ラボ")["region"] == "みなと市"


def test_a_plan_without_a_lab_name_needs_lab(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = _write(tmp_path, "p.docx", documents.bold_paragraph_plan())
    assert main(["import", str(plan), "--db", str(tmp_path / "d.db")]) == 2
    assert "--lab でラボの名前を指定してください" in capsys.readouterr().err


def test_json_import_is_unchanged(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "a.json"
    src.write_text(json.dumps({"format": "dxlab.application/1", "vision": "v"}), encoding="utf-8")
    assert main(["import", str(src), "--lab", "L", "--db", str(tmp_path / "d.db")]) == 0
    assert "1項目をラボ「L」の下書きに取り込みました。" in capsys.readouterr().out
