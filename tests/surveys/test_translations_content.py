"""Translated consultation content: what residents see, what is stored, and the staff form."""

from __future__ import annotations

import re

from markupsafe import escape

from portal.extensions import db
from surveys import content, services
from surveys.models import Response
from tests.conftest import submit_form
from tests.surveys.conftest import page_url, start

POLISH = {
    "title": "Czujesz się bezpiecznie w Rugby",
    "summary": "Powiedz nam, gdzie czujesz się bezpiecznie.",
}


def _translate_into_polish(c) -> None:
    q = c.q
    c.translations = {"pl": dict(POLISH)}
    c.sections[0].translations = {"pl": {"title": "Twoja okolica"}}
    q["safe"].translations = {
        "pl": {"text": "Czy czujesz się bezpiecznie?", "options": {"Yes": "Tak", "No": "Nie"}}
    }
    q["why"].translations = {"pl": {"text": "Dlaczego czujesz się niebezpiecznie?"}}
    db.session.commit()


def _choose(client, code: str) -> None:
    assert client.get(f"/language/{code}?next=/").status_code == 302


def _html_tag(body: str) -> str:
    return re.search(r"<html[^>]*>", body).group(0)


def test_resident_sees_translation_and_english_values_are_stored(client, consultation) -> None:
    c = consultation
    _translate_into_polish(c)
    _choose(client, "pl")
    body = client.get(f"/consultations/{c.slug}").get_data(as_text=True)
    assert 'lang="pl"' in _html_tag(body)
    assert POLISH["title"] in body and POLISH["summary"] in body
    assert "surveys-language-note" not in body
    # The background has no Polish yet: it is shown in English, marked as English.
    assert '<span lang="en" dir="ltr">Background paragraph.</span>' in body

    start(client, c)
    page = client.get(page_url(c, 1)).get_data(as_text=True)
    assert "Czy czujesz się bezpiecznie?" in page
    assert re.search(r'value="No"[^>]*>\s*<label[^>]*>\s*Nie\s*</label>', page), "label is Polish"
    assert re.search(r'value="Yes"[^>]*>\s*<label[^>]*>\s*Tak\s*</label>', page)
    # The district question is not translated: its English label is marked as English.
    assert '<span lang="en" dir="ltr">Where do you live?</span>' in page

    q = c.q
    r = submit_form(client, page_url(c, 1), {q["district"].field_name: "Rugby",
                                            q["safe"].field_name: "No"})  # fmt: skip
    # Routing still works on the English value: "No" leads to the conditional page 2.
    assert r.status_code == 302 and r.location.endswith(page_url(c, 2))
    page2 = client.get(page_url(c, 2)).get_data(as_text=True)
    assert "Dlaczego czujesz się niebezpiecznie?" in page2

    response = db.session.execute(db.select(Response)).scalar_one()
    assert response.language == "pl"
    assert services.answers_of(response)[q["safe"].id] == "No"

    r = submit_form(client, page_url(c, 2), {q["why"].field_name: "Ciemno w nocy."})
    submit_form(client, page_url(c, 3), {})
    check = client.get(f"/consultations/{c.slug}/check").get_data(as_text=True)
    assert "Nie" in check and "Czy czujesz się bezpiecznie?" in check
    r = submit_form(client, f"/consultations/{c.slug}/check", {})
    assert r.status_code == 302 and r.location.endswith("/confirmation")
    db.session.refresh(response)
    assert response.status == "submitted" and response.language == "pl"
    assert services.answers_of(response)[q["safe"].id] == "No"
    # Results count the English option, whatever language it was chosen in.
    results = services.closed_results(c, public=False)
    result = next(r for r in results if r.question_id == q["safe"].id)
    no_row = next(row for row in result.table(False) if row["option"] == "No")
    assert 1 in no_row["cells"].values()


def test_untranslated_consultation_says_so_and_marks_english(client, consultation) -> None:
    c = consultation
    _translate_into_polish(c)
    _choose(client, "ro")
    body = client.get(f"/consultations/{c.slug}").get_data(as_text=True)
    assert 'lang="ro"' in _html_tag(body)
    assert "surveys-language-note" in body
    assert '<span lang="ro">Română</span>' in body
    assert f'<span lang="en" dir="ltr">{escape(c.title)}</span>' in body
    assert POLISH["title"] not in body
    # And the listing of open consultations.
    listing = client.get("/consultations").get_data(as_text=True)
    assert f'<span lang="en" dir="ltr">{escape(c.title)}</span>' in listing


