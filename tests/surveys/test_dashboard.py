"""The staff dashboard, reading responses (audited), excluding spam, assisted entry."""

from __future__ import annotations

from sqlalchemy import select

from portal.auth.models import AuditEvent
from portal.extensions import db
from surveys import services
from surveys.models import Response
from tests.conftest import submit_form
from tests.surveys.conftest import add_responses, start


def test_dashboard_counts_per_district_and_drop_off(app, client, auth, consultation) -> None:
    add_responses(consultation, 3, "Rugby")
    add_responses(consultation, 2, "Warwick", safe="Yes")
    start(app.test_client(), consultation)  # one resident started and stopped on page 1
    auth.as_role("analyst")
    html = client.get(f"/staff/consultations/{consultation.id}/dashboard").get_data(as_text=True)
    assert "Responses per district per day" in html
    assert "Rugby" in html and "Warwick" in html
    assert "<svg" in html  # chart
    started, sent, progress = services.page_progress(consultation)
    assert (started, sent) == (6, 5)
    assert progress[0]["dropped"] == 1
    names, days, counts = services.daily_counts(consultation)
    assert sum(counts.values()) == 5 and counts[("Rugby", days[0])] == 3
    # staff see exact small numbers; the public never does
    assert ">2<" in html


def test_viewing_a_response_is_audited(client, auth, consultation) -> None:
    add_responses(consultation, 1, "Rugby", why="The park at night")
    response = db.session.execute(select(Response)).scalar_one()
    user = auth.as_role("analyst")
    html = client.get(f"/staff/consultations/{consultation.id}/responses/{response.id}").get_data(
        as_text=True
    )
    assert "The park at night" in html
    event = db.session.execute(
        select(AuditEvent).where(AuditEvent.action == "consultation.response_viewed")
    ).scalar_one()
    assert event.subject == f"response:{response.id}" and event.user_id == user.id


def test_exclude_spam_response_removes_it_from_counts(client, auth, consultation) -> None:
    add_responses(consultation, 1, "Rugby")
    response = db.session.execute(select(Response)).scalar_one()
    auth.as_role("staff")
    url = f"/staff/consultations/{consultation.id}/responses/{response.id}"
    r = submit_form(client, url, {"reason": "Spam"})
    assert r.status_code == 302
    db.session.expire_all()
    assert response.excluded and response.excluded_reason == "Spam"
    assert services.response_count(consultation) == 0
    listing = client.get(f"/staff/consultations/{consultation.id}/responses?show=excluded")
    assert response.reference in listing.get_data(as_text=True)


def test_assisted_entry_records_channel_and_staff_member(client, auth, consultation) -> None:
    user = auth.as_role("staff")
    q = consultation.q
    url = f"/staff/consultations/{consultation.id}/assisted"
    r = submit_form(client, url, {q["safe"].field_name: "Yes"})
    assert "Choose how the response reached us" in r.get_data(as_text=True)
    r = submit_form(
        client, url,
        {"channel": "paper", q["district"].field_name: "Warwick", q["safe"].field_name: "Yes",
         q["why"].field_name: "Hidden by the condition, so not kept"},
    )  # fmt: skip
    assert r.status_code == 302
    response = db.session.execute(select(Response)).scalar_one()
    assert response.channel == "paper" and response.entered_by_id == user.id
    assert response.status == "submitted" and response.district.name == "Warwick"
    assert q["why"].id not in services.answers_of(response)


def test_free_text_answers_contract(consultation) -> None:
    add_responses(consultation, 2, "Rugby", why="Street lighting is poor")
    records = services.free_text_answers(consultation.id, consultation.q["why"].id)
    assert len(records) == 2
    record = records[0]
    assert record.text == "Street lighting is poor"
    assert record.district_slug == "rugby" and record.district_name == "Rugby"
    assert record.language == "en" and record.channel == "online" and not record.excluded
    assert record.response_reference.startswith("SW-")
    assert [q.id for q in services.free_text_questions(consultation.id)] == [
        consultation.q["why"].id
    ]
