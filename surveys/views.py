"""Public consultation pages."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("surveys", __name__, template_folder="templates")


@bp.get("/consultations")
def index() -> str:
    """Open consultations."""
    return render_template("surveys/index.html", consultations=[])
