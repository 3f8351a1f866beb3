"""Fixtures for consultations: a small open questionnaire and a helper to answer it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal.areas import services as areas
from portal.clock import utcnow
from surveys import services


@pytest.fixture
def consultation(app):
    """An open three-page consultation with a conditional question and a content note."""
    today = utcnow().date()
    c = services.create_consultation(
        "Feeling safe in Rugby",
        "Tell us where you feel safe.",
        background="Background paragraph.",
        status="open",
        opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=30),
        district_ids=[areas.district_by_name("Rugby").id],
    )
    p1 = services.add_section(c, "Your area")
    district = services.add_question(p1, "district", "Where do you live?", required=True)
    safe = services.add_question(
        p1, "single_choice", "Do you feel safe?", required=True, options=["Yes", "No"]
    )
    p2 = services.add_section(
        c, "Feeling unsafe", content_note="These questions ask about violence."
    )
    why = services.add_question(
        p2,
        "free_text",
        "Why do you feel unsafe?",
        required=True,
        max_length=500,
        condition={"question_id": safe.id, "equals": "No"},
    )
    better = services.add_question(
        p2,
        "multiple_choice",
        "What would help?",
        options=["More lighting", "More police", "Youth clubs"],
        condition={"question_id": safe.id, "any_of": ["No"]},
    )
    p3 = services.add_section(c, "About you")
    age = services.add_question(p3, "equality_age", "What is your age?")
    c.q = {"district": district, "safe": safe, "why": why, "better": better, "age": age}
    return c


def page_url(c, n: int) -> str:
    return f"/consultations/{c.slug}/page/{n}"


def start(client, c):
    """Press 'Start now'."""
    from tests.conftest import submit_form

    page = client.get(f"/consultations/{c.slug}")
    import re

    token = re.search(r'name="start_token"[^>]*value="([^"]+)"', page.get_data(as_text=True))
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.get_data(as_text=True))
    assert token and csrf
    response = client.post(
        f"/consultations/{c.slug}/start",
        data={"csrf_token": csrf.group(1), "start_token": token.group(1)},
    )
    del submit_form
    return response, token.group(1), csrf.group(1)


def complete(client, c, feel_safe: str = "No", why: str = "The underpass at night is dark."):
    """Answer every page and land on check your answers."""
    from tests.conftest import submit_form

    start(client, c)
    q = c.q
    r = submit_form(
        client, page_url(c, 1), {q["district"].field_name: "Rugby", q["safe"].field_name: feel_safe}
    )
    assert r.status_code == 302, r.get_data(as_text=True)[:3000]
    if feel_safe == "No":
        r = submit_form(
            client,
            page_url(c, 2),
            {q["why"].field_name: why, q["better"].field_name: ["More lighting", "Youth clubs"]},
        )
        assert r.status_code == 302, r.get_data(as_text=True)[:3000]
    r = submit_form(client, page_url(c, 3), {q["age"].field_name: "18 to 24"})
    assert r.status_code == 302
    assert r.location.endswith(f"/consultations/{c.slug}/check")
    return r


def add_responses(c, count: int, district: str, safe: str = "No", why: str = "") -> None:
    """Store sent responses directly through the services (fast, no HTTP)."""
    q = c.q
    for i in range(count):
        draft = services.start_draft(c, "", "en")
        values = {q["district"]: district, q["safe"]: safe}
        if safe == "No":
            values[q["why"]] = why or f"Answer number {i} about {district}"
            values[q["better"]] = ["More lighting"]
        services.save_page(draft, values, 3)
        assert services.submit_response(draft)
