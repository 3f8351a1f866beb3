"""Retention: `flask retention run`, and the admin page that erases one response on request."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select

from portal.auth.models import AuditEvent
from portal.clock import utcnow
from portal.extensions import db
from surveys import services
from surveys.models import Answer, Response
from tests.conftest import csrf_token_from

REFERENCE = "ABCD-EFGH-JKLM"


@pytest.fixture
def questionnaire(app: Flask):
    """A consultation with a free-text question and a contact-email question."""
    consultation = services.create_consultation("Feeling safe", "Tell us.", status="open")
    section = services.add_section(consultation, "Your views")
    text = services.add_question(section, "free_text", "What would help?")
    email = services.add_question(section, "contact_email", "Your email, if you want a reply")
    db.session.commit()
    return consultation, text, email


def _response(consultation, reference: str, *, age_days: int, status: str = "submitted", **kw):
    when = utcnow() - timedelta(days=age_days)
    response = Response(
        consultation_id=consultation.id,
        reference=reference,
        resume_code=f"R{reference}",
        status=status,
        started_at=when,
        submitted_at=when if status == "submitted" else None,
        **kw,
    )
    db.session.add(response)
    db.session.flush()
    return response


def _answer(response: Response, question, value: str) -> None:
    db.session.add(
        Answer(response_id=response.id, question_id=question.id, value=value, text=value)
    )


def _answers_to(question) -> list[str]:
    return list(db.session.scalars(select(Answer.text).where(Answer.question_id == question.id)))


def test_retention_run_deletes_expired_drafts_and_old_contact_details(
    app: Flask, runner, questionnaire
) -> None:
    consultation, text, email = questionnaire
    old = _response(consultation, "OLDD-OLDD-OLDD", age_days=400)
    _answer(old, text, "More lighting by the station")
    _answer(old, email, "old@example.org")
    recent = _response(consultation, "NEWW-NEWW-NEWW", age_days=10)
    _answer(recent, email, "recent@example.org")
    _response(
        consultation,
        "DRAF-TDRA-FTDR",
        age_days=40,
        status="draft",
        expires_at=utcnow() - timedelta(days=1),
    )
    _response(
        consultation,
        "KEEP-KEEP-KEEP",
        age_days=1,
        status="draft",
        expires_at=utcnow() + timedelta(days=5),
    )
    db.session.commit()

    result = runner.invoke(args=["retention", "run"])

    assert result.exit_code == 0, result.output
    assert (
        "Deleted 1 expired draft(s) and 1 contact detail(s) older than 365 days." in result.output
    )
    db.session.expire_all()
    assert _answers_to(email) == ["recent@example.org"]
    assert _answers_to(text) == ["More lighting by the station"]  # the view itself is kept
    references = set(db.session.scalars(select(Response.reference)))
    assert references == {"OLDD-OLDD-OLDD", "NEWW-NEWW-NEWW", "KEEP-KEEP-KEEP"}
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "retention.run")).one()
    assert event.detail["expired_drafts_deleted"] == 1
    assert event.detail["contact_details_deleted"] == 1


def test_contact_retention_period_is_configurable(app: Flask, runner, questionnaire) -> None:
    consultation, _text, email = questionnaire
    response = _response(consultation, "MIDD-MIDD-MIDD", age_days=40)
    _answer(response, email, "mid@example.org")
    db.session.commit()
    assert runner.invoke(args=["retention", "run"]).exit_code == 0
    assert _answers_to(email) == ["mid@example.org"]
    app.config["RETENTION_CONTACT_DAYS"] = 30
    assert runner.invoke(args=["retention", "run"]).exit_code == 0
    db.session.expire_all()
    assert _answers_to(email) == []


def test_only_admins_reach_the_erasure_page(app: Flask, client, auth) -> None:
    assert "/account/sign-in" in client.get("/staff/admin/erase").location
    auth.as_role("staff")
    assert client.get("/staff/admin/erase").status_code == 403


def test_erasure_asks_for_a_reference_and_keeps_what_was_typed(
    app: Flask, client, auth, questionnaire
) -> None:
    auth.as_role("admin")
    page = client.get("/staff/admin/erase")
    token = csrf_token_from(page)

    empty = client.post("/staff/admin/erase", data={"csrf_token": token, "reference": ""})
    assert empty.status_code == 200
    body = empty.get_data(as_text=True)
    assert "There is a problem" in body and "Enter the response reference" in body
    assert 'href="#reference"' in body

    wrong = client.post("/staff/admin/erase", data={"csrf_token": token, "reference": "zzzz-9999"})
    body = wrong.get_data(as_text=True)
    assert "No response has that reference" in body
    assert 'value="zzzz-9999"' in body


def test_admin_erases_a_response_after_confirming(app: Flask, client, auth, questionnaire) -> None:
    from nlp.web.safeguarding_models import SafeguardingFlag

    consultation, text, email = questionnaire
    response = _response(consultation, REFERENCE, age_days=2)
    _answer(response, text, "Someone threatened me near the park")
    _answer(response, email, "resident@example.org")
    other = _response(consultation, "OTHE-ROTH-EROT", age_days=2)
    _answer(other, text, "Better buses")
    flag = SafeguardingFlag(
        source="consultation",
        consultation_id=consultation.id,
        response_id=response.id,
        text="Someone threatened me near the park",
        category="threat",
        severity="high",
    )
    db.session.add(flag)
    db.session.commit()
    response_id, flag_id = response.id, flag.id
    admin = auth.as_role("admin")

    page = client.get("/staff/admin/erase")
    typed = client.post(
        "/staff/admin/erase",
        data={"csrf_token": csrf_token_from(page), "reference": " abcd efgh jklm "},
    )
    assert typed.status_code == 302
    confirm = client.get(typed.location)
    body = confirm.get_data(as_text=True)
    assert "Are you sure you want to erase this response?" in body
    assert REFERENCE in body and "Feeling safe" in body
    assert "Safeguarding flags are not erased" in body
    assert db.session.get(Response, response_id) is not None  # nothing happens before confirming

    done = client.post(typed.location, data={"csrf_token": csrf_token_from(confirm)})
    assert done.status_code == 302
    assert "Response erased" in client.get(done.location).get_data(as_text=True)

    db.session.expire_all()
    assert db.session.get(Response, response_id) is None
    assert (
        db.session.scalar(select(func.count(Answer.id)).where(Answer.response_id == response_id))
        == 0
    )
    assert _answers_to(text) == ["Better buses"]  # other residents' answers untouched
    kept = db.session.get(SafeguardingFlag, flag_id)
    assert kept.text == "Someone threatened me near the park" and kept.response_id is None
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "consultation.response_erased")
    ).one()
    assert event.user_id == admin.id
    assert event.detail == {"reference": REFERENCE, "answers": 2}
    assert "threatened" not in str(event.detail) + event.note
