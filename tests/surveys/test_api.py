"""The read-only open data API under /api/v1/."""

from __future__ import annotations

from surveys import services
from tests.surveys.conftest import add_responses


def test_only_published_consultations_are_listed(client, consultation) -> None:
    assert client.get("/api/v1/consultations").get_json() == {"consultations": []}
    assert client.get(f"/api/v1/consultations/{consultation.slug}").status_code == 404
    services.set_status(consultation, "published")
    listed = client.get("/api/v1/consultations").get_json()["consultations"]
    assert [c["slug"] for c in listed] == [consultation.slug]


def test_results_suppress_small_numbers(client, consultation) -> None:
    add_responses(consultation, 7, "Rugby", safe="No")
    add_responses(consultation, 3, "Warwick", safe="No")
    services.set_status(consultation, "published")
    body = client.get(f"/api/v1/consultations/{consultation.slug}/results").get_json()
    safe = next(q for q in body["questions"] if q["text"] == "Do you feel safe?")
    no = next(o for o in safe["options"] if o["option"] == "No")
    assert no["counts"] == {"All areas": 10, "Rugby": 7, "Warwick": "<5"}
    assert safe["respondents"]["Warwick"] == "<5"
    assert all(q["kind"] != "equality_age" for q in body["questions"])
    detail = client.get(f"/api/v1/consultations/{consultation.slug}").get_json()
    assert detail["responses"] == 10


def test_findings_come_from_registered_provider(app, client, consultation) -> None:
    services.set_status(consultation, "published")
    url = f"/api/v1/consultations/{consultation.slug}/findings"
    assert client.get(url).get_json()["findings"] == []
    app.extensions["api_findings"] = lambda c: [{"theme": "Lighting", "districts": ["rugby"]}]
    assert client.get(url).get_json()["findings"] == [{"theme": "Lighting", "districts": ["rugby"]}]


def test_openapi_document_describes_the_paths(client) -> None:
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    assert set(doc["paths"]) == {
        "/consultations", "/consultations/{slug}", "/consultations/{slug}/results",
        "/consultations/{slug}/findings",
    }  # fmt: skip


def test_api_is_read_only(client) -> None:
    assert client.post("/api/v1/consultations").status_code in {400, 405}
