"""Reading age of consultation text: a Flesch-Kincaid grade plus five, the UK school age.

Word and sentence counts come from textstat. Syllables are counted with Pyphen's British
English hyphenation dictionary (textstat's own fallback): textstat 0.7.13 would otherwise fetch
the CMU pronouncing dictionary from the internet on first use, which the portal must not do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pyphen
import textstat

from surveys.models import Consultation

# US school grade n is read at about age n + 5 in the UK.
GRADE_TO_AGE = 5
DEFAULT_MAX_READING_AGE = 12
_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


@lru_cache(maxsize=1)
def _hyphenator() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="en_GB")


def _syllables(word: str) -> int:
    return max(1, len(_hyphenator().positions(word.lower())) + 1)


def reading_age(text: str) -> int | None:
    """The age at which most readers follow `text` (None for text too short to judge)."""
    words = _WORD_RE.findall(text or "")
    if len(words) < 3:
        return None
    word_count = max(textstat.lexicon_count(text), 1)
    sentences = max(textstat.sentence_count(text), 1)
    syllables = sum(_syllables(w) for w in words)
    grade = 0.39 * (word_count / sentences) + 11.8 * (syllables / len(words)) - 15.59
    return max(round(grade), 0) + GRADE_TO_AGE


@dataclass(frozen=True)
class HardText:
    """A text whose reading age is above the limit: the summary, background or question n."""

    part: str
    number: int | None
    text: str
    age: int


def hard_texts(consultation: Consultation, max_age: int) -> list[HardText]:
    """The English summary, background and questions (with hints) needing an older reader."""
    pieces: list[tuple[str, int | None, str]] = [
        ("summary", None, consultation.summary or ""),
        ("background", None, consultation.background or ""),
    ]
    for number, question in enumerate(consultation.questions, start=1):
        wording = " ".join(p for p in (question.text, question.hint) if p)
        pieces.append(("question", number, wording))
    found = []
    for part, number, text in pieces:
        age = reading_age(text)
        if age is not None and age > max_age:
            found.append(HardText(part, number, text, age))
    return found
