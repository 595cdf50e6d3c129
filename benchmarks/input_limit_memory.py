"""Peak memory and time of one `coverage-align align` run at the input size limit.

Run:  flock -x /tmp/ca-cpu.lock uv run python -m benchmarks.input_limit_memory [--bytes 5000000]
      [--shape prose|long] [--encoder use-m3] [--address-space-gb 4] [--stand-in]

Both sides are files of ``--bytes`` bytes (default: the limit, 5,000,000) built
from the project's own sample articles (fictional, written for this project):

* ``prose``: the articles repeated, every sentence of a copy tagged ``[k]`` with
  its copy number, so no two are identical (identical ones would hit the cache);
* ``long``: the same text with sentence punctuation removed, so every sentence
  is a 500-character piece: the most n-grams per sentence, the worst case for
  the candidate features.

The run is a fresh `python -m translate.cli align` subprocess with empty caches
and no translation models (the embeddings are computed, cold). Peak RSS is the
child's ``ru_maxrss``; ``--address-space-gb`` caps the child's address space as
the hostile-input run of issue 21 did (4 GB), so an unbounded step fails here.

A real run at the limit takes about half an hour on 2 cores (16-22 ms a
sentence for encoding and per-sentence language detection, ~94,000 sentences).
``--stand-in`` keeps the use-m3 weights loaded but replaces those two steps with
stand-ins of the same output shape, so the peak of everything else (segmentation,
candidate search, features, rows, Parquet) is measured at the full size in minutes.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from translate.config import DEFAULT_ENCODER

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
_SENTENCE_GAP = re.compile(r"(?<=[.!?…])\s+")


def build(lang: str, size: int, shape: str) -> bytes:
    """``size`` bytes of UTF-8 text in ``lang``: sample paragraphs, tagged copy by copy."""
    paras = [
        p.strip()
        for f in sorted(SAMPLES.glob(f"*/{lang}/*.txt"))
        for p in f.read_text(encoding="utf-8").split("\n\n")
        if p.strip()
    ]
    if shape == "long":
        paras = [re.sub(r"[.!?…]+", "", p).replace("\n", " ") for p in paras]
    out, total, k = [], 0, 0
    while total < size:
        for p in paras:
            # "[k] " before every sentence: no two sentences of the file are the same.
            chunk = (f"[{k}] " + _SENTENCE_GAP.sub(f" [{k}] ", p) + "\n\n").encode()
            out.append(chunk)
            total += len(chunk)
            k += 1
    data = b"".join(out)[:size]
    return data.decode("utf-8", "ignore").encode()  # a cut never splits a character


def _stand_in_child(argv: list[str]) -> None:
    """`align` in this process with the real encoder loaded but a stand-in computing the vectors.

    The use-m3 weights stay resident (as in a real run) while vectors come from a
    hash of each text (same shape, 512 floats), and per-sentence language detection
    answers with the side's language: together those two steps are most of the time
    at the input limit (16-22 ms a sentence here), and neither holds more than a
    batch of memory, so the peak measured is the real one of everything else.
    """
    import zlib

    import numpy as np

    from translate import embed, pipeline
    from translate.cli import app
    from translate.langid import LangGuess

    real = embed.get_encoder("use-m3")
    real.encode(["warm-up sentence", "예열 문장"])

    class StandIn:
        id = f"{real.id}+stand-in"

        def encode(self, texts: list[str]) -> np.ndarray:
            vecs = [np.random.default_rng(zlib.crc32(t.encode())).normal(size=512) for t in texts]
            return np.asarray(vecs, dtype=np.float32)

    stand_in = StandIn()
    embed.get_encoder = lambda name=None: stand_in  # type: ignore[assignment]
    pipeline.detect = lambda text, hint=None: LangGuess(hint or "und", 1.0, "hint")  # type: ignore[assignment]
    try:
        code = app(argv, standalone_mode=False)  # not standalone: an exit code is returned, not raised
    except SystemExit as exc:
        sys.exit(exc.code)
    sys.exit(code if isinstance(code, int) else 0)


def run(size: int, shape: str, encoder: str, address_space_gb: float | None, stand_in: bool = False) -> dict:
    with tempfile.TemporaryDirectory(prefix="ca-limit-") as tmp:
        root = Path(tmp)
        for lang in ("en", "ko"):
            (root / f"{lang}.txt").write_bytes(build(lang, size, shape))
        env = {
            **os.environ,
            "ARGOS_PACKAGES_DIR": str(root / "no-models"),
            "COVERAGE_ALIGN_DATA": str(root / "data"),
            "COVERAGE_ALIGN_ENCODER": encoder,
            "COVERAGE_ALIGN_MAX_BYTES": str(max(size, 5_000_000)),
        }

        def cap() -> None:
            if address_space_gb:
                limit = int(address_space_gb * 1e9)
                resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

        entry = ["benchmarks.input_limit_memory", "--stand-in-child"] if stand_in else ["translate.cli"]
        cmd = [sys.executable, "-m", *entry, "align", "--en", str(root / "en.txt")]
        cmd += ["--ko", str(root / "ko.txt"), "--event-id", "limit", "--out", str(root / "ds")]
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, preexec_fn=cap)
        seconds = time.perf_counter() - t0
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB → MiB
        summary = next((line for line in proc.stdout.splitlines() if line.startswith("limit:")), "")
        errors = [line for line in proc.stderr.splitlines() if line.startswith(("error", "Traceback"))]
        if proc.returncode and not errors:
            errors = proc.stderr.strip().splitlines()[-1:]  # a crash: its last line
        return {
            "bytes": size,
            "shape": shape,
            "encoder": encoder,
            "exit": proc.returncode,
            "seconds": round(seconds, 1),
            "peak_rss_mib": round(peak),
            "summary": summary,
            "error": errors[0]
            if errors
            else proc.stderr.strip().splitlines()[-1:]
            if proc.returncode
            else "",
        }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bytes", type=int, default=5_000_000, help="bytes per side (default: the limit)")
    ap.add_argument("--shape", choices=("prose", "long"), default="prose")
    ap.add_argument("--encoder", default=DEFAULT_ENCODER)
    ap.add_argument("--address-space-gb", type=float, default=4.0, help="0: no cap")
    ap.add_argument(
        "--stand-in",
        action="store_true",
        help="use-m3 loaded, but stand-in vectors and sentence language (memory, not time)",
    )
    if sys.argv[1:2] == ["--stand-in-child"]:
        _stand_in_child(sys.argv[2:])
        return
    args = ap.parse_args()
    r = run(args.bytes, args.shape, args.encoder, args.address_space_gb or None, args.stand_in)
    how = "use-m3 loaded, stand-in vectors and sentence language" if args.stand_in else r["encoder"]
    print(
        f"{r['bytes']:,} bytes a side, {r['shape']}, encoder {how}: exit {r['exit']}, "
        f"{r['seconds']} s, peak RSS {r['peak_rss_mib']:,} MiB"
    )
    if r["summary"]:
        print(r["summary"])
    if r["error"]:
        print(r["error"])


if __name__ == "__main__":
    main()
