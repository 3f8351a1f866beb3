"""The theme analysis pipeline: answers in, themes per borough out (no Flask here)."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import metadata

import numpy as np

from nlp.codeframe import Codeframe
from nlp.embeddings import EmbeddingCache, RedactionCache, embed_texts, text_hash
from nlp.labels import key_phrases, make_description, make_label, pick_quotes
from nlp.preprocess import detect_languages, find_campaigns, is_near_empty, normalise
from nlp.results import (
    AnalysisResult,
    Answer,
    Assignment,
    Quality,
    Quote,
    RunInfo,
    SetAside,
    Theme,
)
from nlp.theming import OTHER, ThemingConfig, cluster

ENGINE_VERSION = "1.0"
REDACTION_VERSION = "presidio-uk-1"
Progress = Callable[[str, int, int], None]


class TooFewAnswers(ValueError):
    """There are not enough answers with content to find themes."""

    def __init__(self, needed: int, got: int) -> None:
        self.needed = needed
        self.got = got
        super().__init__(
            f"Theme analysis needs at least {needed} answers with content in English; "
            f"this question has {got}. Wait for more responses or review them by hand."
        )


@dataclass(frozen=True)
class EngineConfig:
    """Settings for a run; every field is recorded in the run's parameters."""

    embedding_model_path: str | None = None  # None: bundled all-MiniLM-L6-v2
    theming: ThemingConfig = field(default_factory=ThemingConfig)
    min_answers: int = 20
    detect_language: bool = True
    redact: bool = True
    campaign_similarity: float = 0.95
    campaign_min_size: int = 5
    campaign_min_words: int = 8
    quotes_per_theme: int = 5
    quotes_per_area: int = 3
    top_n_words: int = 10
    # Re-cluster with seed + 1 and report the agreement (ARI); costs a second k-means.
    stability_check: bool = True


def _versions() -> dict[str, str]:
    out = {}
    for pkg in (
        "bertopic",
        "sentence-transformers",
        "torch",
        "scikit-learn",
        "spacy",
        "presidio-analyzer",
        "lingua-language-detector",
        "numpy",
    ):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:  # pragma: no cover - depends on the install
            out[pkg] = "not installed"
    return out


def _representation(
    members: np.ndarray, assigned: np.ndarray, areas: list[str], area_of: list[str]
) -> list:
    """Over/under-representation of one theme per area: 2x2 chi-square, Fisher when small."""
    from scipy.stats import chi2_contingency, fisher_exact

    from nlp.results import AreaRepresentation

    out = []
    area_arr = np.array(area_of)
    for area in areas:
        in_area = area_arr == area
        a = int((members & in_area).sum())
        b = int((~members & in_area & assigned).sum())
        c = int((members & ~in_area).sum())
        d = int((~members & ~in_area & assigned).sum())
        area_total, elsewhere = a + b, c + d
        if area_total == 0 or elsewhere == 0:
            continue
        table = np.array([[a, b], [c, d]])
        share, share_else = a / area_total, c / elsewhere
        expected = table.sum(1, keepdims=True) * table.sum(0, keepdims=True) / table.sum()
        if (expected < 5).any():
            test, p = "fisher", float(fisher_exact(table)[1])
        else:
            test, p = "chi-square", float(chi2_contingency(table)[1])
        direction = "as expected"
        if p < 0.05:
            direction = "over" if share > share_else else "under"
        out.append(
            AreaRepresentation(
                area=area,
                count=a,
                area_total=area_total,
                share=round(share, 4),
                share_elsewhere=round(share_else, 4),
                ratio=round(share / share_else, 3) if share_else > 0 else None,
                test=test,
                p_value=p,
                direction=direction,
            )
        )
    return out


class _Clock:
    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.timings[stage] = round(self.timings.get(stage, 0.0) + now - self._last, 3)
        self._last = now


def _redact(texts: list[str], cache: object, progress: Progress | None) -> list[str]:
    from nlp.redaction import redact_many

    hashes = [text_hash(t) for t in texts]
    cached = (
        cache.get_redactions(REDACTION_VERSION, hashes) if isinstance(cache, RedactionCache) else {}
    )
    todo = [i for i, h in enumerate(hashes) if h not in cached]
    unique: dict[str, str] = {}
    for i in todo:
        unique.setdefault(hashes[i], texts[i])
    keys = list(unique)
    done = redact_many(
        [unique[h] for h in keys],
        progress=(lambda d, n: progress("redacting", d, n)) if progress else None,
    )
    fresh = {h: r.text for h, r in zip(keys, done, strict=True)}
    if isinstance(cache, RedactionCache) and fresh:
        cache.put_redactions(REDACTION_VERSION, fresh)
    return [fresh.get(h, cached.get(h, "")) for h in hashes]


