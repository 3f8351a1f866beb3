"""Embeddings are cached by model and text hash, in memory or in SQLite."""

from __future__ import annotations

import numpy as np

from nlp.embeddings import (
    EmbeddingCache,
    MemoryEmbeddingCache,
    RedactionCache,
    SQLiteEmbeddingCache,
    embed_texts,
    text_hash,
)
from nlp.models import embedding_model_name, load_embedding_model


def test_cache_means_only_new_answers_are_embedded(tmp_path):
    model, name = load_embedding_model(), embedding_model_name()
    cache = SQLiteEmbeddingCache(tmp_path / "cache.sqlite")
    assert isinstance(cache, EmbeddingCache) and isinstance(cache, RedactionCache)
    first, n1 = embed_texts(["more police", "better lighting"], model, name, cache=cache)
    again, n2 = embed_texts(
        ["better lighting", "more police", "youth clubs"],
        model,
        name,
        cache=SQLiteEmbeddingCache(tmp_path / "cache.sqlite"),
    )
    assert (n1, n2) == (2, 1)
    assert first.shape == (2, 384)
    np.testing.assert_allclose(again[0], first[1], rtol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(again, axis=1), 1.0, rtol=1e-5)
    # Another model name never reuses these vectors.
    assert cache.get_many("other-model", [text_hash("more police")]) == {}


def test_memory_cache_round_trip():
    cache = MemoryEmbeddingCache()
    cache.put_many("m", {"h": np.ones(3)})
    assert cache.get_many("m", ["h", "x"])["h"].tolist() == [1.0, 1.0, 1.0]
    cache.put_redactions("v1", {"h": "<NAME> said"})
    assert cache.get_redactions("v1", ["h"]) == {"h": "<NAME> said"}
    assert cache.get_redactions("v2", ["h"]) == {}
