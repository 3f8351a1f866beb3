"""Safeguarding screening: does a free-text answer or forum post disclose that someone is at risk?

Framework-free. `screen(text)` returns a `Screening` with a category, a severity and the
reasons; `support_for(category, severity)` names the help contacts to show. Models load on
first use or at app start through `warm_up()`; importing this package loads nothing heavy.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from nlp.safeguarding.categories import (
    CATEGORIES,
    DISCLOSURE_CATEGORIES,
    SEVERITIES,
    SUPPORT_KEYS,
    support_for,
)

if TYPE_CHECKING:
    from nlp.safeguarding.screener import Screening

__all__ = [
    "CATEGORIES",
    "DISCLOSURE_CATEGORIES",
    "SEVERITIES",
    "SUPPORT_KEYS",
    "Screening",
    "screen",
    "screen_many",
    "support_for",
    "warm_up",
]


def screen(text: str) -> Screening:
    """Screen one text; call it after the answer is saved, never before."""
    from nlp.safeguarding.screener import get_screener

    return get_screener().screen(text)


def screen_many(texts: Iterable[str]) -> list[Screening]:
    """Screen several texts, in order."""
    from nlp.safeguarding.screener import get_screener

    return get_screener().screen_many(texts)


def warm_up() -> None:
    """Load the language models and embed the curated examples, once, at app start."""
    from nlp.safeguarding.screener import get_screener

    get_screener().screen("warming up")


def __getattr__(name: str) -> object:
    # `Screening` is importable from here without loading spaCy at package import.
    if name == "Screening":
        from nlp.safeguarding.screener import Screening

        return Screening
    raise AttributeError(name)
