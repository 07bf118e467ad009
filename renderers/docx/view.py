"""Builds the view model of the draft 実施計画書 from an application and its check report.

Owns what the document says and in which order, following the seed's 「申請するために検討すべき
事項」: ① ビジョン, ② 実施計画 (取組内容, 自立化シナリオ, 実施体制・役割分担), ③ 管理体制 (KPI,
進捗管理), then the optional その他 and 地方版IoT推進ラボからの変更点, and the appendices
(審査の視点 セルフチェック, 面談で想定される質問). Every user string passes through
``sanitize.clean_text`` here; every Japanese word comes from ``renderers/messages/docx.yaml``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from criteria.application import (
    CATEGORY_LABELS,
    INITIATIVE_TYPE_LABELS,
    KPI_KIND_LABELS,
    Application,
    InitiativeType,
    Kpi,
    KpiKind,
    MemberCategory,
)
from criteria.eras import wareki_date, wareki_year, wareki_year_with_western
from criteria.report import VIEWPOINT_SLUGS, CheckReport, ParsedKpi, ViewpointResult
from renderers.docx.interview import interview_questions
from renderers.docx.model import (
    Block,
    Cell,
    Column,
    DocumentView,
    Heading,
    PageBreak,
    Paragraphs,
    TableView,
    Text,
)
from renderers.docx.sanitize import clean_lines, clean_text
from renderers.messages import message

_PAGE = "\uffffPAGE\uffff"  # stands for the PAGE field while the footer text is rendered

__all__ = ["DocumentView", "TransitionChange", "TransitionItem", "build_document_view"]


class TransitionItem(Protocol):
    """One change from a 地方版IoT推進ラボ to a 地域DX推進ラボ (anything with these two fields)."""

    @property
    def title(self) -> str: ...

    @property
    def explanation(self) -> str: ...


@dataclass(frozen=True)
class TransitionChange:
    """A ready-made ``TransitionItem``."""

    title: str
    explanation: str


def _m(key: str, **params: Any) -> str:
    return message(f"docx.{key}", **params)


def _placeholder() -> Text:
    return Text(_m("placeholder"), placeholder=True)


def _lines(text: str) -> tuple[Text, ...]:
    """The lines of an answer, or one placeholder line when it is blank."""
    lines = clean_lines(text)
    return tuple(Text(line) for line in lines) if lines else (_placeholder(),)


def _cell(text: str) -> Cell:
    return _lines(text)


def _fixed(text: str) -> Cell:
    return (Text(text),)


def _number(value: float) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return format(value, ",")


class _Sections:
    """Accumulates blocks with the official numbering 1 / （1）."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self._section = 0
        self._item = 0

    def section(self, title_key: str) -> None:
        self._section += 1
        self._item = 0
        self.blocks.append(Heading(1, _m("heading1", number=self._section, title=_m(title_key))))

    def item(self, title_key: str) -> None:
        self._item += 1
        self.blocks.append(Heading(2, _m("heading2", number=self._item, title=_m(title_key))))

    def group(self, title: str) -> None:
        self.blocks.append(Heading(3, _m("heading3", title=title)))

    def label(self, title: str) -> None:
        self.blocks.append(Paragraphs((Text(_m("label", title=title)),), kind="label"))

    def answer(self, text: str) -> None:
        self.blocks.append(Paragraphs(_lines(text)))

    def note(self, text: str) -> None:
        self.blocks.append(Paragraphs((Text(text),), kind="note"))

    def add(self, block: Block) -> None:
        self.blocks.append(block)


def _table(columns: Sequence[tuple[str, float, str]], rows: Iterable[tuple[Cell, ...]]) -> TableView:
    cols = tuple(Column(_m(key), width, align) for key, width, align in columns)  # type: ignore[arg-type]
    body = list(rows)
    if not body:
        body = [tuple((_placeholder(),) if i == 1 else _fixed("") for i in range(len(cols)))]
    return TableView(columns=cols, rows=tuple(body))


# --- cover ------------------------------------------------------------------------------------------


