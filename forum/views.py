"""Network forum and directory pages."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("forum", __name__, template_folder="templates")


@bp.get("/forum")
def index() -> str:
    """The network forum's front page."""
    return render_template("forum/index.html")


@bp.get("/directory")
def directory() -> str:
    """Directory of approved voluntary and community organisations."""
    return render_template("forum/directory.html", organisations=[])
