"""Sending email: plain-text messages rendered from templates, over Flask-Mailman."""

from __future__ import annotations

import logging

from flask import render_template
from flask_mailman import EmailMessage

log = logging.getLogger(__name__)


def send_email(to: str | list[str], subject: str, template: str, **context: object) -> bool:
    """Send a plain-text email; returns False (and logs) rather than failing the request."""
    recipients = [to] if isinstance(to, str) else list(to)
    body = render_template(template, **context)
    try:
        EmailMessage(subject=subject, body=body, to=recipients).send()
    except Exception:  # noqa: BLE001 - a mail outage must not lose the user's action
        log.exception("could not send %r to %d recipient(s)", subject, len(recipients))
        return False
    return True
