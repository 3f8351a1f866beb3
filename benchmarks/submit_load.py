"""Load test: many residents completing a 5-page consultation against gunicorn + PostgreSQL.

    .venv/bin/python benchmarks/submit_load.py [--residents 50] [--journeys 4] [--workers 4]

Creates (or recreates) its own database `bench_submit` on the local PostgreSQL (never the
`test` database), migrates it, seeds one open 5-page consultation, starts gunicorn on a free
loopback port, and runs `residents` concurrent simulated residents, each completing `journeys`
responses (start → 5 pages → check answers → send → confirmation). Reports completed
responses per second, p50/p95 latency per page, errors, and whether every acknowledged
reference number is stored. Loopback only; every loop is bounded.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
START_RE = re.compile(r'name="start_token"[^>]*value="([^"]+)"')
REF_RE = re.compile(r"SW-[A-Z0-9]{4}-[A-Z0-9]{4}")
PAGES = 5


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def recreate_database(name: str, host: str, user: str) -> str:
    """Drop and create the benchmark's own database; returns its SQLAlchemy URL."""
    if name == "test":
        raise SystemExit("refusing to touch the database named 'test'")
    base = ["-h", host, "-U", user]
    subprocess.run(["dropdb", *base, "--if-exists", name], check=True)
    subprocess.run(["createdb", *base, name], check=True)
    return f"postgresql+psycopg://{user}@{host}:5432/{name}"


