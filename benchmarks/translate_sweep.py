"""Thread and batching sweep on an Argos-sized random-weight model.

Run:  uv run python -m benchmarks.translate_sweep [--sentences 48] [--cores 1,2,all] [--repeat 2]

Builds translate/testmodels.build_realistic_package (d512, 6 + 6 layers, 8
heads, 32k vocabulary, int8; outputs end near the input length) in a temp dir,
or reuses --package-dir. For each core budget C it times:

- raw ``translate_batch`` on pre-tokenised input, one call over all sentences
  (CTranslate2 sorts by length and splits into batches itself), for every
  ``inter_threads × intra_threads = C`` split and several ``max_batch_size`` /
  ``batch_type`` values;
- ``Engine.translate`` (tokenise, bucket, submit asynchronously, detokenise) at
  the engine's default and with the other thread split.

Each figure is the median of --repeat runs (the machine is shared); the range is
printed with it. Beam 4, the engine's output bound, the same sentences throughout.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.translate_throughput import _sentences


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float, float]:
    """(median, min, max) wall time of ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times), max(times)


def core_budgets(spec: str) -> list[int]:
    all_cores = os.cpu_count() or 1
    out: list[int] = []
    for part in spec.split(","):
        c = all_cores if part == "all" else int(part)
        if c not in out:
            out.append(c)
    return out


def splits(cores: int) -> list[tuple[int, int]]:
    """(inter, intra) pairs with inter * intra == cores."""
    return [(cores // intra, intra) for intra in range(1, cores + 1) if cores % intra == 0]


def build_or_reuse(package_dir: Path | None) -> Any:
    from translate.models import find_installed, install_file
    from translate.testmodels import build_realistic_package

    if package_dir is None:
        package_dir = Path(tempfile.mkdtemp(prefix="bench-sweep-"))
    os.environ["ARGOS_PACKAGES_DIR"] = str(package_dir / "packages")
    try:
        return find_installed("en", "ko", allow_test=True)
    except Exception:
        return install_file(build_realistic_package("en", "ko", package_dir))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sentences", type=int, default=48)
    ap.add_argument("--cores", default="1,2,all", help="core budgets to sweep")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--package-dir", type=Path, help="reuse (or build once into) this directory")
    args = ap.parse_args()

    import ctranslate2

    from translate.engine import DecodeSettings, Engine

    model = build_or_reuse(args.package_dir)
    base = DecodeSettings()
    engine = Engine(model, base)
    tok, ct = engine.tokenizer, base.resolved_compute_type()
    sents = _sentences(args.sentences)
    pre = [tok.encode(s) for s in sents]
    n_in = sum(map(len, pre))
    bound = max(engine._max_len(len(t)) for t in pre)
    raw_kw = {"beam_size": base.beam_size, "length_penalty": base.length_penalty, "replace_unknowns": True}
    model_dir = str(model.path / "model")
    print(f"model {model.code} (realistic random weights), compute {ct}, beam {base.beam_size}")

    batch_cfgs = [("examples", 1), ("examples", 4), ("examples", 16), ("examples", 64), ("tokens", 1024)]
    rows: list[tuple[str, int, float, float, float]] = []
    for cores in core_budgets(args.cores):
        for inter, intra in splits(cores):
            tr = ctranslate2.Translator(model_dir, compute_type=ct, inter_threads=inter, intra_threads=intra)
            res = tr.translate_batch(pre, max_batch_size=16, max_decoding_length=bound, **raw_kw)  # warm-up
            n_out = sum(len(r.hypotheses[0]) for r in res)
            if not rows:
                print(
                    f"{len(sents)} sentences, {n_in} input tokens ({n_in / len(sents):.1f}/sentence), "
                    f"{n_out} output tokens (ratio {n_out / n_in:.2f})\n"
                )
                print(f"{'cores':>5} {'path':<44} {'sent/s':>7}  {'range (s)':>13}")
            for bt, bs in batch_cfgs:
                med, lo, hi = timed(
                    lambda tr=tr, bt=bt, bs=bs: tr.translate_batch(
                        pre, max_batch_size=bs, batch_type=bt, max_decoding_length=bound, **raw_kw
                    ),
                    args.repeat,
                )
                label = f"raw inter={inter} intra={intra} {bt}={bs}"
                rows.append((label, cores, med, lo, hi))
                print(f"{cores:>5} {label:<44} {len(sents) / med:7.2f}  {lo:6.2f}–{hi:6.2f}")
            del tr
        for intra in sorted({1, cores}):
            for mbs in (16, 64):
                settings = DecodeSettings(threads=cores, intra_threads=intra, max_batch_size=mbs)
                eng = Engine(model, settings)
                eng.translate(sents[:4])  # load outside the timing
                med, lo, hi = timed(lambda eng=eng: eng.translate(sents), args.repeat)
                inter, intra = settings.thread_split()
                label = f"engine inter={inter} intra={intra} max_batch={mbs}"
                rows.append((label, cores, med, lo, hi))
                print(f"{cores:>5} {label:<44} {len(sents) / med:7.2f}  {lo:6.2f}–{hi:6.2f}")
        best_raw = min((r for r in rows if r[1] == cores and r[0].startswith("raw")), key=lambda r: r[2])
        best_eng = min((r for r in rows if r[1] == cores and r[0].startswith("engine")), key=lambda r: r[2])
        split = best_raw[0].rsplit(" ", 1)[0]
        one = next(r for r in rows if r[1] == cores and r[0] == f"{split} examples=1")
        print(
            f"      best raw: {best_raw[0]}; best engine: {best_eng[0]}"
            f" = {best_raw[2] / best_eng[2]:.2f}x it;"
            f" batching (best raw vs batch of 1, same split) {one[2] / best_raw[2]:.2f}x\n"
        )


if __name__ == "__main__":
    main()
