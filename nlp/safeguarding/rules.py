"""The rule half of the screener: spaCy Matcher patterns with negation and scope checks."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

from nlp.safeguarding.categories import DOMESTIC_ABUSE, RISK_TO_OTHERS, RISK_TO_SELF
from nlp.safeguarding.patterns import RULES, Rule, compile_pattern, lemma_vocabulary
from nlp.safeguarding.scope import (
    has_person,
    has_place,
    is_bereavement,
    is_figurative,
    is_hypothetical,
    is_modifier,
    is_negated,
    is_news,
    is_passive_victim,
)

_RULES_BY_NAME = {rule.name: rule for rule in RULES}
_VOCABULARY = lemma_vocabulary()
# A news story about a stabbing is not a disclosure; a tip about who did it still is.
REPORTABLE_ONLY_FIRST_HAND = frozenset({RISK_TO_SELF, RISK_TO_OTHERS, DOMESTIC_ABUSE})
_lock = threading.Lock()
_matchers: dict[int, Matcher] = {}


@dataclass(frozen=True)
class RuleHit:
    """One rule that matched, where, and whether its context cancels it."""

    rule: Rule
    text: str
    start: int
    end: int
    # "" when it counts; else why not: "negated", "hypothetical", "no-anchor".
    cancelled_by: str = ""

    @property
    def counts(self) -> bool:
        """True when the match counts as evidence of a disclosure."""
        return not self.cancelled_by


def _matcher(nlp: Language) -> Matcher:
    """One compiled matcher per pipeline (built once, then shared by all threads)."""
    key = id(nlp.vocab)
    with _lock:
        if key not in _matchers:
            matcher = Matcher(nlp.vocab, validate=True)
            for rule in RULES:
                matcher.add(rule.name, [compile_pattern(p) for p in rule.patterns])
            _matchers[key] = matcher
        return _matchers[key]


def _cancelled_by(rule: Rule, span: Span) -> str:
    if rule.negatable and is_negated(span):
        return "negated"
    following = span.doc[span.end] if span.end < len(span.doc) else None
    if following is not None and following.lower_ in rule.not_followed_by:
        return "ordinary-phrase"
    if rule.not_followed_by_noun and following is not None and following.pos_ == "NOUN":
        return "ordinary-phrase"
    if rule.requires and not re.search(rule.requires, span.doc.text, re.IGNORECASE):
        return "no-context"
    if rule.modifier_check and is_modifier(span):
        return "modifier"
    if rule.category == RISK_TO_OTHERS and is_figurative(span):
        return "figure-of-speech"
    if rule.category == RISK_TO_SELF and is_bereavement(span):
        return "bereavement"
    if rule.category in REPORTABLE_ONLY_FIRST_HAND and is_news(span):
        return "news"
    if rule.name == "partner_violence" and is_passive_victim(span):
        return "family-member-is-victim"
    # Suicidal thinking is often put conditionally ("better off if I was dead"); keep it.
    if rule.category != RISK_TO_SELF and is_hypothetical(span):
        return "hypothetical"
    if rule.anchor == "person" and not has_person(span):
        return "no-anchor"
    if rule.anchor == "place" and not has_place(span):
        return "no-anchor"
    return ""


def find_hits(nlp: Language, doc: Doc) -> list[RuleHit]:
    """Every rule match in the parsed text, longest first, each with its context checked."""
    matcher = _matcher(nlp)
    # Patterns match lower-cased lemmas through NORM: the Matcher reads it natively, which is
    # far quicker than a custom attribute. The parse is finished, so nothing else reads it.
    # When the lemmatiser slips ("raped" -> "rap") but the word itself is one the patterns
    # know, the word is kept.
    for token in doc:
        lemma = token.lemma_.lower() or token.lower_
        if lemma not in _VOCABULARY and token.lower_ in _VOCABULARY:
            lemma = token.lower_
        token.norm_ = lemma
    spans: dict[tuple[str, int], Span] = {}
    for match_id, start, end in matcher(doc):
        name = nlp.vocab.strings[match_id]
        span = doc[start:end]
        # Keep the longest match of each rule starting at each token.
        key = (name, start)
        if key not in spans or len(spans[key]) < len(span):
            spans[key] = span
    hits = []
    for (name, _start), span in spans.items():
        rule = _RULES_BY_NAME[name]
        hits.append(RuleHit(rule, span.text, span.start, span.end, _cancelled_by(rule, span)))
    hits.sort(key=lambda h: (-h.rule.weight, h.start))
    return hits
