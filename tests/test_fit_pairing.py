"""The fitted pair model of translate.pairing: the committed coefficients and thresholds are
what a refit from the stored pair table gives, and the pieces of evidence behave as documented."""

from __future__ import annotations

import json

import pytest

from translate.pairing import FEATURES, MODEL_PATH, Weights, conflicts


def test_the_committed_model_names_every_feature_and_scores_in_log_odds():
    w = Weights.load()
    stored = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert stored["features"] == list(FEATURES) and len(w.coef) == len(FEATURES)
    # Evidence a true pair has scores higher than none at all, and the aligner's links count for it.
    none = [0.0] * len(FEATURES)
    strong = list(none)
    for f, v in {"cosine": 0.8, "links": 0.9, "lead": 0.5, "cross": 1.0}.items():
        strong[FEATURES.index(f)] = v
    assert w.logit(strong) > w.cross_threshold > w.logit(none)
    # Held-out figures are recorded beside the fitted ones, never only the fitted.
    assert {"leave_one_event_out", "two_fold", "fitted"} <= stored.keys()


def test_counts_of_one_kind_that_share_no_value_conflict():
    five_dead = frozenset({(5.0, "person"), (4.7, "percent")})
    assert conflicts(five_dead, frozenset({(12.0, "person")})) == 1.0
    assert conflicts(five_dead, frozenset({(5.0, "person"), (12.0, "person")})) == 0.0
    assert conflicts(five_dead, frozenset({(3.0, "won")})) == 0.0


@pytest.mark.slow
def test_committed_pair_model_matches_a_refit_from_the_stored_table():
    from benchmarks.fit_pairing import TABLE, fit, read_table

    if not TABLE.is_file():
        pytest.fail(f"{TABLE} is missing: run python -m benchmarks.fit_pairing --rebuild")
    fresh, stored = fit(read_table()), json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert fresh["thresholds"] == stored["thresholds"]
    for f, v in stored["coef"].items():
        assert fresh["coef"][f] == pytest.approx(v, abs=1e-3), f
    assert fresh["leave_one_event_out"] == stored["leave_one_event_out"]
    assert fresh["two_fold"] == stored["two_fold"]


def test_lead_is_the_larger_of_the_two_ends_and_clipped():
    from translate.pairing import LEAD_CLIP, Scorer

    s = Scorer.__new__(Scorer)  # only the noted best candidates matter here
    # English 0's candidates: Korean 10 (1.2) and 11 (1.0); Korean 10's: English 0 (1.2) and 1 (1.15).
    s.best = {0: [(1.2, 10), (1.0, 11)], 10: [(1.2, 0), (1.15, 1)]}
    assert s.lead(0, 10, 1.2) == pytest.approx(0.2)  # 0.2 ahead at English 0, 0.05 at Korean 10
    # Korean 11 for English 0: behind 10 at English 0's end; 11 has no other candidate noted.
    assert s.lead(0, 11, 1.0) == LEAD_CLIP
    s.best = {0: [(1.2, 10), (0.1, 11)], 10: [(1.2, 0), (0.2, 1)]}
    assert s.lead(0, 10, 1.2) == LEAD_CLIP
    s.best = {0: [(2.0, 12), (1.2, 10)], 10: [(2.0, 3), (1.2, 0)]}
    assert s.lead(0, 10, 1.2) == -LEAD_CLIP  # far behind at both ends
