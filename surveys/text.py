"""Cleaning what people type: Unicode normalisation and control characters removed."""

from __future__ import annotations

import unicodedata

# Line breaks and tabs are kept; other control and format characters (e.g. bidi overrides,
# zero-width spaces used to dodge filters) are removed.
_KEEP = {"\n", "\t"}


def clean_text(value: str | None, max_length: int | None = None) -> str:
    """NFC-normalise, drop control characters, normalise line endings and trim."""
    if not value:
        return ""
    text = unicodedata.normalize("NFC", str(value)).replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(
        ch
        for ch in text
        if ch in _KEEP
        or unicodedata.category(ch) not in {"Cc", "Cf", "Cs", "Co", "Cn"}
        or ch == "\u200d"  # zero-width joiner is part of many emoji and Indic scripts
    )
    text = text.strip()
    if max_length is not None:
        text = text[:max_length]
    return text
