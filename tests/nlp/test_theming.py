"""The clusterer on controlled embeddings."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import adjusted_rand_score

from nlp.theming import OTHER, ThemingConfig, cluster


def blobs(k: int, per: int, dim: int = 32, seed: int = 0, noise: float = 0.3):
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(k, dim))
    x = np.vstack([c + rng.normal(scale=noise, size=(per, dim)) for c in centres])
    return x, np.repeat(np.arange(k), per), centres


def test_finds_the_groups_and_assigns_everything():
    x, truth, _ = blobs(8, 60)
    c = cluster(x, seed=1)
    assert adjusted_rand_score(truth, c.labels) > 0.9
    assert (c.labels != OTHER).all()
    assert 5 <= len(set(c.labels)) <= 40


def test_theme_count_stays_reviewable_for_many_groups():
    x, _, _ = blobs(70, 30, dim=64)
    c = cluster(x, seed=1)
    assert len(set(c.labels) - {OTHER}) <= 40


def test_same_seed_same_labels():
    x, _, _ = blobs(6, 50)
    assert (cluster(x, seed=3).labels == cluster(x, seed=3).labels).all()


def test_codeframe_themes_take_their_answers_first():
    x, truth, centres = blobs(6, 40)
    c = cluster(x, seed=0, codeframe_embeddings=centres[[2]], config=ThemingConfig())
    assert c.codeframe_themes == 1
    assert c.zero_shot_assigned > 0
    assert (c.labels[truth == 2] == 0).mean() > 0.9


def test_answers_unlike_any_theme_go_to_other():
    x, _, _ = blobs(6, 50, noise=0.05)
    odd = -x.mean(axis=0, keepdims=True).repeat(2, axis=0)  # opposite of everything
    c = cluster(np.vstack([x, odd]), seed=0, config=ThemingConfig(other_similarity=0.05))
    assert (c.labels[-2:] == OTHER).all()
    assert c.is_outlier[-2:].all()
