"""The application file model (``format: dxlab.application/1``).

Owns the shape of an application to the 地域DX推進ラボ programme as described in DESIGN.md §3:
every field optional so that partial drafts validate, Japanese labels accepted for member
categories, initiative types and KPI kinds. Other tools read and write this format: extend it
compatibly, never rename a field.
"""

from __future__ import annotations

import unicodedata
from enum import StrEnum
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

from criteria.bounded import MAX_NUMBER_CHARS, short_enough_for_float

FORMAT: Literal["dxlab.application/1"] = "dxlab.application/1"


def _key(text: str) -> str:
    """Normalise a label for lookup: NFKC, no spaces, lower case."""
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


class MemberCategory(StrEnum):
    """The ten kinds of organisation named in the 多様性と一体感 viewpoint."""

    MUNICIPALITY = "municipality"
    PUBLIC_BODY = "public_body"
    SCHOOL = "school"
    RESEARCH = "research"
    COMPANY = "company"
    BUSINESS_ASSOCIATION = "business_association"
    INVESTOR = "investor"
    VENTURE_FUND = "venture_fund"
    FINANCIAL_INSTITUTION = "financial_institution"
    CIVIC_GROUP = "civic_group"

    @property
    def label(self) -> str:
        return CATEGORY_LABELS[self]


CATEGORY_LABELS: dict[MemberCategory, str] = {
    MemberCategory.MUNICIPALITY: "自治体",
    MemberCategory.PUBLIC_BODY: "公的機関",
    MemberCategory.SCHOOL: "大学・各種学校",
    MemberCategory.RESEARCH: "研究機関",
    MemberCategory.COMPANY: "企業・事業者",
    MemberCategory.BUSINESS_ASSOCIATION: "事業者団体",
    MemberCategory.INVESTOR: "投資家",
    MemberCategory.VENTURE_FUND: "ベンチャーファンド",
    MemberCategory.FINANCIAL_INSTITUTION: "金融機関",
    MemberCategory.CIVIC_GROUP: "市民団体",
}

_CATEGORY_ALIASES: dict[str, MemberCategory] = {
    "大学": MemberCategory.SCHOOL,
    "学校": MemberCategory.SCHOOL,
    "各種学校": MemberCategory.SCHOOL,
    "高専": MemberCategory.SCHOOL,
    "企業": MemberCategory.COMPANY,
    "事業者": MemberCategory.COMPANY,
    "市": MemberCategory.MUNICIPALITY,
    "町": MemberCategory.MUNICIPALITY,
    "村": MemberCategory.MUNICIPALITY,
    "県": MemberCategory.MUNICIPALITY,
    "都道府県": MemberCategory.MUNICIPALITY,
    "市町村": MemberCategory.MUNICIPALITY,
    "銀行": MemberCategory.FINANCIAL_INSTITUTION,
    "信用金庫": MemberCategory.FINANCIAL_INSTITUTION,
    "商工会議所": MemberCategory.BUSINESS_ASSOCIATION,
    "商工会": MemberCategory.BUSINESS_ASSOCIATION,
    "npo": MemberCategory.CIVIC_GROUP,
    "市民": MemberCategory.CIVIC_GROUP,
    "vc": MemberCategory.VENTURE_FUND,
}


class InitiativeType(StrEnum):
    """① 地域の産学官金プロジェクト等 / ② 地域支援機関等による企業支援."""

    PROJECT = "project"
    COMPANY_SUPPORT = "company_support"

    @property
    def label(self) -> str:
        return INITIATIVE_TYPE_LABELS[self]


INITIATIVE_TYPE_LABELS: dict[InitiativeType, str] = {
    InitiativeType.PROJECT: "① 地域の産学官金プロジェクト等の取組",
    InitiativeType.COMPANY_SUPPORT: "② 地域支援機関等による企業支援の取組",
}

_INITIATIVE_ALIASES: dict[str, InitiativeType] = {
    "①": InitiativeType.PROJECT,
    "1": InitiativeType.PROJECT,
    "a": InitiativeType.PROJECT,
    "プロジェクト": InitiativeType.PROJECT,
    "産学官金プロジェクト": InitiativeType.PROJECT,
    "地域の産学官金プロジェクト等": InitiativeType.PROJECT,
    "②": InitiativeType.COMPANY_SUPPORT,
    "2": InitiativeType.COMPANY_SUPPORT,
    "b": InitiativeType.COMPANY_SUPPORT,
    "企業支援": InitiativeType.COMPANY_SUPPORT,
    "地域支援機関等による企業支援": InitiativeType.COMPANY_SUPPORT,
}


class KpiKind(StrEnum):
    """アウトカム指標 / アウトプット指標."""

    OUTCOME = "outcome"
    OUTPUT = "output"

    @property
    def label(self) -> str:
        return KPI_KIND_LABELS[self]


KPI_KIND_LABELS: dict[KpiKind, str] = {
    KpiKind.OUTCOME: "アウトカム",
    KpiKind.OUTPUT: "アウトプット",
}

_KPI_KIND_ALIASES: dict[str, KpiKind] = {
    "アウトカム指標": KpiKind.OUTCOME,
    "成果": KpiKind.OUTCOME,
    "成果指標": KpiKind.OUTCOME,
    "アウトプット指標": KpiKind.OUTPUT,
    "活動": KpiKind.OUTPUT,
    "活動指標": KpiKind.OUTPUT,
}


E = TypeVar("E", bound=StrEnum)


_LOOKUP_TABLES: dict[type[StrEnum], dict[str, StrEnum]] = {}


