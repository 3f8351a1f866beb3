"""Personal data redaction with Presidio on the already-loaded spaCy English pipeline.

Only people's names, emails, phone numbers, UK postcodes, street addresses (with a house
number), NHS numbers and National Insurance numbers are redacted. Place names, street names
without a number and organisations are kept: they are the substance of a consultation.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from presidio_analyzer import AnalyzerEngine, RecognizerResult

# Presidio entity type -> placeholder shown instead of the text.
PLACEHOLDERS: dict[str, str] = {
    "PERSON": "<NAME>",
    "EMAIL_ADDRESS": "<EMAIL>",
    "PHONE_NUMBER": "<PHONE>",
    "UK_POSTCODE": "<POSTCODE>",
    "STREET_ADDRESS": "<ADDRESS>",
    "UK_NHS": "<NHS_NUMBER>",
    "UK_NINO": "<NI_NUMBER>",
}
ENTITIES = tuple(PLACEHOLDERS)
# Placeholder words, so theme keywords never read "name" or "phone" because of redaction.
PLACEHOLDER_WORDS = frozenset(
    w for p in PLACEHOLDERS.values() for w in p.strip("<>").lower().replace("_", " ").split()
) | {p.strip("<>").lower() for p in PLACEHOLDERS.values()}

# Below this score a spaCy PERSON guess or a bare digit run is more often wrong than right.
SCORE_THRESHOLD = 0.4
_STREET_SUFFIX = (
    "road|rd|street|st|lane|ln|avenue|ave|close|cl|drive|dr|way|crescent|cres|court|ct|"
    "place|pl|gardens|gdns|grove|gr|terrace|tce|walk|mews|square|sq|hill|row|parade|rise|"
    "view|green|croft|meadow|meadows|park|vale|boulevard|approach|gate|end|yard"
)
_lock = threading.Lock()

# The small English model sometimes tags a town or a capitalised common word as a person;
# these are never redacted as names because place names are what residents talk about.
PLACES_KEPT = frozenset(
    [
        "warwickshire",
        "nuneaton",
        "bedworth",
        "rugby",
        "warwick",
        "leamington",
        "spa",
        "royal",
        "kenilworth",
        "stratford",
        "stratford-upon-avon",
        "stratford-on-avon",
        "atherstone",
        "coleshill",
        "polesworth",
        "alcester",
        "southam",
        "shipston",
        "wellesbourne",
        "whitnash",
        "bulkington",
        "hartshill",
        "kingsbury",
        "dordon",
        "water",
        "orton",
        "coventry",
        "birmingham",
        "solihull",
        "hinckley",
        "tamworth",
        "lutterworth",
        "daventry",
        "banbury",
        "redditch",
        "covid",
        "nhs",
        "police",
        "council",
    ]
)


# A "person" ending in one of these is an institution named after someone (George Eliot
# Hospital, St John Ambulance): organisations are kept.
INSTITUTION_WORDS = frozenset(
    [
        "hospital",
        "ambulance",
        "council",
        "school",
        "academy",
        "college",
        "university",
        "centre",
        "center",
        "police",
        "trust",
        "church",
        "surgery",
        "practice",
        "clinic",
        "club",
        "street",
        "road",
        "lane",
        "avenue",
        "park",
        "station",
        "library",
        "service",
        "services",
        "team",
        "foundation",
        "charity",
        "partnership",
        "ward",
        "unit",
        "house",
    ]
)


def _plausible_person(text: str, start: int, end: int) -> bool:
    """False for spans spaCy calls a person that cannot be one: lower case, digits or an
    email inside, a kept place, or an institution named after someone."""
    span = text[start:end]
    tokens = [t.strip(".,'’").lower() for t in span.split()]
    tokens = [t for t in tokens if t]
    if not tokens or not any(c.isupper() for c in span):
        return False
    if any(c.isdigit() or c == "@" for c in span):
        return False
    if tokens[-1] in INSTITUTION_WORDS:
        return False
    return not all(t in PLACES_KEPT for t in tokens)


@dataclass(frozen=True)
class Redaction:
    """A redacted text and the entity types that were removed from it."""

    text: str
    entities: tuple[str, ...]


def _offline_tld_extract():
    """tldextract from its bundled suffix list: the default one fetches it from the web."""
    import tldextract

    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def _email_recogniser_class() -> type:
    from presidio_analyzer.predefined_recognizers import EmailRecognizer

    extract = _offline_tld_extract()

    class OfflineEmailRecognizer(EmailRecognizer):
        """Presidio's email recogniser, validating domains without network access."""

        def validate_result(self, pattern_text: str) -> bool:
            return extract(pattern_text).fqdn != ""

    return OfflineEmailRecognizer


