"""Accessibility of the portal's own pages at phone and desktop widths, in Chromium with axe."""

from __future__ import annotations

import pytest

from tests.browser.conftest import check_page, sign_in

PUBLIC = [
    "/",
    "/help",
    "/accessibility",
    "/privacy",
    "/cookies",
    "/contact",
    "/account/sign-in",
    "/account/register",
    "/account/forgotten-password",
    "/no-such-page",
]


@pytest.mark.parametrize("path", PUBLIC)
def test_public_page_has_no_axe_violations(page, live_server, path: str) -> None:
    check_page(page, live_server.url + path)


def test_sign_in_error_state_has_no_axe_violations(page, live_server) -> None:
    page.goto(f"{live_server.url}/account/sign-in")
    page.click("button[type=submit]")
    assert page.locator(".govuk-error-summary").is_visible()
    check_page(page, None, "sign-in-error")


def test_error_summary_links_move_focus_to_field(page, live_server) -> None:
    page.goto(f"{live_server.url}/account/sign-in")
    page.fill("#email", "not-an-email")
    page.click("button[type=submit]")
    assert page.input_value("#email") == "not-an-email"  # what was typed is kept
    page.click(".govuk-error-summary a[href='#email']")
    assert page.evaluate("document.activeElement.id") == "email"


def test_urdu_pages_are_right_to_left(page, live_server) -> None:
    page.goto(f"{live_server.url}/language/ur?next=/")
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.get_attribute("html", "lang") == "ur"
    check_page(page, f"{live_server.url}/", "home-ur")
    page.goto(f"{live_server.url}/language/en?next=/")


def test_staff_pages_have_no_axe_violations(page, live_server) -> None:
    sign_in(page, live_server, "browser-admin@example.org", ("admin",))
    assert "/staff" in page.url
    check_page(page, f"{live_server.url}/staff/", "staff-dashboard")
    check_page(page, f"{live_server.url}/staff/users", "staff-users")
    check_page(page, f"{live_server.url}/account/", "account")


def test_two_factor_setup_page_has_no_axe_violations(page, live_server) -> None:
    from portal.auth import services
    from portal.extensions import db

    live_server.create_user("browser-analyst@example.org", ("analyst",))
    with live_server.app.app_context():
        user = services.find_user_by_email("browser-analyst@example.org")
        user.totp_secret = None
        db.session.commit()
    page.goto(f"{live_server.url}/account/sign-in")
    page.fill("#email", "browser-analyst@example.org")
    page.fill("#password", "correct horse battery staple")
    page.click("button[type=submit]")
    assert "/two-factor/set-up" in page.url
    check_page(page, page.url, "two-factor-setup")
