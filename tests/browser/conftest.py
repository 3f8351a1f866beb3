"""Browser tests: a live portal on SQLite, Debian's Chromium through Playwright, and axe-core.

They skip, with the reason, where Chromium or Playwright is not available.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyotp
import pytest
from flask import Flask
from flask_migrate import upgrade
from werkzeug.serving import make_server

from portal import create_app
from portal.extensions import db

WIDTHS = (375, 1280)
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
BROWSER_PASSWORD = "correct horse battery staple"

pytestmark = pytest.mark.browser


def chromium_path() -> str | None:
    candidates = [os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium", shutil.which("chromium")]
    return next((c for c in candidates if c and Path(c).exists()), None)


@dataclass
class LiveServer:
    """A running portal and the app object behind it (for seeding data)."""

    url: str
    app: Flask

    def create_user(self, email: str, roles: tuple[str, ...]) -> str:
        """Create an account with a known authenticator secret; returns the secret."""
        from portal.auth import services

        with self.app.app_context():
            user = services.find_user_by_email(email)
            if user is None:
                user = services.create_user(
                    email, BROWSER_PASSWORD, list(roles), name="Browser Test", confirmed=True
                )
            user.totp_secret = user.totp_secret or pyotp.random_base32()
            user.totp_last_counter = None
            db.session.commit()
            return user.totp_secret


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The portal served on a free loopback port, on a migrated SQLite file."""
    db_path = tmp_path_factory.mktemp("browser") / "portal.db"
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_path}",
            "SECRET_KEY": "browser-test-secret",
            "MAIL_BACKEND": "locmem",
            "JOBS_INLINE": True,
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        upgrade(revision="heads")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(url=f"http://127.0.0.1:{server.server_port}", app=app)
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never Playwright's own download)."""
    path = chromium_path()
    if path is None:
        pytest.skip("Chromium not found: set CHROMIUM_PATH or apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - depends on the install
        pytest.skip("playwright for Python is not installed")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    tab = context.new_page()
    yield tab
    context.close()


def check_page(page, url: str | None, name: str | None = None) -> None:
    """Load a page at phone and desktop widths and assert zero WCAG 2.2 AA violations.

    With `url=None` the page already open (say, a form showing its errors) is checked as it
    is, resized but not reloaded.
    """
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    shots = os.environ.get("SCREENSHOT_DIR")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        if url is not None:
            response = page.goto(url)
            assert response is not None and response.status < 500, f"{url} failed to load"
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        assert results.violations_count == 0, (
            f"{url or page.url} at {width}px:\n{results.generate_report()}"
        )
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            where = url or page.url
            label = name or where.split("//", 1)[-1].split("/", 1)[-1].replace("/", "_") or "home"
            page.screenshot(path=str(Path(shots) / f"{label}-{width}.png"), full_page=True)


def sign_in(page, live_server: LiveServer, email: str, roles: tuple[str, ...]) -> None:
    """Sign in through the real pages, second factor included."""
    secret = live_server.create_user(email, roles)
    page.goto(f"{live_server.url}/account/sign-in")
    page.fill("#email", email)
    page.fill("#password", BROWSER_PASSWORD)
    page.click("button[type=submit]")
    if "/two-factor" in page.url:
        page.fill("#code", pyotp.TOTP(secret).now())
        page.click("button[type=submit]")
