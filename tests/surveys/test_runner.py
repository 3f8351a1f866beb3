"""The resident journey: pages, validation, save and resume, check answers, confirmation."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from portal.extensions import db
from surveys import services
from surveys.models import Response
from tests.conftest import csrf_token_from, submit_form
from tests.surveys.conftest import complete, page_url, start


def _count(status: str = "submitted") -> int:
    return db.session.execute(
        select(func.count(Response.id)).where(Response.status == status)
    ).scalar_one()


def test_list_shows_open_consultation_and_filters_by_district(client, consultation) -> None:
    html = client.get("/consultations").get_data(as_text=True)
    assert consultation.title in html
    assert consultation.title in client.get("/consultations?district=rugby").get_data(as_text=True)
    assert consultation.title not in client.get("/consultations?district=warwick").get_data(
        as_text=True
    )


def test_postcode_search_with_bad_postcode_shows_error(client, consultation) -> None:
    html = client.get("/consultations?postcode=notapostcode").get_data(as_text=True)
    assert "govuk-error-summary" in html
    assert "Enter a postcode" in html


def test_start_page_has_exit_link_help_box_and_privacy(client, consultation) -> None:
    html = client.get(f"/consultations/{consultation.slug}").get_data(as_text=True)
    assert "govuk-exit-this-page" in html
    assert 'href="https://www.bbc.co.uk/weather"' in html
    assert "0800 555 111" in html and "tel:999" in html
    assert "How we use your answers" in html
    assert "Some questions ask about violence" in html  # content note signposted up front


def test_full_journey_gives_reference_and_stores_answers(client, consultation) -> None:
    complete(client, consultation)
    check = client.get(f"/consultations/{consultation.slug}/check").get_data(as_text=True)
    assert "The underpass at night is dark." in check
    assert "More lighting; Youth clubs" in check
    r = submit_form(client, f"/consultations/{consultation.slug}/check", {})
    assert r.status_code == 302
    page = client.get(r.location).get_data(as_text=True)
    reference = re.search(r"SW-[A-Z0-9]{4}-[A-Z0-9]{4}", page).group(0)
    response = db.session.execute(select(Response)).scalar_one()
    assert response.status == "submitted" and response.reference == reference
    assert response.district.name == "Rugby"
    assert response.language == "en"
    assert response.channel == "online"


def test_required_errors_show_summary_and_keep_typed_answers(client, consultation) -> None:
    start(client, consultation)
    q = consultation.q
    r = submit_form(client, page_url(consultation, 1), {q["safe"].field_name: "No"})
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "govuk-error-summary" in html and "There is a problem" in html
    assert f'href="#{q["district"].field_name}"' in html
    assert re.search(r'value="No"[^>]*checked', html)  # the answer given is kept
    assert "<title>Error:" in html


def test_too_long_text_errors_and_is_kept(client, consultation) -> None:
    start(client, consultation)
    q = consultation.q
    submit_form(
        client,
        page_url(consultation, 1),
        {q["district"].field_name: "Rugby", q["safe"].field_name: "No"},
    )
    long_text = "Ä" * 600
    r = submit_form(client, page_url(consultation, 2), {q["why"].field_name: long_text})
    html = r.get_data(as_text=True)
    assert "500 characters or fewer" in html
    assert long_text in html


def test_odd_input_never_500s(client, consultation) -> None:
    start(client, consultation)
    q = consultation.q
    for data in (
        {q["district"].field_name: "Atlantis", q["safe"].field_name: "Maybe"},
        {q["district"].field_name: "\x00\u202e" * 3, q["safe"].field_name: ["Yes", "No"]},
        {},
        {"website": "x" * 100000},
    ):
        assert submit_form(client, page_url(consultation, 1), data).status_code == 200
    submit_form(
        client,
        page_url(consultation, 1),
        {q["district"].field_name: "Rugby", q["safe"].field_name: "No"},
    )
    weird = "Zoë\u0301 👩🏽‍🦱 \u202eevil\u200b ﷽ " + "\r\n" * 3 + "مرحبا"
    r = submit_form(client, page_url(consultation, 2), {q["why"].field_name: weird})
    assert r.status_code == 302
    stored = next(
        a.text for a in db.session.execute(select(Response)).scalar_one().answers if a.text
    )
    assert "\u202e" not in stored and "\u200b" not in stored and "مرحبا" in stored
    assert client.get(page_url(consultation, 99)).status_code == 404


def test_conditional_question_skipped_when_not_relevant(client, consultation) -> None:
    start(client, consultation)
    q = consultation.q
    r = submit_form(
        client,
        page_url(consultation, 1),
        {q["district"].field_name: "Rugby", q["safe"].field_name: "Yes"},
    )
    assert r.location.endswith(page_url(consultation, 3))  # page 2 only asks people who said No


def test_hidden_answers_are_dropped_at_submit(client, consultation) -> None:
    complete(client, consultation, feel_safe="No")
    q = consultation.q
    submit_form(
        client,
        page_url(consultation, 1) + "?change=1",
        {q["district"].field_name: "Rugby", q["safe"].field_name: "Yes"},
    )
    submit_form(client, f"/consultations/{consultation.slug}/check", {})
    response = db.session.execute(select(Response)).scalar_one()
    assert q["why"].id not in services.answers_of(response)


def test_submitting_twice_makes_one_response(client, consultation) -> None:
    complete(client, consultation)
    url = f"/consultations/{consultation.slug}/check"
    token = csrf_token_from(client.get(url))
    first = client.post(url, data={"csrf_token": token})
    second = client.post(url, data={"csrf_token": token})
    assert first.status_code == second.status_code == 302
    assert second.location.endswith("/confirmation")
    assert _count() == 1


def test_double_click_on_start_makes_one_draft(client, consultation) -> None:
    _, token, csrf = start(client, consultation)
    client.post(
        f"/consultations/{consultation.slug}/start", data={"csrf_token": csrf, "start_token": token}
    )
    assert _count("draft") == 1


def test_honeypot_response_is_kept_but_excluded(client, consultation) -> None:
    start(client, consultation)
    q = consultation.q
    submit_form(
        client,
        page_url(consultation, 1),
        {q["district"].field_name: "Rugby", q["safe"].field_name: "Yes", "website": "http://spam"},
    )
    submit_form(client, page_url(consultation, 3), {})
    submit_form(client, f"/consultations/{consultation.slug}/check", {})
    response = db.session.execute(select(Response)).scalar_one()
    assert response.status == "submitted"
    assert response.excluded and "hidden field" in response.excluded_reason


def test_save_and_resume_with_code_in_a_new_browser(app, client, consultation, outbox) -> None:
    start(client, consultation)
    q = consultation.q
    r = submit_form(
        client,
        page_url(consultation, 1),
        {q["district"].field_name: "Rugby", "save_later": "1"},  # required answer missing is fine
    )
    assert r.location.endswith("/saved")
    html = client.get(r.location).get_data(as_text=True)
    code = re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", html).group(0)
    r = submit_form(
        client, f"/consultations/{consultation.slug}/saved", {"email": "me@example.org"}
    )
    assert len(outbox) == 1 and code in outbox[0].body
    other = app.test_client()
    r = submit_form(other, f"/consultations/{consultation.slug}/resume", {"code": code.lower()})
    assert r.status_code == 302
    html = other.get(page_url(consultation, 1)).get_data(as_text=True)
    assert re.search(r'value="Rugby"[^>]*checked', html)


def test_wrong_resume_code_shows_error(client, consultation) -> None:
    r = submit_form(client, f"/consultations/{consultation.slug}/resume", {"code": "NOPE"})
    assert "We could not find saved answers" in r.get_data(as_text=True)


def test_expired_draft_cannot_be_resumed_and_is_purged(client, consultation) -> None:
    from datetime import timedelta

    from portal.clock import utcnow

    start(client, consultation)
    draft = db.session.execute(select(Response)).scalar_one()
    draft.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert services.draft_by_code(consultation, draft.resume_code) is None
    assert services.purge_expired_drafts() == 1


def test_closed_consultation_says_so_and_offers_results(client, consultation) -> None:
    services.set_status(consultation, "closed")
    html = client.get(f"/consultations/{consultation.slug}").get_data(as_text=True)
    assert "This consultation has closed" in html
    assert f"/consultations/{consultation.slug}/results" in html
    assert client.get(page_url(consultation, 1)).status_code == 302


def test_database_failure_at_submit_keeps_draft(client, consultation, monkeypatch) -> None:
    from sqlalchemy.exc import OperationalError

    complete(client, consultation)

    def broken(*args, **kwargs):
        raise OperationalError("UPDATE", {}, Exception("database is locked"))

    monkeypatch.setattr(services, "submit_response", broken)
    r = submit_form(client, f"/consultations/{consultation.slug}/check", {})
    assert r.status_code == 503
    assert "Your answers are saved" in r.get_data(as_text=True)
    draft = db.session.execute(select(Response)).scalar_one()
    assert draft.status == "draft" and len(draft.answers) == 5
    monkeypatch.undo()
    r = submit_form(client, f"/consultations/{consultation.slug}/check", {})
    assert r.status_code == 302 and _count() == 1


def test_resident_can_delete_response_with_reference(client, consultation) -> None:
    complete(client, consultation)
    submit_form(client, f"/consultations/{consultation.slug}/check", {})
    reference = db.session.execute(select(Response.reference)).scalar_one()
    r = submit_form(
        client, f"/consultations/{consultation.slug}/delete", {"reference": reference.lower()}
    )
    assert "Are you sure" in r.get_data(as_text=True)
    token = csrf_token_from(r)
    r = client.post(
        f"/consultations/{consultation.slug}/delete/confirm",
        data={"csrf_token": token, "reference": reference},
    )
    assert "has been deleted" in r.get_data(as_text=True)
    assert _count() == 0


def test_screener_keys_show_support_box_and_failures_do_not_block(
    app, client, consultation
) -> None:
    calls = []

    def screener(response_id, question_id, text):
        calls.append(text)
        return ["samaritans", "not-a-key"]

    app.extensions["answer_screener"] = screener
    start(client, consultation)
    q = consultation.q
    submit_form(
        client,
        page_url(consultation, 1),
        {q["district"].field_name: "Rugby", q["safe"].field_name: "No"},
    )
    submit_form(client, page_url(consultation, 2), {q["why"].field_name: "I am scared"})
    html = client.get(page_url(consultation, 3)).get_data(as_text=True)
    assert calls == ["I am scared"]
    assert "Support is available" in html and "116 123" in html
    assert "flag" not in html.lower()

    def broken(*args):
        raise RuntimeError("model not loaded")

    app.extensions["answer_screener"] = broken
    r = submit_form(client, page_url(consultation, 2), {q["why"].field_name: "Still scared"})
    assert r.status_code == 302
    assert "Still scared" in client.get(f"/consultations/{consultation.slug}/check").get_data(
        as_text=True
    )


def test_submitted_signal_is_sent(app, client, consultation) -> None:
    from surveys.signals import response_submitted

    seen = []

    def listener(sender, response_id):
        seen.append(response_id)

    response_submitted.connect(listener)
    try:
        complete(client, consultation)
        submit_form(client, f"/consultations/{consultation.slug}/check", {})
    finally:
        response_submitted.disconnect(listener)
    assert seen == [db.session.execute(select(Response.id)).scalar_one()]


def test_duplicate_looking_response_is_flagged_not_dropped(app, consultation) -> None:
    for _ in range(2):
        client = app.test_client()
        complete(client, consultation, why="Exactly the same long complaint about the park.")
        submit_form(client, f"/consultations/{consultation.slug}/check", {})
    first, second = db.session.execute(select(Response).order_by(Response.id)).scalars()
    assert first.duplicate_of_id is None
    assert second.duplicate_of_id == first.id and not second.excluded
