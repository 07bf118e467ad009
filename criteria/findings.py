"""The finding catalogue (``findings.yaml``): stable codes and their Japanese wording.

Owns the link between a finding code (``kpi.no_deadline``) and what the applicant reads: the
viewpoint it belongs to, its severity, the message, the hint (always with an example) and the seed
sentence it traces to. Checks only choose a code, a field and the values of its placeholders;
wording lives in YAML. Placeholders are ``${name}`` (``string.Template``): the applicant's text is
substituted as a value, never interpreted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from string import Template

from pydantic import field_validator, model_validator

from criteria.data import DataError, DataModel, load
from criteria.report import VIEWPOINT_SLUGS, Finding, Severity
from criteria.seed import SeedQuotes

_CODE = re.compile(r"[a-z_]+(?:\.[a-z_]+)+")
_QUOTE_LIMIT = 40


class FindingSpec(DataModel):
    """One entry of ``findings.yaml``."""

    viewpoint: str
    severity: Severity
    field: str
    message: str
    hint: str
    params: tuple[str, ...] = ()
    seed: SeedQuotes

    @field_validator("viewpoint")
    @classmethod
    def _viewpoint(cls, value: str) -> str:
        if value and value not in VIEWPOINT_SLUGS:
            raise ValueError(f"unknown viewpoint {value!r} (one of {', '.join(VIEWPOINT_SLUGS)} or '')")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> FindingSpec:
        if self.viewpoint == "other" and self.severity != "ok":
            raise ValueError("その他 (other) findings must have severity ok: absence is never a defect")
        if "例" not in self.hint:
            raise ValueError("the hint must give a concrete example (例：…)")
        used = set(Template(self.message).get_identifiers()) | set(Template(self.hint).get_identifiers())
        if used != set(self.params):
            raise ValueError(f"placeholders {sorted(used)} do not match params {sorted(self.params)}")
        return self


class FindingsFile(DataModel):
    """``findings.yaml``: finding specs by code."""

    findings: dict[str, FindingSpec]

    @model_validator(mode="before")
    @classmethod
    def _wrap(cls, data: object) -> object:
        return {"findings": data}

    @field_validator("findings")
    @classmethod
    def _codes(cls, value: dict[str, FindingSpec]) -> dict[str, FindingSpec]:
        for code in value:
            if not _CODE.fullmatch(code):
                raise ValueError(f"finding code {code!r} must be dotted lower-case words")
        return value


CATALOGUE = load("findings.yaml", FindingsFile).findings


def spec(code: str) -> FindingSpec:
    """The catalogue entry of ``code``; ``DataError`` naming the file when it is unknown."""
    try:
        return CATALOGUE[code]
    except KeyError:
        raise DataError(f"findings.yaml: {code}: no such finding code") from None


def quote(text: str, limit: int = _QUOTE_LIMIT) -> str:
    """The applicant's text as shown inside a message: 「one line, at most ``limit`` characters」.

    Empty text gives "" so that a message reads naturally without it (「2番目のKPIに…」).
    """
    line = " ".join(text.split())
    if not line:
        return ""
    return "「" + (line if len(line) <= limit else line[: limit - 1] + "…") + "」"


def quote_all(texts: Iterable[str]) -> str:
    """Several quoted items in a row: 「自治体」「企業・事業者」."""
    return "".join(quote(text) for text in texts)


def finding(code: str, field: str | None = None, **params: object) -> Finding:
    """The ``Finding`` for ``code`` about ``field`` (default: the catalogue's), placeholders filled."""
    entry = spec(code)
    values = {name: str(value) for name, value in params.items()}
    return Finding(
        code=code,
        severity=entry.severity,
        field=field if field is not None else entry.field,
        message=Template(entry.message).substitute(values),
        hint=Template(entry.hint).substitute(values),
        viewpoint=entry.viewpoint,
    )
