"""Public POSTs are rate limited per address (PUBLIC_POST_RATE_LIMIT)."""

from __future__ import annotations

import pytest

from tests.conftest import csrf_token_from


@pytest.fixture
def app_config(app_config: dict) -> dict:
    return {**app_config, "PUBLIC_POST_RATE_LIMIT": "3 per minute"}


def test_too_many_posts_are_refused_politely(client, consultation) -> None:
    url = f"/consultations/{consultation.slug}/resume"
    token = csrf_token_from(client.get(url))
    codes = [
        client.post(url, data={"csrf_token": token, "code": "X"}).status_code for _ in range(4)
    ]
    assert codes[:3] == [200, 200, 200]
    assert codes[3] == 429
    assert "too many attempts" in client.post(url, data={"csrf_token": token}).get_data(
        as_text=True
    )
