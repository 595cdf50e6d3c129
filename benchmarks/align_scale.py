"""Comparable-mode alignment time and peak memory for 200 … 2,000 sentences a side.

Run:  uv run python -m benchmarks.align_scale [--sizes 200 500 1000 2000]

Each size runs in a fresh subprocess so peak RSS belongs to that size alone.
Sentences are the sample events' sentences with a running number appended (so
no two are identical), with their reference translations both ways.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time


def _one(n: int) -> dict:
    from benchmarks.gold import align_cases
    from translate.align import align

    cases = align_cases()
    en = [s for c in cases for s in c.en]
    ko = [s for c in cases for s in c.ko]
    en2ko = [s for c in cases for s in c.en2ko]
    ko2en = [s for c in cases for s in c.ko2en]

    def grow(xs: list[str], unit: str) -> list[str]:
        return [f"{xs[k % len(xs)]} ({k}{unit})" for k in range(n)]

    args = dict(ko2en=grow(ko2en, ""), en2ko=grow(en2ko, ""))
    t0 = time.perf_counter()
    res = align(grow(en, ""), grow(ko, ""), mode="comparable", **args)
    dt = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"n": n, "seconds": round(dt, 2), "peak_rss_mb": round(rss), "rows": len(res.rows)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[200, 500, 1000, 2000])
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(_one(args.one)))
        return
    print(f"{'n×n':>11s} {'seconds':>8s} {'peak RSS MB':>12s} {'rows':>6s}")
    for n in args.sizes:
        out = subprocess.check_output([sys.executable, "-m", "benchmarks.align_scale", "--one", str(n)])
        r = json.loads(out)
        print(f"{n:>5d}×{n:<5d} {r['seconds']:8.2f} {r['peak_rss_mb']:12d} {r['rows']:6d}")


if __name__ == "__main__":
    main()
