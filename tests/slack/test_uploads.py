"""A .docx plan sent in the DM is downloaded through files.info with the token and imported."""

from __future__ import annotations

import time
from typing import Any

from bot.plan_import import MAX_INPUT_BYTES
from tests.plan_import import documents
from tests.slack.conftest import SlackDriver, dm_channel


def _share(slack: SlackDriver, user: str, files: list[dict[str, Any]], text: str = "") -> None:
    ts = f"{time.time():.6f}"
    event = {"type": "message", "subtype": "file_share", "channel": dm_channel(user), "user": user,
             "text": text, "files": files, "ts": ts, "event_ts": ts, "channel_type": "im"}  # fmt: skip
    slack.dispatch(slack.event_body(event), "application/json")


def _answers(slack: SlackDriver, user: str) -> dict[str, Any]:
    session = slack.service.session(lab=f"slack:{user}", person=user, channel="slack", external_id=user)
    return dict(slack.service.store.draft(session.lab.id).answers)


def test_a_plan_sent_in_the_dm_is_imported_and_the_dialog_continues(slack: SlackDriver) -> None:
    entry = slack.fake.add_user_file("さくら町の計画.docx", documents.heading_style_plan())
    _share(slack, "U1", [entry])
    downloads = slack.fake.of("download")
    assert [d.args["status"] for d in downloads] == [200]  # with the bot token
    texts = slack.texts(dm_channel("U1"))
    assert "読み取った項目" in texts
    assert "進捗とスコアカード" in texts or "スコアカード" in texts
    assert "対象地域" in texts  # the first empty question is asked
    answers = _answers(slack, "U1")
    assert answers["vision"].startswith("農業と観光のデータを生かし")
    assert len(answers["kpis"]) == 2


def test_importing_over_answers_asks_to_resend_with_a_word(slack: SlackDriver) -> None:
    slack.dm("U1", "開始")
    slack.dm("U1", "既にあるラボ名")
    plan = documents.heading_style_plan()
    _share(slack, "U1", [slack.fake.add_user_file("plan.docx", plan)])
    texts = slack.texts(dm_channel("U1"))
    assert "「既にあるラボ名」→「さくら町地域DX推進ラボ」" in texts
    assert "「上書き」を添えて" in texts
    assert _answers(slack, "U1")["lab_name"] == "既にあるラボ名"
    _share(slack, "U1", [slack.fake.add_user_file("plan.docx", plan)], text="上書き")
    assert _answers(slack, "U1")["lab_name"] == "さくら町地域DX推進ラボ"


def test_too_large_and_wrong_files_are_refused_without_downloading(slack: SlackDriver) -> None:
    big = slack.fake.add_user_file("big.docx", b"x", size=MAX_INPUT_BYTES + 1)
    pdf = slack.fake.add_user_file("plan.pdf", b"%PDF-1.4")
    photo = slack.fake.add_user_file("photo.jpg", b"\xff\xd8")
    _share(slack, "U1", [big])
    _share(slack, "U1", [pdf])
    _share(slack, "U1", [photo])
    texts = slack.texts(dm_channel("U1"))
    assert "大きすぎる" in texts
    assert "PDF のため読み込めません" in texts
    assert "photo.jpg は取り込めません" in texts
    assert [d.args["path"].endswith("plan.pdf") for d in slack.fake.of("download")] == [True]
    assert _answers(slack, "U1") == {}


def test_a_redelivered_upload_is_imported_once(slack: SlackDriver) -> None:
    entry = slack.fake.add_user_file("plan.docx", documents.bold_paragraph_plan())
    ts = f"{time.time():.6f}"
    event = {"type": "message", "subtype": "file_share", "channel": dm_channel("U1"), "user": "U1",
             "text": "", "files": [entry], "ts": ts, "event_ts": ts, "channel_type": "im"}  # fmt: skip
    body = slack.event_body(event, event_id="EvUPLOAD1")
    slack.dispatch(body, "application/json")
    slack.dispatch(body, "application/json", retry_num=1)
    assert len(slack.fake.of("download")) == 1


def test_a_file_larger_than_files_info_said_is_cut_off_at_the_limit(slack: SlackDriver) -> None:
    liar = slack.fake.add_user_file("plan.docx", b"PK\x03\x04" + b"\0" * (MAX_INPUT_BYTES + 10), size=1_000)
    _share(slack, "U1", [liar])
    assert "大きすぎる" in slack.texts(dm_channel("U1"))
    assert _answers(slack, "U1") == {}


def test_the_token_is_only_sent_to_slack_file_hosts() -> None:
    from bot.slack.uploads import _allowed

    api = "https://slack.com/api/"
    assert _allowed("https://files.slack.com/files-pri/T1-F1/download/a.docx", api)
    assert not _allowed("http://files.slack.com/files-pri/T1-F1/download/a.docx", api)  # not TLS
    assert not _allowed("https://evil.example/files.slack.com/a.docx", api)
    assert not _allowed("https://files.slack.com.evil.example/a.docx", api)
    assert _allowed("http://127.0.0.1:9/files-pri/x", "http://127.0.0.1:9/api/")  # the API's own host
