"""Error pages in the portal's style, in the person's language."""

from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

ERROR_PAGES = {
    400: (_l("Sorry, there is a problem with that request"), _l("Go back and try again.")),
    403: (
        _l("You do not have permission to see this page"),
        _l("If you think you should, contact the partnership team."),
    ),
    404: (
        _l("Page not found"),
        _l(
            "If you typed the web address, check it is correct. "
            "If you pasted the web address, check you copied the entire address."
        ),
    ),
    405: (_l("Sorry, there is a problem with that request"), _l("Go back and try again.")),
    413: (_l("That file is too large"), _l("Go back and choose a smaller file.")),
    429: (
        _l("Sorry, there have been too many attempts"),
        _l("Wait a minute, then try again. Nothing you have already sent has been lost."),
    ),
    500: (
        _l("Sorry, there is a problem with the service"),
        _l("Try again later. Anything you had already sent to us has been saved."),
    ),
    503: (
        _l("Sorry, the service is unavailable"),
        _l("Try again in a few minutes. Anything you had already sent to us has been saved."),
    ),
}


def render_error(code: int, detail: str | None = None) -> tuple[str, int]:
    """Render the error page for a status code."""
    title, message = ERROR_PAGES.get(code, ERROR_PAGES[500])
    return (
        render_template("portal/error.html", code=code, title=title, message=detail or message),
        code,
    )


def _http_error(error: HTTPException) -> tuple[str, int]:
    return render_error(error.code or 500)


def _csrf_error(error: CSRFError) -> tuple[str, int]:
    log.info("CSRF failure on %s: %s", request.path, error.description)
    return render_error(
        400,
        str(
            _l(
                "This page was open for too long, or was opened in another tab. "
                "Go back, reload the page and send it again."
            )
        ),
    )


def _server_error(error: Exception) -> tuple[str, int]:
    log.exception("unhandled error on %s", request.path, exc_info=error)
    return render_error(500)


def init_app(app: Flask) -> None:
    """Register the error handlers."""
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _server_error)