def analyse(
    answers: Sequence[Answer],
    *,
    codeframe: Codeframe | None = None,
    seed: int = 42,
    progress: Progress | None = None,
    cache: EmbeddingCache | None = None,
    config: EngineConfig = EngineConfig(),
) -> AnalysisResult:
    """Group one question's answers into themes across all areas, with per-area views.

    `progress(stage, done, total)` is called for "redacting", "embedding", "clustering" and
    "labelling". Raises `TooFewAnswers` (with `.needed`) when there is too little to theme.
    """
    from sklearn.metrics import adjusted_rand_score

    from nlp.models import embedding_model_name, load_embedding_model, spacy_model_name

    started = datetime.now(UTC).isoformat(timespec="seconds")
    clock = _Clock()
    codeframe = codeframe or Codeframe()
    texts = [normalise(a.text) for a in answers]
    area_of = [(a.area or "").strip() or "Unknown" for a in answers]

    # 1. language: non-English answers are set aside, not themed with the English ones.
    languages = detect_languages(texts) if config.detect_language else ["en"] * len(texts)
    english = [i for i, lang in enumerate(languages) if lang == "en"]
    set_aside = [
        SetAside(answers[i].id, area_of[i], languages[i])
        for i, lang in enumerate(languages)
        if lang != "en"
    ]
    near_empty = {i for i in english if is_near_empty(texts[i])}
    content = [i for i in english if i not in near_empty]
    clock.lap("language")
    if len(content) < config.min_answers:
        raise TooFewAnswers(config.min_answers, len(content))

    # 2. redaction of everything that may be shown: quotes, keywords, exports.
    if progress:
        progress("redacting", 0, len(english))
    redacted_list = (
        _redact([texts[i] for i in english], cache, progress)
        if config.redact
        else [texts[i] for i in english]
    )
    redacted = dict(zip(english, redacted_list, strict=True))
    clock.lap("redacting")

    # 3. embeddings (raw normalised text, so a redaction change does not invalidate them).
    model = load_embedding_model(config.embedding_model_path)
    model_name = embedding_model_name(config.embedding_model_path)
    emb, n_new = embed_texts(
        [texts[i] for i in content],
        model,
        model_name,
        cache=cache,
        progress=(lambda d, n: progress("embedding", d, n)) if progress else None,
    )
    clock.lap("embedding")

    # 4. campaigns: one representative of each takes part in clustering.
    if progress:
        progress("clustering", 0, 1)
    campaigns = find_campaigns(
        emb,
        [texts[i] for i in content],
        threshold=config.campaign_similarity,
        min_size=config.campaign_min_size,
        min_words=config.campaign_min_words,
    )
    in_campaign: dict[int, int] = {}  # position in `content` -> campaign number
    for c, members in enumerate(campaigns):
        for pos in members:
            in_campaign[pos] = c
    fit_pos = np.array(
        [
            p
            for p in range(len(content))
            if p not in in_campaign or campaigns[in_campaign[p]][0] == p
        ]
    )
    if len(fit_pos) < config.min_answers:
        raise TooFewAnswers(config.min_answers, len(fit_pos))
    seed_embeddings = None
    if len(codeframe):
        seed_embeddings, _ = embed_texts(
            [t.seed_text() for t in codeframe.themes], model, model_name
        )
    clustering = cluster(
        emb[fit_pos], seed=seed, config=config.theming, codeframe_embeddings=seed_embeddings
    )
    stability = None
    if config.stability_check:
        again = cluster(
            emb[fit_pos],
            seed=seed + 1,
            config=config.theming,
            codeframe_embeddings=seed_embeddings,
        )
        stability = round(float(adjusted_rand_score(clustering.labels, again.labels)), 4)
    if progress:
        progress("clustering", 1, 1)
    clock.lap("clustering")

    # 5. theme ids: content themes by size, then near-empty, campaigns, other.
    labels = clustering.labels
    cf_ids = clustering.extra["codeframe_ids"]  # cluster ids (0..) that are codeframe themes
    sizes = Counter(labels.tolist())
    content_clusters = sorted((t for t in sizes if t != OTHER), key=lambda t: (-sizes[t], t))
    theme_id = {t: i for i, t in enumerate(content_clusters)}
    next_id = len(content_clusters)
    near_empty_id = None
    if near_empty:
        near_empty_id, next_id = next_id, next_id + 1
    campaign_theme = {}
    for c in range(len(campaigns)):
        campaign_theme[c], next_id = next_id, next_id + 1
    other_id = next_id if OTHER in sizes else None

    fit_label = {int(p): int(lab) for p, lab in zip(fit_pos, labels, strict=True)}
    fit_index = {int(p): k for k, p in enumerate(fit_pos)}
    assignments: list[Assignment] = []
    theme_members: dict[int, list[int]] = {}  # theme id -> answer indices
    score_of: dict[int, float] = {}
    for pos, i in enumerate(content):
        if pos in in_campaign:
            c = in_campaign[pos]
            tid = campaign_theme[c]
            rep = campaigns[c][0]
            prob = float(emb[pos] @ emb[rep])
            outlier = False
        else:
            k = fit_index[pos]
            lab = fit_label[pos]
            tid = theme_id[lab] if lab != OTHER else other_id
            prob = float(clustering.similarity[k])
            outlier = bool(clustering.is_outlier[k])
        score_of[i] = prob
        theme_members.setdefault(tid, []).append(i)
        assignments.append(
            Assignment(
                answer_id=answers[i].id,
                theme_id=tid,
                area=area_of[i],
                text_redacted=redacted[i],
                probability=round(prob, 4),
                is_outlier=outlier,
                campaign_id=tid if pos in in_campaign else None,
            )
        )
    for i in sorted(near_empty):
        theme_members.setdefault(near_empty_id, []).append(i)
        score_of[i] = 1.0
        assignments.append(
            Assignment(answers[i].id, near_empty_id, area_of[i], redacted[i], 1.0, near_empty=True)
        )
    order = {answers[i].id: n for n, i in enumerate(english)}
    assignments.sort(key=lambda a: order[a.answer_id])

    # 6. labels and evidence, via BERTopic's representation of the clustered answers.
    from nlp.theming import fit_bertopic, keywords_per_area, rerank_keywords, topic_keywords

    n_stages = len(theme_members)
    if progress:
        progress("labelling", 0, n_stages)
    fit_docs = [redacted[content[p]] for p in fit_pos]
    topic_model = fit_bertopic(
        fit_docs,
        emb[fit_pos],
        labels,
        embedding_model=model,
        seed=seed,
        top_n_words=config.top_n_words,
    )
    topic_of_cluster = {}
    for lab, topic in zip(labels.tolist(), topic_model.topics_, strict=True):
        topic_of_cluster.setdefault(lab, topic)
    # c-TF-IDF keywords, then KeyBERT-style re-ranking against each theme's centre.
    centre_of = {}
    for lab in set(labels.tolist()):
        v = emb[fit_pos][labels == lab].mean(axis=0)
        centre_of[topic_of_cluster[lab]] = v / (np.linalg.norm(v) or 1.0)
    ctfidf = {t: topic_keywords(topic_model, t) for t in centre_of}
    keybert_of = rerank_keywords(ctfidf, centre_of, model, top_n=config.top_n_words)
    areas = sorted(set(area_of[i] for i in english))
    per_area_words: dict[int, dict[str, list[str]]] = {}
    if len(areas) > 1:
        per_area_words = keywords_per_area(
            topic_model, fit_docs, [area_of[content[p]] for p in fit_pos]
        )

    english_arr = np.zeros(len(answers), dtype=bool)
    english_arr[english] = True
    total = len(english)
    themes: list[Theme] = []
    all_texts = [redacted.get(i, "") for i in range(len(answers))]
    scores = np.array([score_of.get(i, 0.0) for i in range(len(answers))])
    for done, (tid, members) in enumerate(sorted(theme_members.items())):
        idx = np.array(members)
        cluster_id = next((c for c, t in theme_id.items() if t == tid), None)
        is_ne = tid == near_empty_id
        is_other = tid == other_id
        campaign_no = next((c for c, t in campaign_theme.items() if t == tid), None)
        quotes_idx = pick_quotes(idx, scores, all_texts, n=config.quotes_per_theme)
        if cluster_id is not None or is_other:
            topic = topic_of_cluster[cluster_id if cluster_id is not None else OTHER]
            keywords = ctfidf[topic][: config.top_n_words]
            keybert = keybert_of[topic]
            typical = pick_quotes(idx, scores, all_texts, n=30)
            phrases = key_phrases([all_texts[i] for i in typical], keybert + keywords)
            by_area_words = per_area_words.get(topic, {})
        else:
            keywords, keybert, phrases, by_area_words = [], [], [], {}
        codeframe_name = None
        if is_ne:
            label = "No substantive answer"
            description = (
                f"{len(idx)} answers ({100 * len(idx) / total:.0f}%) with nothing to theme, "
                "such as 'no', 'nothing' or 'n/a'."
            )
        elif is_other:
            label = "Other"
            description = f"{len(idx)} answers that did not fit any theme."
        elif campaign_no is not None:
            rep_text = all_texts[content[campaigns[campaign_no][0]]]
            words = rep_text.split()
            label = "Campaign: " + " ".join(words[:8]) + ("…" if len(words) > 8 else "")
            description = (
                f"{len(idx)} near-identical answers (a copy-paste campaign), shown once in the "
                "themes and counted here."
            )
        else:
            if cluster_id in cf_ids:
                codeframe_name = codeframe.themes[cluster_id].name
                label = codeframe_name
            else:
                label = make_label(phrases, keybert or keywords)
            description = make_description(phrases, keybert or keywords, len(idx), total)
        campaign_of = None
        if campaign_no is not None:
            rep_pos = campaigns[campaign_no][0]
            lab = fit_label[rep_pos]
            campaign_of = theme_id.get(lab) if lab != OTHER else other_id
        counts = Counter(area_of[i] for i in idx)
        members_mask = np.zeros(len(answers), dtype=bool)
        members_mask[idx] = True
        themes.append(
            Theme(
                id=tid,
                label=label,
                description=description,
                keywords=keywords,
                key_phrases=phrases,
                size=len(idx),
                is_other=is_other,
                is_near_empty=is_ne,
                is_campaign=campaign_no is not None,
                codeframe_name=codeframe_name,
                campaign_of=campaign_of,
                quotes=[Quote(answers[i].id, all_texts[i], area_of[i]) for i in quotes_idx],
                quotes_by_area={
                    area: [
                        Quote(answers[i].id, all_texts[i], area)
                        for i in pick_quotes(
                            idx[np.array([area_of[i] == area for i in idx])],
                            scores,
                            all_texts,
                            n=config.quotes_per_area,
                        )
                    ]
                    for area in sorted(counts)
                },
                counts_by_area=dict(sorted(counts.items())),
                keywords_by_area=by_area_words,
                representation=_representation(members_mask, english_arr, areas, area_of)
                if len(areas) > 1
                else [],
            )
        )
        if progress:
            progress("labelling", done + 1, n_stages)
    clock.lap("labelling")

    reviewable = [t for t in themes if not (t.is_other or t.is_near_empty or t.is_campaign)]
    other_size = sum(t.size for t in themes if t.is_other)
    quality = Quality(
        theme_count=len(reviewable),
        unassigned_share=round(other_size / total, 4) if total else 0.0,
        outlier_share=round(float(clustering.is_outlier.mean()), 4),
        stability_ari=stability,
        stability_method="ARI between k-means clusterings with seeds s and s+1"
        if stability is not None
        else None,
    )
    params = asdict(config)
    params["codeframe"] = codeframe.to_dict()
    run = RunInfo(
        engine_version=ENGINE_VERSION,
        seed=seed,
        models={"embedding": model_name, "spacy": spacy_model_name(), **_versions()},
        parameters=params,
        timings={**clock.timings, "total": round(sum(clock.timings.values()), 3)},
        counts={
            "answers": len(answers),
            "english": len(english),
            "set_aside": len(set_aside),
            "near_empty": len(near_empty),
            "campaign_answers": len(in_campaign),
            "campaigns": len(campaigns),
            "clustered": len(fit_pos),
            "embedded_new": n_new,
            "zero_shot_assigned": clustering.zero_shot_assigned,
        },
        quality=quality,
        started_at=started,
    )
    return AnalysisResult(
        themes=themes, assignments=assignments, set_aside=set_aside, run=run, areas=areas
    )