def seed(env: dict[str, str]) -> str:
    """Migrate and create one open consultation with five pages; returns its slug."""
    subprocess.run(
        [str(ROOT / ".venv/bin/flask"), "--app", "wsgi", "db", "upgrade", "heads"],
        cwd=ROOT, env=env, check=True, capture_output=True,
    )  # fmt: skip
    code = """
from datetime import timedelta
from portal import create_app
from portal.areas import services as areas
from portal.clock import utcnow
from surveys import services
app = create_app()
with app.app_context():
    areas.ensure_districts()
    today = utcnow().date()
    c = services.create_consultation("Load test consultation", "Five pages", countywide=True,
        status="open", opens_on=today - timedelta(days=1), closes_on=today + timedelta(days=9))
    p = [services.add_section(c, f"Page {i + 1}") for i in range(5)]
    services.add_question(p[0], "district", "Where do you live?", required=True)
    services.add_question(p[0], "agreement", "I feel safe", required=True)
    services.add_question(p[1], "free_text", "What makes you feel unsafe?", required=True)
    services.add_question(p[2], "multiple_choice", "What would help?",
        options=["Lighting", "Police", "Youth clubs"])
    services.add_question(p[3], "free_text", "Anything else?", max_length=1000)
    services.add_question(p[4], "equality_age", "What is your age?")
    print(c.slug)
"""
    out = subprocess.run(
        [str(ROOT / ".venv/bin/python"), "-c", code],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return out.stdout.strip().splitlines()[-1]


def question_ids(env: dict[str, str], slug: str) -> list[list[str]]:
    code = f"""
from portal import create_app
from surveys import services
app = create_app()
with app.app_context():
    c = services.consultation_by_slug({slug!r})
    print([[q.field_name for q in page] for page in services.pages(c)])
"""
    out = subprocess.run(
        [str(ROOT / ".venv/bin/python"), "-c", code],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return eval(out.stdout.strip().splitlines()[-1])  # noqa: S307 - our own printed list


class Results:
    """Latencies per page, errors and acknowledged references, shared by the threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []
        self.acknowledged: list[str] = []

    def timed(self, label: str, call, expect=(200, 302)):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            response = call()
        except requests.RequestException as error:
            with self.lock:
                self.errors.append(f"{label}: {error}")
            return None
        elapsed = (time.perf_counter() - started) * 1000
        with self.lock:
            self.latency[label].append(elapsed)
            if response.status_code not in expect:
                self.errors.append(f"{label}: HTTP {response.status_code}")
                return None
        return response


ANSWERS = [
    {0: "Rugby", 1: "Agree"},
    {0: "The underpass by the station is dark and people hang around there at night."},
    {0: ["Lighting", "Youth clubs"]},
    {0: "More youth workers in the evenings would help a lot."},
    {0: "25 to 34"},
]


def resident(
    base: str,
    slug: str,
    fields: list[list[str]],
    journeys: int,
    out: Results,
    think: tuple[float, float] = (0.0, 0.0),
    seed: int = 0,
) -> None:
    """One resident completing the consultation `journeys` times (a fresh browser each time).

    `think` is the range of seconds a resident spends reading and typing on each page.
    """
    rng = random.Random(seed)

    def pause() -> None:
        if think[1] > 0:
            time.sleep(rng.uniform(*think))

    for _ in range(journeys):
        with requests.Session() as browser:
            page = out.timed("start page", lambda: browser.get(f"{base}/consultations/{slug}"))
            if page is None:
                continue
            csrf = CSRF_RE.search(page.text).group(1)
            token = START_RE.search(page.text).group(1)
            pause()
            data = {"csrf_token": csrf, "start_token": token}
            if not out.timed(
                "start (POST)",
                lambda d=data: browser.post(
                    f"{base}/consultations/{slug}/start", data=d, allow_redirects=False
                ),
            ):
                continue
            ok = True
            for number in range(1, PAGES + 1):
                url = f"{base}/consultations/{slug}/page/{number}"
                got = out.timed(f"page {number} (GET)", lambda u=url: browser.get(u))
                if got is None:
                    ok = False
                    break
                pause()
                form = {"csrf_token": CSRF_RE.search(got.text).group(1)}
                for index, name in enumerate(fields[number - 1]):
                    form[name] = ANSWERS[number - 1].get(index, "")
                sent = out.timed(
                    f"page {number} (POST)",
                    lambda u=url, f=form: browser.post(u, data=f, allow_redirects=False),
                    expect=(302,),
                )
                if sent is None:
                    ok = False
                    break
            if not ok:
                continue
            check_url = f"{base}/consultations/{slug}/check"
            check = out.timed("check answers (GET)", lambda u=check_url: browser.get(u))
            if check is None:
                continue
            form = {"csrf_token": CSRF_RE.search(check.text).group(1)}
            pause()
            if not out.timed(
                "send (POST)",
                lambda f=form, u=check_url: browser.post(u, data=f, allow_redirects=False),
                expect=(302,),
            ):
                continue
            done = out.timed(
                "confirmation (GET)",
                lambda: browser.get(f"{base}/consultations/{slug}/confirmation"),
            )
            match = REF_RE.search(done.text) if done is not None else None
            if match:
                with out.lock:
                    out.acknowledged.append(match.group(0))
            else:
                with out.lock:
                    out.errors.append("confirmation without a reference number")


def stored_references(env: dict[str, str], slug: str) -> set[str]:
    code = """
import os
from sqlalchemy import select
from portal import create_app
from portal.extensions import db
from surveys import services
from surveys.models import Response
app = create_app()
with app.app_context():
    c = services.consultation_by_slug(os.environ["BENCH_SLUG"])
    refs = db.session.execute(select(Response.reference).where(
        Response.consultation_id == c.id, Response.status == "submitted")).scalars()
    print(",".join(refs))
"""
    out = subprocess.run(
        [str(ROOT / ".venv/bin/python"), "-c", code],
        cwd=ROOT, env={**env, "BENCH_SLUG": slug}, check=True, capture_output=True, text=True,
    )  # fmt: skip
    line = out.stdout.strip().splitlines()[-1] if out.stdout.strip() else ""
    return {r for r in line.split(",") if r}


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))
    return ordered[index]


def wait_until_up(base: str, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn exited during start-up")
        try:
            if requests.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise SystemExit("gunicorn did not come up")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=50)
    parser.add_argument("--journeys", type=int, default=4, help="responses per resident")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker")
    parser.add_argument("--database", default="bench_submit")
    parser.add_argument("--pg-host", default="127.0.0.1")
    parser.add_argument("--pg-user", default="postgres")
    parser.add_argument(
        "--think", type=float, nargs=2, default=(1.0, 3.0), metavar=("MIN", "MAX"),
        help="seconds each resident spends on a page (0 0 for a saturation test)",
    )  # fmt: skip
    parser.add_argument(
        "--app", choices=["full", "surveys-only"], default="full",
        help="the whole portal, or without the safeguarding screener (a diagnostic)",
    )  # fmt: skip
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()

    load_before = [round(v, 2) for v in os.getloadavg()]
    url = recreate_database(args.database, args.pg_host, args.pg_user)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "benchmark-secret-key",
        "PUBLIC_POST_RATE_LIMIT": "1000000 per minute",  # one loopback address for everyone
        "DATABASE_POOL_SIZE": str(args.threads + 1),
        "LOG_FORMAT": "text",
    }
    slug = seed(env)
    fields = question_ids(env, slug)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    gunicorn = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}",
         "--workers", str(args.workers), "--threads", str(args.threads),
         "--worker-class", "gthread", "--log-level", "warning", "--timeout", "120",
         "wsgi:app" if args.app == "full" else "benchmarks.surveys_bench_wsgi:app"],
        cwd=ROOT, env=env, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_until_up(base, gunicorn)
        # Warm-up (not timed): every worker compiles its templates and fills its pools.
        warm = Results()
        warmers = [
            threading.Thread(target=resident, args=(base, slug, fields, 1, warm))
            for _ in range(args.workers * 2)
        ]
        for thread in warmers:
            thread.start()
        for thread in warmers:
            thread.join(timeout=300)
        out = Results()
        think = tuple(args.think)
        threads = [
            threading.Thread(
                target=resident, args=(base, slug, fields, args.journeys, out, think, n)
            )
            for n in range(args.residents)
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=600)
        elapsed = time.perf_counter() - started
    finally:
        os.killpg(gunicorn.pid, signal.SIGTERM)
        gunicorn.wait(timeout=30)

    stored = stored_references(env, slug)
    acknowledged = set(out.acknowledged) | set(warm.acknowledged)
    lost = sorted(acknowledged - stored)
    all_latency = [v for values in out.latency.values() for v in values]
    figures = {
        "residents": args.residents,
        "journeys_per_resident": args.journeys,
        "app": args.app,
        "gunicorn": f"{args.workers} workers x {args.threads} threads (gthread)",
        "cpus": os.cpu_count(),
        "load_average_before": load_before,
        "load_average_after": [round(v, 2) for v in os.getloadavg()],
        "elapsed_s": round(elapsed, 1),
        "think_s": list(think),
        "completed_responses": len(out.acknowledged),
        "responses_per_s": round(len(out.acknowledged) / elapsed, 2) if elapsed else 0,
        "requests": len(all_latency),
        "p50_ms_all": round(percentile(all_latency, 50), 1),
        "p95_ms_all": round(percentile(all_latency, 95), 1),
        "pages": {
            label: {
                "n": len(values),
                "p50_ms": round(statistics.median(values), 1),
                "p95_ms": round(percentile(values, 95), 1),
            }
            for label, values in sorted(out.latency.items())
        },
        "errors": len(out.errors) + len(warm.errors),
        "error_samples": (warm.errors + out.errors)[:10],
        "stored": len(stored),
        "acknowledged": len(acknowledged),
        "lost": lost,
        "stored_equals_acknowledged": stored == acknowledged,
    }
    print(f"{figures['completed_responses']} responses in {figures['elapsed_s']} s "
          f"({figures['responses_per_s']}/s) by {args.residents} concurrent residents; "
          f"{figures['gunicorn']}; app {args.app}; "
          f"think time {think[0]}-{think[1]} s per page")  # fmt: skip
    print(f"{'page':<22}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}")
    for label, row in figures["pages"].items():
        print(f"{label:<22}{row['n']:>6}{row['p50_ms']:>10}{row['p95_ms']:>10}")
    print(f"all requests: p50 {figures['p50_ms_all']} ms, p95 {figures['p95_ms_all']} ms")
    print(f"machine: {figures['cpus']} CPUs, load average before {load_before[0]}, "
          f"after {figures['load_average_after'][0]}")  # fmt: skip
    print(f"errors: {figures['errors']} {figures['error_samples'][:3]}")
    print(f"acknowledged {len(acknowledged)}, stored {len(stored)}, lost {len(lost)}; "
          f"stored == acknowledged: {figures['stored_equals_acknowledged']}")  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    if figures["errors"] or lost or stored != acknowledged:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
