"""Time safeguarding screening per answer, models already loaded.

    .venv/bin/python benchmarks/safeguarding_speed.py [FILE.csv] [--repeat N] [--torch-threads N]

Prints p50, p95 and max milliseconds per text over the labelled evaluation set.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from nlp.safeguarding import screen, warm_up
from nlp.safeguarding.evaluation import read_labelled

DEFAULT_FILE = Path(__file__).resolve().parents[1] / "tests" / "data" / "safeguarding_eval.csv"


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--repeat", type=int, default=3, help="passes over the file")
    parser.add_argument(
        "--torch-threads", type=int, help="torch intra-op threads (default: torch's own)"
    )
    args = parser.parse_args()

    import torch

    if args.torch_threads:
        torch.set_num_threads(args.torch_threads)
    texts = [row["text"] for row in read_labelled(args.file)]
    started = time.perf_counter()
    warm_up()
    print(f"warm_up: {time.perf_counter() - started:.1f} s")
    for text in texts[:10]:  # first calls allocate; not what a resident waits for
        screen(text)
    timings = []
    for _ in range(args.repeat):
        for text in texts:
            started = time.perf_counter()
            screen(text)
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p95 = timings[int(0.95 * (len(timings) - 1))]
    print(
        f"{len(timings)} screenings of {len(texts)} texts, torch threads "
        f"{torch.get_num_threads()}: p50 {statistics.median(timings):.1f} ms, "
        f"p95 {p95:.1f} ms, max {timings[-1]:.1f} ms"
    )


if __name__ == "__main__":
    main()
