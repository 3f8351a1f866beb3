"""Demo data: realistic consultations the theme analysis can be shown on."""

from __future__ import annotations

from surveys import services
from surveys.demo import load_demo


def test_demo_creates_consultations_with_hundreds_of_answers(app) -> None:
    message = load_demo()
    assert "3 demo consultations" in message
    safe = services.consultation_by_slug("feeling-safe-in-nuneaton-and-bedworth")
    youth = services.consultation_by_slug("young-peoples-voice-on-knife-crime")
    assert safe.status == "open" and youth.countywide
    kinds = {q.kind for q in safe.questions}
    assert {"free_text", "single_choice", "multiple_choice", "agreement", "district",
            "postcode", "equality_age", "equality_disability"} <= kinds  # fmt: skip
    answers = services.free_text_answers(safe.id) + services.free_text_answers(youth.id)
    assert len(answers) >= 300
    assert {a.district_slug for a in answers} >= {
        "north-warwickshire",
        "nuneaton-and-bedworth",
        "rugby",
        "warwick",
        "stratford-on-avon",
    }
    assert len({a.text for a in answers}) > 150  # varied, not one sentence repeated
    published = services.published_consultations()
    assert len(published) == 1 and published[0].actions
    assert load_demo().endswith("already loaded.")
