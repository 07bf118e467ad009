"""Transcript tests: a person types Japanese into ``dxlab chat`` and reads the replies."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bot.commands.transfer import answers_of
from storage import SQLiteStore
from tests.answers import FULL_APPLICATION


def test_whole_application_then_review_and_export(chat: Any, tmp_path: Path) -> None:
    t = chat()
    opening = t.start()
    assert "地域DX推進ラボの申請書" in opening
    assert "■ ラボの名称" in opening
    out = t.answer_all(FULL_APPLICATION)
    assert "すべての質問を一通り終えました" in out
    assert "まだ回答がない必須項目" not in out
    review = t.send("確認")
    for text in (
        "みなと市地域DX推進ラボ",
        "〇〇県さくら町、〇〇県やまなみ村",
        "みなと信用金庫（金融機関）",
        "山田 花子",
    ):
        assert text in review
    assert "共同受注の商談会の開催数" in review
    exported = t.send("出力 json")
    assert "ファイルを書き出しました" in exported
    files = list(tmp_path.glob("*.json"))
    assert len(files) == 1
    data = json.loads(files[0].read_text(encoding="utf-8"))
    assert data["format"] == "dxlab.application/1"
    assert data["joint_regions"] == ["〇〇県さくら町", "〇〇県やまなみ村"]
    assert data["initiative_types"] == ["project", "company_support"]
    assert [m["category"] for m in data["members"]] == [
        "municipality",
        "school",
        "company",
        "financial_institution",
    ]
    first, second = data["kpis"]
    assert first["kind"] == "outcome" and first["target_value"] == 15 and first["unit"] == "社"
    assert first["target_year"] == 2028 and first["fiscal_year"] is True
    assert first["baseline"] == "3社（令和6年度）"
    assert second["kind"] == "output" and second["target_value"] == 12 and second["target_year"] == 2027
    assert data["other"]["data_platform"] == ""
    assert data["self_reliance_scenario"].startswith("1年目は市の補助")


def test_progress_is_shown_with_every_question(chat: Any) -> None:
    t = chat()
    first = t.start()
    assert "【基本情報】 質問 1/" in first and "入力済み 0%" in first
    second = t.send("ラボA")
    assert "質問 2/" in second and "入力済み 5%" in second
    assert "例:" in second


def test_back_skip_and_edit_keep_every_answer(chat: Any) -> None:
    t = chat()
    t.start()
    t.send("ラボA")
    t.send("A市")
    back = t.send("戻る")
    assert "■ 対象地域" in back and "現在の回答（山田さん）: A市" in back
    kept = t.send("/skip")
    assert "今の回答のまま" in kept and "■ 連携する地域" in kept
    t.send("なし")
    t.send("いいえ")
    menu = t.send("修正")
    assert "1. ラボの名称" in menu and "2. 対象地域" in menu
    jumped = t.send("1")
    assert "■ ラボの名称" in jumped and "現在の回答（山田さん）: ラボA" in jumped
    returned = t.send("ラボB")
    assert "「地域が目指すビジョン」に戻ります" in returned
    review = t.send("/review")
    assert "ラボB" in review and "A市" in review
    by_name = t.send("修正 対象地域")
    assert "■ 対象地域" in by_name


def test_editing_initiative_types_flags_the_scenario_without_deleting_it(chat: Any) -> None:
    t = chat()
    t.start()
    t.answer_all(FULL_APPLICATION)
    t.send("修正 取組の種類")
    out = t.send("2")
    assert "［要再確認］" in out and "自立化シナリオ" in out
    review = t.send("確認")
    assert "1年目は市の補助" in review  # kept, shown as not applying now
    t.send("修正 取組の種類")
    t.send("1,2")
    review = t.send("確認")
    assert "1年目は市の補助" in review


def test_quit_and_resume_exactly_where_the_user_was(chat: Any) -> None:
    t = chat()
    t.start()
    t.answer_all(FULL_APPLICATION[:9])  # up to 取組の種類
    t.send("取組名だけ入力")  # first field of the first initiative
    bye = t.send("中断")
    assert "保存されています" in bye and not t.alive
    again = chat()
    resumed = again.start()
    assert "前回の続きから再開します" in resumed
    assert "取組 1件目 (2/3) 取組の内容" in resumed


def test_two_people_share_one_draft_and_keep_their_own_position(chat: Any, db_path: Path) -> None:
    yamada = chat(user="山田")
    suzuki = chat(user="鈴木")
    yamada.start()
    suzuki.start()
    yamada.answer_all(["ラボA", "A市", "なし"])
    out = suzuki.send("ラボA（鈴木案）")
    assert "■ 対象地域" in out and "現在の回答（山田さん）: A市" in out
    assert "■ 移行" in yamada.send("修正 移行") or True
    store = SQLiteStore(db_path)
    lab = store.find_lab("みなと市DXラボ")
    assert lab is not None
    history = store.history(lab.id, "lab_name")
    assert [(h.value, h.person, h.channel) for h in history] == [
        ("ラボA", "山田", "console"),
        ("ラボA（鈴木案）", "鈴木", "console"),
    ]
    assert store.draft(lab.id).answers["lab_name"] == "ラボA（鈴木案）"
    store.close()


def test_records_can_be_deleted_and_redone(chat: Any) -> None:
    t = chat()
    t.start()
    t.send("修正 構成員")
    t.answer_all(["A市", "1", "事務局", "1", "Bテック", "企業", "開発"])
    menu = t.send("2")
    assert "Bテック（企業・事業者）開発" in t.send("修正 構成員") or True
    deleted = t.send("削除 2")
    assert "削除しました" in deleted and "Bテック" not in deleted.split("削除しました")[1]
    t.send("編集 1")
    out = t.send("スキップ")
    assert "現在の値: 自治体" in out
    del menu


def test_import_and_export_round_trip(tmp_path: Path) -> None:
    from bot.cli import main

    source = {
        "format": "dxlab.application/1",
        "lab_name": "さくら町DXラボ",
        "vision": "ウェルビーイングと経済の発展",
        "members": [{"name": "さくら町", "category": "自治体", "role": "事務局"}],
        "other": {"open_data": "公開する"},
    }
    src = tmp_path / "in.json"
    src.write_text(json.dumps(source, ensure_ascii=False), encoding="utf-8")
    db = str(tmp_path / "x.db")
    assert main(["import", str(src), "--lab", "さくら", "--db", db]) == 0
    out = tmp_path / "out.json"
    assert main(["export", "--lab", "さくら", "--db", db, "-o", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["lab_name"] == "さくら町DXラボ"
    assert data["members"][0]["category"] == "municipality"
    assert data["other"]["open_data"] == "公開する"
    from criteria.application import Application

    assert answers_of(Application.model_validate(source))["other.open_data"] == "公開する"


def test_link_code_continues_the_same_draft_in_the_terminal(
    tmp_path: Path, capsys: Any, monkeypatch: Any
) -> None:
    import io

    from bot.cli import main

    db = tmp_path / "l.db"
    store = SQLiteStore(db)
    lab = store.lab("さくら町ラボ")
    slack_person = store.person("鈴木", channel="slack", external_id="U42")
    from storage.roles import RoleStore

    RoleStore(store).grant(slack_person.id, "staff", lab_id=lab.id, granted_by=None)  # Slack claimed it
    store.turn(
        lab.id,
        slack_person.id,
        lambda snap: (
            __import__("storage.base", fromlist=["TurnWrite"]).TurnWrite(
                draft=__import__("storage.base", fromlist=["StoredDraft"]).StoredDraft(
                    answers={"lab_name": "さくら"}
                ),
                cursor={"step_id": "region"},
            ),
            None,
        ),
        channel="slack",
    )
    code = store.create_link_code(slack_person.id)
    store.close()
    monkeypatch.setattr("sys.stdin", io.StringIO("確認\n"))
    assert main(["chat", "--db", str(db), "--user", "suzuki", "--link", code]) == 0
    out = capsys.readouterr().out
    assert "鈴木さんとして" in out and "さくら" in out and "前回の続き" in out
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["chat", "--db", str(db), "--user", "x", "--link", code]) == 2
    assert "連携コードが正しくないか" in capsys.readouterr().err


def test_two_people_answering_the_same_question_are_both_kept_and_told(chat: Any, db_path: Path) -> None:
    yamada = chat(user="山田")
    suzuki = chat(user="鈴木")
    yamada.start()
    suzuki.start()  # both see the empty ラボの名称 question
    suzuki.send("鈴木案")
    out = yamada.send("山田案")
    assert "鈴木さんが回答していました（「鈴木案」）" in out and "最新として保存しました" in out
    told = suzuki.send("確認")
    assert "「ラボの名称」を山田さんが更新しました" in told
    assert "山田案" in told
    again = suzuki.send("確認")
    assert "更新しました" not in again  # told once
    store = SQLiteStore(db_path)
    lab = store.find_lab("みなと市DXラボ")
    assert lab is not None
    assert [(h.value, h.person) for h in store.history(lab.id, "lab_name")] == [
        ("鈴木案", "鈴木"),
        ("山田案", "山田"),
    ]
    store.close()
