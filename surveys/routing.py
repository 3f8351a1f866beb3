"""Conditional display: which questions and pages show, given the answers so far.

Conditions are data on a question, e.g. ``{"question_id": 12, "equals": "Yes"}`` or
``{"question_id": 12, "any_of": ["Often", "Always"]}``. A multiple-choice answer matches when
it contains the value. This module is the only place conditions are evaluated.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol


class HasCondition(Protocol):
    """Anything with an id and an optional condition (a Question, or a test double)."""

    id: int
    condition: dict[str, Any] | None


def condition_values(condition: Mapping[str, Any]) -> list[str]:
    """The values a condition accepts."""
    if "any_of" in condition:
        return [str(v) for v in condition.get("any_of") or []]
    if "equals" in condition:
        return [str(condition["equals"])]
    return []


def _matches(answer: Any, accepted: list[str]) -> bool:
    if answer is None:
        return False
    if isinstance(answer, list | tuple | set):
        return any(str(item) in accepted for item in answer)
    return str(answer) in accepted


def is_visible(question: HasCondition, answers: Mapping[int, Any]) -> bool:
    """True when the question has no condition, or an earlier answer meets it."""
    condition = question.condition
    if not condition:
        return True
    source = condition.get("question_id")
    if source is None:
        return True
    return _matches(answers.get(int(source)), condition_values(condition))


def visible_questions(
    questions: Sequence[HasCondition], answers: Mapping[int, Any]
) -> list[HasCondition]:
    """The questions on a page (or questionnaire) that should be shown."""
    return [q for q in questions if is_visible(q, answers)]


def visible_pages(pages: Sequence[Sequence[HasCondition]], answers: Mapping[int, Any]) -> list[int]:
    """Indexes of the pages that have at least one question to show."""
    return [i for i, page in enumerate(pages) if visible_questions(page, answers)]


def next_page(
    pages: Sequence[Sequence[HasCondition]], current: int, answers: Mapping[int, Any]
) -> int | None:
    """The next page to show after `current`, or None when it is time to check answers."""
    return next((i for i in visible_pages(pages, answers) if i > current), None)


def previous_page(
    pages: Sequence[Sequence[HasCondition]], current: int, answers: Mapping[int, Any]
) -> int | None:
    """The page before `current` that shows, or None at the start."""
    earlier = [i for i in visible_pages(pages, answers) if i < current]
    return earlier[-1] if earlier else None
