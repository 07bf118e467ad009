"""Reading a KPI: every quantity and year of the sentence, each with its role.

Owns ``parse_kpi`` (structured fields win, empty ones are filled from ``kpi.text``) and
``parse_kpi_text``. A KPI sentence holds quantities (a number with its unit) and years; each gets a
role from the markers around it (``kpi_markers.yaml``):

- target: the quantity the KPI aims at (「…を20社にする」), its year the deadline (「令和10年度までに」);
- baseline: the starting point (「（基準値 3社）」「現状 3.6万人」「0.6億円→1.5億円」「5社から」) and its
  own year (「（基準値 2社・令和6年度末）」「R7年度末 120人 → R10年度末 500人」);
- a change relative to the baseline (「三割増」 → ``+30%``, 「20%向上」, 「半減」);
- part of the indicator (「1人当たり」「70歳以上の」「第2期」「4品目の」「6〜10月」).

Money keeps its scale in the unit as plans write it (「1.5億円」 → 1.5 億円, 「三億六千万円」 → 3.6 億円,
「3000万円」 → 3000 万円); elsewhere the scale is multiplied out (「3.6万人」 → 36000 人). Rates and
counters are units (円/kg, 回/月, 万円/人, 者, 隻, ha, 指数). The indicator is the text before the
first quantity of the main clause, without the deadline, verb tails and qualifiers (「年間」「累計」,
reported as ``qualifier``). Nothing here raises: text that cannot be read gives empty fields.
"""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass, replace

from pydantic import Field

from criteria.application import Kpi
from criteria.data import DataModel, load
from criteria.normalize import YearRef, find_years, fold, normalize, number_spans, parse_number
from criteria.report import ParsedKpi
from criteria.vocab import units

logger = logging.getLogger(__name__)


class KpiMarkers(DataModel):
    """``kpi_markers.yaml``: the words that give a KPI's numbers and years their roles."""

    baseline_before: tuple[str, ...]
    baseline_after: tuple[str, ...]
    target_after: tuple[str, ...]
    increase: tuple[str, ...]
    decrease: tuple[str, ...]
    relative_words: dict[str, str]
    relative_units: tuple[str, ...]
    decreasing_indicator: tuple[str, ...]
    qualifiers: tuple[str, ...]
    indicator_number_after: tuple[str, ...]
    indicator_number_before: tuple[str, ...]
    prefix_units: tuple[str, ...]
    rate_denominators: tuple[str, ...]
    indicator_tail: tuple[str, ...]
    indicator_head: tuple[str, ...]
    indicator_verbs: tuple[str, ...] = Field(default=())
    prefix_qualifiers: tuple[str, ...] = Field(default=())


MARKERS = load("kpi_markers.yaml", KpiMarkers)

_MAX_TEXT = 2000
_YEAR_MASK = "\ue000"  # a year's characters, so its digits are never read as a quantity
_PAREN_OPEN = "([【〔［"
_PAREN_CLOSE = ")]】〕］"
_ARROWS = re.compile(r"->|=>|⇒|➡|⇨|➔|→")


