"""Reading the registry CSV: encodings, English or Japanese headers, every bad row with its line.

Owns ``read_registry_csv(path)`` → ``CsvResult`` (good entries and ``RowError``s, each with the
physical line number a spreadsheet shows). UTF-8 (with or without BOM) is tried first, then
Excel's Shift_JIS (CP932). Validation is complete: every problem of every row is reported, so a
coordinator fixes the file once. Whether to import anything is the caller's choice.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from bot.errors import UserError
from bot.files import read_input_file
from criteria import transition_rules as rules
from criteria.eras import era_by_name, to_western
from criteria.yamlfile import parse_yaml
from renderers.messages import message
from storage.lab_registry import RegistryEntry

_COLUMNS_FILE = Path(__file__).with_name("columns.yaml")
REQUIRED = ("name", "kind")
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_WAREKI = re.compile(
    r"^(令和|平成|昭和|[RHSrhs])\s*(\d{1,2}|元)\s*[年.]\s*(\d{1,2})\s*[月.]\s*(\d{1,2})\s*日?$"
)
_SLACK = re.compile(r"^[UWCGD][A-Z0-9]{2,}$")
_TELEGRAM = re.compile(r"^(-?\d{1,20}|@[A-Za-z][A-Za-z0-9_]{4,31})$")


@dataclass(frozen=True)
class RowError:
    """The problems of one CSV line (1 is the header)."""

    line: int
    problems: tuple[str, ...]

    def text(self) -> str:
        return message("coordinator.csv_row_error", line=self.line, problems="、".join(self.problems))


@dataclass(frozen=True)
class CsvResult:
    entries: tuple[RegistryEntry, ...]
    errors: tuple[RowError, ...] = field(default=())


def _fold(text: str) -> str:
    return re.sub(r"[\s_]+", "", unicodedata.normalize("NFKC", text)).casefold()


@functools.cache
def _header_names() -> dict[str, str]:
    data = parse_yaml(_COLUMNS_FILE.read_text(encoding="utf-8"))
    return {_fold(alias): column for column, aliases in data.items() for alias in aliases}


def decode(raw: bytes, path: Path) -> str:
    """UTF-8 (BOM or not), else CP932; ``UserError`` when neither reads."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    for encoding in ("utf-8", "cp932"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UserError(message("coordinator.csv_bad_encoding", path=str(path)))


def parse_date(text: str) -> dt.date | None:
    """A date written as 2023-04-01, 2023/4/1, 2023年4月1日, 令和5年4月1日 or R5.4.1."""
    value = unicodedata.normalize("NFKC", text).strip()
    try:
        if m := _DATE.match(value):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := _WAREKI.match(value):
            era = era_by_name(m[1])
            if era is None:
                return None
            year = to_western(era, 1 if m[2] == "元" else int(m[2]))
            return dt.date(year, int(m[3]), int(m[4]))
    except ValueError:
        return None
    return None


def _date_cell(row: dict[str, str], column: str, problems: list[str]) -> str | None:
    value = row.get(column, "").strip()
    if not value:
        return None
    parsed = parse_date(value)
    if parsed is None:
        problems.append(
            message("coordinator.err_date", column=message(f"coordinator.col_{column}"), value=value)
        )
        return None
    return parsed.isoformat()


def _entry(row: dict[str, str], problems: list[str]) -> RegistryEntry | None:
    name = unicodedata.normalize("NFKC", row.get("name", "")).strip()
    if not name:
        problems.append(message("coordinator.err_name_missing"))
    kind_text = row.get("kind", "").strip()
    kind = rules.parse_kind(kind_text) if kind_text else None
    if not kind_text:
        problems.append(message("coordinator.err_kind_missing"))
    elif kind is None:
        problems.append(message("coordinator.err_kind", value=kind_text))
    status_text = row.get("status", "").strip()
    status = rules.parse_status(status_text) if status_text else rules.DEFAULT_STATUS
    if status is None:
        problems.append(message("coordinator.err_status", value=status_text))
    selected = _date_cell(row, "iot_selected_on", problems)
    own_deadline = _date_cell(row, "transition_deadline", problems)
    slack = unicodedata.normalize("NFKC", row.get("contact_slack", "")).strip()
    if slack and not _SLACK.match(slack):
        problems.append(message("coordinator.err_slack", value=slack))
    telegram = unicodedata.normalize("NFKC", row.get("contact_telegram", "")).strip()
    if telegram and not _TELEGRAM.match(telegram):
        problems.append(message("coordinator.err_telegram", value=telegram))
    if problems or kind is None or status is None:
        return None
    return RegistryEntry(
        name=name,
        prefecture=row.get("prefecture", "").strip(),
        municipality=row.get("municipality", "").strip(),
        kind=kind,
        status=status,
        iot_selected_on=selected,
        transition_deadline=own_deadline,
        contacts=tuple(
            (channel, target) for channel, target in (("slack", slack), ("telegram", telegram)) if target
        ),
    )


def parse_registry_csv(text: str, path: Path) -> CsvResult:
    """Validate every row of the CSV ``text`` (``path`` only names the file in messages)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise UserError(message("coordinator.csv_no_header", path=str(path))) from None
    names = _header_names()
    columns = [names.get(_fold(h)) for h in header]
    unknown = [h for h, c in zip(header, columns, strict=True) if c is None and h.strip()]
    if unknown:
        raise UserError(
            message("coordinator.csv_unknown_columns", path=str(path), columns="、".join(unknown))
        )
    for required in REQUIRED:
        if required not in columns:
            raise UserError(
                message(
                    "coordinator.csv_missing_column",
                    path=str(path),
                    column=required,
                    headers="、".join(header),
                )
            )
    entries: list[RegistryEntry] = []
    errors: list[RowError] = []
    first_line: dict[str, int] = {}
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(RowError(line, (str(exc),)))
            continue
        if not any(c.strip() for c in cells):
            continue
        problems: list[str] = []
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            problems.append(message("coordinator.err_columns", count=len(cells)))
        row = {c: v for c, v in zip(columns, cells, strict=False) if c is not None}
        entry = _entry(row, problems)
        if entry is not None:
            if entry.name in first_line:
                problems.append(
                    message("coordinator.err_duplicate", name=entry.name, first=first_line[entry.name])
                )
            else:
                first_line[entry.name] = line
                entries.append(entry)
        if problems:
            errors.append(RowError(line, tuple(problems)))
    return CsvResult(tuple(entries), tuple(errors))


def read_registry_csv(path: Path) -> CsvResult:
    """Read and validate the CSV file at ``path``."""
    raw = read_input_file(
        path, not_found="coordinator.csv_not_found", unreadable="coordinator.csv_unreadable"
    )
    return parse_registry_csv(decode(raw, path), path)
