"""Email goes out over real SMTP (a local aiosmtpd server)."""

from __future__ import annotations

import socket
import time

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Sink

from portal import create_app
from tests.conftest import PASSWORD, make_test_config, submit_form


class _Collector(Sink):
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd API
        self.messages.append(envelope)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server():
    handler = _Collector()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller, handler
    controller.stop()


def test_confirmation_email_is_sent_over_smtp(database_url, smtp_server) -> None:
    controller, handler = smtp_server
    app = create_app(
        make_test_config(
            database_url, MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port
        )
    )
    from tests.conftest import HTMLCheckingClient

    app.test_client_class = HTMLCheckingClient
    with app.app_context():
        client = app.test_client()
        response = submit_form(
            client,
            "/account/register",
            {
                "name": "Sam",
                "email": "sam@example.org",
                "password": PASSWORD,
                "confirm": PASSWORD,
            },
        )
        assert response.status_code == 302
        deadline = time.monotonic() + 5
        while not handler.messages and time.monotonic() < deadline:
            time.sleep(0.05)
        assert handler.messages, "no message reached the SMTP server"
        envelope = handler.messages[0]
        assert envelope.rcpt_tos == ["sam@example.org"]
        body = envelope.content.decode()
        assert "Confirm your email address" in body
        assert "/account/confirm/" in body
        from sqlalchemy import delete

        from portal.auth.models import AuditEvent, User, user_roles
        from portal.extensions import db

        db.session.execute(delete(AuditEvent))
        db.session.execute(delete(user_roles))
        db.session.execute(delete(User))
        db.session.commit()
        db.engine.dispose()


def test_mail_outage_does_not_lose_the_account(database_url) -> None:
    app = create_app(
        make_test_config(
            database_url, MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=_free_port()
        )
    )
    from tests.conftest import HTMLCheckingClient

    app.test_client_class = HTMLCheckingClient
    with app.app_context():
        from portal.auth import services

        client = app.test_client()
        response = submit_form(
            client,
            "/account/register",
            {
                "name": "Kai",
                "email": "kai@example.org",
                "password": PASSWORD,
                "confirm": PASSWORD,
            },
        )
        assert response.status_code == 302
        assert services.find_user_by_email("kai@example.org") is not None
        from sqlalchemy import delete

        from portal.auth.models import AuditEvent, User, user_roles
        from portal.extensions import db

        db.session.execute(delete(AuditEvent))
        db.session.execute(delete(user_roles))
        db.session.execute(delete(User))
        db.session.commit()
        db.engine.dispose()
