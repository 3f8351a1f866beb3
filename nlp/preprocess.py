"""Preparing answers: normalisation, near-empty answers, languages and copy-paste campaigns."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from lingua import LanguageDetector

# The embedding model reads ~256 word pieces; a long essay is kept for display but only its
# start is embedded and labelled, which keeps a pasted novel from costing minutes.
MAX_CHARS = 4000

_CONTROL = re.compile(r"[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\ufeff]")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)
_LATIN_LETTER = re.compile(r"[A-Za-zÀ-ɏ]")

# Words that carry no theme on their own: "no", "nothing really", "n/a", "don't know", ...
FILLER_WORDS = frozenset(
    [
        "no",
        "nope",
        "nah",
        "none",
        "nothing",
        "nil",
        "na",
        "n",
        "a",
        "not",
        "applicable",
        "nothing's",
        "notta",
        "nada",
        "zilch",
        "dont",
        "don't",
        "don’t",
        "do",
        "know",
        "idk",
        "dunno",
        "unsure",
        "sure",
        "maybe",
        "perhaps",
        "comment",
        "comments",
        "answer",
        "answered",
        "response",
        "reply",
        "add",
        "further",
        "else",
        "more",
        "other",
        "at",
        "the",
        "all",
        "this",
        "that",
        "moment",
        "present",
        "time",
        "really",
        "thanks",
        "thank",
        "you",
        "cheers",
        "ok",
        "okay",
        "fine",
        "as",
        "is",
        "it",
        "of",
        "to",
        "for",
        "in",
        "on",
        "me",
        "my",
        "i",
        "think",
        "can",
        "can't",
        "can’t",
        "cannot",
        "cant",
        "of",
        "anything",
        "thing",
        "really",
        "particular",
        "specific",
        "nothing.",
        "mind",
        "comes",
        "come",
        "springs",
        "spring",
        "yes",
        "yeah",
        "yep",
        "same",
        "above",
        "see",
        "previous",
    ]
)


def normalise(text: object) -> str:
    """NFKC-normalise, drop control and zero-width characters and unpaired surrogates, squash
    whitespace and cut very long answers."""
    if text is None:
        return ""
    s = str(text)
    # Lone surrogates (e.g. from broken emoji in a CSV) break UTF-8 encoders further on.
    s = s.encode("utf-8", "replace").decode("utf-8", "replace")
    s = unicodedata.normalize("NFKC", s)
    s = _CONTROL.sub(" ", s)
    s = " ".join(s.split())
    if len(s) > MAX_CHARS:
        s = s[:MAX_CHARS].rsplit(" ", 1)[0]
    return s


def words(text: str) -> list[str]:
    """Lower-case words (letters only) in a text."""
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


def is_near_empty(text: str) -> bool:
    """True for answers with nothing to theme: blank, punctuation, "no", "n/a", "nothing"."""
    ws = words(text)
    if not ws:
        return True
    if len(ws) > 8:
        return False
    return all(w in FILLER_WORDS or len(w) == 1 for w in ws)


# Languages commonly spoken in Warwickshire besides English (2021 census) plus a few
# European ones, so lingua has something to choose other than English.
_LANGUAGES = [
    "ENGLISH",
    "POLISH",
    "URDU",
    "PUNJABI",
    "ROMANIAN",
    "ARABIC",
    "BENGALI",
    "GUJARATI",
    "PORTUGUESE",
    "SPANISH",
    "FRENCH",
    "ITALIAN",
    "LITHUANIAN",
    "SOMALI",
    "TURKISH",
    "CHINESE",
    "GERMAN",
    "HINDI",
    "TAMIL",
    "PERSIAN",
    "UKRAINIAN",
    "RUSSIAN",
    "BULGARIAN",
]


@lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    from lingua import Language, LanguageDetectorBuilder

    langs = [getattr(Language, name) for name in _LANGUAGES]
    # Low accuracy mode uses trigram models only: ~10x faster and ample for whole answers.
    return LanguageDetectorBuilder.from_languages(*langs).with_low_accuracy_mode().build()


@lru_cache(maxsize=1)
def _english_function_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS) | {"i'm", "don't", "can't", "it's", "didn't", "wasn't"}


def _plainly_english(ws: list[str]) -> bool:
    """Cheap screen: ordinary English sentences are full of function words."""
    function = _english_function_words()
    hits = sum(w in function for w in ws)
    return hits >= 1 and hits / len(ws) >= 0.2


def detect_languages(texts: Sequence[str]) -> list[str]:
    """ISO 639-1 code per text; "en" where English or too short to tell."""
    codes = ["en"] * len(texts)
    to_check: list[int] = []
    for i, text in enumerate(texts):
        ws = words(text)
        latin = bool(_LATIN_LETTER.search(text))
        if not ws:
            continue
        if latin and (len(ws) < 3 or _plainly_english(ws)):
            continue
        to_check.append(i)
    if not to_check:
        return codes
    from lingua import Language

    detector = _detector()
    results = detector.compute_language_confidence_values_in_parallel([texts[i] for i in to_check])
    for i, values in zip(to_check, results, strict=True):
        top = values[0]
        english = next((v.value for v in values if v.language == Language.ENGLISH), 0.0)
        # Be conservative: misspelt English or a foreign surname must not be set aside.
        if top.language != Language.ENGLISH and top.value >= 0.5 and english < 0.1:
            codes[i] = top.language.iso_code_639_1.name.lower()
    return codes


def find_campaigns(
    embeddings: np.ndarray,
    texts: Sequence[str],
    *,
    threshold: float = 0.95,
    min_size: int = 5,
    min_words: int = 8,
) -> list[list[int]]:
    """Groups of near-identical longer answers (copy-paste campaigns), largest first.

    Short stock answers ("very good service") are common without any campaign behind them,
    so only answers of at least `min_words` words are considered.
    """
    candidates = np.array([i for i, t in enumerate(texts) if len(words(t)) >= min_words])
    if len(candidates) < min_size:
        return []
    vectors = embeddings[candidates]
    parent = np.arange(len(candidates))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return int(x)

    # Blocked similarity keeps memory at block x n floats even for 50,000 answers.
    block = 1024
    for start in range(0, len(candidates), block):
        sims = vectors[start : start + block] @ vectors.T
        rows, cols = np.nonzero(sims >= threshold)
        for r, c in zip(rows + start, cols, strict=True):
            if c > r:
                a, b = find(r), find(c)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    groups: dict[int, list[int]] = {}
    for k in range(len(candidates)):
        groups.setdefault(find(k), []).append(int(candidates[k]))
    found = [sorted(g) for g in groups.values() if len(g) >= min_size]
    return sorted(found, key=lambda g: (-len(g), g[0]))
