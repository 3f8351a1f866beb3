"""Reading age warnings, the easy read version, and answers written in other languages."""

from __future__ import annotations

from portal.extensions import db
from surveys import answer_languages, readability, services
from tests.conftest import submit_form
from tests.surveys.conftest import add_responses, page_url, start

HARD = (
    "The partnership is undertaking comprehensive multi-agency consultation regarding the "
    "commissioning of preventative interventions addressing serious violence, exploitation "
    "and associated vulnerabilities."
)


def test_reading_age() -> None:
    assert readability.reading_age("Do you feel safe where you live?") <= 8
    assert readability.reading_age(HARD) > 20
    assert readability.reading_age("Yes") is None  # too short to judge


def test_builder_warns_about_hard_text(app, client, auth, consultation) -> None:
    auth.as_role("analyst")
    url = f"/staff/consultations/{consultation.id}"
    assert "govuk-warning-text" not in client.get(url).get_data(as_text=True)
    consultation.background = HARD
    consultation.q["why"].hint = HARD
    db.session.commit()
    body = client.get(url).get_data(as_text=True)
    assert "govuk-warning-text" in body
    found = readability.hard_texts(consultation, 12)
    assert [(h.part, h.number) for h in found] == [("background", None), ("question", 3)]
    # The limit is configurable.
    app.config["SURVEYS_MAX_READING_AGE"] = 99
    assert "govuk-warning-text" not in client.get(url).get_data(as_text=True)


def test_easy_read_version(client, auth, consultation) -> None:
    c = consultation
    body = client.get(f"/consultations/{c.slug}").get_data(as_text=True)
    assert "version=easy" not in body
    auth.as_role("analyst")
    r = submit_form(
        client,
        f"/staff/consultations/{c.id}/edit",
        {"title": c.title, "summary": c.summary, "districts": [str(c.districts[0].id)],
         "easy_read": "y", "easy_read_summary": "We want to hear from you.\n\nIt is quick."},
    )  # fmt: skip
    assert r.status_code == 302, r.get_data(as_text=True)[:2000]
    db.session.refresh(c)
    assert c.easy_read and c.easy_read_summary.startswith("We want")
    auth.logout()

    body = client.get(f"/consultations/{c.slug}").get_data(as_text=True)
    assert f'href="/consultations/{c.slug}?version=easy"' in body
    easy = client.get(f"/consultations/{c.slug}?version=easy").get_data(as_text=True)
    assert '<p class="govuk-body-l">We want to hear from you.</p>' in easy
    assert '<p class="govuk-body-l">It is quick.</p>' in easy
    assert "Background paragraph." not in easy
    start(client, c)
    page = client.get(page_url(c, 1)).get_data(as_text=True)
    assert "surveys-prominent-hints" in page


def test_answers_in_other_languages(client, auth, consultation) -> None:
    c = consultation
    add_responses(c, 2, "Rugby", why="The underpass at night is very dark and empty.")
    add_responses(c, 1, "Warwick", why="Na ulicach jest za ciemno w nocy, potrzebujemy światła.")
    add_responses(c, 1, "Rugby", why="ok")
    detected = services.answers_with_languages(c)
    assert services.answer_language_counts(detected) == [
        ("en", 2), ("pl", 1), (answer_languages.UNKNOWN, 1)
    ]  # fmt: skip
    auth.as_role("analyst")
    dashboard = client.get(f"/staff/consultations/{c.id}/dashboard").get_data(as_text=True)
    assert f'href="/staff/consultations/{c.id}/other-languages"' in dashboard
    assert '<th scope="row" class="govuk-table__header" lang="pl">Polski</th>' in dashboard
    page = client.get(f"/staff/consultations/{c.id}/other-languages").get_data(as_text=True)
    assert 'lang="pl" dir="ltr">Na ulicach jest za ciemno' in page
    assert "Warwick" in page
    assert "The underpass" not in page and ">ok<" not in page


def test_detect_languages() -> None:
    codes = ["en", "pl", "ro", "pa", "ur", "gu"]
    assert answer_languages.detect("More street lighting near the station please", codes) == "en"
    assert answer_languages.detect("Mai multă poliție pe stradă, vă rog", codes) == "ro"
    assert answer_languages.detect("سڑکوں پر مزید روشنی چاہیے", codes) == "ur"
    assert answer_languages.detect("ok", codes) == answer_languages.UNKNOWN
