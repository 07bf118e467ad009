"""dxlab compare: the workbook reopened with openpyxl, the CSV for Excel, bad input."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.cli import main
from bot.secretariat.compare import review_sheet, reviewed
from bot.service import DialogService
from bot.wiring import build_engine
from criteria.report import VIEWPOINT_SLUGS
from criteria.viewpoints import label
from renderers.xlsx import Column, Sheet, csv_bytes, safe_text, xlsx_bytes
from tests.conftest import os_account
from tests.secretariat.conftest import LAB_A, LAB_B, World

VIEWPOINT_LABELS = [label(slug) for slug in VIEWPOINT_SLUGS]


def _compare(tmp_path: Path, name: str, *extra: str) -> Path:
    out = tmp_path / name
    with os_account("secretariat"):  # the terminal identity is the OS account
        assert main(["compare", "-o", str(out), "--user", "secretariat", *extra]) == 0
    return out


def test_workbook_one_row_per_lab_with_verdict_columns(world: World, tmp_path: Path) -> None:
    out = _compare(tmp_path, "review.xlsx")
    ws = load_workbook(out).active
    assert ws is not None
    headers = [c.value for c in ws[1]]
    for needed in [
        "ラボ",
        "準備度",
        *VIEWPOINT_LABELS,
        "構成員の区分",
        "KPIの数",
        "アウトカム指標",
        "ビジョン",
        "自立化シナリオ",
    ]:
        assert needed in headers, needed
    assert len(headers) == len(set(headers))
    assert ws.max_row == 3  # header + two labs
    rows = {ws.cell(row=r, column=1).value: [c.value for c in ws[r]] for r in (2, 3)}
    assert set(rows) == {LAB_A, LAB_B}
    full = dict(zip(headers, rows[LAB_A], strict=True))
    partial = dict(zip(headers, rows[LAB_B], strict=True))
    assert full["準備度"] == 1.0 and full["方向性"] == "○ 満たす"
    assert partial["準備度"] == 0.4
    assert {partial[v] for v in VIEWPOINT_LABELS[:5]} <= {"○ 満たす", "△ 一部不足", "× 不足"}
    assert "△ 一部不足" in {partial[v] for v in VIEWPOINT_LABELS}
    assert full["KPIの数"] >= 2 and full["アウトカム指標"] >= 1
    assert "自治体" in str(full["構成員の区分"])
    assert full["ビジョン"]


def test_workbook_is_readable_frozen_wrapped_and_sized(world: World, tmp_path: Path) -> None:
    ws = load_workbook(_compare(tmp_path, "review.xlsx")).active
    assert ws is not None
    assert ws.freeze_panes == "B2"
    headers = [c.value for c in ws[1]]
    vision = headers.index("ビジョン") + 1
    letter = ws.cell(row=1, column=vision).column_letter
    assert ws.column_dimensions[letter].width >= 40
    assert ws.cell(row=2, column=vision).alignment.wrap_text
    assert ws.cell(row=1, column=1).font.bold
    for col in range(1, ws.max_column + 1):
        width = ws.column_dimensions[ws.cell(row=1, column=col).column_letter].width
        assert 8 <= width <= 60
    readiness = headers.index("準備度") + 1
    assert ws.cell(row=2, column=readiness).number_format == "0%"
    assert ws.auto_filter.ref


def test_selected_labs_only(world: World, tmp_path: Path) -> None:
    ws = load_workbook(_compare(tmp_path, "one.xlsx", "--lab", LAB_B)).active
    assert ws is not None
    assert ws.max_row == 2 and ws.cell(row=2, column=1).value == LAB_B


def test_csv_is_utf8_with_bom_for_excel(world: World, tmp_path: Path) -> None:
    data = _compare(tmp_path, "review.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][0] == "ラボ" and "方向性" in rows[0]
    assert {rows[1][0], rows[2][0]} == {LAB_A, LAB_B}
    assert b"\r\n" in data


@pytest.mark.parametrize(
    ("argv", "text"),
    [
        (["-o", "x.pdf"], ".xlsx か .csv"),
        (["-o", "x.xlsx", "--lab", "ないラボ"], "見つかりません"),
        (["-o", "no/such/dir/x.xlsx"], "書き込めません"),
    ],
)
def test_bad_input_is_exit_2(
    world: World,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    text: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    with os_account("secretariat"):
        assert main(["compare", *argv, "--user", "secretariat"]) == 2
    err = capsys.readouterr().err
    assert text in err and "Traceback" not in err


def test_no_drafts_is_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DXLAB_DB", str(tmp_path / "empty.db"))
    monkeypatch.setenv("DXLAB_ADMINS", "console:boss")
    with os_account("boss"):
        assert main(["compare", "-o", str(tmp_path / "x.xlsx"), "--user", "boss"]) == 2
    assert "比較できる下書きがありません" in capsys.readouterr().err


def test_cells_never_become_formulas_or_break_the_file() -> None:
    assert safe_text('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert safe_text("-1+2") == "'-1+2"
    assert safe_text("a\x00b\x0bc\ud800") == "abc"
    assert safe_text(3) == 3
    sheet = Sheet(
        title="a/b:c*?[]" * 5,
        columns=(Column(key="x", header="x", width=10, wrap=True),),
        rows=(("=1+1",), ("x" * 40_000,), (None,)),
    )
    ws = load_workbook(io.BytesIO(xlsx_bytes(sheet))).active
    assert ws is not None
    assert ws.cell(row=2, column=1).value == "'=1+1"
    assert ws.cell(row=2, column=1).data_type == "s"
    assert len(str(ws.cell(row=3, column=1).value)) <= 32_767
    assert csv_bytes(sheet).decode("utf-8-sig").splitlines()[1] == "'=1+1"


def test_sheet_view_model_from_the_service(world: World) -> None:
    store = world.store()
    try:
        service = DialogService(store=store, engine=build_engine())
        sheet = review_sheet(reviewed(service, store.labs()))
    finally:
        store.close()
    assert len(sheet.rows) == 2
    assert all(len(row) == len(sheet.columns) for row in sheet.rows)
