"""With REDIS_URL set, jobs go to RQ and the web process never starts a job thread."""

from __future__ import annotations

import os
import uuid

import pytest

from portal import create_app, jobs
from portal.extensions import db
from portal.jobs_models import Job

REDIS_URL = os.environ.get("TEST_REDIS_URL")


@jobs.register_job("ops.noop")
def _noop(context: jobs.JobContext) -> dict:
    return {}


@pytest.mark.skipif(not REDIS_URL, reason="TEST_REDIS_URL not set")
def test_jobs_go_to_rq_and_no_thread_is_started(app_config: dict) -> None:
    from redis import Redis
    from rq import Queue

    queue_name = f"test-{uuid.uuid4().hex}"
    app_config.update(JOBS_INLINE=False, REDIS_URL=REDIS_URL, RQ_QUEUE=queue_name)
    application = create_app(app_config)
    queue = Queue(queue_name, connection=Redis.from_url(REDIS_URL))
    with application.app_context():
        try:
            job = jobs.enqueue("ops.noop", {})
            queued = queue.get_jobs()
            assert [(q.func_name, q.args) for q in queued] == [
                ("portal.jobs.execute_in_worker", (job.id,))
            ]
            assert "portal_jobs_executor" not in application.extensions
            db.session.expire_all()
            assert db.session.get(Job, job.id).status == "queued"
        finally:
            queue.empty()
            queue.delete(delete_jobs=True)
            queue.connection.close()
            db.session.execute(db.delete(Job))
            db.session.commit()
            db.session.remove()
            db.engine.dispose()


def test_without_redis_the_thread_is_the_fallback(app_config: dict) -> None:
    """The contrast case, so the test above proves the choice and not a broken executor."""
    app_config.update(JOBS_INLINE=False, REDIS_URL=None)
    application = create_app(app_config)
    with application.app_context():
        try:
            jobs.enqueue("ops.noop", {})
            assert "portal_jobs_executor" in application.extensions
        finally:
            executor = application.extensions.get("portal_jobs_executor")
            if executor is not None:
                executor.shutdown(wait=True)
            db.session.execute(db.delete(Job))
            db.session.commit()
            db.session.remove()
            db.engine.dispose()
