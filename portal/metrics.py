"""Prometheus metrics at /metrics for staff networks: request latency, responses stored, jobs.

With several gunicorn workers each process has its own counters; set PROMETHEUS_MULTIPROC_DIR
to an empty directory (wiped at every start) and prometheus_client's multiprocess mode adds
them up, so any worker can answer a scrape for the whole machine.
"""

from __future__ import annotations

import ipaddress
import os
import time
from typing import Any

from flask import Blueprint, Flask, abort, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from werkzeug.wrappers import Response

from portal.extensions import limiter

DEFAULT_ALLOWED_NETWORKS = "127.0.0.1/32,::1/128"

REQUEST_LATENCY = Histogram(
    "portal_request_duration_seconds",
    "Time to answer a request, by endpoint and status.",
    ["endpoint", "method", "status"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
RESPONSES_STORED = Counter(
    "portal_consultation_responses_stored",
    "Consultation responses committed as submitted.",
)
JOB_DURATION = Histogram(
    "portal_job_duration_seconds",
    "Time a background job ran, by kind and outcome.",
    ["kind", "outcome"],
    buckets=(0.1, 0.5, 1, 5, 15, 60, 300, 900, 1800, 3600, 7200),
)
JOB_FAILURES = Counter("portal_job_failures", "Background jobs that failed, by kind.", ["kind"])

bp = Blueprint("metrics", __name__)


def job_finished(kind: str, outcome: str, seconds: float) -> None:
    """Record one job run (called by portal.jobs.execute)."""
    JOB_DURATION.labels(kind=kind, outcome=outcome).observe(seconds)
    if outcome == "failed":
        JOB_FAILURES.labels(kind=kind).inc()


def count_response_stored(_sender: Any, **_fields: Any) -> None:
    """Receiver for surveys' response_submitted signal."""
    RESPONSES_STORED.inc()


def _allowed_networks(app: Flask) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    raw = app.config["METRICS_ALLOWED_NETWORKS"]
    entries = raw.split(",") if isinstance(raw, str) else raw
    return [ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip()]


def _client_allowed() -> bool:
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    return any(address in network for network in current_app.extensions["metrics_networks"])


@bp.get("/metrics")
@limiter.exempt
def metrics() -> Response:
    """The metrics in Prometheus text format; a plain 404 for anyone outside staff networks."""
    if not _client_allowed():
        abort(404)  # not 403: outsiders should not learn the endpoint exists
    registry = REGISTRY
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)


def _start_timer() -> None:
    g.metrics_started = time.perf_counter()


def _observe(response: Response) -> Response:
    started = g.pop("metrics_started", None)
    if started is not None:
        # Endpoint names, not paths: paths carry ids and would grow the label set without bound.
        REQUEST_LATENCY.labels(
            endpoint=request.endpoint or "unmatched",
            method=request.method,
            status=str(response.status_code),
        ).observe(time.perf_counter() - started)
    return response


def init_app(app: Flask) -> None:
    """Time every request and serve /metrics to the networks in METRICS_ALLOWED_NETWORKS."""
    app.config.setdefault(
        "METRICS_ALLOWED_NETWORKS",
        os.environ.get("METRICS_ALLOWED_NETWORKS", DEFAULT_ALLOWED_NETWORKS),
    )
    app.extensions["metrics_networks"] = _allowed_networks(app)  # a typo fails at start-up
    app.before_request(_start_timer)
    app.after_request(_observe)
    app.register_blueprint(bp)
