"""Background jobs: one job function, run inline, in a thread, or by RQ."""

from __future__ import annotations

import time

import pytest
from flask import Flask

from portal import jobs
from portal.extensions import db
from portal.jobs_models import Job


@jobs.register_job("test.add")
def _add(context: jobs.JobContext) -> dict:
    context.progress("adding", 1, 2)
    return {"sum": context.params["a"] + context.params["b"]}


@jobs.register_job("test.fail")
def _fail(context: jobs.JobContext) -> dict:
    context.progress("about to fail", 0, 1)
    raise ValueError("deliberate failure")


def test_inline_job_records_result(app: Flask) -> None:
    job = jobs.enqueue("test.add", {"a": 2, "b": 3})
    db.session.refresh(job)
    assert job.status == "finished"
    assert job.result == {"sum": 5}
    assert job.attempts == 1


def test_failed_job_records_error_and_can_be_retried(app: Flask) -> None:
    job = jobs.enqueue("test.fail", {})
    db.session.refresh(job)
    assert job.status == "failed"
    assert "deliberate failure" in job.error
    again = jobs.retry(job)
    db.session.refresh(again)
    assert again.id != job.id
    assert again.status == "failed"


def test_unknown_job_kind_is_refused(app: Flask) -> None:
    with pytest.raises(KeyError):
        jobs.enqueue("test.nothing", {})


def test_thread_worker_runs_the_same_function(app_config: dict) -> None:
    from portal import create_app

    app_config["JOBS_INLINE"] = False
    application = create_app(app_config)
    with application.app_context():
        job_id = jobs.enqueue("test.add", {"a": 20, "b": 22}).id
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            db.session.expire_all()
            job = db.session.get(Job, job_id)
            if job.status in {"finished", "failed"}:
                break
            time.sleep(0.05)
        assert job.status == "finished"
        assert job.result == {"sum": 42}
        db.session.delete(job)
        db.session.commit()
        application.extensions["portal_jobs_executor"].shutdown(wait=True)
        db.session.remove()
        db.engine.dispose()


def test_stale_running_jobs_are_marked_failed(app: Flask) -> None:
    from datetime import timedelta

    from portal.clock import utcnow

    job = Job(kind="test.add", status="running", heartbeat_at=utcnow() - timedelta(hours=2))
    db.session.add(job)
    db.session.commit()
    assert jobs.mark_stale_jobs_failed(timedelta(minutes=30)) == 1
    db.session.refresh(job)
    assert job.status == "failed"
    assert "stopped responding" in job.error
