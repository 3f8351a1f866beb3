"""Shared fixtures: a real database per backend, the app, an HTML-checking client, and `auth`."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import html5lib
import pyotp
import pytest
from flask import Flask, g, has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import create_engine, delete, text
from werkzeug.test import TestResponse

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")

from portal import create_app  # noqa: E402
from portal.extensions import db  # noqa: E402

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])
# Reference data seeded by the migrations and kept between tests.
KEEP_TABLES = {"alembic_version", "district", "role"}
PASSWORD = "correct horse battery staple"
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def postgres_url() -> str:
    url = os.environ["TEST_DATABASE_URL"]
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class HTMLCheckingClient(FlaskClient):
    """A test client that fails on any HTML page the HTML5 parser finds malformed."""

    def open(self, *args, **kwargs) -> TestResponse:  # type: ignore[override]
        # The app fixture keeps one app context open, which Flask reuses for every request;
        # clear `g` so each request starts fresh, as in production (CSRF token, current user).
        if has_app_context():
            g.__dict__.clear()
        response = super().open(*args, **kwargs)
        if response.mimetype == "text/html" and response.status_code != 304:
            body = response.get_data(as_text=True)
            parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
            try:
                parser.parse(body)
            except html5lib.html5parser.ParseError as error:
                line = parser.errors[0][0][0] if parser.errors else "?"
                lines = body.splitlines()
                context = lines[int(line) - 1] if isinstance(line, int) else ""
                raise AssertionError(
                    f"Malformed HTML at {response.request.path} line {line}: {error}\n{context}"
                ) from error
        return response


def csrf_token_from(response: TestResponse) -> str:
    match = CSRF_RE.search(response.get_data(as_text=True))
    assert match, "page has no CSRF token"
    return match.group(1)


def submit_form(
    client: FlaskClient, url: str, data: dict, follow_redirects: bool = False, **kwargs
) -> TestResponse:
    """GET the page, take its CSRF token, then POST the form as a browser would."""
    page = client.get(url)
    payload = {"csrf_token": csrf_token_from(page), **data}
    return client.post(url, data=payload, follow_redirects=follow_redirects, **kwargs)


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated database for the session: a SQLite file, or the real PostgreSQL in CI."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'portal-test.db'}"
    else:
        url = postgres_url()
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    with app.app_context():
        upgrade(revision="heads")
        db.engine.dispose()
    return url


def make_test_config(database_url: str, **extra: object) -> dict:
    config = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "MAIL_BACKEND": "locmem",
        "JOBS_INLINE": True,
        "SERVER_NAME": None,
        "RATELIMIT_STORAGE_URI": "memory://",
        "DEMO_RUN_THEMES": False,
    }
    config.update(extra)
    return config


@pytest.fixture
def app_config(database_url: str) -> dict:
    """Settings for this test's app; tests may change them before `app` is built."""
    return make_test_config(database_url)


@pytest.fixture
def app(app_config: dict) -> Iterator[Flask]:
    """The portal on a clean database (reference data kept)."""
    application = create_app(app_config)
    application.test_client_class = HTMLCheckingClient
    with application.app_context():
        yield application
        db.session.remove()
        for table in reversed(db.metadata.sorted_tables):
            if table.name not in KEEP_TABLES:
                db.session.execute(delete(table))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


@pytest.fixture
def outbox(app: Flask) -> list:
    mailman = app.extensions["mailman"]
    mailman.outbox = []
    return mailman.outbox


class AuthActions:
    """Create accounts and sign in as a person would, second factor included."""

    def __init__(self, app: Flask, client: FlaskClient) -> None:
        self._app = app
        self._client = client

    def create(
        self,
        email: str = "person@example.org",
        roles: tuple[str, ...] = ("member",),
        password: str = PASSWORD,
        with_totp: bool = True,
    ):
        from portal.auth import services

        user = services.create_user(
            email, password, list(roles), name="Test Person", confirmed=True
        )
        if with_totp and user.needs_second_factor:
            user.totp_secret = pyotp.random_base32()
        db.session.commit()
        return user

    def login(self, email: str = "person@example.org", password: str = PASSWORD) -> TestResponse:
        from portal.auth import services

        response = submit_form(
            self._client, "/account/sign-in", {"email": email, "password": password}
        )
        user = services.find_user_by_email(email)
        if response.status_code == 302 and "/account/two-factor" in response.location:
            # Each sign-in in a test is a new time window for the code.
            user.totp_last_counter = None
            db.session.commit()
            code = pyotp.TOTP(user.totp_secret).now()
            response = submit_form(self._client, "/account/two-factor", {"code": code})
        return response

    def as_role(self, *roles: str, email: str | None = None):
        email = email or f"{'-'.join(roles) or 'nobody'}@example.org"
        user = self.create(email, roles)
        response = self.login(email)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return user

    def logout(self) -> TestResponse:
        page = self._client.get("/account/")
        return self._client.post("/account/sign-out", data={"csrf_token": csrf_token_from(page)})


@pytest.fixture
def auth(app: Flask, client: FlaskClient) -> AuthActions:
    return AuthActions(app, client)


@pytest.fixture
def data_dir() -> Path:
    return Path(__file__).parent / "data"
