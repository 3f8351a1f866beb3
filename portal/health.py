"""Health check for load balancers and monitoring."""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, jsonify
from sqlalchemy import text
from werkzeug.wrappers import Response

from portal.extensions import db, limiter

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@limiter.exempt
def healthz() -> tuple[Response, int]:
    """200 with the database reachable, 503 otherwise.

    Redis, when configured, is reported but does not fail the check: without it the portal
    still takes responses (rate limits fall back to memory), so the load balancer should keep
    sending residents here.
    """
    status = {"status": "ok", "database": "ok"}
    code = 200
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        db.session.rollback()
        status.update(status="unavailable", database="unavailable")
        code = 503
    redis_url = current_app.config.get("REDIS_URL")
    if redis_url:
        status["redis"] = "ok" if _redis_answers(redis_url) else "unavailable"
        if status["redis"] != "ok" and code == 200:
            status["status"] = "degraded"
    return jsonify(status), code


def _redis_answers(url: str) -> bool:
    from redis import Redis
    from redis.exceptions import RedisError

    try:
        client = Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except (RedisError, OSError):
        return False


def init_app(app: Flask) -> None:
    """Register the health blueprint."""
    app.register_blueprint(bp)
