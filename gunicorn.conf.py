"""gunicorn settings for the portal, all overridable from the environment (12-factor style)."""

from __future__ import annotations

import multiprocessing
import os


def _workers() -> int:
    """2 × cores + 1, the gunicorn rule of thumb, capped by WEB_CONCURRENCY when it is set."""
    suggested = 2 * multiprocessing.cpu_count() + 1
    cap = os.environ.get("WEB_CONCURRENCY")
    return max(1, min(suggested, int(cap))) if cap else suggested


# All interfaces by default: the load balancer in front is the only way in. BIND or HOST narrow it.
_host = os.environ.get("HOST", "0.0.0.0")  # noqa: S104
bind = os.environ.get("BIND") or f"{_host}:{os.environ.get('PORT', '8000')}"
workers = _workers()
worker_class = "sync"
# Each worker opens its own SQLAlchemy pool; a pool created before fork would be shared by
# every worker's sockets and corrupt connections, so the app is loaded after the fork.
preload_app = False
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Recycle workers now and then so a slow leak never takes a machine down; jitter avoids
# every worker restarting at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms rid=%({x-request-id}o)s'
# The load balancer terminates TLS; trust its X-Forwarded-* headers only from these addresses.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")


def child_exit(server: object, worker: object) -> None:
    """Tell prometheus_client a worker died, so its live gauges stop counting (multiprocess)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)  # type: ignore[attr-defined]


def post_fork(server: object, worker: object) -> None:
    """One maths thread per web worker: screening an answer is fastest that way when several
    workers share the cores (torch reads these before the app is imported, after the fork).
    Background workers (`flask jobs worker`) keep every core for the theme analysis."""
    for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ.setdefault(name, os.environ.get("WEB_MATH_THREADS", "1"))


def post_worker_init(worker: object) -> None:
    """Load the safeguarding screener's models before this worker takes its first request,
    so no resident waits for them (SAFEGUARDING_WARM_UP=0 turns this off)."""
    if os.environ.get("SAFEGUARDING_WARM_UP", "1") != "0":
        from nlp.web.safeguarding_services import warm_up_now

        warm_up_now()
