"""Languages: Flask-Babel wiring, the language switcher and the `translate` CLI."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import click
from babel.messages.frontend import CommandLineInterface
from flask import Blueprint, Flask, current_app, g, redirect, request
from flask_babel import get_locale
from werkzeug.wrappers import Response

from portal.extensions import babel

LANGUAGE_COOKIE = "portal_lang"
bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    """An explicit choice (cookie) first, then the browser's Accept-Language, then English."""
    languages = current_app.config["LANGUAGES"]
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(list(languages)) or "en"


def safe_next(target: str | None, fallback: str = "/") -> str:
    """Allow only same-site relative paths as redirect targets."""
    if not target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    return target


@bp.get("/language/<code>")
def choose_language(code: str) -> Response:
    """Remember the chosen language in a cookie and go back to the page the person was on."""
    response = redirect(safe_next(request.args.get("next")))
    if code in current_app.config["LANGUAGES"]:
        response.set_cookie(
            LANGUAGE_COOKIE,
            code,
            max_age=365 * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
    return response


def _language_context() -> dict[str, object]:
    languages = current_app.config["LANGUAGES"]
    code = str(get_locale() or "en")
    if code not in languages:
        code = "en"
    g.lang = code
    return {
        "current_lang": code,
        "current_dir": languages[code]["dir"],
        "languages": languages,
    }


def _run_babel(*args: str) -> None:
    CommandLineInterface().run(["pybabel", "-q", *args])


def init_app(app: Flask) -> None:
    """Set up Flask-Babel, the switcher route and `flask translate extract|update|compile|init`."""
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=app.config["BABEL_TRANSLATION_DIRECTORIES"],
    )
    app.register_blueprint(bp)
    app.context_processor(_language_context)

    root = Path(app.config["BABEL_TRANSLATION_DIRECTORIES"])
    project = root.parent
    pot = root / "messages.pot"

    @app.cli.group("translate")
    def translate() -> None:
        """Interface translation commands (Babel catalogues in translations/)."""

    @translate.command("extract")
    def extract() -> None:
        """Extract marked strings from all packages into translations/messages.pot."""
        _run_babel(
            "extract",
            "-F",
            str(project / "babel.cfg"),
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "--no-location",
            "--sort-output",
            "-o",
            str(pot),
            str(project),
        )

    @translate.command("update")
    def update_catalogues() -> None:
        """Merge the template into every language's catalogue."""
        _run_babel("update", "-i", str(pot), "-d", str(root), "--no-fuzzy-matching")

    @translate.command("init")
    @click.argument("language")
    def init_catalogue(language: str) -> None:
        """Start a catalogue for a new language."""
        _run_babel("init", "-i", str(pot), "-d", str(root), "-l", language)

    @translate.command("compile")
    def compile_catalogues() -> None:
        """Compile every catalogue to .mo files (run by `make run` and `make test`)."""
        if any(root.glob("*/LC_MESSAGES/messages.po")):
            _run_babel("compile", "-d", str(root), "--use-fuzzy")
