"""Consultations: the staff builder, the resident runner, results, import and export."""

from __future__ import annotations

import os

from flask import Flask
from flask_babel import lazy_gettext as _l

from portal.cli import register_demo_loader
from portal.staff import add_staff_link
from surveys.views import bp

__all__ = ["bp", "init_app"]


def init_app(app: Flask) -> None:
    """Register the public, staff and API blueprints, the CLI, demo data and the staff card."""
    from surveys import api, cli, demo, staff_views

    app.config.setdefault("SURVEYS_DRAFT_DAYS", int(os.environ.get("SURVEYS_DRAFT_DAYS", "28")))
    app.config.setdefault(
        "SURVEYS_EXIT_URL", os.environ.get("SURVEYS_EXIT_URL", "https://www.bbc.co.uk/weather")
    )
    app.config.setdefault(
        "SURVEYS_MAX_READING_AGE", int(os.environ.get("SURVEYS_MAX_READING_AGE", "12"))
    )
    app.extensions.setdefault("results_sections", [])
    app.register_blueprint(bp)
    app.register_blueprint(staff_views.bp)
    app.register_blueprint(api.bp)
    cli.init_app(app)
    register_demo_loader(app, demo.load_demo)
    add_staff_link(
        app,
        _l("Consultations"),
        "surveys_staff.index",
        _l("Build consultations, watch responses arrive, export, import and publish results."),
        ("analyst", "staff"),
    )
