"""A day of news through the scheduled path: N events of 40 + 40 sentences, no models, cold caches.

Run:  uv run python -m benchmarks.inbox_batch [--events 1000] [--direct]

Builds an inbox of ``--events`` folders, each an English and a Korean article
of 40 sentences taken from the sample events (written by this project) with a
per-event variant word in every sentence (Latin letters in English, Hangul in
Korean, no digits, so no two texts are identical and no number anchors are
invented), then aligns them all in this process, from cold: an empty embedding
cache, an empty dataset, no Argos model installed.

* default: the ``process-inbox`` flow itself against a temporary Prefect server
  (its start-up is timed apart and not counted): events in ``align-batch`` tasks
  (``COVERAGE_ALIGN_BATCH`` at most each), two tasks at once (``COVERAGE_ALIGN_MAX_WORKERS``);
* ``--direct``: the same per-event function (``flows.process_inbox.align_job``) on
  the same number of threads, without Prefect, to show what the orchestration costs.

Printed: total wall time, sentences per second, this process's peak RSS, and
where the time goes. Stage times are summed over the threads that ran them
(events and the two embedding tasks overlap), so they can add up to more than
the wall time; ``orchestration`` is the wall time left over.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import tempfile
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

T_START = time.perf_counter()
SENTENCES = 40
_EN_SYLLABLES = "bcdfghjklmnprstvz"
_KO_SYLLABLES = "가나다라마바사아자차카타파하"


def _word(k: int, alphabet: str) -> str:
    out = ""
    for _ in range(3):
        k, r = divmod(k, len(alphabet))
        out += alphabet[r]
    return out + (alphabet[k % len(alphabet)] if k else "")


def _variant(sentence: str, marker: str) -> str:
    """The sentence with ``marker`` before its closing punctuation, so it stays one sentence."""
    end = len(sentence.rstrip('."'))
    return f"{sentence[:end]} ({marker}){sentence[end:]}"


def build_inbox(root: Path, n_events: int) -> int:
    from benchmarks.gold import align_cases

    cases = align_cases()
    en = [s for c in cases for s in c.en]
    ko = [s for c in cases for s in c.ko]
    for k in range(n_events):
        folder = root / f"batch-{k:05d}"
        for side, pool, marker in (
            ("en", en, f"edition {_word(k, _EN_SYLLABLES)}"),
            ("ko", ko, f"{_word(k, _KO_SYLLABLES)}판"),
        ):
            start = (k * 7) % len(pool)
            picked = [_variant(pool[(start + i) % len(pool)], marker) for i in range(SENTENCES)]
            (folder / side).mkdir(parents=True)
            (folder / side / "article.txt").write_text("\n\n".join(picked) + "\n", encoding="utf-8")
    return n_events * 2 * SENTENCES


class StageClock:
    """Seconds spent in named functions, summed over threads."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self._lock = threading.Lock()
        self._local = threading.local()

    def wrap(self, module, attr: str, stage: str) -> None:
        fn = getattr(module, attr)

        def timed(*args, **kwargs):
            # Nested timed calls (detection inside segmentation) are charged to the inner stage only.
            outer = getattr(self._local, "inner", 0.0)
            self._local.inner = 0.0
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                dt = time.perf_counter() - t0
                with self._lock:
                    self.seconds[stage] += dt - self._local.inner
                self._local.inner = outer + dt

        setattr(module, attr, timed)


def instrument(clock: StageClock) -> None:
    """Time the stages where the flow's tasks reach the library (module attributes, so both paths see it)."""
    from translate import pipeline

    for attr, stage in (
        ("load_document", "read"),
        ("detect_document", "detect"),
        ("detect", "detect"),
        ("segment_units", "segment"),
        ("split_long", "segment"),
        ("embed_side", "encode"),
        ("translate_side", "translate (no models: lookup only)"),
        ("align_sides", "align"),
        ("build_rows", "write"),
        ("write_rows", "write"),
    ):
        clock.wrap(pipeline, attr, stage)
    from translate import embed
    from translate.cache import EmbeddingCache

    clock.wrap(embed, "get_encoder", "encode: model load")
    clock.wrap(EmbeddingCache, "__init__", "encode: cache open")
    clock.wrap(EmbeddingCache, "get_many", "encode: cache read/write")
    clock.wrap(EmbeddingCache, "put_many", "encode: cache read/write")
    from translate import report

    clock.wrap(report, "render_html", "report")


