"""Plain-text answers for every channel: FAQ results and the eligibility questionnaire.

Owns the wording of what a person reads (from ``renderers/messages/secretariat.yaml``) around the
pure results of ``criteria.faq`` / ``storage.faq_index`` and ``criteria.eligibility_questionnaire``.
``escape`` is the channel's escaping of user and data text (Telegram HTML, Slack mrkdwn); the
terminal passes none. The JSON shapes printed by ``--json`` are here too.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from criteria import faq
from criteria.eligibility_questionnaire import EligibilityVerdict, Question, questions
from criteria.public_facts import Citation
from renderers.messages import message
from storage.faq_index import FaqHit, FaqIndex

Escape = Callable[[str], str] | None
DEFAULT_LIMIT = 3


@functools.cache
def faq_index() -> FaqIndex:
    """The FAQ index, built once per process."""
    return FaqIndex(faq.entries())


def search(query: str, limit: int = DEFAULT_LIMIT) -> list[faq.FaqEntry]:
    """The best FAQ entries for ``query``."""
    hits: list[FaqHit] = faq_index().search(query, limit=limit)
    return [faq.entry(hit.id) for hit in hits]


def citation_text(citation: Citation, escape: Escape = None) -> str:
    key = "secretariat.faq_source_seed" if citation.kind == "seed" else "secretariat.faq_source_fact"
    return message(key, text=citation.text, escape=escape)


def sources_text(citations: Sequence[Citation], escape: Escape = None) -> str:
    separator = message("secretariat.faq_source_separator")
    return separator.join(citation_text(c, escape) for c in citations)


def faq_text(query: str, found: Sequence[faq.FaqEntry], escape: Escape = None) -> str:
    """The answers (question, answer, sources) or the honest "nothing matches" with whom to ask."""
    shown = query.strip()[:80]
    if not found:
        return "\n".join(
            [
                message("secretariat.faq_no_match", query=shown, escape=escape),
                message("secretariat.faq_more"),
            ]
        )
    blocks = [message("secretariat.faq_title", query=shown, escape=escape)]
    for item in found:
        blocks.append(
            "\n".join(
                [
                    message("secretariat.faq_question", question=item.question, escape=escape),
                    message("secretariat.faq_answer", answer=item.answer, escape=escape),
                    message("secretariat.faq_sources", sources=sources_text(item.citations(), escape)),
                ]
            )
        )
    return "\n\n".join(blocks)


def faq_json(query: str, found: Sequence[faq.FaqEntry]) -> dict[str, Any]:
    """``{"query": …, "answers": [{"id", "question", "answer", "source"}]}``."""
    return {
        "query": query,
        "answers": [
            {
                "id": item.id,
                "question": item.question,
                "answer": item.answer,
                "source": sources_text(item.citations()),
                "sources": [{"ref": c.ref, "text": c.text} for c in item.citations()],
            }
            for item in found
        ],
    }


def question_text(item: Question, escape: Escape = None, *, with_choices: bool = True) -> str:
    """One question with its number, help line and numbered choices."""
    all_questions = questions()
    number = next(n for n, q in enumerate(all_questions, start=1) if q.id == item.id)
    lines = [message("secretariat.el_question", number=number, total=len(all_questions), prompt=item.prompt)]
    if item.help:
        lines.append(message("secretariat.el_help", help=item.help))
    if with_choices:
        lines += [
            "  " + message("secretariat.el_choice", number=n, label=c.label)
            for n, c in enumerate(item.choices, start=1)
        ]
    text = "\n".join(lines)
    return escape(text) if escape else text


def verdict_text(verdict: EligibilityVerdict, escape: Escape = None) -> str:
    """The verdict, each reason with what it rests on, and the reminder that it is a guide."""
    lines = [message("secretariat.el_verdict", label=verdict.label)]
    for reason in verdict.reasons:
        lines.append(message(f"secretariat.el_reason_{reason.status}", text=reason.text))
        lines += [
            "    " + message("secretariat.el_citation", source=citation_text(c)) for c in reason.citations
        ]
    lines.append(message("secretariat.el_footer"))
    text = "\n".join(lines)
    return escape(text) if escape else text


def verdict_json(verdict: EligibilityVerdict) -> dict[str, Any]:
    """The verdict as JSON: status, label, the answers and the reasons with their sources."""
    answers: Mapping[str, Sequence[str]] = verdict.answers
    return {
        "verdict": verdict.status,
        "label": verdict.label,
        "answers": {key: list(values) for key, values in answers.items()},
        "reasons": [
            {
                "rule": r.rule,
                "status": r.status,
                "text": r.text,
                "sources": [{"ref": c.ref, "text": c.text} for c in r.citations],
            }
            for r in verdict.reasons
        ],
    }
