"""The embedding half of the screener: nearest curated examples by cosine similarity."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from nlp.safeguarding.categories import NONE
from nlp.safeguarding.examples import EXAMPLES, NOT_DISCLOSURES

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

# A disclosure in one sentence of a long answer is diluted in a whole-text embedding, so each
# sentence is compared on its own; past this many, neighbours are joined to bound the cost.
MAX_CHUNKS = 6
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


@dataclass(frozen=True)
class Neighbour:
    """The most similar curated example of one category and how similar it is."""

    category: str
    example: str
    similarity: float


def chunks(text: str) -> list[str]:
    """Split a text into at most MAX_CHUNKS sentence-sized pieces for embedding."""
    pieces = [p.strip() for p in _SENTENCE_END.split(text) if p and p.strip()]
    if not pieces:
        return [text.strip() or text]
    if len(pieces) <= MAX_CHUNKS:
        return pieces
    size = -(-len(pieces) // MAX_CHUNKS)
    return [" ".join(pieces[i : i + size]) for i in range(0, len(pieces), size)]


class ExampleIndex:
    """Embeddings of the curated examples, compared with a text's sentences."""

    def __init__(self, model: SentenceTransformer) -> None:
        self.model = model
        labels: list[str] = []
        texts: list[str] = []
        for category, examples in EXAMPLES.items():
            labels.extend([category] * len(examples))
            texts.extend(examples)
        labels.extend([NONE] * len(NOT_DISCLOSURES))
        texts.extend(NOT_DISCLOSURES)
        self.labels = np.array(labels)
        self.texts = texts
        self.vectors = self._encode(texts)

    def _encode(self, texts: list[str]) -> np.ndarray:
        return self.model.encode(
            texts,
            batch_size=32,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )

    def nearest(self, text: str) -> dict[str, Neighbour]:
        """For each category (and "none"), the closest example to any sentence of the text."""
        pieces = chunks(text)
        similarities = self._encode(pieces) @ self.vectors.T
        best_per_example = similarities.max(axis=0)
        result: dict[str, Neighbour] = {}
        for category in dict.fromkeys(self.labels.tolist()):
            indices = np.flatnonzero(self.labels == category)
            top = int(indices[np.argmax(best_per_example[indices])])
            result[category] = Neighbour(category, self.texts[top], float(best_per_example[top]))
        return result
