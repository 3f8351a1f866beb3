"""Exports: one row per response, one column per question, area, channel and timestamps."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from surveys import exports
from tests.surveys.conftest import add_responses


def test_csv_export_columns_and_rows(client, auth, consultation) -> None:
    add_responses(consultation, 2, "Rugby", why='=HYPERLINK("http://evil")')
    auth.as_role("analyst")
    r = client.get(f"/staff/consultations/{consultation.id}/export.csv")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert "attachment" in r.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(r.get_data().decode("utf-8-sig"))))
    header = rows[0]
    for column in ("response_id", "reference", "district", "channel", "started_at", "submitted_at"):
        assert column in header
    assert header[-5:] == [f"Q{i + 1}. {q.text}" for i, q in enumerate(consultation.questions)]
    assert len(rows) == 3
    first = dict(zip(header, rows[1], strict=True))
    assert first["district"] == "Rugby" and first["channel"] == "online"
    assert first["Q4. What would help?"] == "More lighting"
    assert first["Q3. Why do you feel unsafe?"].startswith("'=")  # no formula injection


def test_xlsx_export_matches(client, auth, consultation) -> None:
    add_responses(consultation, 3, "Warwick", safe="Yes")
    auth.as_role("staff")
    r = client.get(f"/staff/consultations/{consultation.id}/export.xlsx")
    assert r.status_code == 200
    sheet = load_workbook(io.BytesIO(r.get_data())).active
    values = list(sheet.values)
    assert values[0][0] == "response_id" and len(values) == 4
    header = list(values[0])
    assert values[1][header.index("district")] == "Warwick"
    assert values[1][header.index("Q2. Do you feel safe?")] == "Yes"


def test_export_needs_staff_role(client, consultation) -> None:
    assert client.get(f"/staff/consultations/{consultation.id}/export.csv").status_code == 302


def test_safe_cell() -> None:
    assert exports.safe_cell("-1+1") == "'-1+1"
    assert exports.safe_cell("fine") == "fine"
    assert exports.safe_cell(3) == 3
