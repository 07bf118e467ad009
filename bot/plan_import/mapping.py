"""Places the blocks of a plan on Application fields; keeps what it cannot place.

Owns the walk through the document: each title (see ``titles``) names a target through the
vocabulary; body lines go to the current target (a text answer, a record list, a transition
note); tables are read by ``tables``; initiatives are titled items inside 取組内容, typed by the
group title above them (① / ②). Text under a title the vocabulary does not know is never
dropped: it stays with the answer above it when it is a sub-title of that answer, else it becomes
a 「取り込めなかった記述」 block.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from bot.appfile import answers_of
from bot.plan_import.blocks import Block, Paragraph, Table
from bot.plan_import.errors import PlanError
from bot.plan_import.result import PlanImport, Unplaced
from bot.plan_import.tables import guess_category, read_table, without_derivable
from bot.plan_import.titles import LABEL_LEVEL, Title, is_placeholder, title_of
from bot.plan_import.transition import apply_transition
from bot.plan_import.vocabulary import Vocabulary, key, vocabulary
from criteria.application import Application
from criteria.kpi import parse_kpi_text

RECORD_FIELDS = ("kpis", "members", "key_persons")
_CHECKBOX = re.compile(r"^\s*([■□☑☐☒✓✔◼◻●○])\s*(.*)$")
_CHECKED = set("■☑☒✓✔◼●")
_BULLET = re.compile(r"^\s*(?:[・●○■□◆◇※\-\*＊•]|[①-⑳]|[(（][0-9０-９]+[)）]|[0-9０-９]+[.．、)）])\s*")
_YES = ("あり", "有", "はい", "移行する", "該当")
_NO = ("なし", "無", "いいえ", "新規")
_DX_LAB = re.compile(r"([^\s「『（(]{1,40}DX推進ラボ)")
_GENERIC = ("地域DX推進ラボ", "DX推進ラボ", "地方版IoT推進ラボ", "IoT推進ラボ")
"""Programme names, not a lab's name (a cover titled 「地域DX推進ラボ 実施計画書」 names no lab)."""
_IOT_NAME = re.compile(r"移行元[:：]\s*([^）)]+)")


@dataclass
class _Block:
    heading: str
    lines: list[str] = field(default_factory=list)


@dataclass
class _Initiative:
    title: str
    type: str | None
    lines: list[str] = field(default_factory=list)


