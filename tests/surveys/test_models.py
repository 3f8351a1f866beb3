"""Models and the small pure helpers beside them."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from surveys import codes, services
from surveys.models import Consultation
from surveys.text import clean_text


def test_consultation_structure_and_unique_slugs(app, consultation) -> None:
    assert [s.title for s in consultation.sections] == ["Your area", "Feeling unsafe", "About you"]
    assert len(consultation.questions) == 5
    again = services.create_consultation("Feeling safe in Rugby")
    assert again.slug == "feeling-safe-in-rugby-2"
    assert consultation.area_label == "Rugby"
    assert again.area_label.startswith("Warwickshire")
    assert db.session.execute(select(Consultation).where(Consultation.id == again.id)).scalar_one()


def test_codes_are_unambiguous_and_normalise() -> None:
    ref = codes.new_reference()
    assert ref.startswith("SW-") and len(ref) == 12
    assert not set(ref[3:].replace("-", "")) & set("O0I1L5S")
    assert codes.normalise_code(ref.lower().replace("-", " ")) == ref
    code = codes.new_resume_code()
    assert codes.normalise_code(code.replace("-", "").lower()) == code
    assert codes.slugify("Young people’s voice: knife crime!") == "young-peoples-voice-knife-crime"


def test_clean_text_normalises_and_strips_controls() -> None:
    assert clean_text("e\u0301") == "\u00e9"
    assert clean_text(" a\u202eb\x00c\u200b ") == "abc"
    assert clean_text("line\r\nline") == "line\nline"
    assert clean_text("👩🏽‍🦱") == "👩🏽‍🦱"
    assert clean_text("x" * 50, 10) == "x" * 10
