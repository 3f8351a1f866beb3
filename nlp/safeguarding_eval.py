"""Evaluate safeguarding screening on a labelled CSV.

    python -m nlp.safeguarding_eval FILE.csv [--out PREDICTIONS.csv]

FILE.csv has columns `text,category`; prints precision and recall per category and for
"any disclosure"; with --out writes the input rows plus `predicted_category` and `severity`.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Sequence
from pathlib import Path

from nlp.safeguarding import screen_many
from nlp.safeguarding.evaluation import EvaluationFileError, format_report, read_labelled, score


def main(argv: Sequence[str] | None = None) -> int:
    """Run the evaluation; returns the process exit code."""
    parser = argparse.ArgumentParser(prog="python -m nlp.safeguarding_eval", description=__doc__)
    parser.add_argument("file", type=Path, help="CSV with columns text,category")
    parser.add_argument("--out", type=Path, help="write the rows with predictions here")
    args = parser.parse_args(argv)
    try:
        rows = read_labelled(args.file)
    except (OSError, EvaluationFileError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    results = screen_many(row["text"] for row in rows)
    metrics = score([row["category"] for row in rows], [r.category for r in results])
    print(format_report(metrics, len(rows)))
    if args.out:
        fields = list(rows[0].keys()) if rows else ["text", "category"]
        with args.out.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=[*fields, "predicted_category", "severity"])
            writer.writeheader()
            for row, result in zip(rows, results, strict=True):
                writer.writerow(
                    {**row, "predicted_category": result.category, "severity": result.severity}
                )
        print(f"predictions written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
