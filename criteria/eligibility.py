"""The basic requirement: a municipality takes part in the lab.

Owns whether an application meets the programme's basic requirement: a municipality among the
members (the lab's 構成員 are 「自治体、公的機関、企業、学校、市民等」 and the municipality's active
part is required). When the secretariat is not a municipality, the municipality's consent should be
stated (the municipality is the one that applies; another secretariat applies with its consent).
"""

from __future__ import annotations

import re

from criteria.application import Application, MemberCategory
from criteria.findings import finding, quote
from criteria.normalize import is_substantive, mentions, normalize
from criteria.report import EligibilityResult, Finding
from criteria.vocab import words

_OFFICE = re.compile(r"市役所|町役場|村役場|区役所|県庁|都庁|府庁|道庁")
_MUNICIPAL_NAME = re.compile(
    r"(?:市|町|村|区|県|都|府|道)(?:役所|役場|庁)?(?:.{0,40}(?:部|課|局|室|係|グループ|チーム))?\s*$"
)
_MAX_NAME = 100
_CONSENT = words("consent")
_OTHER_ORGANISATIONS = words("other_organisations")


def municipal_members(app: Application) -> list[str]:
    """Names of the members whose category is 自治体."""
    return [m.name for m in app.members if m.category is MemberCategory.MUNICIPALITY]


def is_municipal_name(text: str, known: list[str] | None = None) -> bool:
    """Whether an organisation name is a municipality or one of its departments.

    「みなと市」「みなと市 産業振興部 デジタル産業課」「県庁」 are; 「みなと商工会議所」
    「株式会社みなと水産」 are not. ``known`` are municipality names to accept as well.
    """
    name = normalize(text).strip()[:_MAX_NAME]
    if not name:
        return False
    if _OFFICE.search(name):
        return True
    if mentions(name, _OTHER_ORGANISATIONS):
        return False
    if any(k.strip() and normalize(k).strip() in name for k in known or []):
        return True
    return bool(_MUNICIPAL_NAME.search(name))


def municipality_participates(app: Application) -> bool:
    """A municipality takes part: a member of category 自治体, the 事務局, or its role described.

    A city that runs the 事務局 or whose role is written in 自治体の役割 takes part even when it is
    not repeated in the member list (「自治体の具体的な役割を公募要領に明記する」).
    """
    if municipal_members(app) or is_municipal_name(app.secretariat):
        return True
    if any(is_municipal_name(p.organization) for p in app.key_persons):
        return True
    return is_substantive(app.municipality_role) and not mentions(app.municipality_role, _OTHER_ORGANISATIONS)


def check_eligibility(app: Application) -> EligibilityResult:
    """The eligibility result: an error when no municipality takes part, a warning when consent is due."""
    participates = municipality_participates(app)
    found: list[Finding] = []
    if not participates:
        found.append(finding("eligibility.no_municipality"))
    elif app.secretariat.strip() and not is_municipal_name(app.secretariat, municipal_members(app)):
        stated = "\n".join(
            [app.secretariat, app.municipality_role, app.continuity, *(m.role for m in app.members)]
        )
        if not mentions(stated, _CONSENT):
            found.append(finding("eligibility.no_consent", secretariat=quote(app.secretariat)))
    return EligibilityResult(municipality_participates=participates, findings=found)
