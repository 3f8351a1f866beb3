"""Background jobs: RQ on Redis when REDIS_URL is set, an in-process worker thread otherwise.

Both paths call the same `execute(job_id)`, so a job behaves identically wherever it runs.
"""

from __future__ import annotations

import logging
import os
import time
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import click
from flask import Flask, current_app
from sqlalchemy import update

from portal import metrics
from portal.clock import utcnow
from portal.extensions import db
from portal.jobs_models import Job

log = logging.getLogger(__name__)
QUEUE_NAME = "portal"
JobFunction = Callable[["JobContext"], dict | None]
_REGISTRY: dict[str, JobFunction] = {}
ProgressListener = Callable[[str, int, int], None]
_LISTENERS: list[ProgressListener] = []


class JobCancelled(Exception):
    """Raised inside a job when its record says it should stop."""


def register_job(kind: str) -> Callable[[JobFunction], JobFunction]:
    """Register a function as the handler for one kind of job."""

    def decorator(func: JobFunction) -> JobFunction:
        _REGISTRY[kind] = func
        return func

    return decorator


@dataclass
class JobContext:
    """What a running job sees: its parameters and a way to report progress."""

    job_id: str
    params: dict[str, Any]

    def progress(self, stage: str, done: int = 0, total: int = 0) -> None:
        """Record the stage and how far through it the job is (committed at once)."""
        db.session.execute(
            update(Job)
            .where(Job.id == self.job_id)
            .values(stage=stage, progress_done=done, progress_total=total, heartbeat_at=utcnow())
        )
        db.session.commit()
        for listener in list(_LISTENERS):
            listener(stage, done, total)


def add_progress_listener(listener: ProgressListener) -> None:
    """Also report progress of jobs run in this process (the CLI draws a progress bar)."""
    _LISTENERS.append(listener)


def remove_progress_listener(listener: ProgressListener) -> None:
    """Stop reporting progress to a listener."""
    if listener in _LISTENERS:
        _LISTENERS.remove(listener)


def enqueue(kind: str, params: dict[str, Any], user_id: int | None = None) -> Job:
    """Record a job and hand it to RQ or the in-process worker."""
    if kind not in _REGISTRY:
        raise KeyError(f"No job registered for {kind!r}")
    job = Job(kind=kind, params=params, user_id=user_id)
    db.session.add(job)
    db.session.commit()
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.config.get("JOBS_INLINE"):
        execute(job.id)
    elif app.config.get("REDIS_URL"):
        _rq_queue(app).enqueue("portal.jobs.execute_in_worker", job.id, job_timeout=6 * 3600)
    else:
        _executor(app).submit(_run_in_thread, app, job.id)
    return job


def execute(job_id: str) -> None:
    """Run one job by id, recording success or failure; results commit only on success."""
    job = db.session.get(Job, job_id)
    if job is None:
        log.warning("job %s vanished before it ran", job_id)
        return
    handler = _REGISTRY.get(job.kind)
    job.status, job.started_at, job.heartbeat_at = "running", utcnow(), utcnow()
    job.attempts += 1
    job.error = ""
    db.session.commit()
    context = JobContext(job_id=job.id, params=dict(job.params or {}))
    kind, started = job.kind, time.perf_counter()
    try:
        if handler is None:
            raise KeyError(f"No job registered for {job.kind!r}")
        result = handler(context)
    except Exception as exc:  # noqa: BLE001 - any failure must be recorded, never lost
        db.session.rollback()
        log.exception("job %s (%s) failed", job_id, job.kind)
        failed = db.session.get(Job, job_id)
        if failed is not None:
            failed.status = "failed"
            failed.error = f"{type(exc).__name__}: {exc}"[:2000]
            failed.finished_at = utcnow()
            db.session.commit()
        log.debug("%s", traceback.format_exc())
        metrics.job_finished(kind, "failed", time.perf_counter() - started)
        return
    done = db.session.get(Job, job_id)
    if done is not None:
        done.status, done.finished_at, done.result = "finished", utcnow(), result or {}
        done.stage = "finished"
        db.session.commit()
    metrics.job_finished(kind, "finished", time.perf_counter() - started)


def retry(job: Job) -> Job:
    """Queue a failed job again with the same parameters."""
    return enqueue(job.kind, dict(job.params or {}), user_id=job.user_id)


def mark_stale_jobs_failed(max_silence: timedelta = timedelta(minutes=30)) -> int:
    """Mark running jobs whose worker has gone silent as failed, so staff can retry them."""
    cutoff = utcnow() - max_silence
    result = db.session.execute(
        update(Job)
        .where(Job.status == "running", Job.heartbeat_at < cutoff)
        .values(status="failed", error="The worker stopped responding.", finished_at=utcnow())
    )
    db.session.commit()
    return int(result.rowcount or 0)


def execute_in_worker(job_id: str) -> None:
    """Entry point for RQ workers: build the app, then run the job inside it."""
    from portal import create_app

    app = create_app()
    with app.app_context():
        execute(job_id)


def _run_in_thread(app: Flask, job_id: str) -> None:
    with app.app_context():
        try:
            execute(job_id)
        finally:
            db.session.remove()


def _executor(app: Flask) -> ThreadPoolExecutor:
    executor = app.extensions.get("portal_jobs_executor")
    if executor is None:
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="portal-job")
        app.extensions["portal_jobs_executor"] = executor
    return executor


def queue_name(app: Flask) -> str:
    """The RQ queue; RQ_QUEUE lets two portals (or two test runs) share one Redis database."""
    return app.config.get("RQ_QUEUE") or os.environ.get("RQ_QUEUE") or QUEUE_NAME


def _rq_queue(app: Flask):  # type: ignore[no-untyped-def]
    from redis import Redis
    from rq import Queue

    return Queue(queue_name(app), connection=Redis.from_url(app.config["REDIS_URL"]))


def init_app(app: Flask) -> None:
    """Register the `jobs` CLI group."""

    @app.cli.group("jobs")
    def jobs_cli() -> None:
        """Background jobs."""

    @jobs_cli.command("worker")
    @click.option("--burst", is_flag=True, help="Exit when the queue is empty.")
    def worker(burst: bool) -> None:
        """Run an RQ worker for the portal queue (needs REDIS_URL)."""
        if not app.config.get("REDIS_URL"):
            raise click.ClickException("REDIS_URL is not set; jobs run in the web process.")
        from redis import Redis
        from rq import Worker

        connection = Redis.from_url(app.config["REDIS_URL"])
        Worker([queue_name(app)], connection=connection).work(burst=burst)

    @jobs_cli.command("reap")
    @click.option("--minutes", default=30, show_default=True)
    def reap(minutes: int) -> None:
        """Mark jobs whose worker went silent as failed."""
        count = mark_stale_jobs_failed(timedelta(minutes=minutes))
        click.echo(f"Marked {count} stale job(s) as failed.")
