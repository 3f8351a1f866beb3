"""Rate limits: in memory by default, kept in Redis when REDIS_URL is set.

(That several gunicorn processes share the counts is shown with real processes in
tests/ops/test_multiprocess.py.)
"""

from __future__ import annotations

import os
import random

import pytest

from portal import create_app
from tests.conftest import HTMLCheckingClient, csrf_token_from, make_test_config


@pytest.mark.skipif(not os.environ.get("TEST_REDIS_URL"), reason="TEST_REDIS_URL not set")
def test_attempts_are_counted_in_redis(database_url) -> None:
    from redis import Redis

    from portal.extensions import db

    redis_url = os.environ["TEST_REDIS_URL"]
    address = f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}"
    app = create_app(
        make_test_config(
            database_url,
            REDIS_URL=redis_url,
            RATELIMIT_STORAGE_URI=redis_url,
            LOGIN_RATE_LIMIT="3 per minute",
        )
    )
    app.test_client_class = HTMLCheckingClient
    try:
        with app.app_context():
            client = app.test_client()
            client.environ_base["REMOTE_ADDR"] = address
            token = csrf_token_from(client.get("/account/sign-in"))
            statuses = [
                client.post(
                    "/account/sign-in",
                    data={
                        "csrf_token": token,
                        "email": "a@example.org",
                        "password": "not the password",
                    },
                ).status_code
                for _ in range(5)
            ]
            keys = list(Redis.from_url(redis_url).scan_iter(f"*{address}*"))
    finally:
        with app.app_context():
            db.engine.dispose()
    assert statuses[:3] == [200, 200, 200]
    assert statuses[3:] == [429, 429]
    assert keys, "the attempts were not counted in Redis"


def test_memory_storage_by_default(app) -> None:
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"
