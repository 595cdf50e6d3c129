"""Fit the aligner's weights and thresholds on the development event(s) only.

Run:  uv run python -m benchmarks.fit_align   (writes translate/resources/align_weights.json)

For each translation set-up (both directions, KO→EN only, EN→KO only, none) a
logistic regression is fitted on every (English, Korean) pair of the dev events,
with the gold links as positives, on reference translations plus seeded noisy
variants of them. The comparable-mode threshold is then the one that maximises
mean link F1 on the comparable dev events, and the parallel-mode bias (what a
link must score to beat a skip in the dynamic programme) the one that maximises
it on the parallel dev events. Test events are never read.
"""

from __future__ import annotations

import json

import numpy as np

from benchmarks.gold import align_cases, prf, translations_for
from translate.align import WEIGHTS_PATH, align
from translate.similarity import FEATURES, Side, pair_features

CONDITIONS = {
    "both": ["reference", "noisy"],
    "ko2en": ["ko2en"],
    "en2ko": ["en2ko"],
    "none": ["none"],
}
NOISE_SEEDS = (11, 12, 13)
L2 = 1.0


def _logistic(x: np.ndarray, y: np.ndarray, l2: float = L2) -> np.ndarray:
    """L2-regularised logistic regression by Newton's method; last column is the bias."""
    x = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(x.shape[1])
    reg = np.full(x.shape[1], l2)
    reg[-1] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-x @ w))
        grad = x.T @ (p - y) + reg * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + np.diag(reg + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def _variants(case, condition):
    if condition == "noisy":
        return [translations_for(case, "noisy", seed) for seed in NOISE_SEEDS]
    return [translations_for(case, condition)]


def _grid(cases, conditions, name, model, length_ratio, key, kwargs):
    """The value of ``model[key]`` on a 0.01 grid that maximises mean dev F1 (ties: higher)."""
    best = (-1.0, 0.5)
    for value in np.arange(0.01, 0.96, 0.01):
        trial = {**model, key: round(float(value), 2)}
        weights = {"length_ratio": length_ratio, "models": {name: trial}}
        f1s = [
            prf(align(case.en, case.ko, weights=weights, **kwargs, **tr).links(), case.links)[2]
            for case in cases
            for cond in conditions
            for tr in _variants(case, cond)
        ]
        score = float(np.mean(f1s))
        if score >= best[0]:
            best = (score, round(float(value), 2))
    return best[1], round(best[0], 4)


def fit(verbose: bool = False) -> dict:
    """Fit every model on the dev events; returns the content of align_weights.json."""
    dev = [c for c in align_cases() if c.split == "dev"]
    assert dev, "no dev events"
    ratios = [len(c.en[i]) / len(c.ko[j]) for c in dev for i, j in c.links]
    length_ratio = float(np.median(ratios))
    out = {
        "length_ratio": round(length_ratio, 4),
        "dev_events": [c.event for c in dev],
        "models": {},
    }
    for name, conditions in CONDITIONS.items():
        xs, ys = [], []
        for case in dev:
            for cond in conditions:
                for tr in _variants(case, cond):
                    en = Side.build(case.en, "en", tr.get("en2ko"))
                    ko = Side.build(case.ko, "ko", tr.get("ko2en"))
                    feats = pair_features(en, ko, length_ratio)
                    xs.append(np.stack([feats[f].ravel() for f in FEATURES], 1))
                    y = np.zeros((len(case.en), len(case.ko)))
                    for i, j in case.links:
                        y[i, j] = 1
                    ys.append(y.ravel())
        w = _logistic(np.vstack(xs), np.concatenate(ys))
        model = {
            "weights": {f: round(float(v), 4) for f, v in zip(FEATURES, w, strict=False)},
            "bias": round(float(w[-1]), 4),
            "threshold": 0.5,
        }
        model["threshold"], model["dev_f1"] = _grid(
            [c for c in dev if c.mode == "comparable"],
            conditions,
            name,
            model,
            length_ratio,
            "threshold",
            {"mode": "comparable"},
        )
        model["parallel_bias"], model["dev_parallel_f1"] = _grid(
            [c for c in dev if c.mode == "parallel"],
            conditions,
            name,
            model,
            length_ratio,
            "parallel_bias",
            {"mode": "parallel"},
        )
        out["models"][name] = model
        if verbose:
            print(
                f"{name:6s} threshold={model['threshold']:.2f} (dev F1 {model['dev_f1']:.3f}) "
                f"parallel_bias={model['parallel_bias']:.2f} (dev F1 {model['dev_parallel_f1']:.3f}) "
                f"weights={model['weights']} bias={model['bias']}"
            )
    return out


def main() -> None:
    out = fit(verbose=True)
    WEIGHTS_PATH.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {WEIGHTS_PATH}")


if __name__ == "__main__":
    main()
