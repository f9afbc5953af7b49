"""How fast is check_preservation_request? Median and 99th percentile per request.

The widget re-checks on every keystroke, so one check should take well under 5 ms.
Requests are varied (complete, broken, junk) so that every code path is timed.

    .venv/bin/python benchmarks/bench_checker.py [--requests N]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

from budapest_coop import check_preservation_request, render_preservation_request

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from test_preservation_cases import DOC, build_request  # noqa: E402  (the case book's own reader)

TARGET_MS = 5.0


def _requests(count: int, seed: int = 7) -> list[object]:
    """``count`` requests drawn from the case book's complete, broken and junk requests."""
    variants = [build_request(case) for case in DOC["cases"]]
    rng = random.Random(seed)
    return [rng.choice(variants) for _ in range(count)]


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=5000)
    args = parser.parse_args()
    requests = _requests(args.requests)
    check_preservation_request(requests[0])  # load data files once, as the widget does
    for label, function in (("check", check_preservation_request),
                            ("check + render (widget refresh)", lambda r: (check_preservation_request(r), render_preservation_request(r)))):
        timings = []
        for request in requests:
            start = time.perf_counter()
            function(request)
            timings.append((time.perf_counter() - start) * 1000)
        median, p99 = statistics.median(timings), _percentile(timings, 0.99)
        verdict = "OK" if p99 < TARGET_MS else "SLOWER THAN TARGET"
        print(f"{label:32s} n={len(timings)}  median {median:.3f} ms  p99 {p99:.3f} ms  "
              f"(target < {TARGET_MS} ms: {verdict})")


if __name__ == "__main__":
    main()
