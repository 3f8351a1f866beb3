"""Two gunicorn processes and two RQ workers on one PostgreSQL and one Redis, as in production."""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
REDIS_URL = os.environ.get("TEST_REDIS_URL")
pytestmark = pytest.mark.skipif(
    not (DATABASE_URL and REDIS_URL),
    reason="needs TEST_DATABASE_URL and TEST_REDIS_URL (real PostgreSQL and Redis)",
)
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
JOBS_PER_WEB = 3


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def scratch_database() -> Iterator[str]:
    """A database of our own: the suite drops and recreates `test` under other runs' feet."""
    import psycopg

    name = f"portal_multi_{uuid.uuid4().hex[:12]}"
    server = make_url(DATABASE_URL).set(drivername="postgresql", database="postgres")
    conninfo = server.render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True, connect_timeout=10) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(conninfo, autocommit=True, connect_timeout=10) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def environment(scratch_database: str) -> Iterator[dict[str, str]]:
    from redis import Redis

    prefix = f"ops-{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        "DATABASE_URL": scratch_database,
        "REDIS_URL": REDIS_URL,
        "SECRET_KEY": "multi-process-test-secret",
        "PORTAL_ENV": "development",
        "LOG_FORMAT": "text",
        "LOGIN_RATE_LIMIT": "4 per minute",
        "RQ_QUEUE": prefix,
        "OPS_TEST_PREFIX": prefix,
        "PYTHONPATH": str(ROOT),
    }
    for name in ("PROMETHEUS_MULTIPROC_DIR", "JOBS_INLINE", "WEB_CONCURRENCY", "BIND"):
        env.pop(name, None)
    migrate = subprocess.run(
        [str(BIN / "flask"), "--app", "wsgi", "db", "upgrade", "heads"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert migrate.returncode == 0, migrate.stderr[-2000:]
    try:
        yield env
    finally:
        redis = Redis.from_url(REDIS_URL)
        keys = list(redis.scan_iter(f"*{prefix}*", count=500))
        if keys:
            redis.delete(*keys)
        redis.close()


def _start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("wb") as handle:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(  # a new session, so the whole process group can be stopped
            args, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
        )


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def _wait_healthy(
    base: str, process: subprocess.Popen, log: Path, timeout: float = 120
) -> tuple[int, dict]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()[-3000:]
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:  # noqa: S310
                return response.status, json.load(response)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    raise AssertionError(f"{base} never became healthy:\n{log.read_text()[-3000:]}")


def _post_status(opener: urllib.request.OpenerDirector, url: str, data: dict) -> int:
    body = urllib.parse.urlencode(data).encode()
    try:
        request = urllib.request.Request(url, data=body)  # noqa: S310 - loopback http only
        with opener.open(request, timeout=20) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_two_web_processes_and_two_workers_share_postgres_and_redis(
    environment: dict[str, str], tmp_path: Path
) -> None:
    import psycopg
    from redis import Redis

    prefix = environment["OPS_TEST_PREFIX"]
    ports = [_free_port(), _free_port()]
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    processes: list[subprocess.Popen] = []
    try:
        web_logs = [tmp_path / f"web-{i}.log" for i in range(2)]
        for port, log in zip(ports, web_logs, strict=True):
            processes.append(
                _start(
                    [
                        str(BIN / "gunicorn"),
                        "-c",
                        "gunicorn.conf.py",
                        "--workers",
                        "1",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "tests.ops.multi_wsgi:app",
                    ],
                    environment,
                    log,
                )
            )
        health = [
            _wait_healthy(base, process, log)
            for base, process, log in zip(bases, processes, web_logs, strict=True)
        ]
        assert health == [(200, {"status": "ok", "database": "ok", "redis": "ok"})] * 2

        # Rate limits: 4 sign-in attempts a minute in total, whichever process gets them.
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        with opener.open(f"{bases[0]}/account/sign-in", timeout=20) as page:
            token = CSRF_RE.search(page.read().decode()).group(1)
        form = {"csrf_token": token, "email": "nobody@example.org", "password": "wrong password"}
        statuses = [_post_status(opener, f"{bases[i % 2]}/account/sign-in", form) for i in range(6)]
        # Each process saw only 3 attempts, under the limit on its own: the 429s prove the
        # counter lives in Redis, shared.
        assert statuses[:4] == [200, 200, 200, 200], statuses
        assert statuses[4:] == [429, 429], statuses

        # Jobs: queued through both web processes, run by two burst workers.
        enqueued: dict[str, str] = {}
        web_pids = set()
        for i in range(2 * JOBS_PER_WEB):
            token = f"{prefix}-{i}"
            url = f"{bases[i % 2]}/_test/enqueue?token={token}"
            with urllib.request.urlopen(url, timeout=20) as response:  # noqa: S310
                payload = json.load(response)
            enqueued[payload["job_id"]] = token
            web_pids.add(payload["pid"])
        assert len(web_pids) == 2, "both web processes should have queued jobs"

        worker_logs = [tmp_path / f"worker-{i}.log" for i in range(2)]
        workers = [
            _start(
                [str(BIN / "flask"), "--app", "tests.ops.multi_wsgi", "jobs", "worker", "--burst"],
                environment,
                log,
            )
            for log in worker_logs
        ]
        processes += workers
        for worker, log in zip(workers, worker_logs, strict=True):
            try:
                code = worker.wait(timeout=300)
            except subprocess.TimeoutExpired:
                raise AssertionError(f"worker did not finish:\n{log.read_text()[-3000:]}") from None
            assert code == 0, log.read_text()[-3000:]

        with psycopg.connect(environment["DATABASE_URL"], connect_timeout=10) as conn:
            rows = conn.execute(
                "SELECT id, status, attempts FROM job WHERE kind = 'ops.count'"
            ).fetchall()
        assert sorted(rows) == sorted((job_id, "finished", 1) for job_id in enqueued)
        redis = Redis.from_url(REDIS_URL)
        try:
            runs = {t: int(redis.get(f"{prefix}:runs:{t}") or 0) for t in enqueued.values()}
            left = redis.llen(f"rq:queue:{prefix}")
        finally:
            redis.close()
        assert runs == dict.fromkeys(enqueued.values(), 1)
        assert left == 0
    finally:
        for process in processes:
            _stop(process)
