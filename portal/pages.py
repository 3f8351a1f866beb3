"""Public pages: home, help and support, accessibility, privacy, cookies, contact."""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, render_template
from markupsafe import Markup

bp = Blueprint("pages", __name__)


@bp.get("/")
def home() -> str:
    """The front door: consultations, the network forum, the directory, and help."""
    return render_template("portal/pages/home.html")


@bp.get("/help")
def get_help() -> str:
    """Where to get help now (numbers come from configuration)."""
    return render_template("portal/pages/help.html", contacts=current_app.config["HELP_CONTACTS"])


@bp.get("/accessibility")
def accessibility() -> str:
    """Accessibility statement."""
    return render_template("portal/pages/accessibility.html")


@bp.get("/privacy")
def privacy() -> str:
    """Privacy notice."""
    return render_template("portal/pages/privacy.html")


@bp.get("/cookies")
def cookies() -> str:
    """Cookies: essential only, listed."""
    return render_template("portal/pages/cookies.html")


@bp.get("/contact")
def contact() -> str:
    """How to contact the partnership."""
    return render_template("portal/pages/contact.html")


def phone(number: str) -> Markup:
    """A phone number kept left to right inside right-to-left text (Urdu would reverse it)."""
    return Markup('<bdi dir="ltr">{}</bdi>').format(number)


def init_app(app: Flask) -> None:
    """Register the pages blueprint and expose help contacts to every template."""
    app.register_blueprint(bp)
    app.add_template_filter(phone, "phone")

    @app.context_processor
    def help_contacts() -> dict[str, object]:
        contacts = {c["key"]: c for c in app.config["HELP_CONTACTS"]}
        return {"help_contacts": contacts, "contact_email": app.config["CONTACT_EMAIL"]}
