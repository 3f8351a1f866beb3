"""Why the forum refused an action, in words the member can act on."""

from __future__ import annotations

from flask import has_request_context
from flask_babel import gettext


class ForumRefusal(Exception):
    """An action the member may not take now; the message is shown on the form."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _(message: str, **variables: object) -> str:
    """Translate while serving a request; plain English from the CLI, jobs and demo loader."""
    if has_request_context():
        return gettext(message, **variables)
    return message % variables if variables else message
