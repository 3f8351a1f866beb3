"""Bind the shared extensions (CSRF, limiter, mail, GOV.UK form helpers) to the app."""

from __future__ import annotations

from flask import Flask
from govuk_frontend_wtf.main import WTFormsHelpers

from portal.extensions import csrf, limiter, mail


def init_app(app: Flask) -> None:
    """Bind extensions whose settings come straight from the config."""
    csrf.init_app(app)
    limiter.init_app(app)
    mail.init_app(app)
    WTFormsHelpers(app)
