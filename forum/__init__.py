"""Voluntary and community sector network: organisations, directory, forum, moderation."""

from __future__ import annotations

from flask import Flask

from forum.views import bp

__all__ = ["bp", "init_app"]


def init_app(app: Flask) -> None:
    """Register the forum blueprint."""
    app.register_blueprint(bp)