def _recognisers() -> list:
    """The recognisers we trust, with UK settings."""
    from presidio_analyzer import Pattern, PatternRecognizer
    from presidio_analyzer.predefined_recognizers import (
        NhsRecognizer,
        PhoneRecognizer,
        SpacyRecognizer,
        UkNinoRecognizer,
        UkPostcodeRecognizer,
    )

    # Presidio scores a bare postcode 0.1 (it waits for "postcode" nearby); the strict
    # letter-position rules make a match a postcode almost always, so trust it.
    postcode = UkPostcodeRecognizer(
        patterns=[Pattern("UK postcode", UkPostcodeRecognizer.PATTERNS[0].regex, 0.6)]
    )
    # A house number (optionally a flat) followed by a street name with a street suffix.
    # A street name alone ("knife crime on Abbey Street") is a place and is kept.
    address = PatternRecognizer(
        supported_entity="STREET_ADDRESS",
        name="UkStreetAddressRecognizer",
        patterns=[
            Pattern(
                "house number and street",
                r"\b(?:(?i:flat|apartment|apt|unit)\s*\d+[a-z]?,?\s+)?\d{1,4}[a-z]?,?\s+"
                r"(?:[A-Z][a-z'’]+\s+){1,3}(?i:" + _STREET_SUFFIX + r")\b\.?",
                0.7,
            )
        ],
        global_regex_flags=0,  # case matters: "12 Road" is not an address, "12 High Street" is
    )
    # Presidio's phonenumbers matcher only accepts allocated numbers; residents also type
    # numbers run together or from the Ofcom drama ranges, so a UK-format pattern backs it up.
    uk_phone = PatternRecognizer(
        supported_entity="PHONE_NUMBER",
        name="UkPhoneFormatRecognizer",
        patterns=[
            Pattern(
                "UK phone format",
                r"(?<![\w+])(?:\+44\s?\(?0?\)?\s?|\(?0)\d{2,4}\)?[\s-]?\d{3,4}[\s-]?\d{3,4}\b",
                0.6,
            )
        ],
    )
    _OfflineEmailRecognizer = _email_recogniser_class()  # noqa: N806
    return [
        SpacyRecognizer(supported_entities=["PERSON"]),
        _OfflineEmailRecognizer(),
        uk_phone,
        # phonenumbers knows the UK as "GB"; Presidio's default list spells it "UK".
        PhoneRecognizer(supported_regions=("GB",), context=["phone", "call", "mobile", "tel"]),
        postcode,
        address,
        NhsRecognizer(),
        UkNinoRecognizer(),
    ]


@lru_cache(maxsize=1)
def analyzer() -> AnalyzerEngine:
    """A Presidio analyzer on the shared spaCy pipeline (no model download)."""
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine

    from nlp.models import load_spacy

    nlp = load_spacy()
    # Only PERSON is wanted from spaCy; other labels would each log a warning per answer.
    ner_config = None
    if "ner" in nlp.pipe_names:
        labels = nlp.get_pipe("ner").labels
        ner_config = NerModelConfiguration(
            labels_to_ignore=[label for label in labels if label not in {"PERSON", "PER"}]
        )
    engine = SpacyNlpEngine(
        models=[{"lang_code": "en", "model_name": "en_core_web_sm"}],
        ner_model_configuration=ner_config,
    )
    # Hand over the loaded pipeline instead of calling engine.load(), which would try to
    # download en_core_web_lg / en_core_web_sm.
    engine.nlp = {"en": nlp}
    registry = RecognizerRegistry(supported_languages=["en"])
    for recogniser in _recognisers():
        registry.add_recognizer(recogniser)
    return AnalyzerEngine(nlp_engine=engine, registry=registry, supported_languages=["en"])


@lru_cache(maxsize=1)
def anonymizer():
    """Presidio's anonymizer with one `replace` operator per entity type."""
    from presidio_anonymizer import AnonymizerEngine
    from presidio_anonymizer.entities import OperatorConfig

    operators = {
        entity: OperatorConfig("replace", {"new_value": placeholder})
        for entity, placeholder in PLACEHOLDERS.items()
    }
    return AnonymizerEngine(), operators


