"""Theme quality against human codes on the ../shared/data sets, beside plain BERTopic.

    .venv/bin/python benchmarks/theme_quality.py [--only patient|gambling]

Runs `python -m nlp.evaluate` on the NHS patient feedback (9 human codes, area =
organization) and on both themefinder_gambling_XS questions (multi-label; converted to a
temporary CSV, never copied into the repository).
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"


def gambling_csv(question: str, out_dir: Path) -> Path:
    """One row per response: text, '|'-joined theme labels, area ("Do you live in")."""
    base = DATA / "themefinder_gambling_XS"
    areas = {}
    for line in (base / "respondents.jsonl").read_text().splitlines():
        row = json.loads(line)
        areas[row["response_id"]] = row["demographic_data"].get("Do you live in:", "")
    labels = {}
    for line in (base / question / "mapping.jsonl").read_text().splitlines():
        row = json.loads(line)
        labels[row["response_id"]] = "|".join(row["labels"])
    path = out_dir / f"gambling_{question}.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["response", "labels", "area"])
        for line in (base / question / "responses.jsonl").read_text().splitlines():
            row = json.loads(line)
            rid = row["response_id"]
            writer.writerow([row["response"], labels.get(rid, ""), areas.get(rid, "")])
    return path


def evaluate(args: list[str], json_out: Path) -> dict:
    cmd = [sys.executable, "-m", "nlp.evaluate", *args, "--json", str(json_out)]
    print("$", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True)
    return json.loads(json_out.read_text())


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", choices=["patient", "gambling"])
    args = parser.parse_args()
    if not DATA.exists():
        print(f"development data not found at {DATA}")
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        if args.only in (None, "gambling"):
            for q in ("question_part_1", "question_part_2"):
                evaluate(
                    [
                        str(gambling_csv(q, out)),
                        "--text-column",
                        "response",
                        "--label-column",
                        "labels",
                        "--label-separator",
                        "|",
                        "--area-column",
                        "area",
                    ],
                    out / f"{q}.json",
                )
        if args.only in (None, "patient"):
            evaluate(
                [
                    str(DATA / "patient-feedback" / "phase1_text_data.csv"),
                    "--text-column",
                    "feedback",
                    "--label-column",
                    "label",
                    "--area-column",
                    "organization",
                ],
                out / "patient.json",
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
