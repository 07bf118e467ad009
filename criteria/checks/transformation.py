"""変革: based on customer/social needs, the conventional model of regional industry/companies changes.

Seed: 「顧客や社会のニーズを基に、地域産業・企業の従来モデルの変革を目指す取組であること」, and the
committee's 「IoTは個別の技術を使って生産性向上する技術志向であると思うが、DXは意識改革の話」: mere
digitisation or tool introduction is weak.
"""

from __future__ import annotations

import re

from criteria.checks.context import Context, text_of
from criteria.checks.registry import register
from criteria.findings import finding
from criteria.normalize import fold, mentions
from criteria.report import Finding
from criteria.vocab import words

_NEEDS = words("needs")
_MODEL_CHANGE = words("model_change")
_CONVENTIONAL = words("conventional")
_DIGITISATION = words("digitisation")
_SENTENCES = re.compile(r"[。!?\n]")
_CONTRAST = re.compile(r"から.{1,60}?(?:へ|に(?:転|変|移|切))")


@register("transformation.needs", viewpoint="transformation")
def needs(ctx: Context) -> list[Finding]:
    """Whose needs, and which: customers, residents, companies …"""
    text = ctx.app.customer_social_needs
    if not text.strip():
        return [finding("needs.missing")]
    if not mentions(text, _NEEDS):
        return [finding("needs.vague")]
    return []


def changes_model(text: str) -> bool:
    """Whether ``text`` describes a change of model, not only digitisation.

    A model-change word counts (ビジネスモデル, 新サービス, 転換 …); so does a sentence naming the
    conventional way and contrasting it with a new one (「従来の日帰り観光から滞在型観光へ」) as
    long as that sentence names no mere digitisation (「従来の紙の台帳を電子化」 does not count).
    """
    if mentions(text, _MODEL_CHANGE):
        return True
    return any(
        mentions(sentence, _CONVENTIONAL)
        and _CONTRAST.search(sentence)
        and not mentions(sentence, _DIGITISATION)
        for sentence in _SENTENCES.split(fold(text))
    )


@register("transformation.model", viewpoint="transformation")
def model(ctx: Context) -> list[Finding]:
    """The conventional model changes (the transformation answer, read with the initiatives)."""
    own = ctx.app.transformation
    text = text_of(own, ctx.initiatives_text)
    found: list[Finding] = []
    if not own.strip():
        found.append(finding("transformation.missing"))
    if changes_model(text):
        return found
    if mentions(text, _DIGITISATION):
        found.append(finding("transformation.only_digitisation"))
    elif own.strip():
        found.append(finding("transformation.no_model_change"))
    return found