def _alternation(words: tuple[str, ...] | list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


_UNIT = re.compile(_alternation(list(units())), re.IGNORECASE)
_RATE = re.compile(r"\s*/\s*(" + _alternation(MARKERS.rate_denominators) + r")(?![a-zA-Z])", re.IGNORECASE)
_PREFIX_UNIT = re.compile(r"(" + _alternation(MARKERS.prefix_units) + r")\s*$")
_BASELINE_BEFORE = re.compile(
    r"(?:" + _alternation(MARKERS.baseline_before) + r")[^0-9" + _YEAR_MASK + r"、。]{0,6}$"
)
_BASELINE_AFTER = re.compile(
    r"\s*(?:末|度末|時点|現在)?\s*(?:の)?\s*(?:" + _alternation(MARKERS.baseline_after) + r")"
)
_BASELINE_MARK = re.compile(_alternation(MARKERS.baseline_before))
_TAIL_VERB = re.compile(r"を[^をがは|]{1,10}(?:する|させる|します|させます)$")
_TARGET_AFTER = re.compile(r"\s*(?:" + _alternation(MARKERS.target_after) + r")")
_INCREASE = re.compile(r"\s*(?:の)?\s*(?:" + _alternation(MARKERS.increase) + r")", re.IGNORECASE)
_DECREASE = re.compile(r"\s*(?:の)?\s*(?:" + _alternation(MARKERS.decrease) + r")", re.IGNORECASE)
_INDICATOR_AFTER = re.compile(r"(?:" + _alternation(MARKERS.indicator_number_after) + r")")
_INDICATOR_BEFORE = re.compile(r"(?:" + _alternation(MARKERS.indicator_number_before) + r")\s*$")
_RANGE_AFTER = re.compile(r"\s*[~〜～\-ー]\s*[0-9]")
_RANGE_BEFORE = re.compile(r"[0-9][^0-9]{0,3}[~〜～\-ー]\s*$")
_OF_AFTER = re.compile(r"の")
_UNTIL = re.compile(r"\s*(?:末|度末|中|頃|ごろ|時点)?\s*(?:まで|迄)")
_TARGET_YEAR_AFTER = re.compile(r"\s*(?:末|度末)?\s*(?:の)?\s*(?:目標|達成)")
_TARGET_YEAR_BEFORE = re.compile(r"(?:目標|目標年度|目標年|期限|達成)\s*[:：]?\s*$")
_AFTER_YEAR = re.compile(
    r"\s*(?:末|度末|中|頃|ごろ|時点)?\s*(?:までに|まで|迄に|迄|にかけて|から|より|比で|比|には|に|で|の)?"
)
_KIND_NOTE = re.compile(r"[(\[【]?\s*(?:アウトカム|アウトプット)(?:指標)?\s*[)\]】:：]?")
_BARE_END = re.compile(r"\s*(?:$|[、,。.)）]|に|を|へ|まで|以上|以下|程度)")
_DIGITS_ONLY_UNITS = frozenset({"分", "t", "a", "品", "個", "基", "本", "点"})  # 十分, 一本化, 一点 …
_SCALED_MONEY = {"億": 10**8, "万": 10**4}
_QUALIFIER = re.compile(_alternation(MARKERS.qualifiers))
_PREFIX_QUALIFIER = re.compile(_alternation(MARKERS.prefix_qualifiers)) if MARKERS.prefix_qualifiers else None
_TRIM_CHARS = " \t\u3000、,:：|・-=~/"


@dataclass(frozen=True, kw_only=True)
class Quantity:
    """A number with its unit in the (normalised) KPI text, and the role it plays."""

    value: int | float
    unit: str
    start: int
    end: int
    role: str = "candidate"  # candidate | target | baseline | change | indicator
    change: str = ""


@dataclass(frozen=True, kw_only=True)
class _Aside:
    """A parenthesised part of the sentence: a baseline, a qualifier, or a note."""

    start: int
    end: int
    text: str


def deadline(ref: YearRef) -> tuple[int, bool | None]:
    """The target year of a KPI deadline, as ``(year, fiscal)``.

    A year with a month is read as the period that deadline closes: January to March of year Y
    belong to fiscal year Y-1 (April to March), so 「2028年3月末まで」 is the end of 2027年度 →
    ``(2027, True)``; April to December stay calendar years (「2028年9月まで」 → ``(2028, False)``).
    A fiscal year (年度, FY) or a year alone is kept as written.
    """
    if ref.month is not None and ref.fiscal is not True:
        if ref.month <= 3:
            return ref.year - 1, True
        return ref.year, False
    return ref.year, ref.fiscal


def _prepare(text: str) -> str:
    """Normalised text with every arrow written as →."""
    return _ARROWS.sub(lambda m: "→" + " " * (len(m.group()) - 1), normalize(text)[:_MAX_TEXT])


def _mask_years(text: str, years: list[YearRef]) -> str:
    out = list(text)
    for ref in years:
        for i in range(ref.start, ref.end):
            out[i] = _YEAR_MASK
    return "".join(out)


def _asides(text: str) -> list[_Aside]:
    """Parenthesised parts (not nested): 「（基準値 3社）」「(累計)」."""
    found: list[_Aside] = []
    depth_start: int | None = None
    for i, ch in enumerate(text):
        if ch in _PAREN_OPEN and depth_start is None:
            depth_start = i
        elif ch in _PAREN_CLOSE and depth_start is not None:
            found.append(_Aside(start=depth_start, end=i + 1, text=text[depth_start + 1 : i]))
            depth_start = None
    return found


def _money(token: str, value: int | float) -> tuple[int | float, str] | None:
    """A money amount keeps the largest scale it was written with: 三億六千万 → (3.6, 億)."""
    for char, scale in _SCALED_MONEY.items():
        if char in token[1:] or (char in token and not token[0].isdigit() and token[0] != char):
            scaled = value / scale
            return (int(scaled) if float(scaled).is_integer() else round(scaled, 6)), char
    if token.endswith("千") and len(token) > 1:
        scaled = value / 1000
        return (int(scaled) if float(scaled).is_integer() else scaled), "千"
    return None


def _quantities(text: str) -> list[Quantity]:
    """Every number followed by a unit (or preceded by one, 「指数120」), with its raw role."""
    found: list[Quantity] = []
    for match in number_spans(text):
        token = match.group()
        value = parse_number(token)
        if value is None:
            continue
        start, end = match.start(), match.end()
        unit_match = _UNIT.match(text, end)
        prefix = _PREFIX_UNIT.search(text, max(0, start - 6), start)
        if unit_match is not None and (unit_match.group() not in _DIGITS_ONLY_UNITS or token[0].isdigit()):
            unit = unit_match.group()
            end = unit_match.end()
            if unit.startswith("円"):
                scaled = _money(token, value)
                if scaled is not None:
                    value, scale = scaled
                    unit = scale + unit
            rate = _RATE.match(text, end)
            if rate is not None:
                unit += "/" + rate.group(1)
                end = rate.end()
        elif prefix is not None:
            unit = prefix.group(1)
            start = prefix.start()
        elif token[0].isdigit() and _BARE_END.match(text, end):
            unit = ""
        else:
            continue
        found.append(Quantity(value=value, unit=unit, start=start, end=end))
    return found


def _change(text: str, q: Quantity) -> str:
    """``+30%`` when the quantity is a change relative to the baseline (「三割増」「20%向上」)."""
    if q.unit not in MARKERS.relative_units:
        return ""
    sign = "+" if _INCREASE.match(text, q.end) else "-" if _DECREASE.match(text, q.end) else ""
    if not sign:
        return ""
    percent = q.value * 10 if q.unit == "割" else q.value
    number = int(percent) if float(percent).is_integer() else percent
    suffix = "pt" if q.unit in ("ポイント", "pt") else "%"
    return f"{sign}{number}{suffix}"


def _in_aside(position: int, asides: list[_Aside]) -> _Aside | None:
    return next((a for a in asides if a.start < position < a.end), None)


def _is_baseline_aside(aside: _Aside, quantities: list[Quantity]) -> bool:
    """An aside holding a quantity is a baseline unless it is marked as the target."""
    inner = [q for q in quantities if aside.start < q.start < aside.end]
    if not inner:
        return False
    return not re.search(r"目標", aside.text) or bool(_BASELINE_BEFORE.search(aside.text))


def _roles(text: str, quantities: list[Quantity], asides: list[_Aside]) -> list[Quantity]:
    """Give each quantity its role: change, indicator, baseline or (still) candidate."""
    out: list[Quantity] = []
    for i, q in enumerate(quantities):
        before = text[max(0, q.start - 12) : q.start]
        later = quantities[i + 1 :]
        change = _change(text, q)
        aside = _in_aside(q.start, asides)
        if change:
            out.append(replace(q, role="change", change=change))
        elif (
            _INDICATOR_AFTER.match(text, q.end)
            or _INDICATOR_BEFORE.search(before)
            or _RANGE_AFTER.match(text, q.end)
            or _RANGE_BEFORE.search(before)
            or (later and _OF_AFTER.match(text, q.end) and aside is None)
        ):
            out.append(replace(q, role="indicator"))
        elif (aside is not None and _is_baseline_aside(aside, quantities)) or (
            _BASELINE_BEFORE.search(text[max(0, q.start - 14) : q.start])
            or _BASELINE_AFTER.match(text, q.end)
        ):
            out.append(replace(q, role="baseline"))
        else:
            out.append(q)
    candidates = [q for q in out if q.role == "candidate"]
    if candidates:
        marked = [q for q in candidates if _TARGET_AFTER.match(text, q.end)]
        target = (marked or candidates)[-1]
        out = [replace(q, role="target") if q is target else q for q in out]
    return out


def _year_of(text: str, q: Quantity, years: list[YearRef]) -> YearRef | None:
    """The year written right before a quantity (「R10年度末 500人」), if any."""
    for ref in years:
        if q.start < ref.end:
            continue
        gap = text[ref.end : q.start]
        if len(gap) <= 6 and re.fullmatch(r"\s*(?:末|度末|時点|現在)?\s*(?:の|で|に|は)?\s*[:：]?\s*", gap):
            return ref
    return None


def _year_roles(
    text: str, years: list[YearRef], quantities: list[Quantity], asides: list[_Aside]
) -> tuple[YearRef | None, YearRef | None]:
    """(the deadline, the baseline's year)."""
    baseline_years: list[YearRef] = []
    target_years: list[YearRef] = []
    for ref in years:
        aside = _in_aside(ref.start, asides)
        before = text[max(0, ref.start - 14) : ref.start]
        bound = next((q for q in quantities if _year_of(text, q, [ref]) is not None), None)
        if (
            _UNTIL.match(text, ref.end)
            or _TARGET_YEAR_AFTER.match(text, ref.end)
            or _TARGET_YEAR_BEFORE.search(before)
            or (bound is not None and bound.role == "target")
        ):
            target_years.append(ref)
        elif (
            (bound is not None and bound.role == "baseline")
            or (aside is not None and _is_baseline_aside(aside, quantities))
            or (aside is not None and _BASELINE_MARK.search(aside.text))
            or _BASELINE_AFTER.match(text, ref.end)
            or _BASELINE_BEFORE.search(before)
        ):
            baseline_years.append(ref)
        else:
            target_years.append(ref)
    deadline_ref = target_years[-1] if target_years else None
    baseline_ref = baseline_years[0] if baseline_years else None
    return deadline_ref, baseline_ref


def _without(text: str, spans: list[tuple[int, int]]) -> str:
    out = list(text)
    for start, end in spans:
        for i in range(start, min(end, len(out))):
            out[i] = "|"
    return "".join(out)


def _trim(text: str) -> str:
    previous = None
    while previous != text:
        previous = text
        text = text.strip(_TRIM_CHARS).strip("|").strip(_TRIM_CHARS)
        for word in MARKERS.indicator_tail:
            if text.endswith(word) and len(text) > len(word):
                text = text[: -len(word)]
        for word in MARKERS.indicator_head:
            if text.startswith(word) and len(text) > len(word):
                text = text[len(word) :]
    return text


def _clean_indicator(text: str) -> tuple[str, str]:
    """The indicator without qualifiers and verb tails, and the qualifier found (「年間」)."""
    qualifier = ""
    text = " ".join(text.replace("|", " ").split())
    text = _trim(text)
    for verb in sorted(MARKERS.indicator_verbs, key=len, reverse=True):
        if text.endswith(verb) and len(text) > len(verb):
            text = _trim(text[: -len(verb)])
            break
    else:
        tail = _TAIL_VERB.search(text)
        if tail is not None and tail.start() > 0:
            text = _trim(text[: tail.start()])
    while True:
        match = None
        for m in _QUALIFIER.finditer(text):
            if m.end() == len(text) and (m.start() == 0 or text[m.start() - 1] in "をがはの"):
                match = m
        if match is None:
            break
        qualifier = qualifier or match.group()
        text = _trim(text[: match.start()])
    prefix = _PREFIX_QUALIFIER.search(text) if _PREFIX_QUALIFIER is not None else None
    if prefix is not None and len(text) > len(prefix.group()):
        qualifier = qualifier or prefix.group()
        text = _trim(text[: prefix.start()] + text[prefix.end() :])
    return text, qualifier


def _indicator(text: str, quantities: list[Quantity], asides: list[_Aside], years: list[YearRef]) -> str:
    """The text before the first quantity of the main clause (after the deadline is removed)."""
    spans: list[tuple[int, int]] = []
    for ref in years:
        after = _AFTER_YEAR.match(text, ref.end)
        spans.append((ref.start, after.end() if after else ref.end))
    for aside in asides:
        spans.append((aside.start, aside.end))
    masked = _without(text, spans)
    main = [
        q
        for q in quantities
        if q.role in ("target", "baseline", "change") and _in_aside(q.start, asides) is None
    ]
    if main:
        first = min(main, key=lambda q: q.start)
        head = masked[: first.start]
        if head.replace("|", "").strip(_TRIM_CHARS):
            return head
        last = max(main, key=lambda q: q.end)
        return masked[last.end :]
    return masked


def _kind(text: str) -> str | None:
    folded = fold(text)
    outcome, output = "アウトカム" in folded, "アウトプット" in folded
    if outcome == output:
        return None
    return "outcome" if outcome else "output"


def _qualifier_in_asides(asides: list[_Aside]) -> str:
    for aside in asides:
        inner = aside.text.strip()
        if inner and _QUALIFIER.fullmatch(inner):
            return inner
    return ""


def _qualifier_before(text: str, target: Quantity | None) -> str:
    """A qualifier written right before the target (「三割増の年間26,000トン」)."""
    if target is None:
        return ""
    match = None
    for m in _QUALIFIER.finditer(text, max(0, target.start - 6), target.start):
        match = m
    if match is not None and not text[match.end() : target.start].strip(" の"):
        return match.group()
    return ""


def _relative_word(text: str) -> str:
    for word, change in MARKERS.relative_words.items():
        if word in text:
            return change
    return ""


def _parse(text: str) -> ParsedKpi:
    prepared = _prepare(text)
    years = find_years(prepared)
    body = _KIND_NOTE.sub(lambda m: " " * len(m.group()), _mask_years(prepared, years))
    asides = _asides(body)
    quantities = _roles(body, _quantities(body), asides)
    deadline_ref, baseline_ref = _year_roles(body, years, quantities, asides)
    target = next((q for q in quantities if q.role == "target"), None)
    baselines = [q for q in quantities if q.role == "baseline"]
    baseline = (
        baselines[-1] if baselines and target is not None and baselines[-1].start < target.start else None
    )
    baseline = baseline or (baselines[0] if baselines else None)
    change = next((q.change for q in quantities if q.role == "change"), "") or _relative_word(body)
    year, fiscal = deadline(deadline_ref) if deadline_ref is not None else (None, None)
    if quantities or years or change:
        raw_indicator = _indicator(body, quantities, asides, years)
    else:
        # no number, no year: still an indicator when the sentence says what should change
        # (「りんごの10a当たり収量を向上させる」), never for a bare word (「未定」)
        raw_indicator = body if _TAIL_VERB.search(body.strip()) else ""
    indicator, qualifier = _clean_indicator(raw_indicator)
    if change and not quantities:
        for word in MARKERS.relative_words:
            indicator = indicator.replace(word, "")
        indicator = _trim(indicator)
    return ParsedKpi(
        text=text,
        kind=_kind(text),
        indicator=indicator,
        target_value=target.value if target is not None else None,
        unit=target.unit if target is not None else "",
        target_year=year,
        fiscal_year=fiscal,
        baseline_value=baseline.value if baseline is not None else None,
        baseline_unit=(baseline.unit or (target.unit if target is not None else ""))
        if baseline is not None
        else "",
        baseline_year=deadline(baseline_ref)[0] if baseline_ref is not None else None,
        qualifier=qualifier or _qualifier_in_asides(asides) or _qualifier_before(body, target),
        relative_change=change,
    )


@functools.lru_cache(maxsize=4096)
def parse_kpi_text(text: str) -> ParsedKpi:
    """Read one KPI sentence; fields that cannot be read stay empty (never raises).

    Remembered per text: every answer re-checks the whole draft, and its KPI sentences rarely
    change (``ParsedKpi`` is frozen, so sharing it is safe)."""
    if not text.strip():
        return ParsedKpi(text=text)
    try:
        return _parse(text)
    except Exception:  # the parser must never break a check or a dialog turn
        logger.exception("could not parse KPI text %r", text[:200])
        return ParsedKpi(text=text)


@functools.lru_cache(maxsize=1024)
def parse_baseline(text: str) -> tuple[int | float | None, str, int | None]:
    """A structured baseline answer (「令和5年度 42億円」) as (value, unit, year)."""
    if not text.strip():
        return None, "", None
    try:
        prepared = _prepare(text)
        years = find_years(prepared)
        quantities = _quantities(_mask_years(prepared, years))
        first = quantities[0] if quantities else None
        return (
            first.value if first else None,
            first.unit if first else "",
            deadline(years[0])[0] if years else None,
        )
    except Exception:  # never break a check
        logger.exception("could not parse KPI baseline %r", text[:200])
        return None, "", None


def is_decreasing(parsed: ParsedKpi) -> bool:
    """Whether the indicator is meant to go down (「待ち時間を短縮」「CO2排出量」)."""
    text = fold(parsed.text + parsed.indicator)
    return any(fold(word) in text for word in MARKERS.decreasing_indicator)


def parse_kpi(kpi: Kpi) -> ParsedKpi:
    """The KPI as the checks understand it: structured fields win, empty ones come from ``kpi.text``.

    ``fiscal_year`` follows ``target_year``: when the year is given as a field without the flag,
    the flag parsed from the text is used only if the text names the same year. A structured
    ``baseline`` answer (「令和5年度 42億円」) fills the baseline fields.
    """
    parsed = parse_kpi_text(kpi.text)
    year: int | None
    fiscal: bool | None
    if kpi.target_year is not None:
        year = kpi.target_year
        if kpi.fiscal_year is not None:
            fiscal = kpi.fiscal_year
        else:
            fiscal = parsed.fiscal_year if parsed.target_year == year else None
    else:
        year = parsed.target_year
        fiscal = parsed.fiscal_year if kpi.fiscal_year is None else kpi.fiscal_year
    b_value, b_unit, b_year = parse_baseline(kpi.baseline)
    has_baseline = b_value is not None
    unit = kpi.unit.strip() or parsed.unit
    return ParsedKpi(
        text=kpi.text,
        kind=kpi.kind.value if kpi.kind is not None else parsed.kind,
        indicator=kpi.indicator.strip() or parsed.indicator,
        target_value=kpi.target_value if kpi.target_value is not None else parsed.target_value,
        unit=unit,
        target_year=year,
        fiscal_year=fiscal,
        baseline_value=b_value if has_baseline else parsed.baseline_value,
        baseline_unit=(b_unit or unit) if has_baseline else parsed.baseline_unit,
        baseline_year=(b_year if has_baseline else parsed.baseline_year),
        qualifier=parsed.qualifier,
        relative_change=parsed.relative_change,
    )
