"""Which language a free-text answer is written in (lingua), so staff can find ones to translate.

Only English and the portal's languages are considered: a small set keeps detection fast and
makes short answers less likely to be mistaken for a language nobody here uses.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

UNKNOWN = "und"  # BCP 47 "undetermined"
# Shorter texts ("ok", "no idea") say too little to tell languages apart reliably.
MIN_LETTERS = 4


@lru_cache(maxsize=4)
def _detector(codes: tuple[str, ...]) -> LanguageDetector:
    languages = {Language.ENGLISH}
    for code in codes:
        try:
            languages.add(Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())))
        except (AttributeError, ValueError):
            continue  # a portal language lingua does not know: its answers count as unknown
    if len(languages) < 2:
        languages.add(Language.POLISH)  # lingua needs two candidates
    return (
        LanguageDetectorBuilder.from_languages(*languages)
        .with_minimum_relative_distance(0.1)
        .build()
    )


def detect(text: str, codes: Iterable[str]) -> str:
    """The ISO 639-1 code of the language `text` is written in, or "und" when unsure."""
    if sum(ch.isalpha() for ch in text or "") < MIN_LETTERS:
        return UNKNOWN
    found = _detector(tuple(sorted(set(codes)))).detect_language_of(text)
    return found.iso_code_639_1.name.lower() if found is not None else UNKNOWN
