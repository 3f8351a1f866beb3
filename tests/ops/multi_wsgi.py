"""The portal as gunicorn serves it, plus a test-only job kind and a page that enqueues it.

Used by test_multiprocess.py only: web processes and RQ workers both load this module, so the
job kind is registered wherever a job may run.
"""

from __future__ import annotations

import os

from flask import jsonify, request
from flask.typing import ResponseReturnValue

from portal import create_app, jobs

PREFIX = os.environ.get("OPS_TEST_PREFIX", "ops-test")


@jobs.register_job("ops.count")
def count_run(context: jobs.JobContext) -> dict:
    """Count every execution in Redis, so a job run twice shows up as 2."""
    from redis import Redis

    redis = Redis.from_url(os.environ["REDIS_URL"])
    redis.incr(f"{PREFIX}:runs:{context.params['token']}")
    redis.expire(f"{PREFIX}:runs:{context.params['token']}", 3600)
    return {"pid": os.getpid()}


# A prefix of our own keeps these rate-limit counters apart from other test runs on the same Redis.
app = create_app({"RATELIMIT_KEY_PREFIX": PREFIX})


@app.get("/_test/enqueue")
def enqueue() -> ResponseReturnValue:
    """Queue one counting job from this web process."""
    job = jobs.enqueue("ops.count", {"token": request.args["token"]})
    return jsonify(job_id=job.id, pid=os.getpid())
