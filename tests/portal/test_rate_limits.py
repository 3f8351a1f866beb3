"""Rate limits: in memory by default, shared through Redis when REDIS_URL is set."""

from __future__ import annotations

import os
import uuid

import pytest

from portal import create_app
from tests.conftest import HTMLCheckingClient, csrf_token_from, make_test_config


def _hammer(client, times: int) -> list[int]:
    token = csrf_token_from(client.get("/account/sign-in"))
    return [
        client.post(
            "/account/sign-in",
            data={"csrf_token": token, "email": "a@example.org", "password": "not the password"},
        ).status_code
        for _ in range(times)
    ]


@pytest.mark.skipif(not os.environ.get("TEST_REDIS_URL"), reason="TEST_REDIS_URL not set")
def test_limits_are_shared_between_processes_through_redis(database_url) -> None:
    redis_url = os.environ["TEST_REDIS_URL"]
    prefix = f"test-{uuid.uuid4().hex}"
    apps = [
        create_app(
            make_test_config(
                database_url,
                REDIS_URL=redis_url,
                RATELIMIT_STORAGE_URI=redis_url,
                RATELIMIT_KEY_PREFIX=prefix,
                LOGIN_RATE_LIMIT="6 per minute",
            )
        )
        for _ in range(2)
    ]
    clients = []
    for app in apps:
        app.test_client_class = HTMLCheckingClient
        clients.append(app.test_client())
    with apps[0].app_context():
        first = _hammer(clients[0], 4)
    with apps[1].app_context():
        second = _hammer(clients[1], 4)
    assert 429 not in first
    assert second.count(429) >= 2  # the second "process" sees the first one's attempts
    from redis import Redis

    keys = list(Redis.from_url(redis_url).scan_iter(f"*{prefix}*"))
    assert keys, "the attempts were not counted in Redis"
    for app in apps:
        with app.app_context():
            from portal.extensions import db

            db.engine.dispose()


def test_memory_storage_by_default(app) -> None:
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"
