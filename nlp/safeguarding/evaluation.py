"""Scoring the screener against a labelled CSV of texts (columns `text,category`)."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from nlp.safeguarding.categories import CATEGORIES, DISCLOSURE_CATEGORIES, NONE

ANY = "any disclosure"


class EvaluationFileError(ValueError):
    """The labelled CSV is missing a column or has an unknown category; says which row."""


@dataclass(frozen=True)
class Metric:
    """Precision and recall for one category (or for "any disclosure")."""

    name: str
    support: int
    predicted: int
    true_positives: int

    @property
    def precision(self) -> float:
        """Share of texts given this label that truly have it (1.0 when none were given)."""
        return self.true_positives / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        """Share of texts that have this label which were given it (1.0 when none have it)."""
        return self.true_positives / self.support if self.support else 1.0


def read_labelled(path: Path) -> list[dict[str, str]]:
    """Read the rows of a labelled CSV, checking the columns and every category."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = {"text", "category"} - set(reader.fieldnames or ())
        if missing:
            raise EvaluationFileError(f"{path}: missing column(s): {', '.join(sorted(missing))}")
        rows = []
        for line, row in enumerate(reader, start=2):
            category = (row.get("category") or "").strip()
            if category not in CATEGORIES:
                raise EvaluationFileError(
                    f"{path} line {line}: unknown category {category!r} "
                    f"(expected one of {', '.join(CATEGORIES)})"
                )
            row["category"] = category
            row["text"] = row.get("text") or ""
            rows.append(row)
    return rows


def score(expected: Sequence[str], predicted: Sequence[str]) -> list[Metric]:
    """Per-category metrics, then "any disclosure" (any category other than none)."""
    pairs = list(zip(expected, predicted, strict=True))
    metrics = [
        Metric(
            name=category,
            support=sum(e == category for e, _ in pairs),
            predicted=sum(p == category for _, p in pairs),
            true_positives=sum(e == p == category for e, p in pairs),
        )
        for category in DISCLOSURE_CATEGORIES
    ]
    metrics.append(
        Metric(
            name=ANY,
            support=sum(e != NONE for e, _ in pairs),
            predicted=sum(p != NONE for _, p in pairs),
            true_positives=sum(e != NONE and p != NONE for e, p in pairs),
        )
    )
    return metrics


def format_report(metrics: Sequence[Metric], rows: int) -> str:
    """A plain-text table of the metrics."""
    lines = [
        f"{rows} texts",
        f"{'category':<20} {'precision':>9} {'recall':>7} {'support':>8} {'flagged':>8}",
    ]
    for metric in metrics:
        lines.append(
            f"{metric.name:<20} {metric.precision:>9.3f} {metric.recall:>7.3f} "
            f"{metric.support:>8} {metric.predicted:>8}"
        )
    return "\n".join(lines)
