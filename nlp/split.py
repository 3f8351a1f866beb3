"""Split one theme's answers into smaller themes, for a reviewer who finds a theme too broad."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from nlp.embeddings import EmbeddingCache, embed_texts
from nlp.models import embedding_model_name, load_embedding_model


@dataclass
class Split:
    """Which part each answer went to, and a label and keywords per part."""

    assignments: list[int]
    labels: list[tuple[str, list[str]]]


def split_texts(
    texts: Sequence[str], *, parts: int = 2, seed: int = 42, cache: EmbeddingCache | None = None
) -> Split:
    """Re-cluster texts into `parts` groups with k-means on their embeddings."""
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer

    if len(texts) < parts:
        raise ValueError(f"Need at least {parts} answers to split into {parts}")
    vectors, _ = embed_texts(
        list(texts), load_embedding_model(), embedding_model_name(), cache=cache
    )
    labels = KMeans(n_clusters=parts, random_state=seed, n_init=10).fit_predict(vectors)
    documents = [
        " ".join(t for t, lab in zip(texts, labels, strict=True) if lab == p) for p in range(parts)
    ]
    vectoriser = TfidfVectorizer(
        stop_words="english",
        ngram_range=(1, 2),
        min_df=1,
        token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z]+\b",  # noqa: S106 - a regex, not a password
    )
    try:
        weights = vectoriser.fit_transform(documents).toarray()
        vocabulary = np.array(vectoriser.get_feature_names_out())
    except ValueError:  # nothing but stop words
        weights, vocabulary = np.zeros((parts, 0)), np.array([])
    named = []
    for p in range(parts):
        top = (
            [str(w) for w in vocabulary[np.argsort(weights[p])[::-1][:8]]]
            if vocabulary.size
            else []
        )
        label = ", ".join(top[:3]).capitalize() if top else f"Part {p + 1}"
        named.append((label, top))
    return Split(assignments=[int(x) for x in labels], labels=named)
