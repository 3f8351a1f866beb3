"""Web glue for the theme analysis: background jobs and the staff review workbench."""

from __future__ import annotations

from flask import Flask

from nlp.web.views import bp

__all__ = ["bp", "init_app"]


def init_app(app: Flask) -> None:
    """Register the theme analysis blueprint."""
    app.register_blueprint(bp)
