"""``dxlab compare`` streams: the written files hold what the in-memory sheet holds, empty labs
are left out, nothing is written when no lab has a draft, and the change time is the draft's."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.errors import UserError
from bot.secretariat.compare import export_review, iter_reviewed, review_sheet, reviewed
from bot.service import DialogService
from bot.wiring import build_engine
from renderers.xlsx import csv_bytes, xlsx_bytes
from tests.secretariat.conftest import LAB_A, LAB_B, World


def _service(world: World) -> DialogService:
    return DialogService(store=world.store(), engine=build_engine())


def test_streamed_csv_equals_the_sheet_and_skips_empty_labs(world: World, tmp_path: Path) -> None:
    service = _service(world)
    try:
        service.store.lab("まだ空のラボ")
        labs = service.store.labs()
        expected = review_sheet(reviewed(service, [lab for lab in labs if lab.name in (LAB_A, LAB_B)]))
        out = tmp_path / "review.csv"
        assert export_review(service, labs, out, skip_empty=True) == 2
    finally:
        service.store.close()
    # the CSV carries no widths, so the sheet's fitted widths do not matter here
    assert out.read_bytes() == csv_bytes(expected)


def test_streamed_workbook_has_the_sheets_values(world: World, tmp_path: Path) -> None:
    service = _service(world)
    try:
        labs = service.store.labs()
        expected = review_sheet(iter_reviewed(service, labs))
        out = tmp_path / "review.xlsx"
        assert export_review(service, labs, out) == 2
    finally:
        service.store.close()
    streamed = load_workbook(out).active
    in_memory = load_workbook(io.BytesIO(xlsx_bytes(expected))).active
    assert streamed is not None and in_memory is not None
    assert [[c.value for c in row] for row in streamed.iter_rows()] == [
        [c.value for c in row] for row in in_memory.iter_rows()
    ]


def test_nothing_is_written_without_a_draft(world: World, tmp_path: Path) -> None:
    service = _service(world)
    try:
        empty = service.store.lab("まだ空のラボ")
        out = tmp_path / "review.csv"
        with pytest.raises(UserError):
            export_review(service, [empty], out, skip_empty=True)
    finally:
        service.store.close()
    assert not out.exists()


def test_change_time_is_the_drafts_last_write(world: World) -> None:
    service = _service(world)
    try:
        lab = service.store.find_lab(LAB_A)
        assert lab is not None
        (item,) = iter_reviewed(service, [lab])
        last = service.store.history(lab.id)[-1].at
    finally:
        service.store.close()
    assert item.updated_at == last[:16].replace("T", " ")
