"""Two more kinds of translation evidence for the verdict, tried and not kept (needs the texts).

Run:  uv run --group dev python -m benchmarks.verdict_mt_tried

On the rows of ``data/real/verdict_features_mt.parquet`` (see
``benchmarks.fit_verdict_mt``), each condition's model with its translation
features is refitted with, in turn:

* ``all``: the best share of the sentence's units that any one sentence of the
  other article holds, and the best two summed (not only the candidates);
* ``mono``: the encoder's cosine between the sentence and each sentence of the
  other article, both in the translation's language (the translated side
  through its translations): the best and the second best.

Both compare a sentence with every sentence of the other article, which this
measurement can afford on dev articles of a few dozen sentences and the
product would not; they were measured to see whether they could pay for an
index, and they do not.
"""

from __future__ import annotations

import numpy as np

from benchmarks.fit_verdict import load_verdict_table, training_mask
from benchmarks.fit_verdict_mt import MT_CONDITIONS, MT_TABLE, auc, condition_features, evaluate, select
from benchmarks.real import condition_inputs, real_events
from benchmarks.verdict_mt import _idf, _units


def _best_two(m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    top = -np.sort(-m, 1)
    second = top[:, 1] if m.shape[1] > 1 else np.zeros(len(m))
    return top[:, 0], second


def _shares(mine: list[str], other: list[str], lang: str) -> np.ndarray:
    units = [_units(x, lang) for x in mine]
    others = [_units(x, lang) for x in other]
    w = _idf(units)
    out = np.zeros((len(mine), max(len(other), 1)))
    for k, u in enumerate(units):
        total = sum(w[x] for x in u) or 1.0
        for o, bag in enumerate(others):
            out[k, o] = sum(w[x] for x in u if x in bag) / total
    return out


def extra_columns(t: dict[str, np.ndarray], condition: str, embed_fn) -> dict[str, np.ndarray]:
    """``<d>_all``, ``<d>_all2``, ``<d>_mono``, ``<d>_mono2`` of the condition's directions."""
    events = {e.event: e for e in real_events() if e.en is not None and e.ko is not None}
    cols: dict[str, np.ndarray] = {}
    for ev in sorted(set(t["event"].tolist())):
        e = events[ev]
        assert e.en is not None and e.ko is not None
        kw = condition_inputs(e.en, e.ko, e.ko2en, e.en2ko, condition, False) or {}
        for d, tr in kw.items():
            # Both sides in the translation's language: English (ko2en) or Korean (en2ko).
            en_side, ko_side, lang = (e.en, tr, "en") if d == "ko2en" else (tr, e.ko, "ko")
            cos = embed_fn(en_side) @ embed_fn(ko_side).T
            en_shares, ko_shares = _shares(en_side, ko_side, lang), _shares(ko_side, en_side, lang)
            for side, s_m, c_m in (("en", en_shares, cos), ("ko", ko_shares, cos.T)):
                mask = (t["event"] == ev) & (t["side"] == side)
                rows = np.where(mask)[0][t["index"][mask]]
                b1, b2 = _best_two(s_m)
                c1, c2 = _best_two(c_m)
                for name, v in (("all", b1), ("all2", b1 + b2), ("mono", c1), ("mono2", c2)):
                    cols.setdefault(f"{d}_{name}", np.zeros(len(t["event"])))[rows] = v
    return cols


def main() -> None:
    from translate.cache import EmbeddingCache
    from translate.config import embed_cache_path
    from translate.embed import embed

    table = load_verdict_table(MT_TABLE)
    print("with our reference translations: an upper bound for a translation model of that quality")
    with EmbeddingCache(embed_cache_path()) as cache:

        def embed_fn(texts: list[str]) -> np.ndarray:
            return embed(texts, None, cache=cache)[0].astype(np.float64)

        for cond in MT_CONDITIONS:
            t = select(table, cond)
            extra = extra_columns(t, cond, embed_fn)
            t.update(extra)
            train = training_mask(t)
            alone = ", ".join(f"{f} {auc(v[train], t['label'][train]):.3f}" for f, v in extra.items())
            print(f"{cond}: alone {alone}")
            base = condition_features(cond)
            for idea in ("all", "mono"):
                feats = base + tuple(f for f in extra if f.split("_")[1].rstrip("2") == idea)
                r = evaluate(t, feats)
                print(
                    f"  + {idea:4s} thr {r['threshold']:.2f} only {r['only']} precision {r['precision']:.3f} "
                    f"recall {r['recall']:.3f} middle {r['middle_share']:.3f} AUC {r['auc']:.3f}"
                )


if __name__ == "__main__":
    main()
