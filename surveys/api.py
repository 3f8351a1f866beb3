"""Read-only open data: published consultations, counts (small numbers suppressed), findings."""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, current_app, jsonify, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from surveys import services
from surveys.models import Consultation
from surveys.results import SUPPRESSED, suppress

log = logging.getLogger(__name__)
bp = Blueprint("surveys_api", __name__, url_prefix="/api/v1")
API_VERSION = "1.0.0"


def _not_found() -> tuple[WerkzeugResponse, int]:
    return jsonify({"error": "not_found", "message": "No published consultation here."}), 404


def _published(slug: str) -> Consultation | None:
    consultation = services.consultation_by_slug(slug)
    return consultation if consultation and consultation.status == "published" else None


def _summary(consultation: Consultation) -> dict[str, Any]:
    return {
        "slug": consultation.slug,
        "title": consultation.title,
        "summary": consultation.summary,
        "countywide": consultation.countywide or not consultation.districts,
        "districts": [{"slug": d.slug, "name": d.name} for d in consultation.districts],
        "opens_on": consultation.opens_on.isoformat() if consultation.opens_on else None,
        "closes_on": consultation.closes_on.isoformat() if consultation.closes_on else None,
        "responses": suppress(services.response_count(consultation)),
        "links": {
            "self": url_for("surveys_api.consultation", slug=consultation.slug, _external=True),
            "results": url_for("surveys_api.results", slug=consultation.slug, _external=True),
            "findings": url_for("surveys_api.findings", slug=consultation.slug, _external=True),
            "page": url_for("surveys.results", slug=consultation.slug, _external=True),
        },
    }


def _findings(consultation: Consultation) -> list[dict[str, Any]]:
    provider = current_app.extensions.get("api_findings")
    if provider is None:
        return []
    try:
        return list(provider(consultation) or [])
    except Exception:  # noqa: BLE001 - findings come from another package; keep the API up
        log.exception("api_findings failed for %s", consultation.slug)
        return []


@bp.get("/")
def index() -> WerkzeugResponse:
    """Where to start: the list of consultations and the OpenAPI document."""
    return jsonify(
        {
            "consultations": url_for("surveys_api.consultations", _external=True),
            "openapi": url_for("surveys_api.openapi", _external=True),
        }
    )


@bp.get("/consultations")
def consultations() -> WerkzeugResponse:
    """Published consultations."""
    return jsonify({"consultations": [_summary(c) for c in services.published_consultations()]})


@bp.get("/consultations/<slug>")
def consultation(slug: str) -> WerkzeugResponse | tuple[WerkzeugResponse, int]:
    """One published consultation, with its results summary and actions."""
    found = _published(slug)
    if found is None:
        return _not_found()
    return jsonify(
        {
            **_summary(found),
            "background": found.background,
            "results_summary": found.results_summary,
            "actions": [
                {
                    "title": a.title,
                    "description": a.description,
                    "status": a.status,
                    "districts": [{"slug": d.slug, "name": d.name} for d in a.districts],
                }
                for a in found.actions
            ],
        }
    )


@bp.get("/consultations/<slug>/results")
def results(slug: str) -> WerkzeugResponse | tuple[WerkzeugResponse, int]:
    """Counts for closed questions per district; 1 to 4 are given as "<5"."""
    found = _published(slug)
    if found is None:
        return _not_found()
    return jsonify(
        {
            "slug": found.slug,
            "suppression": {"below": 5, "shown_as": SUPPRESSED},
            "questions": [
                {
                    "question_id": r.question_id,
                    "text": r.text,
                    "kind": r.kind,
                    "respondents": r.totals(suppressed=True),
                    "options": [
                        {"option": row["option"], "counts": row["cells"]}
                        for row in r.table(suppressed=True)
                    ],
                }
                for r in services.closed_results(found, public=True)
            ],
        }
    )


@bp.get("/consultations/<slug>/findings")
def findings(slug: str) -> WerkzeugResponse | tuple[WerkzeugResponse, int]:
    """Published findings (themes) from the theme analysis, when it provides them."""
    found = _published(slug)
    if found is None:
        return _not_found()
    return jsonify({"slug": found.slug, "findings": _findings(found)})


