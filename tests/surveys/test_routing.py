"""Conditional display is data, evaluated by surveys.routing alone."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from surveys import routing


@dataclass
class Q:
    id: int
    condition: dict[str, Any] | None = None


def test_unconditional_question_always_shows() -> None:
    assert routing.is_visible(Q(1), {})


def test_equals_condition() -> None:
    q = Q(2, {"question_id": 1, "equals": "No"})
    assert routing.is_visible(q, {1: "No"})
    assert not routing.is_visible(q, {1: "Yes"})
    assert not routing.is_visible(q, {})


def test_any_of_matches_multiple_choice_answers() -> None:
    q = Q(3, {"question_id": 1, "any_of": ["Often", "Always"]})
    assert routing.is_visible(q, {1: ["Never", "Always"]})
    assert not routing.is_visible(q, {1: ["Never"]})
    assert routing.is_visible(q, {1: "Often"})


def test_condition_ids_may_be_strings_from_json() -> None:
    assert routing.is_visible(Q(2, {"question_id": "1", "equals": 5}), {1: "5"})


def test_pages_with_nothing_to_show_are_skipped() -> None:
    pages = [[Q(1)], [Q(2, {"question_id": 1, "equals": "No"})], [Q(3)]]
    assert routing.next_page(pages, 0, {1: "Yes"}) == 2
    assert routing.next_page(pages, 0, {1: "No"}) == 1
    assert routing.next_page(pages, 2, {1: "No"}) is None
    assert routing.previous_page(pages, 2, {1: "Yes"}) == 0
    assert routing.previous_page(pages, 0, {}) is None
    assert routing.visible_pages(pages, {1: "Yes"}) == [0, 2]