class _Mapper:
    """One walk through one document."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self.text: dict[str, list[str]] = {}
        self.records: dict[str, list[dict[str, Any]]] = {name: [] for name in RECORD_FIELDS}
        self.scalars: dict[str, Any] = {}
        self.types: list[str] = []
        self.initiatives: list[_Initiative] = []
        self.sources: dict[str, str] = {}
        self.notes: dict[str, list[str]] = {}
        self.unplaced: list[_Block] = []
        self.cover: list[str] = []
        self.target: str | None = None
        self.level = 0
        self.heading = ""
        self.skip_level: int | None = None
        self.initiatives_level: int | None = None
        self.group: str | None = None
        self.seen_title = False

    # --- titles ----------------------------------------------------------------------------

    def group_type(self, title: Title) -> str | None:
        folded = key(title.line)
        for slug, words in self.vocab.initiative_groups.items():
            for word in words:
                if word in ("①", "②"):
                    if title.line.strip().startswith(word):
                        return slug
                elif key(word) in folded:
                    return slug
        return None

    def in_initiatives(self, level: int) -> bool:
        return self.initiatives_level is not None and level > self.initiatives_level

    def new_initiative(self, title: str) -> None:
        self.initiatives.append(_Initiative(title=title, type=self.group))
        self.target = "initiatives"
        self.sources.setdefault("initiatives", self.heading or title)

    def is_cover(self, title: Title) -> bool:
        """The document's own title (「○○ラボ 実施計画書」) before any section: not a section."""
        folded = key(title.text)
        return not self.seen_title and any(key(w) in folded for w in self.vocab.title_words)

    def on_title(self, title: Title) -> None:
        if self.is_cover(title):
            self.cover.append(title.line.strip())
            return
        self.seen_title = True
        target = self.vocab.target_of(title.text)
        if self.skip_level is not None:
            if title.level > self.skip_level or target == "skip":
                return
            self.skip_level = None
        leaving = self.initiatives_level is not None and title.level <= self.initiatives_level
        if leaving and target != "initiatives":
            self.initiatives_level = None
            self.group = None
        if target == "skip":
            self.skip_level = title.level
            return
        if self.in_initiatives(title.level):
            group = self.group_type(title) if not title.initiative else None
            if group is not None and title.level < LABEL_LEVEL:
                self.group = group
                self.target, self.level = "initiatives", title.level
                return
            if target == "initiatives" and self.vocab.is_word(title.text, "initiatives"):
                self.target, self.level = "initiatives", title.level  # 【具体的な取組】: a label only
                return
            if title.initiative or target in (None, "initiatives"):
                self.new_initiative(title.text)
                return
        elif title.initiative:
            if self.initiatives_level is None:
                self.initiatives_level = max(title.level - 1, 0)
            self.new_initiative(title.text)
            return
        if target is None:
            self.unknown_title(title)
            return
        if target == "initiatives":
            self.initiatives_level = title.level
            self.group = None
        self.target, self.level, self.heading = target, title.level, title.line.strip()
        if not target.startswith("section."):
            self.sources.setdefault(target, title.line.strip())

    def unknown_title(self, title: Title) -> None:
        field_target = self.target is not None and not self.target.startswith(("section.", "unplaced"))
        if field_target and title.level > self.level:
            if self.target in RECORD_FIELDS:
                return  # 「（1）成果指標」 inside the KPIs: the lines below are still KPIs
            self.add_text(title.line.strip())
            return
        self.unplaced.append(_Block(heading=title.line.strip()))
        self.target, self.level, self.heading = "unplaced", title.level, title.line.strip()

    # --- body ------------------------------------------------------------------------------

    def add_text(self, line: str) -> None:
        target = self.target
        if target is None or target.startswith("section.") or target == "unplaced":
            if target != "unplaced" or not self.unplaced:
                self.unplaced.append(_Block(heading=self.heading if target else ""))
                self.target = "unplaced"
            self.unplaced[-1].lines.append(line)
        elif target.startswith("transition."):
            self.notes.setdefault(target.partition(".")[2], []).append(line)
        elif target == "initiatives":
            if not self.initiatives:
                self.new_initiative("")
            self.initiatives[-1].lines.append(line)
        elif target == "initiative_types":
            self.checkbox_or_types(line, checked=True)
        elif target == "kpis":
            self.kpi_line(line)
        elif target == "members":
            self.member_line(line)
        elif target == "key_persons" or target in ("joint_regions", "transition_from_iot_lab"):
            self.unplaced_line(line)
        else:
            self.text.setdefault(target, []).append(line)

    def unplaced_line(self, line: str) -> None:
        if not self.unplaced or self.unplaced[-1].heading != self.heading:
            self.unplaced.append(_Block(heading=self.heading))
        self.unplaced[-1].lines.append(line)

    def checkbox_or_types(self, text: str, *, checked: bool) -> None:
        folded = key(text)
        for slug, words in self.vocab.initiative_groups.items():
            if any(key(w) in folded for w in words if w not in ("①", "②")) or text.strip().startswith(
                tuple(w for w in words if w in ("①", "②"))
            ):
                if checked and slug not in self.types:
                    self.types.append(slug)
                return
        if checked:
            self.unplaced_line(text)

    def kpi_line(self, line: str) -> None:
        note = self.vocab.kpi_sentence(line)
        if note is not None and 1 <= note[0] <= len(self.records["kpis"]):
            self.records["kpis"][note[0] - 1]["text"] = note[1]  # 「※ No.2 の記載：…」 under dxlab's table
            return
        text = _BULLET.sub("", line).strip()
        parsed = parse_kpi_text(text)
        if text and (parsed.target_value is not None or parsed.target_year is not None):
            self.records["kpis"].append({"text": text})
        else:
            self.unplaced_line(line)

    def member_line(self, line: str) -> None:
        text = _BULLET.sub("", line).strip()
        name, _, role = re.sub("[:：]", ":", text).partition(":")
        name = name.strip()
        if not name or len(name) > 60:
            self.unplaced_line(line)
            return
        record: dict[str, Any] = {"name": name}
        category = guess_category(name, self.vocab)
        if category is not None:
            record["category"] = category.value
        if role.strip():
            record["role"] = role.strip()
        self.records["members"].append(record)

    def on_paragraph(self, paragraph: Paragraph) -> None:
        if self.skip_level is not None:
            return
        line = paragraph.text.rstrip()
        if not line.strip():
            if self.target is not None and self.target in self.text and self.text[self.target]:
                self.text[self.target].append("")
            return
        if is_placeholder(line) or self.vocab.is_boilerplate(line):
            return
        if not self.seen_title:
            self.cover.append(line.strip())
            folded = key(line)
            is_title = paragraph.style.lower() in ("title", "表題") or any(
                key(w) in folded for w in self.vocab.title_words
            )
            if is_title or paragraph.style.startswith("DX Cover"):
                return
        box = _CHECKBOX.match(line)
        if box and (self.target == "initiative_types" or self.initiatives_level is not None):
            self.checkbox_or_types(box.group(2), checked=box.group(1) in _CHECKED)
            return
        for part in line.split("\n"):
            self.add_text(part)

    def on_table(self, table: Table) -> None:
        if self.skip_level is not None:
            return
        if self.target is not None and self.target.startswith("transition."):
            header = [key(c) for c in table.rows[0]] if table.rows else []
            if "項目" in header and "内容" in header:
                return  # the list of changes dxlab itself writes
        read = read_table(table, self.vocab, self.target)
        if read.kind in RECORD_FIELDS:
            self.records[read.kind].extend(read.records)
            self.sources.setdefault(read.kind, self.heading or read.kind)
            for note in read.notes:
                self.notes.setdefault("categories", []).append(note)
            return
        if read.kind == "form" and self.form(table):
            return
        for row in table.rows:
            cells = [c.strip() for c in row if c.strip() and not is_placeholder(c)]
            if cells:
                self.add_text("｜".join(cells))

    def form(self, table: Table) -> bool:
        """A two-column form (ラボの名称 | …); ``False`` when no label is known."""
        known = [(self.vocab.target_of(label), label, value) for label, value in table.rows]
        if not any(t is not None and t != "skip" and not t.startswith("section.") for t, _, _ in known):
            return False
        for target, label, value in known:
            value = value.strip()
            if target == "skip" or not value or is_placeholder(value):
                continue
            if target in ("kpis", "members"):
                self.heading = label.strip()
                for line in value.split("\n"):
                    if line.strip():
                        (self.kpi_line if target == "kpis" else self.member_line)(line)
            elif target is not None and target.startswith("transition."):
                self.notes.setdefault(target.partition(".")[2], []).append(value)
            elif target is None or target.startswith("section.") or target in RECORD_FIELDS:
                self.unplaced.append(_Block(heading=label.strip(), lines=[value]))
            elif target == "transition_from_iot_lab":
                folded = key(value)
                if folded.startswith(tuple(key(w) for w in _YES)):
                    self.scalars[target] = True
                    found = _IOT_NAME.search(unicodedata.normalize("NFKC", value))
                    if found and found.group(1).strip():
                        self.scalars.setdefault("iot_lab_name", found.group(1).strip())
                elif folded.startswith(tuple(key(w) for w in _NO)):
                    self.scalars[target] = False
            elif target == "joint_regions":
                self.scalars[target] = [r.strip() for r in re.split(r"[、,，/／\n]", value) if r.strip()]
            elif target == "initiative_types":
                self.checkbox_or_types(value, checked=True)
            elif target in ("initiatives",):
                self.unplaced.append(_Block(heading=label.strip(), lines=[value]))
            else:
                self.scalars[target] = value
            if target is not None:
                self.sources.setdefault(target, label.strip())
        return True

    # --- result ----------------------------------------------------------------------------

    def data(self) -> dict[str, Any]:
        data: dict[str, Any] = dict(self.scalars)
        for target, lines in self.text.items():
            text = "\n".join(lines).strip("\n")
            if not text.strip():
                continue
            earlier = data.get(target)
            if isinstance(earlier, str) and earlier.strip() and earlier.strip() != text.strip():
                text = earlier + "\n" + text
            head, _, rest = target.partition(".")
            if rest:
                data.setdefault(head, {})[rest] = text
            else:
                data[target] = text
        if self.types:
            data["initiative_types"] = list(self.types)
        if self.initiatives:
            data["initiatives"] = [
                {
                    k: v
                    for k, v in (
                        ("title", i.title),
                        ("description", "\n".join(i.lines).strip("\n")),
                        ("type", i.type),
                    )
                    if v
                }
                for i in self.initiatives
                if i.title or "".join(i.lines).strip()
            ]
            if not data["initiatives"]:
                del data["initiatives"]
        self.records["kpis"] = [without_derivable(k) for k in self.records["kpis"]]
        for name in RECORD_FIELDS:
            if self.records[name]:
                data[name] = self.records[name]
        return data