def _info(app: Application, applicant: Text) -> TableView:
    rows: list[tuple[Cell, ...]] = [
        (_fixed(_m("info_lab_name")), _cell(app.lab_name)),
        (_fixed(_m("info_applicant")), (applicant,)),
        (_fixed(_m("info_secretariat")), _cell(app.secretariat)),
        (_fixed(_m("info_region")), _cell(app.region)),
    ]
    regions = [clean_text(r) for r in app.joint_regions if r.strip()]
    if regions:
        rows.append((_fixed(_m("info_joint_regions")), _fixed(_m("list_separator").join(regions))))
    if app.transition_from_iot_lab:
        name = clean_text(app.iot_lab_name) or _m("placeholder")
        status = _m("info_transition_yes", name=name)
    else:
        status = _m("info_transition_no")
    rows.append((_fixed(_m("info_transition")), _fixed(status)))
    columns = (Column("", 52), Column("", 108))
    return TableView(columns=columns, rows=tuple(rows), header=False, label_column=True)


# --- 1 ビジョン ---------------------------------------------------------------------------------------


def _vision(out: _Sections, app: Application) -> None:
    out.section("sec_vision")
    out.item("sub_vision")
    out.answer(app.vision)
    out.item("sub_regional_issues")
    out.answer(app.regional_issues)


# --- 2 実施計画 ---------------------------------------------------------------------------------------


def _selected_types(app: Application) -> set[InitiativeType]:
    chosen = set(app.initiative_types)
    chosen.update(i.type for i in app.initiatives if i.type is not None)
    return chosen


def _initiatives(out: _Sections, app: Application) -> None:
    out.item("sub_initiatives")
    chosen = _selected_types(app)
    out.label(_m("label_initiative_types"))
    boxes = tuple(
        Text(_m("checkbox_item", box=_m("checkbox_on" if t in chosen else "checkbox_off"), label=label))
        for t, label in INITIATIVE_TYPE_LABELS.items()
    )
    out.add(Paragraphs(boxes, kind="plain"))
    out.label(_m("label_needs"))
    out.answer(app.customer_social_needs)
    out.label(_m("label_transformation"))
    out.answer(app.transformation)

    groups: list[tuple[str, list[int]]] = [
        (label, [n for n, i in enumerate(app.initiatives) if i.type == t])
        for t, label in INITIATIVE_TYPE_LABELS.items()
    ]
    groups.append((_m("initiative_untyped"), [n for n, i in enumerate(app.initiatives) if i.type is None]))
    if not app.initiatives:
        out.label(_m("label_initiative_items"))
        out.answer("")
        return
    number = 0
    for label, indexes in groups:
        if not indexes:
            continue
        out.group(label)
        for index in indexes:
            number += 1
            initiative = app.initiatives[index]
            title = clean_text(initiative.title).replace("\n", " ").strip()
            heading = _m("initiative_title", number=number, title=title) if title else None
            if heading is None:
                out.add(Paragraphs((Text(_m("initiative_untitled", number=number)), _placeholder()), "label"))
            else:
                out.add(Paragraphs((Text(heading),), kind="label"))
            out.answer(initiative.description)


def _self_reliance(out: _Sections, app: Application) -> None:
    out.item("sub_self_reliance")
    chosen = _selected_types(app)
    if app.self_reliance_scenario.strip() or not chosen or InitiativeType.PROJECT in chosen:
        out.answer(app.self_reliance_scenario)
    else:
        out.add(Paragraphs((Text(_m("self_reliance_not_applicable")),), kind="body"))
    out.label(_m("label_continuity"))
    out.answer(app.continuity)


def _category_label(category: MemberCategory | None) -> Cell:
    return _fixed(CATEGORY_LABELS[category]) if category is not None else (_placeholder(),)


def _member_summary(app: Application) -> str:
    """構成員は計N団体（自治体2、企業・事業者3、区分未記入1）。"""
    counts = Counter(m.category for m in app.members)
    parts = [
        _m("member_summary_item", label=label, count=counts[category])
        for category, label in CATEGORY_LABELS.items()
        if counts[category]
    ]
    if counts[None]:
        parts.append(_m("member_summary_uncategorised", count=counts[None]))
    return _m("member_summary", total=len(app.members), breakdown=_m("list_separator").join(parts))


