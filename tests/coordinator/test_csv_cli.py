"""``dxlab labs import|list|set`` and ``dxlab nudge``: encodings, bad rows, JSON, the sample file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.coordinator.csv_import import parse_date, read_registry_csv

# registry changes need the coordinator role: this OS account is an administrator here
pytestmark = pytest.mark.usefixtures("terminal_coordinator")

HEADER_EN = ",".join(
    [
        "name",
        "prefecture",
        "municipality",
        "kind",
        "iot_selected_on",
        "status",
        "contact_slack",
        "contact_telegram",
        "transition_deadline",
    ]
)
HEADER_JA = "ラボ名,都道府県,市区町村,種別,IoTラボ選定日,移行状況,Slack,Telegram,移行期限"
GOOD = [
    "みなと市IoT推進ラボ,架空県,みなと市,地方版IoT推進ラボ,2017-03-15,未着手,U0AAA1,,",
    "さくら町ラボ,架空県,さくら町,IoTラボ,2016/7/22,申請準備中,,100000001,令和8年3月31日",
]
BAD = [
    ",架空県,,IoTラボ,,未着手,,,",  # line 4: no name
    "ひかり市ラボ,架空県,ひかり市,なにか,2017-13-01,たぶん,hello,@x,",  # line 5: four problems
    "みなと市IoT推進ラボ,架空県,みなと市,IoTラボ,,,,,",  # line 6: duplicate of line 2
]
SAMPLE = Path(__file__).parents[2] / "bot" / "coordinator" / "sample_labs.csv"


def _write(path: Path, lines: list[str], encoding: str) -> Path:
    path.write_bytes("\r\n".join(lines).encode(encoding) + b"\r\n")
    return path


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize(
    ("encoding", "header"), [("utf-8", HEADER_EN), ("utf-8-sig", HEADER_JA), ("cp932", HEADER_JA)]
)
def test_good_file_in_each_encoding(
    tmp_path: Path, encoding: str, header: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path / "labs.csv", [header, *GOOD], encoding)
    db = str(tmp_path / "x.db")
    status, out, _ = _run(capsys, "labs", "import", str(path), "--db", db)
    assert status == 0 and "2件" in out
    status, out, _ = _run(capsys, "labs", "list", "--json", "--db", db, "--today", "2025-11-10")
    rows = json.loads(out)
    assert [(r["name"], r["status"], r["deadline"]) for r in rows] == [
        ("みなと市IoT推進ラボ", "not_started", "2025-11-30"),
        ("さくら町ラボ", "preparing", "2026-03-31"),
    ]
    assert rows[1]["iot_selected_on"] == "2016-07-22" and rows[1]["contact_telegram"] == "100000001"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_bad_rows_import_nothing_and_are_all_reported(
    tmp_path: Path, encoding: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path / "labs.csv", [HEADER_JA, *GOOD, *BAD], encoding)
    db = str(tmp_path / "x.db")
    status, out, err = _run(capsys, "labs", "import", str(path), "--db", db)
    assert status == 2 and "Traceback" not in err
    assert "3行" in err
    for line in ("4行目", "5行目", "6行目"):
        assert line in err
    assert "2行目" not in err.replace("2行目と重複", "") and "3行目:" not in err
    assert "ラボ名がありません" in err and "「なにか」" in err and "「たぶん」" in err
    assert "2017-13-01" in err and "「hello」" in err and "「@x」" in err and "2行目と重複" in err
    status, out, _ = _run(capsys, "labs", "list", "--json", "--db", db)
    assert json.loads(out) == []

    status, out, _ = _run(capsys, "labs", "import", str(path), "--skip-bad", "--db", db)
    assert status == 0 and "2件" in out and "4行目" in out
    status, out, _ = _run(capsys, "labs", "list", "--json", "--db", db)
    assert len(json.loads(out)) == 2


def test_line_numbers_count_physical_lines(tmp_path: Path) -> None:
    path = tmp_path / "labs.csv"
    path.write_text(f'{HEADER_EN}\n"複数行の\nラボ名",県,,IoT,,,,,\n\nbad,県,,??,,,,,\n', encoding="utf-8")
    result = read_registry_csv(path)
    assert [e.line for e in result.errors] == [5]
    assert [e.name for e in result.entries] == ["複数行の\nラボ名"]


def test_unreadable_files_say_why(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = _run(capsys, "labs", "import", str(tmp_path / "none.csv"))
    assert status == 2 and "見つかりません" in err
    binary = tmp_path / "bin.csv"
    binary.write_bytes(b"\x81\xff\xfe\x00" * 10)
    status, _, err = _run(capsys, "labs", "import", str(binary))
    assert status == 2 and "文字コード" in err
    unknown = _write(tmp_path / "u.csv", ["name,kind,色"], "utf-8")
    status, _, err = _run(capsys, "labs", "import", str(unknown))
    assert status == 2 and "色" in err
    missing = _write(tmp_path / "m.csv", ["name,prefecture", "a,b"], "utf-8")
    status, _, err = _run(capsys, "labs", "import", str(missing))
    assert status == 2 and "kind" in err


def test_dates_in_japanese_forms() -> None:
    assert str(parse_date("令和5年4月1日")) == "2023-04-01"
    assert str(parse_date("R5.4.1")) == "2023-04-01"
    assert str(parse_date("平成28年6月10日")) == "2016-06-10"
    assert str(parse_date("２０２３／４／１")) == "2023-04-01"
    assert parse_date("2023-02-30") is None and parse_date("来年") is None


def test_sample_list_set_and_nudge(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env
    for name in ("SLACK_BOT_TOKEN", "TELEGRAM_BOT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    db = str(tmp_path / "x.db")
    status, out, _ = _run(capsys, "labs", "import", str(SAMPLE), "--db", db)
    assert status == 0 and "7件" in out
    status, out, _ = _run(capsys, "labs", "list", "--db", db, "--today", "2025-11-10")
    assert status == 0 and "みなと市IoT推進ラボ" in out and "20日" in out
    status, out, _ = _run(capsys, "labs", "list", "--json", "--status", "申請準備中", "--db", db)
    assert {r["name"] for r in json.loads(out)} == {"さくら町スマート地域ラボ", "ひかり市データ活用ラボ"}
    status, out, _ = _run(
        capsys, "labs", "list", "--json", "--due-within", "30", "--today", "2025-11-10", "--db", db
    )
    assert {r["name"] for r in json.loads(out)} == {
        "みなと市IoT推進ラボ",
        "さくら町スマート地域ラボ",
        "やまなみ県デジタル産業ラボ",
    }

    status, out, _ = _run(capsys, "labs", "set", "みなと市IoT推進ラボ", "--status", "移行完了", "--db", db)
    assert status == 0 and "移行完了" in out
    status, out, _ = _run(capsys, "labs", "set", "ひかり市データ活用ラボ", "--deadline", "なし", "--db", db)
    assert "2025-11-30" in out
    status, _, err = _run(capsys, "labs", "set", "ない", "--status", "未着手", "--db", db)
    assert status == 2 and "登録されていません" in err
    status, _, err = _run(capsys, "labs", "set", "さくら町スマート地域ラボ", "--status", "たぶん", "--db", db)
    assert status == 2 and "未着手" in err

    status, out, _ = _run(capsys, "nudge", "--dry-run", "--json", "--today", "2025-11-10", "--db", db)
    planned = json.loads(out)["planned"]
    assert {p["stage"] for p in planned} == {"d30"} and len(planned) == 3
    status, out, _ = _run(capsys, "nudge", "--dry-run", "--today", "2025-11-10", "--db", db)
    assert "試行" in out and "さくら町スマート地域ラボ" in out and "/start" in out
    # no tokens: recorded, reported as failed, kept for later
    status, out, _ = _run(capsys, "nudge", "--json", "--today", "2025-11-10", "--db", db)
    result = json.loads(out)
    assert status == 0 and len(result["failed"]) == 3 and result["sent"] == []
    status, out, _ = _run(capsys, "nudge", "--json", "--today", "2025-11-10", "--db", db)
    assert json.loads(out)["planned"] == []
