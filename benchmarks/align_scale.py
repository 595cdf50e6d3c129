"""Comparable-mode alignment time and peak memory for 1,000 … 10,000 sentences a side.

Run:  uv run python -m benchmarks.align_scale [--sizes 1000 2000 5000 10000] [--translations]

Each size runs in a fresh subprocess so peak RSS belongs to that size alone.
Sentences are the sample events' sentences with a running number appended (so
no two are identical). Embeddings stand for cached ones: the samples' real
vectors, each copy nudged by seeded noise and renormalised, so that timing
covers alignment alone (encoding is measured by benchmarks/align_speed.py).
``--translations`` adds the reference translations both ways.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

import numpy as np


def _one(n: int, translations: bool) -> dict:
    from benchmarks.fit_align import sample_embeddings
    from benchmarks.gold import align_cases
    from translate.align import align

    cases = align_cases()
    embs = sample_embeddings(cases)
    rng = np.random.default_rng(0)

    def grow(xs: list[str]) -> list[str]:
        return [f"{xs[k % len(xs)]} ({k})" for k in range(n)]

    def grow_emb(vs: np.ndarray) -> np.ndarray:
        out = vs[np.arange(n) % len(vs)] + rng.normal(0, 0.05, (n, vs.shape[1])).astype(np.float32)
        return out / np.linalg.norm(out, axis=1, keepdims=True)

    en = grow([s for c in cases for s in c.en])
    ko = grow([s for c in cases for s in c.ko])
    emb = (
        grow_emb(np.vstack([embs[c.event][0] for c in cases])),
        grow_emb(np.vstack([embs[c.event][1] for c in cases])),
    )
    kwargs = {}
    if translations:
        kwargs = {
            "ko2en": grow([s for c in cases for s in c.ko2en]),
            "en2ko": grow([s for c in cases for s in c.en2ko]),
        }
    t0 = time.perf_counter()
    res = align(en, ko, mode="comparable", embeddings=emb, **kwargs)
    dt = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "n": n,
        "seconds": round(dt, 2),
        "peak_rss_mb": round(rss),
        "rows": len(res.rows),
        "links": len(res.links),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000, 5000, 10000])
    ap.add_argument("--translations", action="store_true")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(_one(args.one, args.translations)))
        return
    print(f"{'n×n':>13s} {'seconds':>8s} {'peak RSS MB':>12s} {'rows':>6s} {'links':>6s}")
    for n in args.sizes:
        cmd = [sys.executable, "-m", "benchmarks.align_scale", "--one", str(n)]
        out = subprocess.check_output(cmd + (["--translations"] if args.translations else []))
        r = json.loads(out)
        print(f"{n:>6d}×{n:<6d} {r['seconds']:8.2f} {r['peak_rss_mb']:12d} {r['rows']:6d} {r['links']:6d}")


if __name__ == "__main__":
    main()
