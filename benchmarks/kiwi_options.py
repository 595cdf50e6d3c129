"""Kiwi settings side by side: analyser cost and the dev set's LOO F1 with the analysis they give.

Run:  uv run python -m benchmarks.kiwi_options --options '{"load_multi_dict": false}'

For one set of Kiwi settings (keyword arguments of ``kiwipiepy.Kiwi``), in a
fresh process: the time to construct Kiwi, the time of its first analysis of
every real dev event's Korean sentences (the language model loads lazily
there) and the process's peak RSS. Then the Kiwi-derived columns of the
committed feature table (``lex_ko``, ``lex_en``, ``names``, ``speaker``) are
recomputed with that analysis for the same candidate pairs, and the
leave-one-event-out F1 (``eval_align.real_scores``) of each condition whose
scorer reads them is printed beside the committed table's. The ``words``
column also reads Kiwi but needs the encoder, so it keeps the table's values.
Needs the texts in ``COVERAGE_ALIGN_REAL``; the analysis cache is not used.
"""

from __future__ import annotations

import argparse
import json
import resource
import time

import numpy as np

KIWI_COLUMNS = ("lex_ko", "lex_en", "names", "speaker")
CONDITIONS = ("enc", "lex", "ko2en", "both")  # the scorers with a Kiwi-derived weight


def _analyse_all(events: list, options: dict) -> tuple[dict[str, list], float, float]:
    from translate.align import korean, lexicon

    lexicon.KIWI_OPTIONS.clear()
    lexicon.KIWI_OPTIONS.update(options)
    lexicon._kiwi.cache_clear()
    t0 = time.perf_counter()
    lexicon.kiwi()
    t1 = time.perf_counter()
    out = {ev.event: korean.analyse(ev.ko, cached=False) for ev in events}
    return out, t1 - t0, time.perf_counter() - t1


def _recomputed(table: dict, events: list, analysed: dict[str, list]) -> dict:
    from translate.align.extra import ExtraSides, extra_columns

    table = {k: v.copy() for k, v in table.items()}
    for ev in events:
        rows = np.flatnonzero(table["event"] == ev.event)
        if not len(rows):
            continue
        sides = ExtraSides(ev.en, ev.ko)
        sides._memo["analysed"] = analysed[ev.event]
        pairs = (table["en"][rows].astype(np.int64), table["ko"][rows].astype(np.int64))
        for name, col in extra_columns(sides, pairs, KIWI_COLUMNS).items():
            table[name][rows] = col
    return table


def main() -> None:
    from benchmarks.eval_align import _pooled, real_scores
    from benchmarks.real import TABLE, load_table, real_events

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--options", default="{}", help="Kiwi keyword arguments as JSON")
    args = ap.parse_args()
    options = json.loads(args.options)
    events = [e for e in real_events() if e.en is not None and e.ko is not None]
    analysed, construct, first = _analyse_all(events, options)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    n = sum(len(e.ko) for e in events)
    print(
        f"options {json.dumps(options)}: construct {construct:.2f} s, first analysis of {n} sentences "
        f"({len(events)} events) {first:.2f} s, peak RSS {peak:.0f} MB"
    )
    committed = load_table(TABLE)
    mine = _recomputed(committed, events, analysed)
    changed = {c: int((np.abs(mine[c] - committed[c]) > 1e-6).sum()) for c in KIWI_COLUMNS}
    print(f"candidate rows whose value changed (of {len(committed['en'])}): {changed}")
    for cond in CONDITIONS:
        base = real_scores(cond, loo=True, table=committed)
        new = real_scores(cond, loo=True, table=mine)
        evs = sorted(base)
        a, b = _pooled(base, evs), _pooled(new, evs)
        print(f"{cond:6s} LOO F1 committed table {a['f1']:.3f}  with these options {b['f1']:.3f}")


if __name__ == "__main__":
    main()
