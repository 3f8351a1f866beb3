"""Health check for load balancers and monitoring."""

from __future__ import annotations

from flask import Blueprint, Flask, jsonify
from sqlalchemy import text
from werkzeug.wrappers import Response

from portal.extensions import db, limiter

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@limiter.exempt
def healthz() -> tuple[Response, int]:
    """200 with the database reachable, 503 otherwise."""
    status = {"status": "ok", "database": "ok"}
    code = 200
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        db.session.rollback()
        status.update(status="unavailable", database="unavailable")
        code = 503
    return jsonify(status), code


def init_app(app: Flask) -> None:
    """Register the health blueprint."""
    app.register_blueprint(bp)
