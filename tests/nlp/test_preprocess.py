"""Normalisation, near-empty answers, languages and campaign detection."""

from __future__ import annotations

import numpy as np
import pytest

from nlp.preprocess import MAX_CHARS, detect_languages, find_campaigns, is_near_empty, normalise


@pytest.mark.parametrize(
    "text", ["", "no", "N/A", "Nothing.", "nothing really", "-", "Don't know", "None at all", "🙂"]
)
def test_near_empty(text):
    assert is_near_empty(normalise(text))


@pytest.mark.parametrize(
    "text",
    ["No street lighting", "Nothing for kids to do", "More police", "Knife crime is rising"],
)
def test_answers_with_content_are_not_near_empty(text):
    assert not is_near_empty(normalise(text))


def test_normalise_odd_unicode():
    assert normalise(None) == ""
    assert normalise("\u200bpolice\ufeff\x00 patrols") == "police patrols"
    assert normalise("Ｐｏｌｉｃｅ") == "Police"
    assert "\ud83d" not in normalise("broken \ud83d surrogate")
    assert len(normalise("word " * 10000)) <= MAX_CHARS


def test_languages():
    texts = [
        "There is nothing for young people to do in the evenings.",
        "Potrzebujemy więcej policji na ulicach wieczorem, bo ludzie boją się wychodzić.",
        "مزيد من الشرطة في الشوارع من فضلك",
        "Dr Pierzchniak very good.",
        "no",
        "",
    ]
    assert detect_languages(texts) == ["en", "pl", "ar", "en", "en", "en"]


def test_campaign_detection_needs_near_identical_long_answers():
    rng = np.random.default_rng(0)
    base = rng.normal(size=16)
    vectors = [base + rng.normal(scale=0.01, size=16) for _ in range(6)]
    vectors += [rng.normal(size=16) for _ in range(20)]
    emb = np.array(vectors, dtype=np.float32)
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    long = "close the late night off licences on the high street now please"
    texts = [long] * 6 + [f"answer {i} about something else entirely here today" for i in range(20)]
    assert find_campaigns(emb, texts, min_size=5) == [[0, 1, 2, 3, 4, 5]]
    # Short stock answers are never a campaign, however similar.
    assert find_campaigns(emb, ["very good"] * 6 + texts[6:], min_size=5) == []
