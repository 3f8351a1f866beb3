"""The evaluation CLI and the quality gate on the labelled sets."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from nlp.safeguarding import screen_many
from nlp.safeguarding.evaluation import ANY, EvaluationFileError, read_labelled, score
from nlp.safeguarding_eval import main

DATA = Path(__file__).resolve().parents[1] / "data"


def _write(path: Path, rows: list[tuple[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "category"])
        writer.writerows(rows)
    return path


def test_score_counts_precision_and_recall() -> None:
    expected = ["risk_to_self", "risk_to_self", "none", "exploitation"]
    predicted = ["risk_to_self", "none", "risk_to_self", "domestic_abuse"]
    metrics = {m.name: m for m in score(expected, predicted)}
    assert metrics["risk_to_self"].recall == pytest.approx(0.5)
    assert metrics["risk_to_self"].precision == pytest.approx(0.5)
    assert metrics["exploitation"].recall == 0.0
    # Any disclosure: 3 true, 3 flagged, 2 of them truly disclosures.
    assert metrics[ANY].recall == pytest.approx(2 / 3)
    assert metrics[ANY].precision == pytest.approx(2 / 3)


def test_read_labelled_rejects_unknown_category(tmp_path: Path) -> None:
    path = _write(tmp_path / "bad.csv", [("fine", "none"), ("hmm", "burglary")])
    with pytest.raises(EvaluationFileError, match="line 3"):
        read_labelled(path)


def test_cli_reports_a_bad_file_and_fails(tmp_path: Path, capsys) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("words,label\nhello,none\n", encoding="utf-8")
    assert main([str(path)]) == 2
    assert "missing column" in capsys.readouterr().err


@pytest.mark.slow
def test_cli_prints_metrics_and_writes_predictions(tmp_path: Path, capsys) -> None:
    source = _write(
        tmp_path / "small.csv",
        [
            ("I want to kill myself", "risk_to_self"),
            ("my husband hits me", "domestic_abuse"),
            ("more knife amnesty bins please", "none"),
            ("I'm not scared", "none"),
        ],
    )
    out = tmp_path / "predictions.csv"
    assert main([str(source), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    for name in ("risk_to_self", "domestic_abuse", "exploitation", ANY):
        assert name in printed
    any_line = next(line for line in printed.splitlines() if line.startswith(ANY))
    precision, recall = (float(v) for v in any_line[len(ANY) :].split()[:2])
    assert (precision, recall) == (1.0, 1.0)
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0].keys()) == ["text", "category", "predicted_category", "severity"]
    assert [r["predicted_category"] for r in rows] == [
        "risk_to_self",
        "domestic_abuse",
        "none",
        "none",
    ]
    assert rows[0]["severity"] in {"medium", "high"}
    assert rows[2]["severity"] == "none"


@pytest.mark.slow
def test_labelled_set_meets_the_targets() -> None:
    rows = read_labelled(DATA / "safeguarding_eval.csv")
    assert len(rows) >= 200
    predicted = [r.category for r in screen_many(row["text"] for row in rows)]
    metrics = {m.name: m for m in score([row["category"] for row in rows], predicted)}
    assert metrics[ANY].recall >= 0.9
    assert metrics["risk_to_self"].recall >= 0.9
    assert metrics[ANY].precision >= 0.6


@pytest.mark.slow
def test_holdout_set_meets_the_targets() -> None:
    rows = read_labelled(DATA / "safeguarding_holdout.csv")
    assert len(rows) >= 80
    predicted = [r.category for r in screen_many(row["text"] for row in rows)]
    metrics = {m.name: m for m in score([row["category"] for row in rows], predicted)}
    assert metrics[ANY].recall >= 0.9
    assert metrics["risk_to_self"].recall >= 0.9
    assert metrics[ANY].precision >= 0.6


@pytest.mark.slow
def test_unseen_a_set_meets_the_targets() -> None:
    # Written before the indirect-ideation work and run once as a baseline (risk_to_self
    # recall 0.66); the engine was then tuned on it, so it is a seen set now.
    rows = read_labelled(DATA / "safeguarding_unseen_a.csv")
    assert len(rows) >= 120
    predicted = [r.category for r in screen_many(row["text"] for row in rows)]
    metrics = {m.name: m for m in score([row["category"] for row in rows], predicted)}
    assert metrics[ANY].recall >= 0.9
    assert metrics["risk_to_self"].recall >= 0.9
    assert metrics[ANY].precision >= 0.6
