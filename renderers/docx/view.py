"""Builds the view model of the draft 実施計画書 from an application and its check report.

Owns what the document says and in which order, following the seed's 「申請するために検討すべき
事項」: ① ビジョン, ② 実施計画 (取組内容, 自立化シナリオ, 実施体制・役割分担), ③ 管理体制 (KPI,
進捗管理), then the optional その他 and 地方版IoT推進ラボからの変更点, and the appendices
(審査の視点 セルフチェック, 面談で想定される質問). Every user string passes through
``sanitize.clean_text`` here; every Japanese word comes from ``renderers/messages/docx.yaml``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from criteria.application import (
    CATEGORY_LABELS,
    INITIATIVE_TYPE_LABELS,
    Application,
    InitiativeType,
    MemberCategory,
)
from criteria.eras import era_of
from criteria.report import CheckReport
from criteria.requirements import field_label
from renderers.docx.appendix import interview, self_check
from renderers.docx.blocks import Sections, answer_lines, column, fixed, placeholder, table, wording
from renderers.docx.kpis import kpi_blocks
from renderers.docx.model import Cell, Column, DocumentView, PageBreak, Paragraphs, TableView, Text
from renderers.docx.sanitize import clean_lines, clean_text

_PAGE = "\uffffPAGE\uffff"  # stands for the PAGE field while the footer text is rendered
# 申請者 of a joint application: one municipality per line, typed on one line with 「、」 or on many.
_APPLICANT_SEPARATORS = re.compile(r"[\n、，,；;]")

__all__ = ["DocumentView", "GapItem", "TransitionChange", "TransitionItem", "build_document_view"]


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


GapItem = TransitionItem | tuple[str, str] | Mapping[str, str]
"""What ``transition_gap`` accepts: an object with ``title`` and ``explanation``, a
``(title, explanation)`` pair, or a mapping with those two keys."""


def _gap_text(item: GapItem) -> tuple[str, str]:
    if isinstance(item, Mapping):
        return str(item.get("title", "")), str(item.get("explanation", ""))
    if isinstance(item, tuple):
        title, explanation = (*item, "", "")[:2]
        return str(title), str(explanation)
    return str(getattr(item, "title", "")), str(getattr(item, "explanation", ""))


# --- cover ------------------------------------------------------------------------------------------


def _applicant(app: Application, given: str) -> tuple[Text, ...]:
    """申請者, one line per municipality: ``given`` (``dxlab render --applicant``) or the answer.

    Never the 事務局: a caller that passes the 事務局's text as the applicant (older exporters did)
    gets the application's own answer, or the placeholder.
    """
    source = given if given.strip() and given.strip() != app.secretariat.strip() else app.applicant
    lines = [" ".join(part.split()) for part in _APPLICANT_SEPARATORS.split(clean_text(source))]
    kept = tuple(Text(line) for line in lines if line)
    return kept or (placeholder(),)


def _info(app: Application, applicant: tuple[Text, ...]) -> TableView:
    rows: list[tuple[Cell, ...]] = [
        (fixed(wording("info_lab_name")), answer_lines(app.lab_name)),
        (fixed(wording("info_applicant")), applicant),
        (fixed(wording("info_secretariat")), answer_lines(app.secretariat)),
        (fixed(wording("info_region")), answer_lines(app.region)),
    ]
    regions = [clean_text(r) for r in app.joint_regions if r.strip()]
    if regions:
        rows.append((fixed(wording("info_joint_regions")), fixed(wording("list_separator").join(regions))))
    if app.transition_from_iot_lab:
        name = clean_text(app.iot_lab_name) or wording("placeholder")
        status = wording("info_transition_yes", name=name)
    else:
        status = wording("info_transition_no")
    rows.append((fixed(wording("info_transition")), fixed(status)))
    columns = (Column("", 52), Column("", 108))
    return TableView(columns=columns, rows=tuple(rows), header=False, label_column=True)


# --- 1 ビジョン ---------------------------------------------------------------------------------------


def _vision(out: Sections, app: Application) -> None:
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


def _answer_or_elsewhere(out: Sections, text: str, report: CheckReport | None, slug: str) -> None:
    """The answer; when it is blank but the check read the sub-requirement from another answer,
    a note saying where (the self-check shows ○ for it, so the body must not say 【未記入】 alone)."""
    if text.strip() or report is None:
        out.answer(text)
        return
    met = (r for v in report.viewpoints.values() for r in v.requirements if r.status == "met")
    found = next((r for r in met if r.slug == slug), None)
    if found is None or not found.evidence:
        out.answer(text)
        return
    out.note(wording("read_elsewhere", where=field_label(found.evidence[0].field)))


def _initiatives(out: Sections, app: Application, report: CheckReport | None = None) -> None:
    out.item("sub_initiatives")
    chosen = _selected_types(app)
    out.label(wording("label_initiative_types"))
    boxes = tuple(
        Text(
            wording(
                "checkbox_item", box=wording("checkbox_on" if t in chosen else "checkbox_off"), label=label
            )
        )
        for t, label in INITIATIVE_TYPE_LABELS.items()
    )
    out.add(Paragraphs(boxes, kind="plain"))
    out.label(wording("label_needs"))
    _answer_or_elsewhere(out, app.customer_social_needs, report, "transformation.needs")
    out.label(wording("label_transformation"))
    _answer_or_elsewhere(out, app.transformation, report, "transformation.model_change")

    groups: list[tuple[str, list[int]]] = [
        (label, [n for n, i in enumerate(app.initiatives) if i.type == t])
        for t, label in INITIATIVE_TYPE_LABELS.items()
    ]
    groups.append(
        (wording("initiative_untyped"), [n for n, i in enumerate(app.initiatives) if i.type is None])
    )
    if not app.initiatives:
        out.label(wording("label_initiative_items"))
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
            heading = wording("initiative_title", number=number, title=title) if title else None
            if heading is None:
                out.add(
                    Paragraphs((Text(wording("initiative_untitled", number=number)), placeholder()), "label")
                )
            else:
                out.add(Paragraphs((Text(heading),), kind="label"))
            out.answer(initiative.description)


def _self_reliance(out: Sections, app: Application, report: CheckReport | None = None) -> None:
    out.item("sub_self_reliance")
    chosen = _selected_types(app)
    if app.self_reliance_scenario.strip() or not chosen or InitiativeType.PROJECT in chosen:
        out.answer(app.self_reliance_scenario)
    else:
        out.add(Paragraphs((Text(wording("self_reliance_not_applicable")),), kind="body"))
    out.label(wording("label_continuity"))
    _answer_or_elsewhere(out, app.continuity, report, "municipal_commitment.continuity")


def _category_label(category: MemberCategory | None) -> Cell:
    return fixed(CATEGORY_LABELS[category]) if category is not None else (placeholder(),)


def _member_summary(app: Application) -> str:
    """構成員は計N団体（自治体2、企業・事業者3、区分未記入1）。"""
    counts = Counter(m.category for m in app.members)
    parts = [
        wording("member_summary_item", label=label, count=counts[category])
        for category, label in CATEGORY_LABELS.items()
        if counts[category]
    ]
    if counts[None]:
        parts.append(wording("member_summary_uncategorised", count=counts[None]))
    return wording("member_summary", total=len(app.members), breakdown=wording("list_separator").join(parts))


def _structure(out: Sections, app: Application) -> None:
    out.item("sub_structure")
    out.label(wording("label_secretariat"))
    out.answer(app.secretariat)

    out.label(wording("label_key_persons"))
    out.add(
        table(
            (
                column("col_no", 10, "center"),
                column("col_person_name", 32, "left"),
                column("col_person_org", 50, "left"),
                column("col_person_role", 68, "left"),
            ),
            (
                (fixed(str(n)), answer_lines(p.name), answer_lines(p.organization), answer_lines(p.role))
                for n, p in enumerate(app.key_persons, start=1)
            ),
        )
    )

    out.label(wording("label_members"))
    out.add(
        table(
            (
                column("col_no", 10, "center"),
                column("col_member_name", 49, "left"),
                column("col_member_category", 31, "left"),
                column("col_member_role", 70, "left"),
            ),
            (
                (fixed(str(n)), answer_lines(m.name), _category_label(m.category), answer_lines(m.role))
                for n, m in enumerate(app.members, start=1)
            ),
        )
    )
    if app.members:
        out.add(Paragraphs((Text(_member_summary(app)),), "plain"))

    out.label(wording("label_municipality_role"))
    out.answer(app.municipality_role)


# --- 3 管理体制 ---------------------------------------------------------------------------------------


def _management(out: Sections, app: Application, report: CheckReport) -> None:
    out.section("sec_management")
    out.item("sub_kpi")
    for block in kpi_blocks(app.kpis, report.kpis):
        out.add(block)
    out.item("sub_progress")
    out.answer(app.progress_management)


# --- optional sections ------------------------------------------------------------------------------


def _other(out: Sections, app: Application) -> None:
    items = [
        ("sub_open_data", app.other.open_data),
        ("sub_digital_talent", app.other.digital_talent),
        ("sub_data_platform", app.other.data_platform),
    ]
    present = [(key, text) for key, text in items if clean_lines(text)]
    if not present:
        return
    out.section("sec_other")
    out.subtitle(wording("other_note"))
    for key, text in present:
        out.item(key)
        out.answer(text)


def _transition(out: Sections, app: Application, gap: Sequence[GapItem] | None) -> None:
    if not app.transition_from_iot_lab:
        return
    out.section("sec_transition")
    out.label(wording("label_iot_lab"))
    out.answer(app.iot_lab_name)
    out.label(wording("label_changes"))
    out.add(
        table(
            (
                column("col_no", 10, "center"),
                column("col_change_item", 44, "left"),
                column("col_change_detail", 106, "left"),
            ),
            (
                (fixed(str(n)), answer_lines(title), answer_lines(explanation))
                for n, (title, explanation) in enumerate(map(_gap_text, gap or ()), start=1)
            ),
        )
    )


# --- entry point ------------------------------------------------------------------------------------


def _cover_date(today: dt.date) -> str:
    """令和8年12月1日: the date line in 和暦 only, as official documents date themselves."""
    era = era_of(today)
    number = today.year - era.start.year + 1
    year = wording("era_first_year") if number == 1 else str(number)
    return wording("cover_date", era=era.name, year=year, month=today.month, day=today.day)


def _page_number() -> tuple[str, str]:
    before, _, after = wording("page_number", page=_PAGE).partition(_PAGE)
    return before, after


def build_document_view(
    app: Application,
    report: CheckReport,
    *,
    applicant: str = "",
    today: dt.date,
    transition_gap: Sequence[GapItem] | None = None,
) -> DocumentView:
    """The complete, XML-safe view of the draft 実施計画書 for ``app``.

    ``applicant`` overrides the application's 申請者 on the cover (never the 事務局); ``today``
    the date of the draft; ``transition_gap`` the changes to list for a former 地方版IoT推進ラボ.
    """
    applicant_lines = _applicant(app, applicant)
    lab = clean_text(app.lab_name).replace("\n", " ").strip()
    out = Sections()
    _vision(out, app)
    out.section("sec_plan")
    _initiatives(out, app, report)
    _self_reliance(out, app, report)
    _structure(out, app)
    _management(out, app, report)
    _other(out, app)
    _transition(out, app, transition_gap)
    appendix = [
        *self_check(report, app),
        PageBreak(),
        *interview(report, app),
    ]
    return DocumentView(
        title=wording("title"),
        draft_mark=wording("draft_mark"),
        date=_cover_date(today),
        lab_name=Text(lab) if lab else placeholder(),
        applicant=applicant_lines,
        info=_info(app, applicant_lines),
        body=tuple(out.blocks),
        appendix=tuple(appendix),
        page_number=_page_number(),
        issued=today,
    )