def _structure(out: _Sections, app: Application) -> None:
    out.item("sub_structure")
    out.label(_m("label_secretariat"))
    out.answer(app.secretariat)

    out.label(_m("label_key_persons"))
    out.add(
        _table(
            (
                ("col_no", 10, "center"),
                ("col_person_name", 32, "left"),
                ("col_person_org", 50, "left"),
                ("col_person_role", 68, "left"),
            ),
            (
                (_fixed(str(n)), _cell(p.name), _cell(p.organization), _cell(p.role))
                for n, p in enumerate(app.key_persons, start=1)
            ),
        )
    )

    out.label(_m("label_members"))
    if app.members:
        out.add(Paragraphs((Text(_member_summary(app)),), "plain"))
    out.add(
        _table(
            (
                ("col_no", 10, "center"),
                ("col_member_name", 49, "left"),
                ("col_member_category", 31, "left"),
                ("col_member_role", 70, "left"),
            ),
            (
                (_fixed(str(n)), _cell(m.name), _category_label(m.category), _cell(m.role))
                for n, m in enumerate(app.members, start=1)
            ),
        )
    )

    out.label(_m("label_municipality_role"))
    out.answer(app.municipality_role)


# --- 3 管理体制 ---------------------------------------------------------------------------------------


def _year(year: int | None, fiscal: bool | None) -> Cell:
    if year is None:
        return (_placeholder(),)
    full = wareki_year_with_western(year, fiscal=bool(fiscal))
    era = wareki_year(year, fiscal=bool(fiscal))
    rest = full[len(era) :].strip()
    return (Text(era), Text(rest)) if rest else (Text(full),)


def _kpi_row(number: int, kpi: Kpi, parsed: ParsedKpi | None) -> tuple[Cell, ...]:
    indicator = kpi.indicator or (parsed.indicator if parsed else "")
    text_lines = clean_lines(kpi.text)
    if indicator.strip():
        what = tuple(Text(line) for line in clean_lines(indicator)) + tuple(
            Text(line) for line in text_lines if line.strip() != indicator.strip()
        )
    else:
        what = _lines(kpi.text)
    kind_slug = kpi.kind or (parsed.kind if parsed else None)
    kind = KPI_KIND_LABELS.get(KpiKind(kind_slug)) if kind_slug in set(KpiKind) else None
    target = kpi.target_value if kpi.target_value is not None else (parsed.target_value if parsed else None)
    unit = kpi.unit or (parsed.unit if parsed else "")
    year = kpi.target_year if kpi.target_year is not None else (parsed.target_year if parsed else None)
    fiscal = kpi.fiscal_year if kpi.fiscal_year is not None else (parsed.fiscal_year if parsed else None)
    return (
        _fixed(str(number)),
        what,
        _fixed(kind) if kind else (_placeholder(),),
        _cell(kpi.baseline),
        _fixed(_number(target)) if target is not None else (_placeholder(),),
        _cell(unit),
        _year(year, fiscal),
    )


def _management(out: _Sections, app: Application, report: CheckReport) -> None:
    out.section("sec_management")
    out.item("sub_kpi")
    out.note(_m("kpi_note"))
    parsed: list[ParsedKpi | None] = list(report.kpis) if len(report.kpis) == len(app.kpis) else []
    parsed += [None] * (len(app.kpis) - len(parsed))
    out.add(
        _table(
            (
                ("col_no", 10, "center"),
                ("col_kpi_indicator", 41, "left"),
                ("col_kpi_kind", 23, "center"),
                ("col_kpi_baseline", 20, "center"),
                ("col_kpi_target", 20, "right"),
                ("col_kpi_unit", 20, "center"),
                ("col_kpi_year", 26, "center"),
            ),
            (_kpi_row(n, k, p) for n, (k, p) in enumerate(zip(app.kpis, parsed, strict=True), start=1)),
        )
    )
    out.item("sub_progress")
    out.answer(app.progress_management)


# --- optional sections ------------------------------------------------------------------------------


def _other(out: _Sections, app: Application) -> None:
    items = [
        ("sub_open_data", app.other.open_data),
        ("sub_digital_talent", app.other.digital_talent),
        ("sub_data_platform", app.other.data_platform),
    ]
    present = [(key, text) for key, text in items if clean_lines(text)]
    if not present:
        return
    out.section("sec_other")
    out.note(_m("other_note"))
    for key, text in present:
        out.item(key)
        out.answer(text)


def _transition(out: _Sections, app: Application, gap: Sequence[TransitionItem] | None) -> None:
    if not app.transition_from_iot_lab:
        return
    out.section("sec_transition")
    out.label(_m("label_iot_lab"))
    out.answer(app.iot_lab_name)
    out.label(_m("label_changes"))
    out.add(
        _table(
            (("col_no", 10, "center"), ("col_change_item", 44, "left"), ("col_change_detail", 106, "left")),
            (
                (_fixed(str(n)), _cell(g.title), _cell(g.explanation))
                for n, g in enumerate(gap or (), start=1)
            ),
        )
    )


