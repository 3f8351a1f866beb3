"""Every interface language, with and without translated consultation content, passes axe."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.browser.conftest import check_page, sign_in

SLUG = "browser-languages"


@pytest.fixture(scope="module")
def translated(live_server):
    """An open consultation translated into Polish only (other languages fall back to English)."""
    from portal.areas import services as areas
    from portal.clock import utcnow
    from portal.extensions import db
    from surveys import services

    with live_server.app.app_context():
        areas.ensure_districts()
        existing = services.consultation_by_slug(SLUG)
        if existing is None:
            today = utcnow().date()
            c = services.create_consultation(
                "Browser languages", "Tell us where you feel safe.", countywide=True,
                status="open", opens_on=today - timedelta(days=1),
                closes_on=today + timedelta(days=9), background="Why we ask.",
                easy_read=True, easy_read_summary="We want to hear from you.",
                translations={"pl": {"title": "Języki w przeglądarce",
                                     "summary": "Powiedz nam, gdzie czujesz się bezpiecznie."}},
            )  # fmt: skip
            p1 = services.add_section(c, "Where you live")
            p1.translations = {"pl": {"title": "Gdzie mieszkasz"}}
            services.add_question(p1, "district", "Where do you live?", required=True)
            services.add_question(
                p1, "single_choice", "Do you feel safe?", required=True, options=["Yes", "No"],
                hint="Think about the last month.",
                translations={"pl": {"text": "Czy czujesz się bezpiecznie?",
                                     "options": {"Yes": "Tak", "No": "Nie"}}},
            )  # fmt: skip
            services.add_question(p1, "agreement", "I trust the police")
            existing = c
        result = {"slug": existing.slug, "id": existing.id}
        db.session.remove()
    return result


def _html_lang_dir(page) -> tuple[str | None, str | None]:
    html = page.locator("html")
    return html.get_attribute("lang"), html.get_attribute("dir")


def test_every_language_passes_axe(page, live_server, translated) -> None:
    base = live_server.url
    languages = live_server.app.config["LANGUAGES"]
    start_url = f"{base}/consultations/{translated['slug']}"
    page.goto(start_url)
    with page.expect_navigation():
        page.click("button.govuk-button--start")
    question_url = page.url
    assert "/page/1" in question_url
    for code, language in languages.items():
        page.goto(f"{base}/language/{code}?next=/")
        assert _html_lang_dir(page) == (code, language["dir"])
        check_page(page, f"{base}/", f"home-{code}")
        check_page(page, start_url, f"start-{code}")
        assert _html_lang_dir(page) == (code, language["dir"])
        note = page.locator(".surveys-language-note")
        if code in ("en", "pl"):
            assert note.count() == 0
        else:
            assert note.count() == 1
            # The English content is marked as English (and left to right on an Urdu page).
            title = page.locator("h1 span[lang='en'][dir='ltr']")
            assert title.inner_text() == "Browser languages"
        check_page(page, f"{start_url}?version=easy", f"start-easy-{code}")
        check_page(page, question_url, f"question-{code}")
        assert _html_lang_dir(page) == (code, language["dir"])
        if code == "pl":
            assert page.locator("label:has-text('Tak')").count() == 1
            assert page.locator("input[value='Yes']").count() == 1


def test_staff_translation_pages(page, live_server, translated) -> None:
    sign_in(page, live_server, "browser-translator@example.org", ("analyst",))
    base = f"{live_server.url}/staff/consultations/{translated['id']}"
    check_page(page, base, "staff-detail-translations")
    check_page(page, f"{base}/translations/ur", "staff-translation-ur")
    assert page.locator("input[name='c_title']").get_attribute("dir") == "rtl"
    page.fill("input[name='c_title']", "x" * 201)
    with page.expect_navigation():
        page.click("button:has-text('Save translation')")
    assert page.locator(".govuk-error-summary").is_visible()
    check_page(page, None, "staff-translation-error")
    check_page(page, f"{base}/other-languages", "staff-other-languages")
