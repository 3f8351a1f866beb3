"""Agreement of the engine's themes with human codes, beside plain BERTopic defaults.

    python -m nlp.evaluate FILE.csv --text-column C --label-column L [--area-column A]

Adjusted mutual information comes first: unlike NMI it does not reward producing more
themes. Then ARI, NMI, and per-theme precision/recall after mapping each theme to its
majority human code. Multi-label codes can be given with `--label-separator`; the first
code counts for AMI/ARI/NMI and any code counts as a hit for precision/recall.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np


@dataclass
class ThemeScore:
    """One theme mapped to its majority human code."""

    theme: str
    size: int
    code: str
    precision: float
    recall: float


@dataclass
class Agreement:
    """How well one set of themes matches the human codes."""

    method: str
    ami: float
    ari: float
    nmi: float
    theme_count: int
    unassigned_share: float
    seconds: float
    macro_precision: float
    macro_recall: float
    themes: list[ThemeScore] = field(default_factory=list)
    notes: str = ""


def agreement(
    method: str,
    codes: Sequence[Sequence[str]],
    themes: Sequence[str],
    *,
    unassigned: Sequence[bool],
    seconds: float,
    theme_count: int | None = None,
    notes: str = "",
) -> Agreement:
    """Score predicted themes against human codes (first code for the partition metrics)."""
    from sklearn.metrics import (
        adjusted_mutual_info_score,
        adjusted_rand_score,
        normalized_mutual_info_score,
    )

    primary = [c[0] if c else "" for c in codes]
    code_totals = Counter(code for cs in codes for code in set(cs))
    members: dict[str, list[int]] = {}
    for i, t in enumerate(themes):
        members.setdefault(t, []).append(i)
    scores = []
    for t, idx in sorted(members.items(), key=lambda kv: -len(kv[1])):
        counts = Counter(code for i in idx for code in set(codes[i]))
        code, _ = max(counts.items(), key=lambda kv: (kv[1], kv[0])) if counts else ("", 0)
        hits = sum(code in codes[i] for i in idx)
        scores.append(
            ThemeScore(
                theme=t,
                size=len(idx),
                code=code,
                precision=round(hits / len(idx), 3),
                recall=round(hits / code_totals[code], 3) if code_totals[code] else 0.0,
            )
        )
    # Macro recall per human code: how much of each code its mapped themes together cover.
    covered: Counter[str] = Counter()
    for s in scores:
        covered[s.code] += round(s.recall * code_totals[s.code])
    macro_recall = float(np.mean([covered[c] / n for c, n in code_totals.items()]))
    macro_precision = float(np.mean([s.precision for s in scores])) if scores else 0.0
    return Agreement(
        method=method,
        ami=round(float(adjusted_mutual_info_score(primary, themes)), 4),
        ari=round(float(adjusted_rand_score(primary, themes)), 4),
        nmi=round(float(normalized_mutual_info_score(primary, themes)), 4),
        theme_count=theme_count if theme_count is not None else len(members),
        unassigned_share=round(sum(unassigned) / len(themes), 4) if themes else 0.0,
        seconds=round(seconds, 1),
        macro_precision=round(macro_precision, 3),
        macro_recall=round(macro_recall, 3),
        themes=scores,
        notes=notes,
    )


def run_engine(texts, codes, areas, *, seed: int, codeframe=None) -> tuple[Agreement, Any]:
    """Run `nlp.engine.analyse` (embedding included) and score it."""
    from nlp.embeddings import MemoryEmbeddingCache
    from nlp.engine import analyse
    from nlp.results import Answer

    answers = [Answer(i, t, a) for i, (t, a) in enumerate(zip(texts, areas, strict=True))]
    start = time.perf_counter()
    result = analyse(answers, seed=seed, codeframe=codeframe, cache=MemoryEmbeddingCache())
    seconds = time.perf_counter() - start
    theme = {t.id: t for t in result.themes}
    # Set-aside (non-English) answers are scored as one more group, and count as unassigned,
    # so both methods are scored on the same answers.
    ids = [a.answer_id for a in result.assignments] + [s.answer_id for s in result.set_aside]
    groups = [str(a.theme_id) for a in result.assignments] + ["set-aside"] * result.set_aside_count
    unassigned = [theme[a.theme_id].is_other for a in result.assignments]
    score = agreement(
        "engine",
        [codes[i] for i in ids],
        groups,
        unassigned=unassigned + [True] * result.set_aside_count,
        seconds=seconds,
        theme_count=result.run.quality.theme_count,
        notes=(
            f"{result.set_aside_count} non-English set aside; "
            f"{result.run.counts['near_empty']} near-empty grouped; "
            f"{result.run.counts['campaigns']} campaigns; "
            f"stability ARI {result.run.quality.stability_ari}"
        ),
    )
    for s in score.themes:
        if s.theme != "set-aside":
            s.theme = f"{s.theme}: {theme[int(s.theme)].label}"
    return score, result


def run_bertopic_defaults(texts, codes, *, seed: int) -> Agreement:
    """Plain `BERTopic()` with the same embedding model (its default), embedding included."""
    from bertopic import BERTopic

    from nlp.models import load_embedding_model

    docs = [str(t) if isinstance(t, str) else "" for t in texts]
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # The model object is passed only because the default name would be fetched from the
        # hub; it is the same all-MiniLM-L6-v2 BERTopic uses by default.
        model = BERTopic(embedding_model=load_embedding_model())
        topics, _ = model.fit_transform(docs)
    seconds = time.perf_counter() - start
    labels = [str(t) for t in topics]
    return agreement(
        "bertopic-defaults",
        codes,
        labels,
        unassigned=[t == -1 for t in topics],
        seconds=seconds,
        theme_count=len(set(topics) - {-1}),
        notes="topic -1 (outliers) scored as one group",
    )


def _print(scores: list[Agreement], *, top: int) -> None:
    head = f"{'method':20s} {'AMI':>6s} {'ARI':>6s} {'NMI':>6s} {'themes':>6s} {'unassigned':>10s} "
    print(head + f"{'seconds':>8s} {'macroP':>6s} {'macroR':>6s}")
    for s in scores:
        print(
            f"{s.method:20s} {s.ami:6.3f} {s.ari:6.3f} {s.nmi:6.3f} {s.theme_count:6d} "
            f"{100 * s.unassigned_share:9.1f}% {s.seconds:8.1f} {s.macro_precision:6.3f} "
            f"{s.macro_recall:6.3f}"
        )
    for s in scores:
        print(f"\n{s.method}: {s.notes}")
        print(f"  {'theme':48s} {'size':>5s} {'code':28s} {'P':>5s} {'R':>5s}")
        for t in s.themes[:top]:
            name, code = t.theme[:48], t.code[:28]
            print(f"  {name:48s} {t.size:5d} {code:28s} {t.precision:5.2f} {t.recall:5.2f}")


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(
        prog="python -m nlp.evaluate", description=__doc__.split("\n")[0]
    )
    parser.add_argument("file", help="CSV file with one answer per row")
    parser.add_argument("--text-column", required=True)
    parser.add_argument("--label-column", required=True)
    parser.add_argument("--area-column")
    parser.add_argument("--label-separator", help="split multi-label codes, e.g. '|'")
    parser.add_argument("--codeframe", help="JSON codeframe ({'themes': [{'name': ...}]})")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--limit", type=int, help="use a random sample of this many rows")
    parser.add_argument("--no-baseline", action="store_true", help="skip plain BERTopic")
    parser.add_argument("--json", help="also write the figures to this JSON file")
    parser.add_argument("--top", type=int, default=15, help="themes to list per method")
    args = parser.parse_args(argv)

    import pandas as pd

    frame = pd.read_csv(args.file)
    for col in (args.text_column, args.label_column, args.area_column):
        if col and col not in frame.columns:
            parser.error(f"no column {col!r} in {args.file}; columns: {', '.join(frame.columns)}")
    if args.limit and args.limit < len(frame):
        frame = frame.sample(args.limit, random_state=args.seed)
    frame = frame[frame[args.label_column].notna()].reset_index(drop=True)
    texts = [t if isinstance(t, str) else "" for t in frame[args.text_column]]
    raw = [str(v) for v in frame[args.label_column]]
    codes = [
        [c.strip() for c in v.split(args.label_separator) if c.strip()]
        if args.label_separator
        else [v]
        for v in raw
    ]
    areas = list(frame[args.area_column].astype(str)) if args.area_column else [None] * len(texts)
    codeframe = None
    if args.codeframe:
        from nlp.codeframe import Codeframe

        with open(args.codeframe, encoding="utf-8") as fh:
            codeframe = Codeframe.from_dict(json.load(fh))

    print(f"{args.file}: {len(texts)} answers, {len({c for cs in codes for c in cs})} human codes")
    scores = []
    engine_score, _ = run_engine(texts, codes, areas, seed=args.seed, codeframe=codeframe)
    scores.append(engine_score)
    if not args.no_baseline:
        scores.append(run_bertopic_defaults(texts, codes, seed=args.seed))
    _print(scores, top=args.top)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory (ru_maxrss) {peak_mb:.0f} MB")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(
                {
                    "file": args.file,
                    "answers": len(texts),
                    "peak_mb": round(peak_mb),
                    "scores": [asdict(s) for s in scores],
                },
                fh,
                indent=2,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
