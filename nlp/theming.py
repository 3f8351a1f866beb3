"""Grouping answers into themes: a seeded, adaptive clusterer plugged into BERTopic.

Why not UMAP + HDBSCAN (BERTopic's defaults): on this 2-core machine a seeded UMAP
(seeding makes it single-threaded) takes ~2 minutes for 10,000 answers, HDBSCAN leaves 30-50%
of answers as outliers, and on human-coded consultations neither agreed better with the human
codes than the approach below (see docs/theme-analysis.md). Instead:

1. zero-shot: answers close to a codeframe theme (cosine >= `zero_shot_similarity`) are given
   to it, as BERTopic's zero-shot topic modelling does;
2. the rest is over-clustered with k-means on the unit-normalised embeddings;
3. clusters whose centroids are close are merged (average linkage, cosine distance threshold),
   so the number of themes follows the variety of the answers, kept within [min, max];
4. answers far from every theme are outliers; outlier reduction gives each one its nearest
   theme when that is close enough, and the explicit "other" theme only when nothing fits.

BERTopic then builds the topic representations (c-TF-IDF, KeyBERTInspired) and the
per-area views (`topics_per_class`) on these assignments.
"""

from __future__ import annotations

import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from bertopic import BERTopic
    from sentence_transformers import SentenceTransformer

OTHER = -1
# What the tokenizer leaves of contractions ("couldn't" -> "couldn"), and source-data masks.
_FRAGMENTS = frozenset(
    [
        "couldn",
        "didn",
        "doesn",
        "don",
        "hadn",
        "hasn",
        "haven",
        "isn",
        "mustn",
        "needn",
        "shan",
        "shouldn",
        "wasn",
        "weren",
        "won",
        "wouldn",
        "ve",
        "ll",
        "re",
        "xx",
        "xxx",
        "xxxx",
        "xxxxx",
    ]
)


@dataclass(frozen=True)
class ThemingConfig:
    """Clustering settings; the defaults are meant for 50 to 50,000 answers."""

    min_themes: int = 5
    max_themes: int = 40
    # Cosine distance under which two cluster centroids are the same theme.
    merge_distance: float = 0.5
    linkage: str = "average"
    # One initial cluster per this many answers, at most `max_initial_clusters`.
    answers_per_initial_cluster: int = 20
    max_initial_clusters: int = 60
    # Discovered themes smaller than this (count, or share of answers) are absorbed.
    min_theme_size: int = 3
    min_theme_share: float = 0.005
    # k-means style reassignment rounds after merging (0 to keep merged groups as they are).
    refine_rounds: int = 2
    zero_shot_similarity: float = 0.5
    # Below this similarity to its theme centre an answer is an outlier ...
    outlier_similarity: float = 0.3
    # ... and below this to every theme it goes to "other".
    other_similarity: float = 0.15


