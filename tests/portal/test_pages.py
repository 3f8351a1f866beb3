"""Public pages, error pages, health check and security headers."""

from __future__ import annotations

import pytest
from flask import Flask

PUBLIC_PAGES = [
    "/",
    "/help",
    "/accessibility",
    "/privacy",
    "/cookies",
    "/contact",
    "/consultations",
    "/forum",
    "/directory",
    "/account/sign-in",
    "/account/register",
    "/account/forgotten-password",
]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_renders_in_layout(client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'class="govuk-skip-link"' in html
    assert "Safer Warwickshire" in html
    assert 'id="main-content"' in html
    assert "Safe in Warwickshire support" in html  # footer help links
    assert "talk2someone" in html
    assert "GDS Transport" not in html
    assert "govuk-header__logotype" not in html  # no crown


def test_stylesheet_uses_no_gds_transport_font(client) -> None:
    with client.get("/static/css/portal.css") as response:
        css = response.get_data(as_text=True)
    assert "govuk-template" in css
    assert "GDS Transport" not in css


def test_pages_work_without_javascript(client) -> None:
    html = client.get("/").get_data(as_text=True)
    # the only scripts are external files; nothing inline that the CSP would block
    assert "<script>" not in html
    assert 'src="/static/js/body-start.js"' in html


def test_not_found_page_is_styled(client) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_server_error_page_is_styled(app: Flask, client) -> None:
    @app.get("/explode-for-test")
    def explode() -> str:
        raise RuntimeError("boom")

    response = client.get("/explode-for-test")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "Sorry, there is a problem with the service" in body
    assert "boom" not in body


def test_healthz_ok(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_503_when_database_unreachable(tmp_path) -> None:
    from portal import create_app

    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'missing' / 'nowhere.db'}",
        }
    )
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unavailable"


def test_security_headers(client) -> None:
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "base-uri 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in response.headers
    assert response.headers["X-Request-ID"]


def test_hsts_over_https(client) -> None:
    response = client.get("/", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_session_cookie_is_httponly_and_samesite(client) -> None:
    response = client.get("/account/sign-in")
    cookie = response.headers.get("Set-Cookie", "")
    assert "portal_session=" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_secure_cookies_in_production_config(monkeypatch, tmp_path) -> None:
    from portal.config import load_config

    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    config = load_config(tmp_path)
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["REMEMBER_COOKIE_SECURE"] is True


def test_csrf_token_lifetime_outlasts_a_slow_survey(app: Flask) -> None:
    assert app.config["WTF_CSRF_TIME_LIMIT"] >= 3600


def test_healthz_reports_redis_down_but_stays_up(app_config: dict) -> None:
    """(The rate limiter's own fallback to memory is Flask-Limiter's, configured in
    portal/config.py; it is not exercised here because the limiter object is shared.)"""
    import socket

    from portal import create_app
    from portal.extensions import db
    from tests.conftest import HTMLCheckingClient, submit_form

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    dead = f"redis://127.0.0.1:{closed_port}/0"
    app = create_app({**app_config, "REDIS_URL": dead})
    app.test_client_class = HTMLCheckingClient
    try:
        with app.app_context():
            client = app.test_client()
            response = client.get("/healthz")
            assert response.status_code == 200
            assert response.get_json() == {
                "status": "degraded",
                "database": "ok",
                "redis": "unavailable",
            }
            # rate-limited public forms still work: the limiter falls back to memory
            page = submit_form(
                client,
                "/account/sign-in",
                {"email": "x@example.org", "password": "not the password"},
            )
            assert page.status_code == 200
            assert "Enter a correct email address and password" in page.get_data(as_text=True)
    finally:
        with app.app_context():
            db.engine.dispose()


def test_healthz_reports_redis_when_it_answers(app_config: dict) -> None:
    import os

    from portal import create_app
    from portal.extensions import db

    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        pytest.skip("TEST_REDIS_URL not set")
    app = create_app({**app_config, "REDIS_URL": url})
    try:
        with app.app_context():
            body = app.test_client().get("/healthz").get_json()
            assert body == {"status": "ok", "database": "ok", "redis": "ok"}
    finally:
        with app.app_context():
            db.engine.dispose()