def _count_schema() -> dict[str, Any]:
    return {"oneOf": [{"type": "integer", "minimum": 0}, {"type": "string", "enum": [SUPPRESSED]}]}


@bp.get("/openapi.json")
def openapi() -> WerkzeugResponse:
    """The OpenAPI 3.1 description of this API."""
    slug = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}
    district = {
        "type": "object",
        "properties": {"slug": {"type": "string"}, "name": {"type": "string"}},
    }
    summary = {
        "type": "object",
        "required": ["slug", "title", "responses"],
        "properties": {
            "slug": {"type": "string"},
            "title": {"type": "string"},
            "summary": {"type": "string"},
            "countywide": {"type": "boolean"},
            "districts": {"type": "array", "items": {"$ref": "#/components/schemas/District"}},
            "opens_on": {"type": ["string", "null"], "format": "date"},
            "closes_on": {"type": ["string", "null"], "format": "date"},
            "responses": {"$ref": "#/components/schemas/Count"},
            "links": {"type": "object", "additionalProperties": {"type": "string"}},
        },
    }
    not_found = {"description": "No published consultation with this slug."}

    def ok(schema: dict[str, Any], text: str) -> dict[str, Any]:
        return {"description": text, "content": {"application/json": {"schema": schema}}}

    document = {
        "openapi": "3.1.0",
        "info": {
            "title": "Safer Warwickshire consultations open data",
            "version": API_VERSION,
            "description": (
                "Read-only data about published consultations. Counts from 1 to 4 are "
                f'given as "{SUPPRESSED}" so that nobody can be identified.'
            ),
        },
        "servers": [{"url": url_for("surveys_api.index", _external=True).rstrip("/")}],
        "paths": {
            "/consultations": {
                "get": {
                    "summary": "Published consultations",
                    "responses": {
                        "200": ok(
                            {
                                "type": "object",
                                "properties": {
                                    "consultations": {
                                        "type": "array",
                                        "items": {"$ref": "#/components/schemas/Consultation"},
                                    }
                                },
                            },
                            "The list.",
                        )
                    },
                }
            },
            "/consultations/{slug}": {
                "get": {
                    "summary": "One published consultation with its actions",
                    "parameters": [slug],
                    "responses": {
                        "200": ok({"$ref": "#/components/schemas/Consultation"}, "Found."),
                        "404": not_found,
                    },
                }
            },
            "/consultations/{slug}/results": {
                "get": {
                    "summary": "Closed-question counts per district (small numbers suppressed)",
                    "parameters": [slug],
                    "responses": {
                        "200": ok({"$ref": "#/components/schemas/Results"}, "Counts."),
                        "404": not_found,
                    },
                }
            },
            "/consultations/{slug}/findings": {
                "get": {
                    "summary": "Published findings (themes) from the theme analysis",
                    "parameters": [slug],
                    "responses": {
                        "200": ok(
                            {
                                "type": "object",
                                "properties": {
                                    "slug": {"type": "string"},
                                    "findings": {"type": "array", "items": {"type": "object"}},
                                },
                            },
                            "Findings (an empty list until published).",
                        ),
                        "404": not_found,
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "Count": _count_schema(),
                "District": district,
                "Consultation": summary,
                "Results": {
                    "type": "object",
                    "properties": {
                        "slug": {"type": "string"},
                        "suppression": {"type": "object"},
                        "questions": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "question_id": {"type": "integer"},
                                    "text": {"type": "string"},
                                    "kind": {"type": "string"},
                                    "respondents": {
                                        "type": "object",
                                        "additionalProperties": {
                                            "$ref": "#/components/schemas/Count"
                                        },
                                    },
                                    "options": {
                                        "type": "array",
                                        "items": {
                                            "type": "object",
                                            "properties": {
                                                "option": {"type": "string"},
                                                "counts": {
                                                    "type": "object",
                                                    "additionalProperties": {
                                                        "$ref": "#/components/schemas/Count"
                                                    },
                                                },
                                            },
                                        },
                                    },
                                },
                            },
                        },
                    },
                },
            }
        },
    }
    return jsonify(document)