@dataclass
class Clustering:
    """Theme per answer (codeframe themes first: 0..m-1; OTHER for "other")."""

    labels: np.ndarray
    is_outlier: np.ndarray
    similarity: np.ndarray
    centroids: np.ndarray
    codeframe_themes: int
    zero_shot_assigned: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def _unit(m: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    return m / np.where(norms == 0, 1, norms)


def _kmeans(x: np.ndarray, k: int, seed: int) -> np.ndarray:
    from sklearn.cluster import KMeans, MiniBatchKMeans

    # Mini-batch k-means keeps 50,000 answers to seconds; full k-means is exact below that.
    if len(x) > 20000:
        model = MiniBatchKMeans(k, random_state=seed, n_init=3, batch_size=2048)
    else:
        model = KMeans(k, random_state=seed, n_init=2)
    return model.fit(x).labels_


def _centroids(x: np.ndarray, labels: np.ndarray, ids: Sequence[int]) -> np.ndarray:
    return _unit(np.stack([x[labels == i].mean(axis=0) for i in ids]))


def _merge(
    centroids: np.ndarray, distance: float, lo: int, hi: int, linkage: str = "average"
) -> np.ndarray:
    """Group centroids into themes: by distance threshold, then clamped to [lo, hi]."""
    from sklearn.cluster import AgglomerativeClustering

    n = len(centroids)
    if n <= lo:
        return np.arange(n)

    def cut(**kwargs) -> np.ndarray:
        if linkage == "ward":
            # Ward on unit vectors: squared euclidean distance is 2 x cosine distance.
            kwargs["distance_threshold"] = (
                None if kwargs.get("distance_threshold") is None else np.sqrt(2 * distance)
            )
            return AgglomerativeClustering(linkage="ward", **kwargs).fit(centroids).labels_
        return (
            AgglomerativeClustering(metric="cosine", linkage=linkage, **kwargs)
            .fit(centroids)
            .labels_
        )

    groups = cut(n_clusters=None, distance_threshold=distance)
    count = len(set(groups))
    if count < lo:
        groups = cut(n_clusters=lo)
    elif count > hi:
        groups = cut(n_clusters=hi)
    return groups


def _substantial(groups: np.ndarray, sizes: np.ndarray, min_size: int) -> int:
    totals = Counter()
    for g, size in zip(groups.tolist(), sizes.tolist(), strict=True):
        totals[g] += size
    return sum(1 for v in totals.values() if v >= min_size)


def _refine(x: np.ndarray, labels: np.ndarray, *, rounds: int) -> None:
    """Move each answer to its nearest theme centre (in place), as a k-means step would:
    merging and zero-shot leave answers in a theme whose centre is not their nearest."""
    for _ in range(rounds):
        ids = sorted(set(labels.tolist()) - {OTHER})
        if len(ids) < 2:
            return
        cents = _centroids(x, labels, ids)
        moved = np.array(ids)[np.argmax(x @ cents.T, axis=1)]
        keep = labels == OTHER
        if not set(ids) <= set(moved[~keep].tolist()):
            return  # a theme would empty out; stop rather than lose it
        changed = (moved != labels) & ~keep
        if not changed.any():
            return
        labels[~keep] = moved[~keep]


def _absorb_small(
    x: np.ndarray, labels: np.ndarray, m: int, min_size: int, min_themes: int
) -> None:
    """Give the answers of too-small discovered themes to their nearest other theme (in place):
    a theme of three answers is noise to a reviewer and the first thing to flip between seeds."""
    while True:
        sizes = Counter(t for t in labels.tolist() if t != OTHER)
        small = [t for t, c in sizes.items() if t >= m and c < min_size]
        if not small or len(sizes) <= min_themes:
            return
        smallest = min(small, key=lambda t: (sizes[t], t))
        keep = [t for t in sizes if t != smallest]
        cents = _centroids(x, labels, keep)
        members = np.flatnonzero(labels == smallest)
        labels[members] = np.array(keep)[np.argmax(x[members] @ cents.T, axis=1)]


def cluster(
    embeddings: np.ndarray,
    *,
    seed: int,
    config: ThemingConfig = ThemingConfig(),
    codeframe_embeddings: np.ndarray | None = None,
) -> Clustering:
    """Assign each (unit-normalised) embedding to a theme; see the module docstring."""
    x = _unit(np.asarray(embeddings, dtype=np.float32))
    n = len(x)
    labels = np.full(n, OTHER, dtype=int)
    m = 0 if codeframe_embeddings is None else len(codeframe_embeddings)
    zero_shot = 0
    if m:
        seeds = _unit(np.asarray(codeframe_embeddings, dtype=np.float32))
        sims = x @ seeds.T
        best = sims.argmax(axis=1)
        hit = sims.max(axis=1) >= config.zero_shot_similarity
        labels[hit] = best[hit]
        zero_shot = int(hit.sum())
    rest = np.flatnonzero(labels == OTHER)
    room_lo = max(1, config.min_themes - m)
    room_hi = max(1, config.max_themes - m)
    if len(rest) >= 2 * room_lo:
        k0 = int(
            np.clip(
                len(rest) // config.answers_per_initial_cluster,
                min(room_lo, len(rest)),
                config.max_initial_clusters,
            )
        )
        k0 = max(k0, min(room_lo, len(rest)))
        initial = _kmeans(x[rest], k0, seed)
        ids = sorted(set(initial.tolist()))
        cents = _centroids(x[rest], initial, ids)
        sizes = np.array([(initial == i).sum() for i in ids])
        min_size = max(config.min_theme_size, int(n * config.min_theme_share))
        groups = _merge(cents, config.merge_distance, room_lo, room_hi, config.linkage)
        # A tiny group (one odd answer) must not count towards the minimum theme count.
        while _substantial(groups, sizes, min_size) < room_lo and len(set(groups)) < len(ids):
            groups = _merge(cents, 0.0, len(set(groups)) + 1, len(set(groups)) + 1, config.linkage)
        merged = groups[np.searchsorted(ids, initial)]
        labels[rest] = merged + m
    elif len(rest):
        labels[rest] = m  # too few left over to split: one discovered theme
    min_size = max(config.min_theme_size, int(n * config.min_theme_share))
    floor = min(config.min_themes, max(1, n // config.min_theme_size))
    _absorb_small(x, labels, m, min_size, floor)
    _refine(x, labels, rounds=config.refine_rounds)
    _absorb_small(x, labels, m, min_size, floor)  # refining can shrink a theme again
    theme_ids = sorted(set(labels.tolist()) - {OTHER})
    # A discovered theme that sits on top of a codeframe theme is that theme.
    cents = _centroids(x, labels, theme_ids)
    seeded = [i for i, t in enumerate(theme_ids) if t < m]
    if seeded:
        for j, t in enumerate(theme_ids):
            if t >= m:
                sims = cents[seeded] @ cents[j]
                if sims.max() >= 1 - config.merge_distance / 2:
                    labels[labels == t] = int(theme_ids[seeded[int(sims.argmax())]])
        theme_ids = sorted(set(labels.tolist()) - {OTHER})
        cents = _centroids(x, labels, theme_ids)
    # Renumber discovered themes densely after the codeframe ones.
    remap = {t: i for i, t in enumerate(theme_ids)}
    labels = np.array([remap.get(t, OTHER) for t in labels])
    sims_all = x @ cents.T
    own = sims_all[np.arange(n), labels]
    is_outlier = own < config.outlier_similarity
    # Outlier reduction: nearest theme if close enough, else "other".
    nearest = sims_all.argmax(axis=1)
    best = sims_all.max(axis=1)
    labels = np.where(is_outlier, np.where(best >= config.other_similarity, nearest, OTHER), labels)
    similarity = np.where(labels == OTHER, best, sims_all[np.arange(n), np.maximum(labels, 0)])
    codeframe_kept = sum(1 for t in theme_ids if t < m)
    return Clustering(
        labels=labels,
        is_outlier=is_outlier,
        similarity=similarity.astype(float),
        centroids=cents,
        codeframe_themes=codeframe_kept,
        zero_shot_assigned=zero_shot,
        extra={"codeframe_ids": [t for t in theme_ids if t < m]},
    )


def stop_words(extra: Sequence[str] = ()) -> list[str]:
    """English stop words plus redaction placeholders and filler words."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    from nlp.redaction import PLACEHOLDER_WORDS

    return sorted(set(ENGLISH_STOP_WORDS) | set(PLACEHOLDER_WORDS) | _FRAGMENTS | set(extra))


def fit_bertopic(
    docs: Sequence[str],
    embeddings: np.ndarray,
    labels: np.ndarray,
    *,
    embedding_model: SentenceTransformer,
    seed: int,
    top_n_words: int = 10,
) -> BERTopic:
    """Fit BERTopic's representation stages (c-TF-IDF, KeyBERTInspired) on given themes."""
    from bertopic import BERTopic
    from bertopic.cluster import BaseCluster
    from bertopic.dimensionality import BaseDimensionalityReduction
    from bertopic.vectorizers import ClassTfidfTransformer
    from sklearn.feature_extraction.text import CountVectorizer

    n = len(docs)
    vectorizer = CountVectorizer(
        stop_words=stop_words(),
        ngram_range=(1, 2),
        # Words used once are noise in big runs but all there is in small ones.
        min_df=2 if n >= 200 else 1,
        max_features=50000,
        token_pattern=r"(?u)\b[^\W\d_][^\W\d_]+\b",  # noqa: S106 - words of 2+ letters
    )
    model = BERTopic(
        embedding_model=embedding_model,
        umap_model=BaseDimensionalityReduction(),
        hdbscan_model=BaseCluster(),
        vectorizer_model=vectorizer,
        ctfidf_model=ClassTfidfTransformer(reduce_frequent_words=True),
        # KeyBERT-style re-ranking is done in `rerank_keywords` against the theme centres we
        # already have: BERTopic's KeyBERTInspired re-embeds sample answers per topic, which
        # was three quarters of a run's labelling time on two cores.
        top_n_words=max(top_n_words, 30),
        calculate_probabilities=False,
        verbose=False,
    )
    with warnings.catch_warnings():
        # BERTopic and pandas chatter (FutureWarnings/SettingWithCopy) is not ours to fix.
        warnings.simplefilter("ignore", FutureWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.filterwarnings("ignore", message=".*SettingWithCopy.*")
        model.fit_transform(list(docs), embeddings=embeddings, y=np.asarray(labels))
    return model


def topic_keywords(model: BERTopic, topic: int) -> list[str]:
    """c-TF-IDF keywords of one BERTopic topic, best first."""
    return [w for w, _ in (model.get_topic(topic) or []) if w]


def rerank_keywords(
    candidates: dict[int, list[str]],
    centres: dict[int, np.ndarray],
    embedding_model: SentenceTransformer,
    *,
    top_n: int = 10,
) -> dict[int, list[str]]:
    """KeyBERTInspired: order each theme's c-TF-IDF candidates by similarity of the word's
    embedding to the theme centre, one embedding pass for all words."""
    vocab = sorted({w for words in candidates.values() for w in words})
    if not vocab:
        return {t: [] for t in candidates}
    vectors = embedding_model.encode(
        vocab, batch_size=128, show_progress_bar=False, normalize_embeddings=True
    )
    where = {w: i for i, w in enumerate(vocab)}
    out = {}
    for t, words in candidates.items():
        if not words or t not in centres:
            out[t] = words[:top_n]
            continue
        sims = vectors[[where[w] for w in words]] @ centres[t]
        order = np.argsort(-sims, kind="stable")
        out[t] = [words[i] for i in order[:top_n]]
    return out


def keywords_per_area(
    model: BERTopic, docs: Sequence[str], areas: Sequence[str], *, top_n: int = 5
) -> dict[int, dict[str, list[str]]]:
    """Per-area keywords of each topic, from BERTopic's `topics_per_class`."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        table = model.topics_per_class(list(docs), classes=list(areas))
    out: dict[int, dict[str, list[str]]] = {}
    for row in table.itertuples(index=False):
        words = [w.strip() for w in str(row.Words).split(",") if w.strip()][:top_n]
        out.setdefault(int(row.Topic), {})[str(row.Class)] = words
    return out
