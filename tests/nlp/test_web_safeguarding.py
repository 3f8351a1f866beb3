"""Safeguarding in the portal: answers and posts are screened after saving, residents are
signposted without being told they were flagged, and leads triage a queue."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from nlp.web.safeguarding_models import SafeguardingFlag
from portal.auth.models import AuditEvent
from portal.extensions import db
from tests.conftest import submit_form
from tests.surveys.conftest import consultation, page_url, start  # noqa: F401 - fixture

pytestmark = pytest.mark.slow

DISCLOSURE = "My stepdad hits me when he drinks and I am scared to go home tonight"


def _answer_page_two(client, consultation, text):  # noqa: F811
    start(client, consultation)
    q = consultation.q
    submit_form(
        client,
        page_url(consultation, 1),
        {q["district"].field_name: "Rugby", q["safe"].field_name: "No"},
    )
    return submit_form(
        client, page_url(consultation, 2), {q["why"].field_name: text}, follow_redirects=True
    )


def test_disclosure_is_flagged_and_resident_signposted(app, client, consultation, outbox) -> None:  # noqa: F811
    from portal.auth import services as accounts

    accounts.create_user(
        "lead@example.org", "correct horse battery staple", ["safeguarding"], confirmed=True
    )
    db.session.commit()
    page = _answer_page_two(client, consultation, DISCLOSURE)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "flag" not in html.lower()  # never told they were "flagged"
    support = app.config["HELP_CONTACTS"]
    numbers = {c["key"]: c.get("number") for c in support}
    assert numbers["childline"] in html or numbers["domestic_abuse"] in html
    flag = db.session.execute(select(SafeguardingFlag)).scalar_one()
    assert flag.source == "consultation"
    assert flag.category in {"domestic_abuse", "risk_to_self", "risk_to_others"}
    assert flag.area == "Rugby"
    assert flag.text == DISCLOSURE
    assert flag.reasons
    if flag.severity == "high":
        assert outbox and outbox[0].to == ["lead@example.org"]
        assert DISCLOSURE not in outbox[0].body  # the email never carries the text


def test_ordinary_answer_is_not_flagged(app, client, consultation) -> None:  # noqa: F811
    page = _answer_page_two(client, consultation, "There should be more knife amnesty bins in town")
    assert page.status_code == 200
    assert db.session.execute(select(func.count()).select_from(SafeguardingFlag)).scalar_one() == 0


def test_screener_failure_never_loses_the_answer(app, client, consultation, monkeypatch) -> None:  # noqa: F811
    import nlp.safeguarding

    def broken(text):
        raise RuntimeError("model unavailable")

    monkeypatch.setattr(nlp.safeguarding, "screen", broken)
    page = _answer_page_two(client, consultation, DISCLOSURE)
    assert page.status_code == 200
    from surveys.models import Answer

    saved = db.session.execute(select(Answer.text).where(Answer.text == DISCLOSURE)).scalar_one()
    assert saved == DISCLOSURE


def test_high_severity_email_and_queue_triage(app, client, auth, outbox) -> None:
    from nlp.web import safeguarding_services as services

    app.config["SAFEGUARDING_LEAD_EMAILS"] = ["duty-lead@example.org"]
    with app.test_request_context():
        assert services.screen_post(991, "I have a knife and I'm going to stab him tonight") is True
    flag = db.session.execute(select(SafeguardingFlag)).scalar_one()
    assert flag.severity == "high"
    assert outbox and outbox[0].to == ["duty-lead@example.org"]
    assert "stab" not in outbox[0].body

    # wrong roles cannot see the queue
    auth.as_role("analyst", email="analyst@example.org")
    assert client.get("/safeguarding/").status_code == 403
    auth.logout()

    lead = auth.as_role("safeguarding", email="lead2@example.org")
    queue = client.get("/safeguarding/").get_data(as_text=True)
    assert f"/safeguarding/flags/{flag.id}" in queue
    page = client.get(f"/safeguarding/flags/{flag.id}")
    html = page.get_data(as_text=True)
    assert "going to stab him" in html
    token = re.search(r'name="triage-csrf_token"[^>]*value="([^"]+)"', html)
    token = (
        token.group(1)
        if token
        else re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    )
    # a bad status keeps the outcome typed and shows the error summary
    bad = client.post(
        f"/safeguarding/flags/{flag.id}",
        data={
            "csrf_token": token,
            "triage-status": "",
            "triage-assignee": "0",
            "triage-outcome": "Called police",
            "triage-submit": "Save",
        },
    )
    assert bad.status_code == 400
    assert "govuk-error-summary" in bad.get_data(as_text=True)
    assert "Called police" in bad.get_data(as_text=True)
    ok = client.post(
        f"/safeguarding/flags/{flag.id}",
        data={
            "csrf_token": token,
            "triage-status": "referred",
            "triage-assignee": str(lead.id),
            "triage-outcome": "Referred to police",
            "triage-submit": "Save",
        },
    )
    assert ok.status_code == 302
    noted = client.post(
        f"/safeguarding/flags/{flag.id}",
        data={
            "csrf_token": token,
            "note-note": "Spoke to PC Smith",
            "note-submit_note": "Add note",
        },
    )
    assert noted.status_code == 302
    db.session.refresh(flag)
    assert flag.status == "referred" and flag.assignee_id == lead.id
    assert [n.text for n in flag.notes] == ["Spoke to PC Smith"]
    actions = set(db.session.execute(select(AuditEvent.action)).scalars())
    assert {
        "safeguarding.flagged",
        "safeguarding.viewed",
        "safeguarding.triaged",
        "safeguarding.note_added",
    } <= actions


def test_overdue_flags_are_marked(app, client, auth) -> None:
    from datetime import timedelta

    from portal.clock import utcnow

    db.session.add(
        SafeguardingFlag(
            source="forum",
            post_id=1,
            text="old",
            category="risk_to_self",
            severity="medium",
            created_at=utcnow() - timedelta(hours=30),
        )
    )
    db.session.commit()
    auth.as_role("safeguarding")
    html = client.get("/safeguarding/").get_data(as_text=True)
    assert "Overdue" in html


def test_flagged_answers_are_never_quoted_in_public(app) -> None:
    from nlp.web import safeguarding_services as services

    db.session.add(
        SafeguardingFlag(
            source="consultation",
            consultation_id=None,
            response_id=None,
            text="x",
            category="risk_to_self",
            severity="low",
        )
    )
    db.session.commit()
    assert services.blocked_response_ids(12345) == set()
