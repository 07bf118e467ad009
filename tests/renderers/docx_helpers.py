"""Helpers for the Word output tests: reopen a .docx and read what a person would see."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from criteria.application import Application
from criteria.report import CheckReport, EligibilityResult, Finding, ParsedKpi, ViewpointResult
from renderers.docx import TransitionChange, write_application_docx

FIXTURE = Path(__file__).parent / "fixtures" / "full_application.json"
TODAY = dt.date(2026, 11, 28)
GAP = [
    TransitionChange(title="目的", explanation="IoTによる地域課題の解決から、地域産業の変革へ"),
    TransitionChange(title="取組の対象", explanation="企業支援の取組（②）を追加"),
]


def full_application() -> Application:
    return Application.model_validate_json(FIXTURE.read_text(encoding="utf-8"))


DX_KPI = ParsedKpi(
    indicator="DX認定を取得した企業",
    target_value=15,
    unit="社",
    target_year=2027,
    fiscal_year=True,
)
VALUE_ADDED_KPI = ParsedKpi(
    text="令和10年度までに市内製造業の付加価値額を12億円にする（基準値 9.8億円・令和6年度）",
    kind="outcome",
    indicator="市内製造業の付加価値額",
    target_value=13,
    unit="億円",
    target_year=2028,
    fiscal_year=True,
    baseline_value=9.8,
    baseline_unit="億円",
    baseline_year=2024,
)


def fixture_kpis() -> list[ParsedKpi]:
    """The checks' reading of the fixture's five KPIs (the structured ones carry their fields)."""
    return [ParsedKpi(), ParsedKpi(), ParsedKpi(), DX_KPI, VALUE_ADDED_KPI]


def sample_report(*, kpis: int = 5) -> CheckReport:
    """A report with weak and missing viewpoints and warning/error findings."""
    return CheckReport(
        viewpoints={
            "direction": ViewpointResult(
                label="方向性",
                verdict="weak",
                findings=[
                    Finding(
                        code="kpi.no_deadline",
                        severity="warn",
                        field="kpis[3]",
                        message="KPI 4 に達成年度がありません。",
                        hint="期限を示してください。",
                        viewpoint="direction",
                    ),
                    Finding(
                        code="vision.clear",
                        severity="ok",
                        field="vision",
                        message="明確です。",
                        viewpoint="direction",
                    ),
                ],
            ),
            "regionality": ViewpointResult(label="地域性", verdict="meets"),
            "transformation": ViewpointResult(
                label="変革",
                verdict="weak",
                findings=[
                    Finding(
                        code="transformation.efficiency_only",
                        severity="warn",
                        field="transformation",
                        message="効率化の記述が中心です。",
                        hint="従来モデルがどう変わるかを書いてください。",
                        viewpoint="transformation",
                    ),
                ],
            ),
            "municipal_commitment": ViewpointResult(label="自治体の積極性と継続性", verdict="meets"),
            "diversity": ViewpointResult(
                label="多様性と一体感",
                verdict="missing",
                findings=[
                    Finding(
                        code="members.few_categories",
                        severity="error",
                        field="members",
                        message="構成員の区分が少ない。",
                        hint="金融機関などの参画を検討してください。",
                        viewpoint="diversity",
                    ),
                ],
            ),
            "other": ViewpointResult(label="その他", verdict="missing"),
        },
        eligibility=EligibilityResult(municipality_participates=True),
        kpis=fixture_kpis() if kpis == 5 else [ParsedKpi()] * (kpis - 1) + [DX_KPI],
        readiness=0.83,
    )


def render(app: Application, report: CheckReport, **kwargs: Any) -> Any:
    """Render to memory and reopen with python-docx."""
    out = io.BytesIO()
    kwargs.setdefault("today", TODAY)
    write_application_docx(app, report, out, **kwargs)
    out.seek(0)
    return docx.Document(out)


def paragraphs(document: Any) -> Iterator[Paragraph]:
    """Every paragraph of the body, including those inside table cells, in order."""
    for p in document.element.body.iter(qn("w:p")):
        yield Paragraph(p, document._body)


def all_text(document: Any) -> str:
    return "\n".join(p.text for p in paragraphs(document))


def shows(document_text: str, line: str) -> bool:
    """Whether ``line`` is in the text, possibly broken over the lines of one cell."""
    return line in document_text or line in document_text.replace("\n", "")


def styled(document: Any, style_id: str) -> list[str]:
    return [p.text for p in document.paragraphs if p._p.style == style_id]


def table_with_header(document: Any, *headers: str) -> Table:
    for table in document.tables:
        if tuple(c.text for c in table.rows[0].cells) == headers:
            return table
    raise AssertionError(f"no table with header {headers}")


def cell_text(table: Table, row: int, column: int) -> str:
    return table.rows[row].cells[column].text
