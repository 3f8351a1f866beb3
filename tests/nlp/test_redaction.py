"""Redaction: precision and recall on a labelled sample; place names and organisations kept."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from nlp.redaction import PLACEHOLDERS, redact, redact_many, score_redaction

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "redaction_sample.csv"


def _rows() -> list[dict[str, str]]:
    with SAMPLE.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _split(value: str) -> list[str]:
    return [v for v in value.split("|") if v]


@pytest.fixture(scope="module")
def score():
    rows = _rows()
    return score_redaction(
        [r["text"] for r in rows],
        [_split(r["pii"]) for r in rows],
        [_split(r["keep"]) for r in rows],
    )


def test_sample_covers_every_kind_of_personal_data():
    rows = _rows()
    kinds = {kind for r in rows for kind in redact_many([r["text"]])[0].entities}
    assert kinds == set(PLACEHOLDERS)
    assert sum(1 for r in rows if not r["pii"]) >= 10  # negatives: places and organisations


def test_precision_and_recall_on_labelled_sample(score):
    print(f"\nredaction on {SAMPLE.name}: {score}")
    assert score.recall >= 0.9
    assert score.precision >= 0.9


def test_places_and_organisations_are_kept(score):
    assert score.kept_wrongly_redacted == 0
    text = "Warwickshire Police should patrol Nuneaton, Rugby and Leamington Spa more."
    assert redact(text) == text


@pytest.mark.parametrize(
    ("text", "placeholder"),
    [
        ("ring 07912 345678 tonight", "<PHONE>"),
        ("ring 07912345678 tonight", "<PHONE>"),
        ("ring +44 (0)1926 412345 tonight", "<PHONE>"),
        ("postcode cv11 4ab", "<POSTCODE>"),
        ("NHS number 943-476-5919", "<NHS_NUMBER>"),
        ("NI number AB123456C", "<NI_NUMBER>"),
        ("write to me at jo@example.org", "<EMAIL>"),
        ("she lives at 22 Queens Road", "<ADDRESS>"),
    ],
)
def test_each_format_is_redacted(text, placeholder):
    assert placeholder in redact(text)


def test_invalid_nhs_number_is_not_redacted():
    # Fails the NHS checksum: an order or case number, not personal data.
    assert "1234567890" in redact("Case reference 1234567890 was closed.")


def test_odd_input_does_not_break_redaction():
    texts = ["", "   ", "🙂🔪", "\u200b", "a" * 20000, "Ünïcödé Ŝtrëet 12"]
    out = redact_many(texts)
    assert len(out) == len(texts)
    assert out[0].text == ""
