"""The six 審査の視点 (``viewpoints.yaml``): labels, official texts, sources and check names.

Owns what each viewpoint is: its label and verbatim text (DX lab and 地方版IoT推進ラボ), the seed
passages it comes from, what its checks look for, and the questions that belong to it
(``core_fields``). Its sub-requirements live in ``requirements.yaml``.
"""

from __future__ import annotations

from pydantic import Field, field_validator, model_validator

from criteria.application import Application, OtherItems
from criteria.data import DataModel, load
from criteria.report import VIEWPOINT_SLUGS
from criteria.seed import require_quoted
from criteria.vocab import VOCAB


class IotEquivalent(DataModel):
    """The 地方版IoT推進ラボ viewpoint this one replaces (``label`` None when the viewpoint is new)."""

    label: str | None
    text: tuple[str, ...]
    change: str

    @field_validator("text")
    @classmethod
    def _verbatim(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        require_quoted(value, "iot.text")
        return value


class BonusItem(DataModel):
    """One その他 item: its label, its field of ``Application.other`` and its keyword list."""

    label: str
    field: str
    vocab: str

    @model_validator(mode="after")
    def _known(self) -> BonusItem:
        if self.field not in OtherItems.model_fields:
            raise ValueError(f"field {self.field!r} is not a field of other")
        if self.vocab not in VOCAB.words:
            raise ValueError(f"vocab {self.vocab!r} is not a keyword list of vocab.yaml")
        return self


class Viewpoint(DataModel):
    """One 審査の視点."""

    label: str
    text: tuple[str, ...]
    sources: tuple[str, ...]
    looks_for: tuple[str, ...]
    core_fields: tuple[str, ...]
    iot: IotEquivalent
    bonus: dict[str, BonusItem] = Field(default_factory=dict)

    @field_validator("text", "sources")
    @classmethod
    def _verbatim(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise ValueError("at least one verbatim passage is required")
        require_quoted(value, "quote")
        return value

    @field_validator("core_fields")
    @classmethod
    def _fields(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for name in value:
            if name not in Application.model_fields:
                raise ValueError(f"{name!r} is not a field of the application")
        return value


class ViewpointsFile(DataModel):
    """``viewpoints.yaml``: the six viewpoints in the official order."""

    viewpoints: dict[str, Viewpoint]

    @field_validator("viewpoints")
    @classmethod
    def _all_six(cls, value: dict[str, Viewpoint]) -> dict[str, Viewpoint]:
        if tuple(value) != VIEWPOINT_SLUGS:
            raise ValueError(f"expected the viewpoints {', '.join(VIEWPOINT_SLUGS)} in this order")
        return value


VIEWPOINTS: dict[str, Viewpoint] = load("viewpoints.yaml", ViewpointsFile).viewpoints


def viewpoint(slug: str) -> Viewpoint:
    """The viewpoint ``slug`` (``direction`` … ``other``); ``KeyError`` if unknown."""
    return VIEWPOINTS[slug]


def label(slug: str) -> str:
    """The Japanese label of a viewpoint: ``direction`` → 方向性."""
    return VIEWPOINTS[slug].label


def bonus_items() -> dict[str, BonusItem]:
    """The その他 (加点) items by slug: open_data, digital_talent, data_platform."""
    return dict(VIEWPOINTS["other"].bonus)


def bonus_label(slug: str) -> str:
    """The Japanese label of a その他 item (the slug itself when unknown)."""
    item = VIEWPOINTS["other"].bonus.get(slug)
    return item.label if item is not None else slug
