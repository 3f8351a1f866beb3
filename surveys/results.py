"""Counting closed-question answers per district, and small-number suppression for publishing."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

SMALL_NUMBER = 5
SUPPRESSED = "<5"
ALL_AREAS = "All areas"
NO_AREA = "Area not given"


def suppress(count: int) -> int | str:
    """Counts of 1 to 4 become '<5' so nobody can be picked out; 0 and 5+ are shown."""
    return SUPPRESSED if 0 < count < SMALL_NUMBER else count


@dataclass
class QuestionResult:
    """Counts for one closed question: per option, for all areas and for each district."""

    question_id: int
    text: str
    kind: str
    options: list[str]
    counts: dict[str, Counter] = field(default_factory=dict)
    respondents: dict[str, int] = field(default_factory=dict)

    @property
    def areas(self) -> list[str]:
        """Area columns: all areas first, then districts by name."""
        return [ALL_AREAS, *sorted(a for a in self.counts if a != ALL_AREAS)]

    def table(self, suppressed: bool) -> list[dict[str, Any]]:
        """Rows of option → count per area (counts suppressed for public use)."""
        rows = []
        for option in self.options:
            cells = {}
            for area in self.areas:
                n = self.counts.get(area, Counter())[option]
                cells[area] = suppress(n) if suppressed else n
            rows.append({"option": option, "cells": cells})
        return rows

    def totals(self, suppressed: bool) -> dict[str, int | str]:
        """People who answered, per area."""
        return {
            area: suppress(self.respondents.get(area, 0))
            if suppressed
            else self.respondents.get(area, 0)
            for area in self.areas
        }


def tabulate(
    questions: Sequence[Any],
    rows: Iterable[tuple[int, Any, str | None]],
    options: dict[int, list[str]],
) -> list[QuestionResult]:
    """Count answers `(question_id, value, district_name)` for each closed question."""
    results = {
        q.id: QuestionResult(q.id, q.text, q.kind, list(options.get(q.id, []))) for q in questions
    }
    for question_id, value, district in rows:
        result = results.get(question_id)
        if result is None:
            continue
        chosen = value if isinstance(value, list) else [value]
        area = district or NO_AREA
        for key in (ALL_AREAS, area):
            counter = result.counts.setdefault(key, Counter())
            for item in chosen:
                counter[str(item)] += 1
                if str(item) not in result.options:
                    result.options.append(str(item))
            result.respondents[key] = result.respondents.get(key, 0) + 1
    return list(results.values())


def chart_bars(result: QuestionResult, area: str = ALL_AREAS) -> list[dict[str, Any]]:
    """Bar lengths (0-100) for an SVG chart of one area's counts (staff only, unsuppressed)."""
    counter = result.counts.get(area, Counter())
    top = max(counter.values(), default=0) or 1
    return [
        {"option": o, "count": counter[o], "width": round(100 * counter[o] / top, 1)}
        for o in result.options
    ]
