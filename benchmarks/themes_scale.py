"""10,000 answers end to end: wall time and peak memory, a cached re-run, plain BERTopic.

    .venv/bin/python benchmarks/themes_scale.py [--answers 10000] [--new 100]

Each measurement runs in its own process so peak memory (ru_maxrss, which counts torch's
allocations, unlike tracemalloc) belongs to that step alone. Steps:
  full     - analyse() on N answers with an empty embedding/redaction cache
  rerun    - analyse() on the same N plus `--new` unseen answers, with that cache
  bertopic - plain BERTopic() defaults (UMAP + HDBSCAN, same embedding model) on the N answers
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
CSV = DATA / "patient-feedback" / "phase1_text_data.csv"


def load(n: int, new: int):
    import pandas as pd

    frame = pd.read_csv(CSV).sample(frac=1.0, random_state=0).reset_index(drop=True)
    base = frame.iloc[:n]
    extra = frame.iloc[n : n + new]
    return base, extra


def step(name: str, n: int, new: int, cache_path: str) -> dict:
    """Run one measurement in this process and return its figures."""
    base, extra = load(n, new)
    start = time.perf_counter()
    if name == "bertopic":
        import warnings

        from bertopic import BERTopic

        from nlp.models import load_embedding_model

        docs = [t if isinstance(t, str) else "" for t in base["feedback"]]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            topics, _ = BERTopic(embedding_model=load_embedding_model()).fit_transform(docs)
        info = {
            "themes": len(set(topics) - {-1}),
            "unassigned": sum(t == -1 for t in topics) / len(topics),
        }
    else:
        import pandas as pd

        from nlp.embeddings import SQLiteEmbeddingCache
        from nlp.engine import analyse
        from nlp.results import Answer

        frame = base if name == "full" else pd.concat([base, extra])
        answers = [Answer(int(r.row_index), r.feedback, r.organization) for r in frame.itertuples()]
        result = analyse(answers, seed=42, cache=SQLiteEmbeddingCache(cache_path))
        info = {
            "answers": len(answers),
            "themes": result.run.quality.theme_count,
            "unassigned": result.run.quality.unassigned_share,
            "embedded_new": result.run.counts["embedded_new"],
            "stability_ari": result.run.quality.stability_ari,
            "stage_seconds": result.run.timings,
        }
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"step": name, "seconds": round(seconds, 1), "peak_mb": round(peak_mb), **info}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--answers", type=int, default=10000)
    parser.add_argument("--new", type=int, default=100)
    parser.add_argument("--step", choices=["full", "rerun", "bertopic"])
    parser.add_argument("--cache")
    parser.add_argument("--json", help="write the figures here")
    args = parser.parse_args()
    if not CSV.exists():
        print(f"development data not found at {CSV}")
        return 1
    if args.step:
        print(json.dumps(step(args.step, args.answers, args.new, args.cache)))
        return 0
    figures = []
    with tempfile.TemporaryDirectory() as tmp:
        cache = str(Path(tmp) / "cache.sqlite")
        for name in ("full", "rerun", "bertopic"):
            cmd = [
                sys.executable,
                __file__,
                "--step",
                name,
                "--answers",
                str(args.answers),
                "--new",
                str(args.new),
                "--cache",
                cache,
            ]
            wall = time.perf_counter()
            out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
            row = json.loads(out.strip().splitlines()[-1])
            row["process_seconds"] = round(time.perf_counter() - wall, 1)
            figures.append(row)
            print(json.dumps(row), flush=True)
    full, rerun, plain = figures
    print(
        f"\nfull run {full['seconds']} s (process {full['process_seconds']} s), "
        f"peak {full['peak_mb']} MB, {full['themes']} themes"
    )
    print(
        f"re-run with {args.new} new answers: {rerun['seconds']} s = "
        f"{100 * rerun['seconds'] / full['seconds']:.0f}% of the full run"
    )
    print(
        f"plain BERTopic defaults: {plain['seconds']} s, peak {plain['peak_mb']} MB, "
        f"{plain['themes']} topics, {100 * plain['unassigned']:.0f}% outliers"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
