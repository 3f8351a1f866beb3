"""Structured request logging with a request id that follows the request through the logs."""

from __future__ import annotations

import json
import logging
import time
import uuid

from flask import Flask, g, request
from werkzeug.wrappers import Response

log = logging.getLogger("portal.request")


class JsonFormatter(logging.Formatter):
    """One JSON object per line, with any structured fields attached to the record."""

    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        payload.update(getattr(record, "fields", {}))
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        return json.dumps(payload, default=str)


def _start_timer() -> None:
    g.request_started = time.perf_counter()
    incoming = request.headers.get("X-Request-ID", "")
    g.request_id = incoming if 0 < len(incoming) <= 64 else uuid.uuid4().hex


def _log_request(response: Response) -> Response:
    elapsed_ms = (time.perf_counter() - g.get("request_started", time.perf_counter())) * 1000
    response.headers["X-Request-ID"] = g.get("request_id", "")
    fields = {
        "request_id": g.get("request_id"),
        "method": request.method,
        "path": request.path,
        "status": response.status_code,
        "duration_ms": round(elapsed_ms, 1),
    }
    log.info(
        "%s %s %s %.1fms",
        request.method,
        request.path,
        response.status_code,
        elapsed_ms,
        extra={"fields": fields},
    )
    return response


def init_app(app: Flask) -> None:
    """Time every request and log it; JSON lines when LOG_FORMAT=json."""
    if app.config.get("LOG_FORMAT") == "json" and not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(JsonFormatter())
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False
    app.before_request(_start_timer)
    app.after_request(_log_request)