def _validated(data: dict[str, Any], unplaced: list[Unplaced]) -> Application:
    """The Application of ``data``; a field that does not validate is kept in ``unplaced``."""
    try:
        return Application.model_validate(data)
    except ValidationError as exc:
        bad = {str(err["loc"][0]) for err in exc.errors() if err["loc"]}
        for name in sorted(bad):
            unplaced.append(Unplaced(heading=name, lines=(repr(data.get(name)),)))
        return Application.model_validate({k: v for k, v in data.items() if k not in bad})


def map_blocks(blocks: tuple[Block, ...], *, name: str) -> PlanImport:
    """Place ``blocks`` on draft answers; ``PlanError`` when no section is recognised."""
    vocab = vocabulary()

    def known(text: str) -> bool:
        target = vocab.target_of(text)
        return target is not None and target != "skip"

    mapper = _Mapper(vocab)
    for block in blocks:
        if isinstance(block, Table):
            mapper.on_table(block)
            continue
        title = title_of(block, known)
        if title is not None:
            mapper.on_title(title)
        else:
            mapper.on_paragraph(block)
    unplaced = [Unplaced(b.heading, tuple(b.lines)) for b in mapper.unplaced if b.lines]
    categories = mapper.notes.pop("categories", [])
    data = mapper.data()
    if not data.get("lab_name"):
        found = (m.group(1) for line in mapper.cover if (m := _DX_LAB.search(line)))
        named = next((name for name in found if name not in _GENERIC), "")
        if named:
            data["lab_name"] = named
            mapper.sources["lab_name"] = named
    app = _validated(data, unplaced)
    answers = answers_of(app)
    notes = {k: "\n".join(v).strip() for k, v in mapper.notes.items() if "".join(v).strip()}
    if not answers and not notes:
        raise PlanError("no_sections", name=name)
    result = PlanImport(
        name=name,
        answers=answers,
        sources={k: v for k, v in mapper.sources.items() if k in answers or k.startswith("transition.")},
        unplaced=tuple(unplaced),
        transition_notes=notes,
        category_notes=tuple(categories),
    )
    return apply_transition(result, cover=tuple(mapper.cover))
