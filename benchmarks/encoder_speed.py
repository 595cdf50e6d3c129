"""Encoder throughput by backend, threads and batch size, and two sides encoded at once.

Run:  uv run python -m benchmarks.encoder_speed [--encoders use-m3-onnx use-m3] [--n 960]

Texts are the sample events' sentences (written by this project; English and
Korean, 20–195 characters, news-length), or with ``--real`` the real-coverage
dev set's (texts outside git, see benchmarks/real.py), repeated with a running
number so no two are identical. Every figure is sentences per second after the model is
loaded and has encoded one warm-up batch; no cache is involved (the encoder is
called directly through ``embed`` without one).

* ``serial``: one caller, as the CLI and ``run_event`` encode (one side, then the other);
* ``two sides at once``: two threads each encoding half the texts, as the
  ``align-event`` flow submits its English and Korean embedding tasks together.

Threads are set per encoder as ``COVERAGE_ALIGN_ENCODER_THREADS`` would set them.
Each figure is the fastest of ``--repeat`` runs (the machine is shared), with
sentences per CPU second of this process beside it, which other processes
disturb far less than wall time; the 1-minute load average is printed with it.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np


def texts(n: int, real: bool = False) -> list[str]:
    if real:  # the real-coverage dev set's sentences, from texts kept outside git
        from benchmarks.real import real_events

        base = [s for e in real_events() if e.en and e.ko for s in e.en + e.ko]
        if not base:
            raise SystemExit("no real-coverage texts on this machine (see benchmarks/real.py)")
    else:
        from benchmarks.gold import align_cases

        base = [s for c in align_cases() for s in c.en + c.ko]
    return [f"{base[k % len(base)]} ({k})" for k in range(n)]


def load(name: str, threads: int):
    from translate import embed as E

    os.environ["COVERAGE_ALIGN_ENCODER_THREADS"] = str(threads)
    t0 = time.perf_counter()
    enc = E.ENCODERS[name]()  # a fresh instance: get_encoder caches one per name
    enc.encode(["warm up"])
    return enc, time.perf_counter() - t0


def serial(enc, xs: list[str], batch: int) -> tuple[float, float]:
    """(sentences per wall second, sentences per CPU second of this process)."""
    from translate import embed as E

    E.BATCH = batch
    t0, c0 = time.perf_counter(), time.process_time()
    vecs, _ = E.embed(xs, enc)
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    assert vecs.dtype == np.float32 and np.allclose(np.linalg.norm(vecs, axis=1), 1, atol=1e-4)
    return len(xs) / dt, len(xs) / cpu


def two_sides(enc, xs: list[str], batch: int) -> tuple[float, float]:
    from translate import embed as E

    E.BATCH = batch
    half = len(xs) // 2
    t0, c0 = time.perf_counter(), time.process_time()
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(lambda part: E.embed(part, enc), (xs[:half], xs[half:])))
    return len(xs) / (time.perf_counter() - t0), len(xs) / (time.process_time() - c0)


def best(fn, enc, xs: list[str], batch: int, repeat: int) -> tuple[float, float]:
    """The fastest of ``repeat`` runs: the machine is shared, and slower runs measure the others."""
    return max((fn(enc, xs, batch) for _ in range(repeat)), key=lambda r: r[0])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--encoders", nargs="+", default=["use-m3-onnx", "use-m3"])
    ap.add_argument("--n", type=int, default=960, help="texts per measurement")
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--batches", type=int, nargs="+", default=[32])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--real", action="store_true", help="the real dev set's sentences instead of the samples")
    args = ap.parse_args()
    xs = texts(args.n, args.real)
    chars = sum(len(x) for x in xs) / len(xs)
    print(f"# {len(xs)} texts, mean {chars:.0f} characters; {os.cpu_count()} cores visible")
    for name in args.encoders:
        for threads in args.threads:
            enc, load_s = load(name, threads)
            for batch in args.batches:
                one = best(serial, enc, xs, batch, args.repeat)
                two = best(two_sides, enc, xs, batch, args.repeat)
                row = {
                    "encoder": enc.id,
                    "threads": threads,
                    "batch": batch,
                    "load_s": round(load_s, 2),
                    "serial_per_s": round(one[0], 1),
                    "serial_per_cpu_s": round(one[1], 1),
                    "two_sides_per_s": round(two[0], 1),
                    "two_sides_per_cpu_s": round(two[1], 1),
                    "load_avg_1min": round(os.getloadavg()[0], 2),
                }
                print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
