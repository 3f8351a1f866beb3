"""Reference numbers, resume codes and URL slugs."""

from __future__ import annotations

import re
import secrets
import unicodedata

# No 0/O, 1/I/L, 5/S: people read these codes from a phone screen or over the telephone.
ALPHABET = "ABCDEFGHJKMNPQRTUVWXYZ2346789"


def _random(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def new_reference() -> str:
    """A response reference number, e.g. 'SW-K7QX-M2PD'."""
    code = _random(8)
    return f"SW-{code[:4]}-{code[4:]}"


def new_resume_code() -> str:
    """A code to come back to a saved draft, e.g. 'R7QX-M2PD-9KTA'."""
    code = _random(12)
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


def normalise_code(raw: str) -> str:
    """Upper-case a typed code and put the dashes back where they belong."""
    compact = re.sub(r"[^A-Z0-9]", "", (raw or "").upper())
    if compact.startswith("SW") and len(compact) == 10:
        return f"SW-{compact[2:6]}-{compact[6:]}"
    if len(compact) == 12:
        return f"{compact[:4]}-{compact[4:8]}-{compact[8:]}"
    return compact


def slugify(text: str, max_length: int = 80) -> str:
    """A URL slug from a title."""
    text = re.sub(r"['’‘]", "", text)  # "people's" → "peoples", not "people-s"
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return (slug[:max_length].rstrip("-")) or "consultation"