# --- appendices -------------------------------------------------------------------------------------


def _verdict_cells(slug: str, result: ViewpointResult) -> tuple[Cell, Cell]:
    optional = slug == "other" and result.verdict == "missing"
    mark = _m("mark_optional" if optional else f"mark_{result.verdict}")
    lines: list[Text] = []
    for finding in result.findings:
        if finding.severity == "ok":
            continue
        lines.append(Text(_m("finding", message=clean_text(finding.message).replace("\n", " "))))
        if finding.hint.strip():
            lines.append(Text(_m("finding_hint", hint=clean_text(finding.hint).replace("\n", " "))))
    if not lines:
        lines.append(Text(_m("no_findings_optional" if optional else f"no_findings_{result.verdict}")))
    return _fixed(mark), tuple(lines)


def _self_check(report: CheckReport) -> list[Block]:
    out = _Sections()
    out.add(Heading(1, _m("appendix_check")))
    out.note(_m("check_intro"))
    out.note(_m("check_legend"))
    out.note(_m("check_readiness", percent=round(report.readiness * 100)))
    eligible = report.eligibility
    lines = [
        Text(_m("finding", message=clean_text(f.message))) for f in eligible.findings if f.severity != "ok"
    ] or [Text(_m("eligibility_ok" if eligible.municipality_participates else "eligibility_missing"))]
    rows: list[tuple[Cell, ...]] = [
        (
            _fixed(_m("eligibility_label")),
            _fixed(_m("mark_meets" if eligible.municipality_participates else "mark_missing")),
            tuple(lines),
        )
    ]
    for slug in VIEWPOINT_SLUGS:
        result = report.viewpoints.get(slug)
        if result is not None:
            rows.append((_fixed(clean_text(result.label)), *_verdict_cells(slug, result)))
    out.add(
        _table(
            (("col_viewpoint", 34, "left"), ("col_verdict", 14, "center"), ("col_findings", 112, "left")),
            rows,
        )
    )
    return out.blocks


def _interview(report: CheckReport, *, transition: bool) -> list[Block]:
    out = _Sections()
    out.add(Heading(1, _m("appendix_interview")))
    out.note(_m("interview_intro"))
    questions = interview_questions(report, transition=transition)
    out.add(
        _table(
            (
                ("col_no", 10, "center"),
                ("col_viewpoint", 30, "left"),
                ("col_question", 74, "left"),
                ("col_answer_memo", 46, "left"),
            ),
            (
                (_fixed(str(n)), _fixed(clean_text(q.group)), _fixed(q.text), _fixed(""))
                for n, q in enumerate(questions, start=1)
            ),
        )
    )
    return out.blocks


# --- entry point ------------------------------------------------------------------------------------


def _page_number() -> tuple[str, str]:
    before, _, after = _m("page_number", page=_PAGE).partition(_PAGE)
    return before, after


def build_document_view(
    app: Application,
    report: CheckReport,
    *,
    applicant: str = "",
    today: dt.date,
    transition_gap: Sequence[TransitionItem] | None = None,
) -> DocumentView:
    """The complete, XML-safe view of the draft 実施計画書 for ``app``.

    ``applicant`` is the name on the cover (the 事務局 when empty); ``today`` the date of the
    draft; ``transition_gap`` the changes to list for a former 地方版IoT推進ラボ.
    """
    applicant_line = clean_text(applicant).replace("\n", " ").strip() or clean_text(app.secretariat).strip()
    applicant_text = Text(applicant_line) if applicant_line else _placeholder()
    lab = clean_text(app.lab_name).replace("\n", " ").strip()
    out = _Sections()
    _vision(out, app)
    out.section("sec_plan")
    _initiatives(out, app)
    _self_reliance(out, app)
    _structure(out, app)
    _management(out, app, report)
    _other(out, app)
    _transition(out, app, transition_gap)
    appendix = [
        *_self_check(report),
        PageBreak(),
        *_interview(report, transition=app.transition_from_iot_lab),
    ]
    return DocumentView(
        title=_m("title"),
        draft_mark=_m("draft_mark"),
        date=wareki_date(today),
        lab_name=Text(lab) if lab else _placeholder(),
        applicant=applicant_text,
        info=_info(app, applicant_text),
        body=tuple(out.blocks),
        appendix=tuple(appendix),
        page_number=_page_number(),
    )
