"""Watching, in-site notifications, and the email digest over real SMTP (aiosmtpd)."""

from __future__ import annotations

import socket
import time

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from forum import notifications, services
from forum.models import Notification
from portal.extensions import db
from tests.conftest import make_test_config, submit_form
from tests.forum.conftest import category, start_topic, trust


class Inbox(Message):
    """Keeps every message the SMTP server receives."""

    def __init__(self) -> None:
        super().__init__()
        self.messages: list = []

    def handle_message(self, message) -> None:  # type: ignore[override]
        self.messages.append(message)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.fixture
def app_config(database_url: str, smtp_server) -> dict:
    controller, _inbox = smtp_server
    return make_test_config(
        database_url,
        MAIL_BACKEND="smtp",
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=controller.port,
        MAIL_USE_TLS=False,
        MAIL_USE_SSL=False,
        MAIL_USERNAME=None,
        MAIL_PASSWORD=None,
    )


def test_watching_a_topic_notifies_in_site(client, auth, member, other_member) -> None:
    topic = start_topic(other_member, title="Street outreach rota")
    response = client.post(
        f"/forum/t/{topic.id}/watch",
        data={"csrf_token": _token(client, f"/forum/t/{topic.id}"), "watch": "1"},
    )
    assert response.status_code == 302
    assert notifications.is_watching(member, topic=topic)
    services.create_reply(other_member, topic, "Can anyone cover Friday?")
    page = client.get("/forum/notifications").get_data(as_text=True)
    assert "replied to “Street outreach rota”" in page
    assert notifications.unread_count(member) == 1
    client.post(
        "/forum/notifications/read", data={"csrf_token": _token(client, "/forum/notifications")}
    )
    assert notifications.unread_count(member) == 0


def test_category_watch_hears_new_topics_not_own_posts(auth, member, other_member) -> None:
    general = category("general")
    notifications.set_watching(member, True, category=general)
    start_topic(member, title="My own topic")
    start_topic(other_member, title="Someone else's topic")
    texts = [n.text for n in notifications.list_notifications(member)]
    assert texts == ["Test Person started “Someone else's topic”"]


def test_digest_sent_over_smtp(app, runner, smtp_server, auth, other_member) -> None:
    _controller, inbox = smtp_server
    reader = auth.create("reader@example.org")
    trust(reader)
    notifications.set_digest_frequency(reader, "daily")
    topic = start_topic(other_member, title="Knife amnesty bins")
    notifications.set_watching(reader, True, topic=topic)
    services.create_reply(other_member, topic, "New bins installed at the library")
    weekly = auth.create("weekly@example.org")
    notifications.set_watching(weekly, True, topic=topic)
    services.create_reply(other_member, topic, "And one at the station")

    result = runner.invoke(args=["forum", "send-digests", "--frequency", "daily"])
    assert result.exit_code == 0, result.output
    assert "Sent 1 daily digest(s)." in result.output
    deadline = time.time() + 5
    while not inbox.messages and time.time() < deadline:
        time.sleep(0.05)
    assert len(inbox.messages) == 1
    message = inbox.messages[0]
    assert message["To"] == "reader@example.org"
    body = message.get_payload(decode=True).decode()
    assert "Knife amnesty bins" in body
    assert "New bins installed at the library" in body
    assert f"/forum/t/{topic.id}" in body
    # nothing is sent twice
    result = runner.invoke(args=["forum", "send-digests", "--frequency", "daily"])
    assert "Sent 0 daily digest(s)." in result.output
    assert (
        db.session.execute(db.select(Notification).where(Notification.emailed_at.is_(None)))
        .scalars()
        .all()
    )  # the weekly reader's notifications still wait for their digest
    result = runner.invoke(args=["forum", "send-digests", "--frequency", "weekly"])
    assert "Sent 1 weekly digest(s)." in result.output


def test_digest_settings_form(client, member) -> None:
    response = submit_form(client, "/forum/notifications/settings", {"frequency": "never-ever"})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.get_data(as_text=True)
    response = submit_form(client, "/forum/notifications/settings", {"frequency": "daily"})
    assert response.status_code == 302
    assert notifications.digest_frequency(member) == "daily"


def _token(client, url: str) -> str:
    from tests.conftest import csrf_token_from

    return csrf_token_from(client.get(url))
