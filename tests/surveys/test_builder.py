"""The staff builder: create, pages and questions, conditions, reorder, preview, duplicate."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.areas import services as areas
from portal.extensions import db
from surveys import services
from surveys.models import Consultation, Response
from tests.conftest import csrf_token_from, submit_form


def test_staff_pages_refuse_anonymous_and_wrong_roles(client, auth, consultation) -> None:
    url = f"/staff/consultations/{consultation.id}"
    assert client.get(url).status_code == 302  # to sign in
    auth.as_role("moderator")
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("role", ["analyst", "staff"])
def test_create_consultation_with_errors_then_success(client, auth, role) -> None:
    auth.as_role(role)
    rugby = areas.district_by_name("Rugby")
    bad = submit_form(
        client,
        "/staff/consultations/new",
        {"title": "Safer streets", "summary": "", "opens_on": ["1", "6", "2026"],
         "closes_on": ["1", "5", "2026"]},
    )  # fmt: skip
    html = bad.get_data(as_text=True)
    assert "govuk-error-summary" in html
    assert "Enter a summary" in html and "closing date must be after" in html
    assert "Choose at least one district" in html
    assert 'value="Safer streets"' in html
    good = submit_form(
        client,
        "/staff/consultations/new",
        {"title": "Safer streets", "summary": "About streets", "districts": [str(rugby.id)],
         "opens_on": ["1", "6", "2026"], "closes_on": ["30", "6", "2026"]},
    )  # fmt: skip
    assert good.status_code == 302
    c = db.session.execute(select(Consultation)).scalar_one()
    assert c.status == "draft" and [d.name for d in c.districts] == ["Rugby"]
    assert c.closes_on.isoformat() == "2026-06-30"


def test_odd_date_input_does_not_500(client, auth) -> None:
    auth.as_role("analyst")
    r = submit_form(
        client, "/staff/consultations/new",
        {"title": "x" * 300, "summary": "y", "countywide": "y", "opens_on": "31"},
    )  # fmt: skip
    assert r.status_code == 200 and "govuk-error-summary" in r.get_data(as_text=True)


def test_add_page_question_condition_and_reorder(client, auth) -> None:
    auth.as_role("analyst")
    c = services.create_consultation("Built here", "s", countywide=True)
    base = f"/staff/consultations/{c.id}"
    assert submit_form(client, f"{base}/pages/new", {"title": "Page one"}).status_code == 302
    assert submit_form(client, f"{base}/pages/new", {"title": "Page two"}).status_code == 302
    p1, p2 = c.sections
    r = submit_form(
        client, f"{base}/pages/{p1.id}/questions/new",
        {"kind": "single_choice", "text": "Seen knives?", "options": "Yes\nNo"},
    )  # fmt: skip
    assert r.status_code == 302
    seen = c.questions[0]
    r = submit_form(
        client, f"{base}/pages/{p2.id}/questions/new",
        {"kind": "single_choice", "text": "Only one option", "options": "Yes"},
    )  # fmt: skip
    assert "at least two options" in r.get_data(as_text=True)
    r = submit_form(
        client, f"{base}/pages/{p2.id}/questions/new",
        {"kind": "free_text", "text": "Tell us more", "required": "y", "max_length": "300",
         "condition_question": str(seen.id), "condition_values": "Yes"},
    )  # fmt: skip
    assert r.status_code == 302
    more = services.question_by_id(c, c.questions[-1].id)
    assert more.condition == {"question_id": seen.id, "any_of": ["Yes"]}
    assert more.required and more.max_length == 300
    r = submit_form(
        client, f"{base}/pages/{p2.id}/questions/new", {"kind": "agreement", "text": "Agree?"}
    )
    assert r.status_code == 302, r.get_data(as_text=True)
    db.session.expire_all()
    assert [q.text for q in p2.questions] == ["Tell us more", "Agree?"]
    submit_form(client, f"{base}/questions/{more.id}/move", {"direction": "down"})
    db.session.expire_all()
    assert [q.text for q in services.section_by_id(c, p2.id).questions] == [
        "Agree?",
        "Tell us more",
    ]
    submit_form(client, f"{base}/pages/{p2.id}/move", {"direction": "up"})
    db.session.expire_all()
    assert [s.title for s in services.consultation_by_id(c.id).sections] == ["Page two", "Page one"]
    detail = client.get(base).get_data(as_text=True)
    assert "Shown only when" in detail


def test_preview_shows_page_without_saving(client, auth, consultation) -> None:
    auth.as_role("analyst")
    html = client.get(f"/staff/consultations/{consultation.id}/preview/2").get_data(as_text=True)
    assert "Answers are not saved" in html
    assert "Why do you feel unsafe?" in html
    assert "These questions ask about violence." in html  # content note
    assert "shows only when" in html


def test_duplicate_for_another_borough_remaps_conditions(client, auth, consultation) -> None:
    auth.as_role("staff")
    warwick = areas.district_by_name("Warwick")
    r = submit_form(
        client, f"/staff/consultations/{consultation.id}/duplicate",
        {"title": "Feeling safe in Warwick", "districts": [str(warwick.id)]},
    )  # fmt: skip
    assert r.status_code == 302
    copy = services.consultation_by_slug("feeling-safe-in-warwick")
    assert copy.status == "draft" and copy.copied_from_id == consultation.id
    assert [d.name for d in copy.districts] == ["Warwick"]
    assert [q.text for q in copy.questions] == [q.text for q in consultation.questions]
    why = next(q for q in copy.questions if q.text == "Why do you feel unsafe?")
    safe = next(q for q in copy.questions if q.text == "Do you feel safe?")
    assert why.condition["question_id"] == safe.id != consultation.q["safe"].id


def test_status_moves_and_cannot_skip(client, auth, consultation) -> None:
    auth.as_role("analyst")
    url = f"/staff/consultations/{consultation.id}/status"
    page = client.get(f"/staff/consultations/{consultation.id}")
    token = csrf_token_from(page)
    client.post(url, data={"csrf_token": token, "status": "published"})  # open → published: refused
    db.session.expire_all()
    assert services.consultation_by_id(consultation.id).status == "open"
    client.post(url, data={"csrf_token": token, "status": "closed"})
    db.session.expire_all()
    assert services.consultation_by_id(consultation.id).status == "closed"


def test_every_staff_page_renders_valid_html(client, auth, consultation) -> None:
    from tests.surveys.conftest import add_responses

    add_responses(consultation, 2, "Rugby")
    response_id = db.session.execute(select(Response.id)).scalars().first()
    auth.as_role("analyst")
    base = f"/staff/consultations/{consultation.id}"
    section = consultation.sections[0]
    question = consultation.q["safe"]
    for path in [
        "/staff/consultations/", "/staff/consultations/new", "/staff/consultations/import",
        base, f"{base}/edit", f"{base}/pages/new", f"{base}/pages/{section.id}",
        f"{base}/pages/{section.id}/questions/new",
        f"{base}/pages/{section.id}/questions/{question.id}",
        f"{base}/preview/1", f"{base}/duplicate", f"{base}/dashboard", f"{base}/responses",
        f"{base}/responses/{response_id}", f"{base}/assisted", f"{base}/results",
        f"{base}/actions/new",
    ]:  # fmt: skip
        assert client.get(path).status_code == 200, path
    assert client.get("/staff/").get_data(as_text=True).count("/staff/consultations/") >= 1


def test_actions_and_publishing_through_the_ui(client, auth, consultation) -> None:
    auth.as_role("staff")
    base = f"/staff/consultations/{consultation.id}"
    rugby = areas.district_by_name("Rugby")
    r = submit_form(client, f"{base}/actions/new", {"title": "", "status": "planned"})
    assert "Enter the action" in r.get_data(as_text=True)
    r = submit_form(
        client, f"{base}/actions/new",
        {"title": "Youth club in Brownsover", "status": "planned", "districts": [str(rugby.id)]},
    )  # fmt: skip
    assert r.status_code == 302
    submit_form(client, f"{base}/results", {"results_summary": "You asked for youth clubs."})
    for status in ("closed", "published"):
        page = client.get(base)
        client.post(f"{base}/status", data={"csrf_token": csrf_token_from(page), "status": status})
    html = client.get(f"/consultations/{consultation.slug}/results").get_data(as_text=True)
    assert "Youth club in Brownsover" in html and "Planned" in html and "Rugby" in html
    assert "You asked for youth clubs." in html