def _replace(text: str, results: list[RecognizerResult]) -> tuple[str, tuple[str, ...]]:
    """Replace found spans with placeholders (Presidio resolves overlapping spans)."""
    if not results:
        return text, ()
    engine, operators = anonymizer()
    out = engine.anonymize(text=text, analyzer_results=results, operators=operators)
    return out.text, tuple(sorted({item.entity_type for item in out.items}))


def find_entities(texts: Sequence[str], *, batch_size: int = 64) -> list[list[RecognizerResult]]:
    """Presidio results per text, one spaCy pass per batch."""
    engine = analyzer()
    spacy_engine = engine.nlp_engine
    nlp = spacy_engine.nlp["en"]
    # Only the entity recogniser is needed (it has its own token vectors in the sm/md/lg
    # pipelines); tagging and parsing would triple the time.
    disable = [p for p in nlp.pipe_names if p != "ner"] if "ner" in nlp.pipe_names else []
    found: list[list[RecognizerResult]] = []
    with _lock, warnings.catch_warnings():
        # spaCy warns about empty docs in some versions; an empty answer is not an error here.
        warnings.filterwarnings("ignore", category=UserWarning, module="spacy")
        for doc in nlp.pipe(texts, batch_size=batch_size, disable=disable):
            if not doc.text.strip():
                found.append([])
                continue
            artifacts = spacy_engine._doc_to_nlp_artifact(doc, "en")
            results = engine.analyze(
                doc.text,
                language="en",
                entities=list(ENTITIES),
                nlp_artifacts=artifacts,
                score_threshold=SCORE_THRESHOLD,
            )
            found.append(
                [
                    r
                    for r in results
                    if r.entity_type != "PERSON" or _plausible_person(doc.text, r.start, r.end)
                ]
            )
    return found


def redact_many(
    texts: Sequence[str],
    *,
    progress: Callable[[int, int], None] | None = None,
    batch_size: int = 256,
) -> list[Redaction]:
    """Redact personal data from each text."""
    total = len(texts)
    out: list[Redaction] = []
    if progress:
        progress(0, total)
    for start in range(0, total, batch_size):
        chunk = list(texts[start : start + batch_size])
        for text, results in zip(chunk, find_entities(chunk), strict=True):
            redacted, entities = _replace(text, results)
            out.append(Redaction(redacted, entities))
        if progress:
            progress(min(start + batch_size, total), total)
    return out


def redact(text: str) -> str:
    """Redact personal data from one text."""
    return redact_many([text])[0].text


@dataclass(frozen=True)
class RedactionScore:
    """Span-level agreement of the redaction with a labelled sample."""

    precision: float
    recall: float
    true_positives: int
    false_positives: int
    false_negatives: int
    kept_wrongly_redacted: int  # place/organisation names in `keep` that were redacted


def score_redaction(
    texts: Sequence[str], expected: Sequence[Sequence[str]], keep: Sequence[Sequence[str]] = ()
) -> RedactionScore:
    """Precision: found spans overlapping an expected span; recall: expected spans fully
    hidden. `expected` and `keep` list the literal substrings per text."""
    found = find_entities(texts)
    tp = fp = fn = kept_bad = 0
    keep = list(keep) or [[] for _ in texts]
    for text, spans, wanted, kept in zip(texts, found, expected, keep, strict=True):
        targets = []
        for value in wanted:
            start = text.find(value)
            if start >= 0:
                targets.append((start, start + len(value)))
        for r in spans:
            if any(r.start < e and s < r.end for s, e in targets):
                continue
            fp += 1
        for s, e in targets:
            covered = set()
            for r in spans:
                covered.update(range(max(s, r.start), min(e, r.end)))
            hidden = sum(1 for k in range(s, e) if k in covered or text[k] in " ,.-")
            if hidden == e - s:
                tp += 1
            else:
                fn += 1
        for value in kept:
            start = text.find(value)
            if start >= 0 and any(r.start < start + len(value) and start < r.end for r in spans):
                kept_bad += 1
    found_ok = sum(
        1
        for text, spans, wanted in zip(texts, found, expected, strict=True)
        for r in spans
        if any(
            r.start < text.find(v) + len(v) and text.find(v) < r.end
            for v in wanted
            if text.find(v) >= 0
        )
    )
    precision = found_ok / (found_ok + fp) if found_ok + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return RedactionScore(round(precision, 3), round(recall, 3), tp, fp, fn, kept_bad)
