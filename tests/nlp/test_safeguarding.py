"""Safeguarding screening: categories, negation, hard negatives, severity and help contacts."""

from __future__ import annotations

import subprocess
import sys

import pytest

from nlp.safeguarding import (
    CATEGORIES,
    SEVERITIES,
    SUPPORT_KEYS,
    Screening,
    screen,
    screen_many,
    support_for,
)
from nlp.safeguarding.patterns import RULES, compile_pattern

models = pytest.mark.slow


@models
@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("I want to kill myself", "risk_to_self"),
        ("ive been cutting my arms again", "risk_to_self"),
        ("a lad at school said he's gonna stab me on friday", "risk_to_others"),
        ("My boyfriend hits me and takes my phone", "domestic_abuse"),
        ("older boys pay my brother to take packages to Coventry", "exploitation"),
        ("The flat above the chip shop on Queens Road is a crack house", "crime_information"),
    ],
)
def test_clear_disclosures_get_their_category(text: str, category: str) -> None:
    result = screen(text)
    assert result.is_disclosure
    assert result.category == category
    assert result.severity in {"low", "medium", "high"}
    assert result.reasons, "the safeguarding lead needs to see why"


@models
@pytest.mark.parametrize(
    "text",
    [
        "I'm not scared",
        "I'm not scared walking through town at night",
        "nobody has threatened me",
        "No one has ever hurt me, I'm answering for my community group",
        "I have never self harmed",
        "i dont carry a knife and neither do my mates",
    ],
)
def test_negated_statements_are_not_disclosures(text: str) -> None:
    result = screen(text)
    assert result.category == "none", result.reasons
    assert not result.is_disclosure
    assert result.severity == "none"


@models
@pytest.mark.parametrize(
    "text",
    [
        "i go to bed praying i never wake up",
        "since mum died all I want is to join her",
        "whats even the point, i wake up to the same grey nothing",
        "thinking about stepping in front of a lorry on the way home",
        "been sh again, my mum doesnt know",
        "lowkey gonna unalive tbh",
        "I've been scratching my thighs with a pin when it gets bad",
        "i get so sucidal at night",
        "they'd manage fine if I wasn't around",
        "this is my final message, sorry for everything",
    ],
)
def test_indirect_and_passive_suicidal_talk_is_risk_to_self(text: str) -> None:
    result = screen(text)
    assert result.category == "risk_to_self", result.reasons


@models
@pytest.mark.parametrize(
    "text",
    [
        "I can't do this form on a tablet, the text is tiny",
        "What's the point of a consultation if the decision is already made?",
        "My uncle died by suicide and the support for families afterwards was poor",
        "the roadworks on the Coventry road are killing me",
        "I want to disappear off to Cornwall for a week",
        "We're still cutting budgets for youth work every year",
    ],
)
def test_everyday_phrases_sharing_words_with_ideation_are_not_disclosures(text: str) -> None:
    result = screen(text)
    assert result.category == "none", result.reasons


@models
def test_negation_is_reported_in_the_reasons_when_a_rule_was_ignored() -> None:
    result = screen("nobody has threatened me")
    assert any("negated" in reason for reason in result.reasons)


@models
@pytest.mark.parametrize(
    "text",
    [
        "there should be more knife amnesty bins",
        "Knife crime is rising and the government should act",
        "Young people get groomed into county lines because there's nothing to do",
        "Domestic abuse services need more funding",
        "If someone threatened me I would call the police",
        "I saw on the news that a boy was stabbed in Coventry",
        "I would kill for a bus after 7pm",
        "I don't want to live in a town where kids are scared",
        "My friend works for a domestic abuse charity",
    ],
)
def test_policy_opinions_and_hypotheticals_are_not_disclosures(text: str) -> None:
    assert screen(text).category == "none", screen(text).reasons


@models
@pytest.mark.parametrize(
    "text",
    [
        "there's a man outside my house right now with a knife",
        "I've saved up my tablets and I'm taking them tonight",
        "he said he'll kill me when he gets home tonight",
    ],
)
def test_imminent_danger_is_high_severity(text: str) -> None:
    result = screen(text)
    assert result.is_disclosure
    assert result.severity == "high"
    assert support_for(result.category, result.severity)[0] == "emergency"


@models
def test_past_harm_without_present_danger_is_not_high() -> None:
    result = screen("I was mugged in Warwick years ago")
    assert result.is_disclosure
    assert result.severity in {"low", "medium"}


@models
def test_empty_text_is_not_screened_as_a_disclosure() -> None:
    assert screen("   ").category == "none"


@models
def test_screen_many_keeps_order_and_matches_screen() -> None:
    texts = ["more CCTV please", "my husband hits me"]
    results = screen_many(texts)
    assert [r.category for r in results] == [screen(t).category for t in texts]
    assert results[0].category == "none"
    assert results[1].category == "domestic_abuse"
    assert all(isinstance(r, Screening) for r in results)


@models
def test_result_fields_are_in_range() -> None:
    result = screen("I keep thinking about ending it all")
    assert result.category in CATEGORIES
    assert result.severity in SEVERITIES
    assert 0.0 <= result.score <= 1.0
    assert result.is_disclosure == (result.category != "none")


@pytest.mark.parametrize(
    ("category", "expected"),
    [
        ("risk_to_self", "samaritans"),
        ("risk_to_others", "police"),
        ("domestic_abuse", "domestic_abuse"),
        ("exploitation", "childline"),
        ("crime_information", "crimestoppers"),
    ],
)
def test_support_for_leads_with_the_matching_service(category: str, expected: str) -> None:
    contacts = support_for(category, "medium")
    assert contacts[0] == expected
    assert "emergency" not in contacts
    assert set(contacts) <= set(SUPPORT_KEYS)


def test_support_for_puts_999_first_when_high() -> None:
    for category in CATEGORIES[1:]:
        contacts = support_for(category, "high")
        assert contacts[0] == "emergency"
        assert contacts.count("emergency") == 1


def test_support_for_none_is_empty_and_rejects_unknown_values() -> None:
    assert support_for("none", "none") == []
    with pytest.raises(ValueError, match="category"):
        support_for("burglary", "low")
    with pytest.raises(ValueError, match="severity"):
        support_for("risk_to_self", "urgent")


def test_every_rule_pattern_compiles_and_names_a_category() -> None:
    for rule in RULES:
        assert rule.category in CATEGORIES[1:]
        for notation in rule.patterns:
            assert compile_pattern(notation)


def test_misplaced_optional_mark_is_rejected() -> None:
    with pytest.raises(ValueError, match="Optional"):
        compile_pattern("keep =it =a? =secret")


def test_importing_the_package_loads_no_models() -> None:
    code = (
        "import sys, nlp.safeguarding; "
        "print('spacy' in sys.modules, 'sentence_transformers' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["False", "False"]
