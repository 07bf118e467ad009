"""変革: based on customer/social needs, the conventional model of regional industry/companies changes.

Seed: 「顧客や社会のニーズを基に、地域産業・企業の従来モデルの変革を目指す取組であること」, and the
committee's 「IoTは個別の技術を使って生産性向上する技術志向であると思うが、DXは意識改革の話」: mere
digitisation or tool introduction is thin. 自治体のDX (「自治体のDXも入ることを公募要領に明記する。」) is
judged like any initiative: a change of processes, organisation, procurement or services counts.
"""

from __future__ import annotations

import re

from criteria.checks.context import Context
from criteria.checks.judging import absent, met, thin
from criteria.checks.registry import register
from criteria.evidence import search
from criteria.findings import finding
from criteria.normalize import fold, is_substantive, mentions
from criteria.requirements import Assessment
from criteria.vocab import words

_NEEDS = words("needs")
_HEARD = words("needs_heard")
_SURVEYED = words("needs_surveyed")
_MODEL_CHANGE = words("model_change")
_CONVENTIONAL = words("conventional")
_DIGITISATION = words("digitisation")
_GENERIC = words("generic_change")
_SPECIFIC_CHANGE = tuple(w for w in _MODEL_CHANGE if fold(w) not in {fold(g) for g in _GENERIC})
_SENTENCES = re.compile(r"[。!?\n]")
_CONTRAST = re.compile(r"から.{1,60}?(?:へ|に(?:転|変|移|切|改))")
#: 「事後対応を、…予防保全へ改める」: the old way named as the object of a change to a new way.
_REPLACE = re.compile(
    r"を[、,]?.{1,60}?(?:へ|に)(?:改め|転換|切り替|切替|移行|変え|作り替|組み替)"
    r"|(?:へ|に)[、,].{1,40}?を(?:改め|転換|切り替|作り替|組み替|一新)"
    r"|から[、,]?.{1,60}?(?:へ|に)(?:変わ|転換|移行|切り替|改め)"
)
#: Where a change of model is described (not who takes part, not the KPIs).
_MODEL_FIELDS = (
    "vision",
    "transformation",
    "initiatives",
    "regional_issues",
    "customer_social_needs",
    "self_reliance_scenario",
    "municipality_role",
)


def changes_model(text: str) -> bool:
    """Whether ``text`` describes a change of model, not only digitisation.

    A model-change word counts (ビジネスモデル, 新サービス, 転換 …) unless the sentence only says
    「変革」「DX」 in general; so does a sentence naming the conventional way and contrasting it
    with a new one (「従来の日帰り観光から滞在型観光へ」) as long as it names no mere digitisation
    (「従来の紙の台帳を電子化」 does not count).
    """
    for sentence in _SENTENCES.split(fold(text)):
        if mentions(sentence, _MODEL_CHANGE):
            return True
        if mentions(sentence, _DIGITISATION):
            continue
        if mentions(sentence, _CONVENTIONAL) and _CONTRAST.search(sentence):
            return True
        if _REPLACE.search(sentence):
            return True
    return False


@register("transformation.needs", viewpoint="transformation")
def needs(ctx: Context) -> Assessment:
    """Whose needs, and which: customers, residents, companies … (a survey or hearing counts)."""
    own_text = ctx.app.customer_social_needs
    own = [p for p in ctx.passages if p.field == "customer_social_needs"]
    if is_substantive(own_text) and (mentions(own_text, _NEEDS) or mentions(own_text, _HEARD)):
        return met("transformation.needs", own)
    heard = search(
        ctx.passages,
        _HEARD,
        exclude=("members", "key_persons", "kpis", "other", "secretariat"),
    )
    if heard:
        # a survey or a hearing is the best evidence of a need: quote it first
        heard.sort(key=lambda p: 0 if mentions(p.text, _SURVEYED) else 1)
        return met("transformation.needs", heard)
    if own_text.strip():
        return thin("transformation.needs", finding("needs.vague"), found=own)
    return absent("transformation.needs", finding("needs.missing"))


@register("transformation.model_change", viewpoint="transformation")
def model_change(ctx: Context) -> Assessment:
    """The conventional model changes, wherever the application says so."""
    changed = search(ctx.passages, fields=_MODEL_FIELDS, where=changes_model)
    specific = [p for p in changed if not _only_generic(p.text)]
    if specific:
        return met("transformation.model_change", specific)
    digitised = search(ctx.passages, _DIGITISATION, fields=_MODEL_FIELDS)
    if changed:
        return thin("transformation.model_change", finding("transformation.no_model_change"), found=changed)
    if digitised:
        return thin(
            "transformation.model_change", finding("transformation.only_digitisation"), found=digitised
        )
    if ctx.app.transformation.strip():
        return thin("transformation.model_change", finding("transformation.no_model_change"))
    return absent("transformation.model_change", finding("transformation.missing"))


def _only_generic(sentence: str) -> bool:
    """A sentence whose only model-change word is a general one (「DXによる変革を目指す」)."""
    if mentions(sentence, _SPECIFIC_CHANGE):
        return False
    folded = fold(sentence)
    if _REPLACE.search(folded) and not mentions(folded, _DIGITISATION):
        return False
    return not (mentions(folded, _CONVENTIONAL) and _CONTRAST.search(folded))
