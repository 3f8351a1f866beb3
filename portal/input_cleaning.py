"""Clean every submitted form value once, before any view or form sees it.

NFC-normalises text and removes characters that are never meaningful in an answer and would
corrupt the page when echoed back (NUL and other control characters, Unicode noncharacters).
"""

from __future__ import annotations

import re
import unicodedata

from flask import Flask, request
from werkzeug.datastructures import ImmutableMultiDict

_UNWANTED = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]"
    "|[\U0001fffe\U0001ffff\U0002fffe\U0002ffff\U0010fffe\U0010ffff]"
)


def clean_text(value: str) -> str:
    """NFC-normalise and drop control characters (tab, newline and carriage return stay)."""
    return _UNWANTED.sub("", unicodedata.normalize("NFC", value))


def _clean_form() -> None:
    if request.method in {"POST", "PUT", "PATCH"} and request.mimetype in {
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    }:
        cleaned = [(key, clean_text(value)) for key, value in request.form.items(multi=True)]
        request.form = ImmutableMultiDict(cleaned)  # type: ignore[misc]


def init_app(app: Flask) -> None:
    """Clean form input on every request."""
    app.before_request(_clean_form)
