"""Consultations: the staff builder, the resident runner, results, import and export."""

from __future__ import annotations

from flask import Flask

from surveys.views import bp

__all__ = ["bp", "init_app"]


def init_app(app: Flask) -> None:
    """Register the consultations blueprint."""
    app.register_blueprint(bp)
