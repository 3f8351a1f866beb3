"""Safer Warwickshire Consultation and Network Portal: the application factory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Assemble the portal: configuration, extensions, blueprints, CLI and error pages."""
    app = Flask(__name__, instance_path=str(PROJECT_ROOT / "instance"))
    from portal.config import load_config

    app.config.update(load_config(Path(app.instance_path)))
    if config:
        app.config.update(config)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(PROJECT_ROOT / "translations"))

    app.jinja_loader = ChoiceLoader(
        [
            app.jinja_loader,
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )

    from portal import (
        areas_cli,
        backup,
        cli,
        database,
        errors,
        extensions_setup,
        health,
        i18n,
        input_cleaning,
        jobs,
        metrics,
        pages,
        request_log,
        retention,
        security_headers,
        staff,
    )
    from portal.auth import init_app as init_auth

    database.init_app(app)
    extensions_setup.init_app(app)
    i18n.init_app(app)
    init_auth(app)
    security_headers.init_app(app)
    input_cleaning.init_app(app)
    request_log.init_app(app)
    metrics.init_app(app)
    errors.init_app(app)
    jobs.init_app(app)
    pages.init_app(app)
    health.init_app(app)
    staff.init_app(app)
    areas_cli.init_app(app)
    cli.init_app(app)
    backup.init_app(app)

    import forum
    import nlp.web
    import surveys
    import surveys.services

    surveys.init_app(app)
    from surveys.signals import response_submitted

    response_submitted.connect(metrics.count_response_stored)
    retention.init_app(app, surveys.services)  # type: ignore[arg-type]
    forum.init_app(app)
    nlp.web.init_app(app)
    return app