def test_right_to_left_page_keeps_english_content_left_to_right(client, consultation) -> None:
    c = consultation
    c.translations = {"ur": {"title": "رگبی میں محفوظ محسوس کرنا"}}
    db.session.commit()
    _choose(client, "ur")
    body = client.get(f"/consultations/{c.slug}").get_data(as_text=True)
    html = _html_tag(body)
    assert 'lang="ur"' in html and 'dir="rtl"' in html
    assert "رگبی میں محفوظ محسوس کرنا" in body
    assert "surveys-language-note" not in body  # it has a translation, if only in part
    assert f'<span lang="en" dir="ltr">{escape(c.summary)}</span>' in body


def test_english_pages_are_unchanged(client, consultation) -> None:
    body = client.get(f"/consultations/{consultation.slug}").get_data(as_text=True)
    assert 'lang="en"' in _html_tag(body)
    assert "surveys-language-note" not in body
    assert '<span lang="en" dir="ltr">' not in body
    start(client, consultation)
    assert db.session.execute(db.select(Response)).scalar_one().language == "en"


def test_staff_translation_form(client, auth, consultation) -> None:
    c = consultation
    auth.as_role("analyst")
    detail = client.get(f"/staff/consultations/{c.id}").get_data(as_text=True)
    url = f"/staff/consultations/{c.id}/translations/pl"
    assert f'href="{url}"' in detail
    assert f'href="/staff/consultations/{c.id}/translations/ur"' in detail
    assert client.get(f"/staff/consultations/{c.id}/translations/xx").status_code == 404

    page = client.get(url).get_data(as_text=True)
    assert 'lang="en" dir="ltr"' in page and "Feeling safe in Rugby" in page
    assert 'name="c_title"' in page and f'name="q{c.q["safe"].id}_option2"' in page
    assert 'lang="pl"' in page

    too_long = "x" * 201
    r = submit_form(client, url, {"c_title": too_long, "c_summary": POLISH["summary"]})
    assert r.status_code == 200
    body = r.get_data(as_text=True)
    assert "govuk-error-summary" in body and 'href="#c_title"' in body
    assert POLISH["summary"] in body and too_long in body  # nothing typed is lost

    safe = c.q["safe"]
    r = submit_form(
        client,
        url,
        {"c_title": POLISH["title"], f"q{safe.id}_text": "Czy czujesz się bezpiecznie?",
         f"q{safe.id}_option1": "Tak", f"q{safe.id}_option2": ""},
    )  # fmt: skip
    assert r.status_code == 302
    db.session.expire_all()
    assert c.translations == {"pl": {"title": POLISH["title"]}}
    assert safe.translations == {
        "pl": {"text": "Czy czujesz się bezpiecznie?", "options": {"Yes": "Tak"}}
    }
    assert c.sections[1].translations is None
    assert content.languages_with_content(c) == {"pl"}
    # Emptying the boxes removes the language again.
    empty = {"c_title": "", f"q{safe.id}_text": "", f"q{safe.id}_option1": ""}
    assert submit_form(client, url, empty).status_code == 302
    db.session.expire_all()
    assert c.translations is None and safe.translations is None


def test_duplicate_keeps_translations(app, consultation) -> None:
    _translate_into_polish(consultation)
    copy = services.duplicate_consultation(consultation, "Copy", [], None)
    assert copy.translations == {"pl": POLISH}
    assert copy.questions[1].translations["pl"]["options"] == {"Yes": "Tak", "No": "Nie"}


def test_local_text_and_fixed_options(app, consultation) -> None:
    assert str(escape(content.LocalText("<b>", fallback=True))) == (
        '<span lang="en" dir="ltr">&lt;b&gt;</span>'
    )
    assert str(escape(content.LocalText("Tak"))) == "Tak"
    assert content.LocalText("", fallback=True).fallback is False
    age = consultation.q["age"]
    with app.test_request_context():
        assert content.option_label(age, "18 to 24", "en") == "18 to 24"
        assert content.option_label(age, "Made up", "pl").fallback is True
    assert content.with_translation({"pl": {"title": "A"}, "ro": {"title": "B"}}, "pl", {}) == {
        "ro": {"title": "B"}
    }
