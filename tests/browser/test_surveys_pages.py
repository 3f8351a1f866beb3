"""Accessibility of the consultation pages (resident journey and staff builder) with axe."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.browser.conftest import AXE_TAGS, WIDTHS, check_page, sign_in


@pytest.fixture(scope="module")
def seeded(live_server):
    """An open consultation with every question kind, and a published one with results."""
    from portal.areas import services as areas
    from portal.clock import utcnow
    from portal.extensions import db
    from surveys import services

    with live_server.app.app_context():
        areas.ensure_districts()
        today = utcnow().date()
        existing = services.consultation_by_slug("browser-feeling-safe")
        if existing is None:
            c = services.create_consultation(
                "Browser feeling safe", "Tell us where you feel safe.", countywide=True,
                status="open", opens_on=today - timedelta(days=1),
                closes_on=today + timedelta(days=9), audience_note="Everyone aged 11 and over",
            )  # fmt: skip
            p1 = services.add_section(c, "Where you live")
            services.add_question(p1, "district", "Where do you live?", required=True)
            safe = services.add_question(
                p1, "single_choice", "Do you feel safe?", required=True, options=["Yes", "No"]
            )
            p2 = services.add_section(c, "Your experiences", content_note="About violence.")
            services.add_question(
                p2, "free_text", "What makes you feel unsafe?", required=True, max_length=500,
                condition={"question_id": safe.id, "equals": "No"},
            )  # fmt: skip
            services.add_question(
                p2, "multiple_choice", "What would help?", options=["Lighting", "Police"]
            )
            services.add_question(p2, "agreement", "I trust the police")
            services.add_question(p2, "postcode", "Your postcode")
            p3 = services.add_section(c, "About you")
            services.add_question(p3, "equality_age", "What is your age?")
            services.add_question(p3, "contact_email", "Email for updates")
            published = services.create_consultation(
                "Browser published", "Done.", countywide=True, status="published",
                results_summary="People asked for lighting.",
            )  # fmt: skip
            p = services.add_section(published, "Only page")
            q = services.add_question(p, "single_choice", "Safe?", options=["Yes", "No"])
            for i in range(7):
                services.add_sent_response(
                    published, {q: "Yes" if i < 5 else "No"}, submitted_at=utcnow()
                )
            services.save_action(published, None, "More lights", "", "in_progress", [])
            existing = c
        result = {"slug": existing.slug, "id": existing.id}
        db.session.remove()
    return result


def _press(page, selector: str) -> None:
    """Click a button that submits a form and wait for the next page to load."""
    with page.expect_navigation():
        page.click(selector)


def _axe(page, label: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    assert results.violations_count == 0, f"{label}:\n{results.generate_report()}"


def test_resident_journey_pages(page, live_server, seeded) -> None:
    base = live_server.url
    slug = seeded["slug"]
    check_page(page, f"{base}/consultations", "consultations-list")
    check_page(page, f"{base}/consultations/{slug}", "consultation-start")
    page.goto(f"{base}/consultations/{slug}")
    _press(page, "button.govuk-button--start")
    assert "/page/1" in page.url, (page.url, page.content()[-3000:])
    check_page(page, page.url, "question-page-1")
    # error state at both widths, without reloading (that would clear the errors)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{base}/consultations/{slug}/page/1")
        _press(page, "button:has-text('Continue')")
        assert page.locator(".govuk-error-summary").is_visible()
        _axe(page, f"question page error at {width}px")
    page.check("input[value='Rugby']")
    page.check("input[value='No']")
    _press(page, "button:has-text('Continue')")
    assert "/page/2" in page.url
    check_page(page, page.url, "question-page-2")
    page.fill("textarea", "The underpass is dark.")
    _press(page, "button:has-text('Continue')")
    check_page(page, page.url, "question-page-3")
    _press(page, "button:has-text('Continue')")
    assert page.url.endswith("/check")
    check_page(page, page.url, "check-answers")
    _press(page, "button:has-text('Send my response')")
    assert page.url.endswith("/confirmation")
    assert page.locator(".govuk-panel").count() == 1, page.content()[-4000:]
    check_page(page, page.url, "confirmation")
    check_page(page, f"{base}/consultations/{slug}/resume", "resume")
    check_page(page, f"{base}/consultations/{slug}/delete", "delete")


def test_exit_this_page_works_without_javascript(browser, live_server, seeded) -> None:
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(f"{live_server.url}/consultations/{seeded['slug']}")
    link = tab.locator(".govuk-exit-this-page a")
    assert link.get_attribute("href") == "https://www.bbc.co.uk/weather"
    context.close()


def test_results_page(page, live_server, seeded) -> None:
    check_page(page, f"{live_server.url}/consultations/browser-published/results", "results")
    assert "<5" in page.content() or "&lt;5" in page.content()


def test_staff_builder_pages(page, live_server, seeded) -> None:
    sign_in(page, live_server, "browser-analyst@example.org", ("analyst",))
    base = f"{live_server.url}/staff/consultations"
    cid = seeded["id"]
    for path, name in [
        ("/", "staff-consultations"),
        ("/new", "staff-new-consultation"),
        (f"/{cid}", "staff-builder"),
        (f"/{cid}/edit", "staff-edit"),
        (f"/{cid}/preview/2", "staff-preview"),
        (f"/{cid}/duplicate", "staff-duplicate"),
        (f"/{cid}/dashboard", "staff-dashboard"),
        (f"/{cid}/responses", "staff-responses"),
        (f"/{cid}/assisted", "staff-assisted"),
        (f"/{cid}/results", "staff-results"),
        (f"/{cid}/actions/new", "staff-action"),
        ("/import", "staff-import"),
    ]:
        check_page(page, base + path, name)
    page.goto(f"{base}/{cid}")
    page.click("a:has-text('Add a question to this page') >> nth=0")
    check_page(page, page.url, "staff-question-form")
