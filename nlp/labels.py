"""Readable theme labels, descriptions and representative quotes."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

from nlp.redaction import PLACEHOLDER_WORDS

# Noun phrases starting with these are trimmed ("the staff" -> "staff", "my appointment" -> ...).
_LEADING = frozenset(
    [
        "a",
        "an",
        "the",
        "this",
        "that",
        "these",
        "those",
        "my",
        "our",
        "your",
        "their",
        "his",
        "her",
        "its",
        "some",
        "any",
        "all",
        "every",
        "no",
        "more",
        "most",
        "much",
        "many",
        "lot",
        "lots",
        "few",
        "other",
        "such",
        "very",
    ]
)
_USELESS = frozenset(
    [
        "i",
        "you",
        "we",
        "they",
        "it",
        "he",
        "she",
        "me",
        "us",
        "them",
        "nothing",
        "something",
        "anything",
        "everything",
        "everyone",
        "thing",
        "things",
        "lot",
        "way",
        "time",
        "times",
        "one",
        "none",
        "people",
        "person",
        "nobody",
        "anyone",
        "someone",
    ]
)
_PLACEHOLDER = re.compile(r"<[A-Z_]+>")


def _clean_phrase(tokens: Sequence) -> str | None:
    words = [t for t in tokens if not t.is_punct and not t.is_space]
    while words and (words[0].lower_ in _LEADING or words[0].pos_ in {"DET", "PRON", "NUM"}):
        words = words[1:]
    if not words:
        return None
    text = " ".join(
        t.lemma_.lower() if i == len(words) - 1 else t.lower_ for i, t in enumerate(words)
    )
    if _PLACEHOLDER.search(" ".join(t.text for t in words)):
        return None
    if any(w in PLACEHOLDER_WORDS or "xxx" in w for w in text.split()) or text in _USELESS:
        return None
    if len(text) < 3 or len(words) > 4 or not any(c.isalpha() for c in text):
        return None
    return text


def key_phrases(
    docs: Sequence[str], keywords: Sequence[str], *, top_n: int = 5, batch_size: int = 64
) -> list[str]:
    """Frequent noun phrases in a theme's most typical answers, favouring its keywords."""
    from nlp.models import load_spacy

    nlp = load_spacy()
    counts: Counter[str] = Counter()
    if "parser" not in nlp.pipe_names:
        return list(keywords[:top_n])
    disable = [p for p in ("ner",) if p in nlp.pipe_names]
    for doc in nlp.pipe([d[:1000] for d in docs], batch_size=batch_size, disable=disable):
        seen = set()
        for chunk in doc.noun_chunks:
            phrase = _clean_phrase(list(chunk))
            if phrase and phrase not in seen:
                seen.add(phrase)
                counts[phrase] += 1
    keyset = {w for k in keywords[:10] for w in k.split()}
    scored = []
    for phrase, n in counts.items():
        if n < 2 and len(docs) >= 10:
            continue
        overlap = sum(w in keyset for w in phrase.split())
        scored.append((n * (1 + overlap), len(phrase.split()), phrase))
    scored.sort(key=lambda s: (-s[0], -s[1], s[2]))
    chosen: list[str] = []
    for _, _, phrase in scored:
        # Skip a phrase already covered ("staff" when "friendly staff" is chosen, or vice versa).
        if any(set(phrase.split()) & set(c.split()) for c in chosen):
            continue
        chosen.append(phrase)
        if len(chosen) == top_n:
            break
    return chosen


def make_label(phrases: Sequence[str], keywords: Sequence[str]) -> str:
    """A short label: the top one or two key phrases, else the top keywords."""
    if phrases:
        label = phrases[0] if len(phrases) == 1 else f"{phrases[0]} and {phrases[1]}"
    elif keywords:
        label = ", ".join(keywords[:3])
    else:
        label = "unlabelled theme"
    return label[:1].upper() + label[1:]


def make_description(phrases: Sequence[str], keywords: Sequence[str], size: int, total: int) -> str:
    """One sentence saying what the theme's answers talk about and how many there are."""
    share = 100 * size / total if total else 0
    about = ", ".join(phrases[:4]) if phrases else ", ".join(keywords[:4])
    words = ", ".join(keywords[:6])
    return f"{size} answers ({share:.0f}%) about {about}. Common words: {words}."


def pick_quotes(
    indices: np.ndarray,
    similarity: np.ndarray,
    texts: Sequence[str],
    *,
    n: int = 5,
) -> list[int]:
    """The most typical answers (closest to the theme centre), of readable length, no repeats."""
    order = indices[np.argsort(-similarity[indices], kind="stable")]
    picked: list[int] = []
    seen: set[str] = set()
    for readable_only in (True, False):
        for i in order:
            key = texts[i].lower().strip(" .!")
            if key in seen or i in picked:
                continue
            if readable_only and not 20 <= len(texts[i]) <= 400:
                continue
            picked.append(int(i))
            seen.add(key)
            if len(picked) == n:
                return picked
    return picked
