"""Encoding plus comparable-mode alignment for n sentences a side, from raw text (no cached vectors).

Run:  uv run python -m benchmarks.encode_align_scale [--sizes 1000 10000] [--encoder use-m3-onnx]

The sentences are the sample events' (written by this project) with a running
number appended, as in ``benchmarks.align_scale``, so no two are identical and
every one reaches the encoder. No embedding cache and no Argos model: the
encoder runs with its automatic thread count (every core when no translation
model is installed). Each size runs in a fresh subprocess, so the peak RSS
(encoder and alignment together) belongs to that size alone.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time


def _one(n: int, encoder: str | None) -> dict:
    os.environ["ARGOS_PACKAGES_DIR"] = tempfile.mkdtemp(prefix="no-models-")
    from benchmarks.gold import align_cases
    from translate.align import align
    from translate.embed import embed, encoder_threads, get_encoder

    cases = align_cases()

    def grow(xs: list[str]) -> list[str]:
        return [f"{xs[k % len(xs)]} ({k})" for k in range(n)]

    en = grow([s for c in cases for s in c.en])
    ko = grow([s for c in cases for s in c.ko])
    c0 = time.process_time()
    t0 = time.perf_counter()
    enc = get_encoder(encoder)
    load = time.perf_counter() - t0
    t0 = time.perf_counter()
    emb = (embed(en, enc)[0], embed(ko, enc)[0])
    encode = time.perf_counter() - t0
    t0 = time.perf_counter()
    res = align(en, ko, mode="comparable", embeddings=emb)
    aligned = time.perf_counter() - t0
    return {
        "n": n,
        "encoder": enc.id,
        "threads": encoder_threads(),
        "load_s": round(load, 2),
        "encode_s": round(encode, 1),
        "align_s": round(aligned, 1),
        "total_s": round(load + encode + aligned, 1),
        "cpu_s": round(time.process_time() - c0, 1),  # what this process got of the shared cores
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "links": len(res.links),
        "load_avg_1min": round(os.getloadavg()[0], 2),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--encoder", default=None, help="default: the configured encoder")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(_one(args.one, args.encoder)))
        return
    for n in args.sizes:
        cmd = [sys.executable, "-m", "benchmarks.encode_align_scale", "--one", str(n)]
        if args.encoder:
            cmd += ["--encoder", args.encoder]
        print(subprocess.check_output(cmd, text=True).strip(), flush=True)


if __name__ == "__main__":
    main()
