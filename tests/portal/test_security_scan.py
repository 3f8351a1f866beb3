"""Passive scan: every GET page carries the security headers, and every cookie has safe flags."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.conftest import make_test_config

# Routes that change state on GET would be wrong in themselves; these only need a parameter.
SAMPLE_URLS = [
    "/language/pl?next=/",
    "/language/xx?next=/",
    "/consultations/no-such-consultation",
    "/healthz",
]
# URLs no route matches: checked separately, because their Cache-Control is a known gap.
UNMATCHED_URLS = ["/no-such-page", "/forum/no-such-category/or-page"]


@pytest.fixture(params=[False, True], ids=["http", "secure-cookies"])
def app_config(request: pytest.FixtureRequest, database_url: str) -> dict:
    """Scan once as on a laptop and once with production cookie settings."""
    return make_test_config(
        database_url,
        SESSION_COOKIE_SECURE=request.param,
        REMEMBER_COOKIE_SECURE=request.param,
    )


def _parameterless_get_urls(app: Flask) -> list[str]:
    urls = sorted(
        {
            rule.rule
            for rule in app.url_map.iter_rules()
            if "GET" in rule.methods
            and not rule.arguments
            and rule.endpoint != "static"
            and not rule.endpoint.endswith(".static")
        }
    )
    assert len(urls) > 10, urls
    return urls


def _problems(url: str, response: TestResponse, secure_cookies: bool) -> list[str]:
    """Everything wrong with one response's headers and cookies."""
    found = []
    headers = response.headers
    csp = headers.get("Content-Security-Policy", "")
    if not csp:
        found.append("no Content-Security-Policy")
    if "unsafe-inline" in csp or "unsafe-eval" in csp:
        found.append(f"CSP allows unsafe script or style: {csp}")
    if "frame-ancestors 'none'" not in csp and headers.get("X-Frame-Options") != "DENY":
        found.append("page can be framed")
    if headers.get("X-Content-Type-Options") != "nosniff":
        found.append("no X-Content-Type-Options: nosniff")
    if not headers.get("Referrer-Policy"):
        found.append("no Referrer-Policy")
    if response.mimetype == "text/html" and "no-store" not in headers.get("Cache-Control", ""):
        found.append(f"HTML without Cache-Control: no-store ({response.status_code})")
    for cookie in headers.getlist("Set-Cookie"):
        name, _, rest = cookie.partition("=")
        flags = {part.strip().split("=", 1)[0].lower() for part in cookie.split(";")[1:]}
        if rest.startswith(";") and "max-age=0" in cookie.lower():
            # A deletion (empty value, already expired) carries nothing to protect; Flask-Login
            # sends its remember-cookie deletion without flags.
            continue
        if "httponly" not in flags:
            found.append(f"cookie {name} without HttpOnly")
        if "samesite" not in flags:
            found.append(f"cookie {name} without SameSite")
        if secure_cookies and "secure" not in flags:
            found.append(f"cookie {name} without Secure")
    return [f"{url}: {problem}" for problem in found]


def _scan(app: Flask, client: FlaskClient, urls: list[str]) -> tuple[list[str], int]:
    secure = bool(app.config["SESSION_COOKIE_SECURE"])
    problems: list[str] = []
    for url in urls:
        response = client.get(url)
        problems += _problems(url, response, secure)
    return problems, len(urls)


def test_anonymous_pages_have_security_headers_and_safe_cookies(
    app: Flask, client: FlaskClient
) -> None:
    problems, scanned = _scan(app, client, _parameterless_get_urls(app) + SAMPLE_URLS)
    assert problems == []
    assert scanned > 10


def test_admin_pages_have_security_headers_and_safe_cookies(
    app: Flask, client: FlaskClient, auth
) -> None:
    secure = bool(app.config["SESSION_COOKIE_SECURE"])
    auth.create("scan-admin@example.org", ("admin",))
    signed_in = auth.login("scan-admin@example.org")
    assert signed_in.status_code == 302
    # The sign-in response is the one that sets the session cookie: check it too.
    problems = _problems("sign-in", signed_in, secure)
    assert any(c.startswith("portal_session=") for c in signed_in.headers.getlist("Set-Cookie"))
    scanned_problems, scanned = _scan(app, client, _parameterless_get_urls(app) + SAMPLE_URLS)
    assert problems + scanned_problems == []
    # Still signed in at the end: the walk really saw the staff pages, not the sign-in page.
    assert client.get("/staff/").status_code == 200


def test_not_found_pages_are_not_cached(app: Flask, client: FlaskClient) -> None:
    problems, _ = _scan(app, client, UNMATCHED_URLS)
    assert problems == []


def test_unmatched_urls_have_every_other_header(app: Flask, client: FlaskClient) -> None:
    problems, scanned = _scan(app, client, UNMATCHED_URLS)
    assert [problem for problem in problems if "Cache-Control" not in problem] == []
    assert scanned == len(UNMATCHED_URLS)


def test_the_scan_notices_a_missing_header(app: Flask, client: FlaskClient) -> None:
    """Guard against a scan that can never fail."""
    response = client.get("/")
    del response.headers["X-Content-Type-Options"]
    response.headers["Set-Cookie"] = "tracker=1; Path=/"
    problems = _problems("/", response, secure_cookies=True)
    assert "/: no X-Content-Type-Options: nosniff" in problems
    assert "/: cookie tracker without HttpOnly" in problems
    assert "/: cookie tracker without Secure" in problems
