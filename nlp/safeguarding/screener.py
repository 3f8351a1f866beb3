"""Combining the rule hits and the nearest examples into one screening result."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc

from nlp.safeguarding.categories import (
    CRIME_INFORMATION,
    DISCLOSURE_CATEGORIES,
    DOMESTIC_ABUSE,
    EXPLOITATION,
    NONE,
    RISK_TO_OTHERS,
)
from nlp.safeguarding.rules import RuleHit, find_hits
from nlp.safeguarding.severity import grade
from nlp.safeguarding.similarity import ExampleIndex, Neighbour

log = logging.getLogger(__name__)

# Tuned on tests/data/safeguarding_eval.csv only; the held-out set was never used to tune.
THRESHOLD = 0.5  # a category's evidence at or above this makes the text a disclosure
# Similarity counts by how far the nearest disclosure example beats the nearest ordinary
# answer (the margin), so that general talk about knives or abuse, which is close to both,
# is not flagged on similarity alone. A margin of 0.05 alone reaches the threshold.
SIMILARITY_FLOOR = 0.35  # below this the nearest example says nothing
MARGIN_ZERO = -0.05  # margin at which similarity starts to count
MARGIN_FULL = 0.15  # margin at which it counts fully
EMBEDDING_WEIGHT = 1.0  # the most similarity alone can add
CANCELLED_DAMPING = 0.35  # what similarity keeps when the rules found the phrase negated
EXTRA_RULE_BONUS = 0.1  # each further rule of the same category adds this much
SPECIFIC_RULE_SCORE = 0.8  # rule evidence that lets a more specific category win
DIRECT_THREAT_RULES = frozenset({"threat_to_me", "violence_to_me", "weapon_on_me"})
PARTNER_HARM_RULES = DIRECT_THREAT_RULES | {"following_me"}
MAX_REASONS = 6
_PARTNER = re.compile(
    r"\b(my|our|her|his) (ex|partner|husband|wife|boyfriend|girlfriend|bf|gf|hubby|fiance)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Screening:
    """The result of screening one text for a safeguarding disclosure."""

    category: str
    severity: str
    is_disclosure: bool
    score: float
    reasons: list[str] = field(default_factory=list)


NOT_A_DISCLOSURE = Screening(category=NONE, severity="none", is_disclosure=False, score=0.0)


def _similarity_evidence(neighbour: Neighbour, nearest_none: float) -> float:
    if neighbour.similarity < SIMILARITY_FLOOR:
        return 0.0
    margin = neighbour.similarity - nearest_none
    return min(max((margin - MARGIN_ZERO) / (MARGIN_FULL - MARGIN_ZERO), 0.0), 1.0)


def combine(
    hits: list[RuleHit], neighbours: dict[str, Neighbour] | None, text: str = ""
) -> tuple[str, float, list[str]]:
    """The most likely category, its evidence score, and the reasons behind it."""
    evidence: dict[str, float] = {}
    rule_scores: dict[str, float] = {}
    reasons: dict[str, list[str]] = {c: [] for c in DISCLOSURE_CATEGORIES}
    for category in DISCLOSURE_CATEGORIES:
        counted = [h for h in hits if h.counts and h.rule.category == category]
        cancelled = [h for h in hits if not h.counts and h.rule.category == category]
        rules = sorted({h.rule.name: h.rule.weight for h in counted}.values(), reverse=True)
        rule_score = (rules[0] + EXTRA_RULE_BONUS * (len(rules) - 1)) if rules else 0.0
        rule_scores[category] = rule_score
        for hit in counted:
            reasons[category].append(f"rule {hit.rule.name}: '{hit.text}'")
        similarity_score = 0.0
        if neighbours is not None:
            nearest = neighbours[category]
            similarity_score = _similarity_evidence(nearest, neighbours[NONE].similarity)
            if cancelled and not counted:
                similarity_score *= CANCELLED_DAMPING
            if similarity_score > 0:
                reasons[category].append(
                    f"similar to example '{nearest.example}' ({nearest.similarity:.2f})"
                )
        evidence[category] = rule_score + EMBEDDING_WEIGHT * similarity_score
    strongest = max(DISCLOSURE_CATEGORIES, key=lambda c: evidence[c])
    best = _more_specific(strongest, rule_scores, hits, text)
    # Re-labelling to the more specific category never weakens the case for flagging.
    score = max(evidence[best], evidence[strongest])
    if score < THRESHOLD:
        ignored = [f"rule {h.rule.name} ignored ({h.cancelled_by}): '{h.text}'" for h in hits]
        return NONE, score, ignored[:MAX_REASONS]
    ignored = [
        f"rule {h.rule.name} ignored ({h.cancelled_by}): '{h.text}'"
        for h in hits
        if not h.counts and h.rule.category == best
    ]
    return best, score, (reasons[best] + ignored)[:MAX_REASONS]


def _more_specific(best: str, rule_scores: dict[str, float], hits: list[RuleHit], text: str) -> str:
    """Violence by a partner or family member is domestic abuse, violence used to control a
    child is exploitation, and a weapon hidden somewhere is crime information: when the rules
    found the more specific category, it wins over "risk to others"."""
    if best != RISK_TO_OTHERS:
        return best
    if rule_scores[DOMESTIC_ABUSE] >= SPECIFIC_RULE_SCORE:
        return DOMESTIC_ABUSE
    # Threats or violence from a partner or ex are domestic abuse by definition.
    from_partner = any(h.counts and h.rule.name in PARTNER_HARM_RULES for h in hits)
    if _PARTNER.search(text) and (rule_scores[DOMESTIC_ABUSE] > 0 or from_partner):
        return DOMESTIC_ABUSE
    if rule_scores[EXPLOITATION] >= SPECIFIC_RULE_SCORE:
        return EXPLOITATION
    threatened = any(h.counts and h.rule.name in DIRECT_THREAT_RULES for h in hits)
    if rule_scores[CRIME_INFORMATION] >= SPECIFIC_RULE_SCORE and not threatened:
        return CRIME_INFORMATION
    return best


class Screener:
    """Holds the loaded models; `screen` is safe to call from several threads."""

    def __init__(self, nlp: Language, index: ExampleIndex | None) -> None:
        self.nlp = nlp
        self.index = index
        # Entities are not needed for screening; skipping the recogniser saves a third.
        self._components = [(n, p) for n, p in nlp.pipeline if n != "ner"]

    def parse(self, text: str) -> Doc:
        """Tokenise, tag and parse a text (no entity recognition)."""
        doc = self.nlp.make_doc(text)
        for _name, component in self._components:
            doc = component(doc)
        return doc

    def screen(self, text: str) -> Screening:
        """Screen one free-text answer or forum post."""
        if not text or not text.strip():
            return NOT_A_DISCLOSURE
        # The embedding runs beside the parse: torch releases the interpreter lock, so on two
        # cores the two halves overlap instead of adding up.
        pending = _pool().submit(self.index.nearest, text) if self.index is not None else None
        hits = find_hits(self.nlp, self.parse(text))
        neighbours = None
        if pending is not None:
            try:
                neighbours = pending.result()
            except Exception:  # a screening must still come back, on the rules alone
                log.exception("Safeguarding similarity failed; screening on rules alone")
        category, score, reasons = combine(hits, neighbours, text)
        if neighbours is None:
            reasons.append("rules only: the embedding model is not available")
        severity = grade(category, text, hits, score)
        return Screening(
            category=category,
            severity=severity,
            is_disclosure=category != NONE,
            score=round(min(score, 1.0), 3),
            reasons=reasons,
        )

    def screen_many(self, texts: Iterable[str]) -> list[Screening]:
        """Screen several texts in order."""
        return [self.screen(text) for text in texts]


_screener: Screener | None = None
_lock = threading.Lock()
_executor: ThreadPoolExecutor | None = None


def _pool() -> ThreadPoolExecutor:
    global _executor
    if _executor is None:
        with _lock:
            if _executor is None:
                _executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="safeguarding")
    return _executor


def get_screener() -> Screener:
    """The process-wide screener, loading the models on first use."""
    global _screener
    if _screener is None:
        with _lock:
            if _screener is None:
                _screener = _build()
    return _screener


def _build() -> Screener:
    from nlp.models import load_embedding_model, load_spacy

    nlp = load_spacy()
    index: ExampleIndex | None
    try:
        index = ExampleIndex(load_embedding_model())
    except Exception:  # the rules still protect people if the embedding model is missing
        log.exception("Safeguarding screening falls back to rules only")
        index = None
    return Screener(nlp, index)