def run_direct(todo: list[str], out: str, workers: int) -> None:
    """The flow's per-event work without Prefect: ``align_job`` (rows, then the report) for
    each folder, ``workers`` events at once, the caches opened once per thread as a batch does."""
    from flows.process_inbox import align_job
    from translate.cache import EmbeddingCache, TranslationCache
    from translate.config import cache_path, embed_cache_path
    from translate.loose import Job
    from translate.pipeline import resolve_event

    def chunk(folders: list[str]) -> None:
        with TranslationCache(cache_path()) as tc, EmbeddingCache(embed_cache_path()) as ec:
            for folder in folders:
                inputs = resolve_event(folder)  # the CLI's and the deployment's default mode
                job = Job(
                    inputs.event_id,
                    [str(p) for p in inputs.en],
                    [str(p) for p in inputs.ko],
                    inputs.mode,
                    inputs.meta,
                    Path(folder).name,
                    folder,
                )
                align_job(job, Path(out), None, tc, ec)

    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(chunk, [todo[k::workers] for k in range(workers)]))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=1000)
    ap.add_argument("--direct", action="store_true", help="the per-event stages without Prefect")
    ap.add_argument("--keep", type=Path, help="build the inbox and dataset here and keep them")
    args = ap.parse_args()

    root = Path(tempfile.mkdtemp(prefix="bench-inbox-")) if args.keep is None else args.keep
    os.environ.update(
        ARGOS_PACKAGES_DIR=str(root / "no-models"),  # empty: no translation model anywhere
        COVERAGE_ALIGN_DATA=str(root / "data"),  # fresh caches and dataset
        PREFECT_LOGGING_LEVEL="WARNING",
    )
    t0 = time.perf_counter()
    n_sentences = build_inbox(root / "inbox", args.events)
    built = time.perf_counter() - t0

    t0 = time.perf_counter()
    import flows.process_inbox  # noqa: F401  (the imports a worker pays before the first event)
    import translate.pipeline  # noqa: F401
    from translate.config import dataset_dir, max_workers

    imports = time.perf_counter() - t0
    clock = StageClock()
    instrument(clock)
    out = str(dataset_dir())
    todo = sorted(str(p) for p in (root / "inbox").iterdir())

    server = 0.0
    if args.direct:
        t0 = time.perf_counter()
        run_direct(todo, out, max_workers())
        wall = time.perf_counter() - t0
    else:
        import logging

        from prefect.testing.utilities import prefect_test_harness

        from flows.process_inbox import process_inbox

        t0 = time.perf_counter()
        with prefect_test_harness(server_startup_timeout=180):
            server = time.perf_counter() - t0
            logging.getLogger("prefect").setLevel(logging.WARNING)
            t0 = time.perf_counter()
            state = process_inbox(inbox=str(root / "inbox"), out=out, return_state=True)
            wall = time.perf_counter() - t0
            if not state.is_completed():
                raise SystemExit(f"process-inbox did not complete: {state.message}")

    import pyarrow.dataset as ds

    n_events = len({p.name for p in Path(out).glob("pairs/event_id=*")}) or len(
        set(ds.dataset(Path(out) / "pairs", partitioning="hive").to_table(columns=["event_id"])["event_id"])
    )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    stages = {k: round(v, 1) for k, v in sorted(clock.seconds.items(), key=lambda kv: -kv[1])}
    summary = {
        "path": "direct (no Prefect)" if args.direct else "process-inbox flow (temporary Prefect server)",
        "events": args.events,
        "events_written": n_events,
        "sentences": n_sentences,
        "wall_s": round(wall, 1),
        "sentences_per_s": round(n_sentences / wall, 1),
        "per_event_s": round(wall / args.events, 3),
        "peak_rss_mb": round(rss),
        "imports_s": round(imports, 2),
        "prefect_server_start_s (not counted)": round(server, 1),
        "inbox_build_s (not counted)": round(built, 1),
        "stage_seconds_summed_over_threads": stages,
        "max_workers": max_workers(),
        "encoder": os.environ.get("COVERAGE_ALIGN_ENCODER", "default"),
        "load_avg_1min": round(os.getloadavg()[0], 2),
    }
    print(json.dumps(summary, indent=1, ensure_ascii=False))
    if args.keep is None:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