def _lookup_table(enum: type[E], labels: dict[E, str], aliases: dict[str, E]) -> dict[str, StrEnum]:
    """Normalised key → member: slugs and labels first (in enum order), then aliases."""
    table: dict[str, StrEnum] = {}
    for member in enum:
        table.setdefault(_key(member.value), member)
        table.setdefault(_key(labels[member]), member)
    for alias, member in aliases.items():
        table.setdefault(_key(alias), member)
    return table


def _lookup(value: object, enum: type[E], labels: dict[E, str], aliases: dict[str, E]) -> object:
    """Map a slug, a Japanese label or an alias to the enum; leave anything else to pydantic."""
    if not isinstance(value, str):
        return value
    table = _LOOKUP_TABLES.get(enum)
    if table is None:
        table = _LOOKUP_TABLES[enum] = _lookup_table(enum, labels, aliases)
    return table.get(_key(value), value)


def parse_category(value: object) -> object:
    """A member category from its slug, its Japanese label or a common alias."""
    return _lookup(value, MemberCategory, CATEGORY_LABELS, _CATEGORY_ALIASES)


def parse_initiative_type(value: object) -> object:
    """An initiative type from its slug, ①/②, or its Japanese label."""
    return _lookup(value, InitiativeType, INITIATIVE_TYPE_LABELS, _INITIATIVE_ALIASES)


def parse_kpi_kind(value: object) -> object:
    """A KPI kind from its slug or アウトカム/アウトプット."""
    return _lookup(value, KpiKind, KPI_KIND_LABELS, _KPI_KIND_ALIASES)


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=False, validate_assignment=True)


class KeyPerson(_Model):
    """キーパーソン: a person who runs the lab."""

    name: str = ""
    organization: str = ""
    role: str = ""


class Member(_Model):
    """構成員: an organisation taking part in the lab."""

    name: str = ""
    category: MemberCategory | None = None
    role: str = ""

    @field_validator("category", mode="before")
    @classmethod
    def _category(cls, value: object) -> object:
        if value == "":
            return None
        return parse_category(value)


class Initiative(_Model):
    """取組内容: one initiative of type ① or ②."""

    title: str = ""
    description: str = ""
    type: InitiativeType | None = None

    @field_validator("type", mode="before")
    @classmethod
    def _type(cls, value: object) -> object:
        if value == "":
            return None
        return parse_initiative_type(value)


def _coerce_number(value: object) -> object:
    """Accept full-width digits and thousands separators in numeric fields.

    Text too long to be a typed number is refused (``ValueError``), so a 5,000-digit run never
    becomes ``inf`` or reaches ``int()``.
    """
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).replace(",", "").strip()
        if text == "":
            return None
        if not short_enough_for_float(text):
            raise ValueError(f"a number of at most {MAX_NUMBER_CHARS} characters")
        try:
            number = float(text)
        except ValueError:
            return value
        return int(number) if number.is_integer() else number
    return value


class Kpi(_Model):
    """A KPI: either structured fields, or a free sentence in ``text`` that the checks parse."""

    text: str = ""
    kind: KpiKind | None = None
    indicator: str = ""
    baseline: str = ""
    target_value: int | float | None = None
    unit: str = ""
    target_year: int | None = None
    fiscal_year: bool | None = None

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, value: object) -> object:
        if value == "":
            return None
        return parse_kpi_kind(value)

    @field_validator("target_value", "target_year", mode="before")
    @classmethod
    def _number(cls, value: object) -> object:
        return _coerce_number(value)

    @field_validator("baseline", mode="before")
    @classmethod
    def _baseline(cls, value: object) -> object:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        return value


class OtherItems(_Model):
    """その他 (加点): optional items a reviewer takes into account."""

    open_data: str = ""
    digital_talent: str = ""
    data_platform: str = ""


class Application(_Model):
    """An application (or a partial draft) to the 地域DX推進ラボ programme."""

    format: Literal["dxlab.application/1"] = FORMAT
    lab_name: str = ""
    region: str = ""
    joint_regions: list[str] = Field(default_factory=list)
    transition_from_iot_lab: bool = False
    iot_lab_name: str = ""
    vision: str = ""
    regional_issues: str = ""
    customer_social_needs: str = ""
    transformation: str = ""
    initiative_types: list[InitiativeType] = Field(default_factory=list)
    initiatives: list[Initiative] = Field(default_factory=list)
    self_reliance_scenario: str = ""
    secretariat: str = ""
    key_persons: list[KeyPerson] = Field(default_factory=list)
    members: list[Member] = Field(default_factory=list)
    municipality_role: str = ""
    continuity: str = ""
    kpis: list[Kpi] = Field(default_factory=list)
    progress_management: str = ""
    other: OtherItems = Field(default_factory=OtherItems)
    applicant: str = ""
    """申請者: each applying municipality and its head (「青葉台町長 ○○ ○○」), one per line."""

    @field_validator("initiative_types", mode="before")
    @classmethod
    def _types(cls, value: object) -> object:
        if isinstance(value, str):
            value = [value]
        if isinstance(value, list):
            return [parse_initiative_type(item) for item in value if item != ""]
        return value

    @field_validator("joint_regions", mode="before")
    @classmethod
    def _regions(cls, value: object) -> object:
        if isinstance(value, str):
            return [value] if value.strip() else []
        if isinstance(value, list):
            return [item for item in value if not (isinstance(item, str) and not item.strip())]
        return value

    def to_file(self) -> dict[str, Any]:
        """The JSON-ready application file."""
        return self.model_dump(mode="json")
