"""Reading responses gathered elsewhere from CSV: every bad row reported by line number."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field

from surveys.text import clean_text

MAX_TEXT = 20000


@dataclass
class ImportRow:
    """One good row: the answer text, its district (name) and the source's own id."""

    line: int
    text: str
    district: str | None
    external_id: str | None


@dataclass
class ImportResult:
    """The rows that can be imported, and why the others cannot."""

    rows: list[ImportRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the file is clean and has at least one row."""
        return not self.errors and bool(self.rows)


def _decode(data: bytes, result: ImportResult) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        for number, raw in enumerate(data.split(b"\n"), start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                result.errors.append(
                    f"line {number}: not UTF-8 text (save the file as “CSV UTF-8” and try again)"
                )
        return None


def _column(headers: list[str], wanted: str | None) -> str | None:
    if not wanted:
        return None
    for header in headers:
        if header.strip().lower() == wanted.strip().lower():
            return header
    return None


def read_rows(
    data: bytes,
    text_column: str,
    district_column: str | None = None,
    id_column: str | None = None,
    find_district: Callable[[str], str | None] = lambda name: name,
    known_ids: set[str] | None = None,
) -> ImportResult:
    """Check a CSV file and return its rows, or every problem with their line numbers."""
    result = ImportResult()
    text = _decode(data, result)
    if text is None:
        return result
    reader = csv.DictReader(io.StringIO(text, newline=""))
    headers = [h for h in (reader.fieldnames or []) if h is not None]
    columns = {}
    for option, wanted in (("text", text_column), ("district", district_column), ("id", id_column)):
        columns[option] = _column(headers, wanted)
        if wanted and columns[option] is None:
            result.errors.append(
                f"line 1: there is no column called {wanted!r} "
                f"(columns are: {', '.join(headers) or 'none'})"
            )
    if result.errors:
        return result
    seen_ids: dict[str, int] = {}
    try:
        for row in reader:
            line = reader.line_num
            answer = clean_text(row.get(columns["text"]) or "")
            if not answer:
                result.errors.append(f"line {line}: the text is empty")
                continue
            if len(answer) > MAX_TEXT:
                result.errors.append(f"line {line}: the text is longer than {MAX_TEXT} characters")
                continue
            district = None
            if columns["district"]:
                raw = clean_text(row.get(columns["district"]) or "")
                if raw:
                    district = find_district(raw)
                    if district is None:
                        result.errors.append(
                            f"line {line}: {raw!r} is not a Warwickshire district or borough"
                        )
                        continue
            external_id = None
            if columns["id"]:
                external_id = clean_text(row.get(columns["id"]) or "", 120) or None
                if external_id and external_id in seen_ids:
                    result.errors.append(
                        f"line {line}: id {external_id!r} is also on line {seen_ids[external_id]}"
                    )
                    continue
                if external_id and known_ids and external_id in known_ids:
                    result.errors.append(f"line {line}: id {external_id!r} was imported before")
                    continue
                if external_id:
                    seen_ids[external_id] = line
            result.rows.append(ImportRow(line, answer, district, external_id))
    except csv.Error as error:
        result.errors.append(f"line {reader.line_num}: the CSV is malformed ({error})")
    if not result.rows and not result.errors:
        result.errors.append("line 2: the file has no rows to import")
    return result
