"""Page weight of a consultation question page: HTML + CSS + JS, gzip-compressed.

    .venv/bin/python benchmarks/surveys_page_weight.py [--budget-kb 60]

Builds the portal on a throwaway SQLite file, starts a response to a demo-like consultation and
fetches page 1 (a radio question and a district question) and page 2 (a free-text question with a
character count), then every stylesheet and script the page loads, including the module the
initialiser imports. Sizes are gzip level 6, as a typical web server sends them.
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SECRET_KEY", "page-weight-benchmark")

ASSET_RE = re.compile(r'<(?:link[^>]+href|script[^>]+src)="(/[^"]+\.(?:css|js|mjs))"')
IMPORT_RE = re.compile(r"""import[^'"]*['"]([^'"]+)['"]""")


def gz(data: bytes) -> int:
    """Compressed size in bytes."""
    return len(gzip.compress(data, compresslevel=6))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget-kb", type=float, default=60.0)
    args = parser.parse_args()

    from flask_migrate import upgrade

    from portal import create_app
    from portal.areas import services as areas
    from portal.clock import utcnow
    from portal.extensions import db
    from surveys import services

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/weight.db", "RATELIMIT_ENABLED": False}
        )
        with app.app_context():
            upgrade(revision="heads")
            areas.ensure_districts()
            today = utcnow().date()
            c = services.create_consultation(
                "Feeling safe in Nuneaton and Bedworth", "Page weight check", countywide=True,
                status="open", opens_on=today - timedelta(days=1),
                closes_on=today + timedelta(days=9),
            )  # fmt: skip
            p1 = services.add_section(c, "Where you live")
            services.add_question(p1, "district", "Where do you live?", required=True)
            services.add_question(p1, "agreement", "I feel safe after dark", required=True)
            p2 = services.add_section(c, "Your experiences", content_note="About violence.")
            services.add_question(p2, "free_text", "What makes you feel unsafe?", required=True)
            slug = c.slug
            db.session.remove()
        client = app.test_client()
        start = client.get(f"/consultations/{slug}").get_data(as_text=True)
        csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', start).group(1)
        token = re.search(r'name="start_token"[^>]*value="([^"]+)"', start).group(1)
        client.post(f"/consultations/{slug}/start", data={"csrf_token": csrf, "start_token": token})
        worst = 0
        for number in (1, 2):
            html = client.get(f"/consultations/{slug}/page/{number}").get_data()
            assets: dict[str, bytes] = {}
            queue = ASSET_RE.findall(html.decode())
            while queue:
                url = queue.pop()
                if url in assets:
                    continue
                with client.get(url) as response:
                    body = response.get_data()
                assets[url] = body
                if url.endswith((".js", ".mjs")):
                    base = url.rsplit("/", 1)[0]
                    for target in IMPORT_RE.findall(body.decode("utf-8", "replace")):
                        if target.startswith("."):
                            parts = (base + "/" + target).split("/")
                            resolved: list[str] = []
                            for part in parts:
                                if part == "..":
                                    resolved.pop()
                                elif part != ".":
                                    resolved.append(part)
                            queue.append("/".join(resolved))
            print(f"question page {number}:")
            total = gz(html)
            print(f"  {'HTML':<44}{len(html):>9} B raw {gz(html):>7} B gzip")
            for url, body in sorted(assets.items()):
                total += gz(body)
                print(f"  {url:<44}{len(body):>9} B raw {gz(body):>7} B gzip")
            print(f"  total compressed: {total / 1024:.1f} KB (budget {args.budget_kb} KB)")
            worst = max(worst, total)
    if worst / 1024 > args.budget_kb:
        raise SystemExit(f"over budget: {worst / 1024:.1f} KB")


if __name__ == "__main__":
    main()
