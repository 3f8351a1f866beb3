"""Accessibility of the theme analysis workbench and the safeguarding queue."""

from __future__ import annotations

import random

import pytest

from tests.browser.conftest import check_page, sign_in
from tests.nlp.test_web_workbench import DISTRICTS, PLACES, TOPICS

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def theme_run(live_server):
    """A consultation with answers, analysed once for every page test in this module."""
    from nlp.web import services as themes
    from nlp.web.safeguarding_models import SafeguardingFlag
    from portal.extensions import db
    from surveys import importer
    from surveys import services as surveys

    with live_server.app.app_context():
        consultation = surveys.create_import_consultation("Browser themes", "What would help?")
        db.session.flush()
        rng = random.Random(3)
        rows = [
            importer.ImportRow(
                line=n + 2,
                text=rng.choice(templates).format(place=rng.choice(PLACES)),
                district=rng.choice(DISTRICTS),
                external_id=None,
            )
            for n, templates in enumerate(list(TOPICS.values()) * 15)
        ]
        surveys.import_rows(consultation, rows)
        question = surveys.free_text_questions(consultation.id)[0]
        run = themes.start_run(consultation.id, question.id, seed=1)
        db.session.add(
            SafeguardingFlag(
                source="forum",
                post_id=1,
                text="I want to hurt myself",
                category="risk_to_self",
                severity="high",
                reasons=["rule: self-harm intent"],
            )
        )
        db.session.commit()
        run = themes.run_by_id(run.id)
        assert run.status == "finished", run.status
        theme_id = next(t.id for t in run.themes if not t.is_near_empty)
        flag_id = db.session.query(SafeguardingFlag.id).scalar()
        return {"run": run.id, "theme": theme_id, "slug": consultation.slug, "flag": flag_id}


def test_workbench_pages_have_no_axe_violations(page, live_server, theme_run) -> None:
    sign_in(page, live_server, "browser-analyst2@example.org", ("analyst",))
    base = live_server.url
    check_page(page, f"{base}/staff/themes/", "themes-index")
    check_page(page, f"{base}/staff/themes/{theme_run['slug']}/run", "themes-start")
    check_page(page, f"{base}/staff/themes/runs/{theme_run['run']}", "themes-run")
    check_page(
        page,
        f"{base}/staff/themes/runs/{theme_run['run']}/themes/{theme_run['theme']}",
        "themes-theme",
    )
    check_page(page, f"{base}/staff/themes/runs/{theme_run['run']}/report", "themes-report")
    check_page(page, f"{base}/staff/themes/runs/{theme_run['run']}/decisions", "themes-decisions")


def test_start_form_error_keeps_what_was_typed(page, live_server, theme_run) -> None:
    sign_in(page, live_server, "browser-analyst3@example.org", ("analyst",))
    page.goto(f"{live_server.url}/staff/themes/{theme_run['slug']}/run")
    page.fill("#codeframe", "Lighting: dark streets | lights")
    page.fill("#seed", "not a number")
    page.click("#main-content button[type=submit]")
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.input_value("#codeframe") == "Lighting: dark streets | lights"
    check_page(page, None, "themes-start-error")


def test_safeguarding_pages_have_no_axe_violations(page, live_server, theme_run) -> None:
    sign_in(page, live_server, "browser-lead@example.org", ("safeguarding",))
    check_page(page, f"{live_server.url}/safeguarding/", "safeguarding-queue")
    check_page(
        page, f"{live_server.url}/safeguarding/flags/{theme_run['flag']}", "safeguarding-flag"
    )
