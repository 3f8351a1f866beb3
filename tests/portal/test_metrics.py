"""/metrics: latency by endpoint and status, responses stored, jobs; staff networks only."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from flask import Flask
from prometheus_client import REGISTRY

from portal import create_app, jobs
from tests.conftest import make_test_config

ROOT = Path(__file__).resolve().parents[2]
OUTSIDER = {"REMOTE_ADDR": "203.0.113.9"}


@jobs.register_job("metrics.ok")
def _ok(context: jobs.JobContext) -> dict:
    return {}


@jobs.register_job("metrics.broken")
def _broken(context: jobs.JobContext) -> dict:
    raise RuntimeError("deliberate")


def _sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_request_latency_is_recorded_by_endpoint_and_status(app: Flask, client) -> None:
    labels = {"endpoint": "health.healthz", "method": "GET", "status": "200"}
    before = _sample("portal_request_duration_seconds_count", **labels)
    assert client.get("/healthz").status_code == 200
    assert _sample("portal_request_duration_seconds_count", **labels) == before + 1

    page = client.get("/metrics")
    assert page.status_code == 200
    assert page.mimetype == "text/plain"
    body = page.get_data(as_text=True)
    assert 'portal_request_duration_seconds_bucket{endpoint="health.healthz"' in body
    assert "portal_consultation_responses_stored_total" in body


def test_unknown_urls_share_one_label(app: Flask, client) -> None:
    labels = {"endpoint": "unmatched", "method": "GET", "status": "404"}
    before = _sample("portal_request_duration_seconds_count", **labels)
    client.get("/no-such-page/12345")
    client.get("/another-missing-page")
    assert _sample("portal_request_duration_seconds_count", **labels) == before + 2


def test_metrics_are_hidden_from_other_networks(app: Flask, client) -> None:
    assert client.get("/metrics", environ_base=OUTSIDER).status_code == 404
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "::1"}).status_code == 200


def test_allowed_networks_come_from_config(database_url: str) -> None:
    config = make_test_config(database_url, METRICS_ALLOWED_NETWORKS="10.0.0.0/8, 203.0.113.0/24")
    client = create_app(config).test_client()
    assert client.get("/metrics", environ_base=OUTSIDER).status_code == 200
    assert client.get("/metrics").status_code == 404  # 127.0.0.1 is no longer listed


def test_a_malformed_network_fails_at_start_up(database_url: str) -> None:
    with pytest.raises(ValueError):
        create_app(make_test_config(database_url, METRICS_ALLOWED_NETWORKS="10.0.0.0/33"))


def test_stored_responses_are_counted_from_the_surveys_signal(app: Flask) -> None:
    from surveys.signals import response_submitted

    before = _sample("portal_consultation_responses_stored_total")
    response_submitted.send(app, response_id=1)
    assert _sample("portal_consultation_responses_stored_total") == before + 1


def test_job_durations_and_failures_are_recorded(app: Flask) -> None:
    ok = {"kind": "metrics.ok", "outcome": "finished"}
    failed = {"kind": "metrics.broken", "outcome": "failed"}
    before_ok = _sample("portal_job_duration_seconds_count", **ok)
    before_failed = _sample("portal_job_duration_seconds_count", **failed)
    before_failures = _sample("portal_job_failures_total", kind="metrics.broken")
    jobs.enqueue("metrics.ok", {})
    jobs.enqueue("metrics.broken", {})
    assert _sample("portal_job_duration_seconds_count", **ok) == before_ok + 1
    assert _sample("portal_job_duration_seconds_count", **failed) == before_failed + 1
    assert _sample("portal_job_failures_total", kind="metrics.broken") == before_failures + 1
    assert _sample("portal_job_failures_total", kind="metrics.ok") == 0


MULTIPROCESS_SCRIPT = """
from portal import create_app
app = create_app({"TESTING": True, "RATELIMIT_STORAGE_URI": "memory://"})
client = app.test_client()
for _ in range(3):
    assert client.get("/healthz").status_code == 200
print(client.get("/metrics").get_data(as_text=True))
"""


def test_multiprocess_mode_adds_up_every_process(tmp_path: Path) -> None:
    """Two processes write to one PROMETHEUS_MULTIPROC_DIR; a scrape of either sees both."""
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    env = {
        **os.environ,
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'metrics.db'}",
        "SECRET_KEY": "metrics-test",
        "PYTHONPATH": str(ROOT),
    }
    outputs = [
        subprocess.run(
            [sys.executable, "-c", MULTIPROCESS_SCRIPT],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
            check=True,
        ).stdout
        for _ in range(2)
    ]
    line = (
        'portal_request_duration_seconds_count{endpoint="health.healthz",method="GET",status="200"}'
    )
    assert f"{line} 3.0" in outputs[0]
    assert f"{line} 6.0" in outputs[1]  # the second process also counts the first one's requests
    assert list(metrics_dir.glob("histogram_*.db"))
