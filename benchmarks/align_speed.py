"""Encoder throughput and the time to align a 40×40-sentence pair, cold and warm.

Run:  uv run python -m benchmarks.align_speed [--encoders use-m3-onnx use-m3 e5-small]

* throughput: sentences/s of each bundled encoder on the sample sentences
  (news sentences of 60–250 characters), batch of 32, after loading;
* stage: in one process, encoder load + encoding of a 40+40-sentence event
  built from the samples + ``align`` (cold, empty cache), then cached
  embeddings + ``align`` (warm);
* process: a fresh process with an empty embedding cache runs ``run_event``
  (no translation model), so it also pays imports, language detection,
  segmentation and the Parquet write; then again with the cache filled.

Process figures are the median of 3 fresh processes.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_EVENT_RUN = """
import time, sys, os
t0 = time.perf_counter()
from pathlib import Path
from translate.cache import EmbeddingCache
from translate.pipeline import run_event
root = Path(sys.argv[1])
with EmbeddingCache(root / "emb.sqlite3") as cache:
    res = run_event(
        [root / "en.txt"], [root / "ko.txt"], event_id="speed", out=root / "ds", embed_cache=cache
    )
print(time.perf_counter() - t0, res.n_en, res.n_ko)
"""


def _event(folder: Path) -> None:
    from benchmarks.gold import align_cases

    cases = align_cases()
    en = [s for c in cases for s in c.en][:40]
    ko = [s for c in cases for s in c.ko][:40]
    (folder / "en.txt").write_text("\n\n".join(en) + "\n", encoding="utf-8")
    (folder / "ko.txt").write_text("\n\n".join(ko) + "\n", encoding="utf-8")


def _run(folder: Path, encoder: str) -> float:
    env = {"COVERAGE_ALIGN_ENCODER": encoder, "ARGOS_PACKAGES_DIR": str(folder / "no-models")}
    import os

    out = subprocess.check_output([sys.executable, "-c", _EVENT_RUN, str(folder)], env={**os.environ, **env})
    return float(out.split()[0])


_STAGE = """
import sys, tempfile, time
from pathlib import Path
t0 = time.perf_counter()
from translate.align import align
from translate.cache import EmbeddingCache
from translate.embed import embed
from benchmarks.gold import align_cases
cases = align_cases()
en = [s for c in cases for s in c.en][:40]
ko = [s for c in cases for s in c.ko][:40]
t_import = time.perf_counter() - t0
with tempfile.TemporaryDirectory() as tmp, EmbeddingCache(Path(tmp) / "e.sqlite3") as cache:
    times = []
    for _ in range(2):
        t0 = time.perf_counter()
        emb = (embed(en, sys.argv[1], cache=cache)[0], embed(ko, sys.argv[1], cache=cache)[0])
        align(en, ko, embeddings=emb)
        times.append(time.perf_counter() - t0)
print(t_import, times[0], times[1])
"""


def _stage(encoder: str) -> tuple[float, float, float]:
    out = subprocess.check_output([sys.executable, "-c", _STAGE, encoder])
    a, b, c = (float(x) for x in out.split())
    return a, b, c


def throughput(encoder: str) -> tuple[float, float]:
    from benchmarks.gold import align_cases
    from translate.embed import embed, get_encoder

    texts = [s for c in align_cases() for s in c.en + c.ko]
    t0 = time.perf_counter()
    enc = get_encoder(encoder)
    enc.encode(["warm up"])
    load = time.perf_counter() - t0
    t0 = time.perf_counter()
    embed(texts, enc)
    return len(texts) / (time.perf_counter() - t0), load


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--encoders", nargs="+", default=["use-m3-onnx", "use-m3", "e5-small"])
    args = ap.parse_args()
    for encoder in args.encoders:
        rate, load = throughput(encoder)
        stage = _stage(encoder)
        colds, warms = [], []
        for _ in range(3):
            with tempfile.TemporaryDirectory() as tmp:
                folder = Path(tmp)
                _event(folder)
                colds.append(_run(folder, encoder))
                warms.append(_run(folder, encoder))
        print(
            json.dumps(
                {
                    "encoder": encoder,
                    "sentences_per_s": round(rate, 1),
                    "load_s": round(load, 2),
                    "stage_40x40_cold_s": round(stage[1], 2),
                    "stage_40x40_warm_s": round(stage[2], 3),
                    "stage_imports_s": round(stage[0], 2),
                    "process_40x40_cold_s": round(statistics.median(colds), 2),
                    "process_40x40_warm_s": round(statistics.median(warms), 2),
                }
            )
        )


if __name__ == "__main__":
    main()
