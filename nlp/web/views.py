"""Staff review workbench for theme analysis."""

from __future__ import annotations

from flask import Blueprint

from portal.auth.roles import protect_blueprint

bp = Blueprint("themes", __name__, url_prefix="/staff/themes", template_folder="templates")
protect_blueprint(bp, "analyst", "staff")
