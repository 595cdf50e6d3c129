"""Translation throughput: this engine vs argostranslate's loop vs raw CTranslate2.

Run:  uv run python -m benchmarks.translate_throughput [--sentences 200] [--d-model 128]

It builds a random-weight Argos package (meaningless output; see
translate/testmodels.py) of the requested size in a temp dir, so the figures
measure the machinery, not translation quality. All three paths decode the same
sentences with the same settings (beam 4, length penalty 0.2, the same
per-sentence output-length bound):

(a) translate.engine.Engine.translate with its default DecodeSettings;
(b) argostranslate 1.11's own loop, re-implemented because importing
    argostranslate.translate needs stanza/torch: one translate_batch call per
    paragraph (2 sentences here), batch_type="tokens", max_batch_size=32;
(c) the limit: raw translate_batch on pre-tokenised input, the same buckets as
    (a), no tokenisation, detokenisation or bookkeeping.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _sentences(n: int) -> list[str]:
    from translate.testmodels import CORPUS

    base = [line for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.isascii()]
    out = []
    for i in range(n):
        s = base[i % len(base)]
        out.append(s if i < len(base) else f"{s[:-1]}, officials said on day {i}.")
    return out


def _timed(fn, repeat: int = 1) -> tuple[float, object]:
    """Best wall time of ``repeat`` runs (the machine is shared and noisy)."""
    best, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sentences", type=int, default=200)
    ap.add_argument("--d-model", type=int, default=128)
    ap.add_argument("--layers", type=int, default=3)
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=3, help="best of N for (a) and (c)")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bench-translate-"))
    os.environ["ARGOS_PACKAGES_DIR"] = str(tmp / "packages")
    from translate.cache import TranslationCache
    from translate.engine import DecodeSettings, Engine, translate_sentences
    from translate.models import install_file
    from translate.testmodels import build_test_package

    pkg = build_test_package("en", "ko", tmp, d_model=args.d_model, num_layers=args.layers)
    model = install_file(pkg)
    settings = DecodeSettings(threads=args.threads)
    engine = Engine(model, settings)
    sents = _sentences(args.sentences)
    engine.translate(sents[:8])  # load the model and warm up outside the timings
    ct2 = engine.translator
    tok = engine.tokenizer
    n = len(sents)
    print(
        f"model: d_model={args.d_model} layers={args.layers} vocab={len(tok.lazy_processor())}"
        f" compute={settings.resolved_compute_type()} threads={args.threads or 'all'}"
    )
    print(f"sentences: {n}, beam {settings.beam_size}, 2 sentences per paragraph for (b)")

    t_a, _ = _timed(lambda: engine.translate(sents), args.repeat)

    def argos_loop() -> None:
        for p in range(0, n, 2):
            para = [tok.encode(s) for s in sents[p : p + 2]]
            ct2.translate_batch(
                para,
                replace_unknowns=True,
                max_batch_size=32,
                batch_type="tokens",
                beam_size=settings.beam_size,
                num_hypotheses=1,
                length_penalty=settings.length_penalty,
                return_scores=True,
                max_decoding_length=max(engine._max_len(len(t)) for t in para),
            )

    t_b, _ = _timed(argos_loop)

    pre = [tok.encode(s) for s in sents]
    buckets: dict[int, list[list[str]]] = {}
    for t in pre:
        buckets.setdefault(engine._max_len(len(t)), []).append(t)

    def raw() -> None:
        for bound, group in buckets.items():
            ct2.translate_batch(
                group,
                beam_size=settings.beam_size,
                max_batch_size=64,
                max_decoding_length=bound,
                length_penalty=settings.length_penalty,
                replace_unknowns=True,
            )

    t_c, _ = _timed(raw, args.repeat)

    cache = TranslationCache(tmp / "cache.sqlite3")
    t_cold, _ = _timed(lambda: translate_sentences(sents, "en", "ko", settings=settings, cache=cache))
    t_warm, _ = _timed(lambda: translate_sentences(sents, "en", "ko", settings=settings, cache=cache))

    print(f"(a) engine          {n / t_a:9.1f} sent/s  ({t_a:.2f} s)")
    print(f"(b) argos loop      {n / t_b:9.1f} sent/s  ({t_b:.2f} s)")
    print(f"(c) raw ctranslate2 {n / t_c:9.1f} sent/s  ({t_c:.2f} s)")
    print(f"a/b = {t_b / t_a:.2f}x   a/c = {t_c / t_a:.2f}x")
    print(f"cache: cold {t_cold:.3f} s, warm {t_warm:.4f} s, speed-up {t_cold / t_warm:.0f}x")

    venv = Path(sys.prefix)
    size = subprocess.run(["du", "-sm", str(venv)], capture_output=True, text=True).stdout.split()[0]
    print(f"venv {venv}: {size} MB")


if __name__ == "__main__":
    main()
