"""The per-sentence evidence that benchmarks/verdict_evidence.py measures (no texts needed)."""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks import verdict_evidence as ve
from translate.align.numerals import extract


def test_auc_orders_and_counts_ties_half() -> None:
    y = np.array([0, 0, 1, 1])
    assert ve.auc(y, np.array([0.1, 0.2, 0.8, 0.9])) == 1.0
    assert ve.auc(y, np.array([0.9, 0.8, 0.2, 0.1])) == 0.0
    assert ve.auc(y, np.array([0.5, 0.5, 0.5, 0.5])) == 0.5


def test_num_near_matches_a_rounded_figure_in_other_units() -> None:
    ko = [extract("관람객 873만7050명을 기록했다.", "ko"), extract("오늘 비가 왔다.", "ko")]
    en = [extract("The Louvre drew 8.74 million visitors.", "en"), extract("It drew 9.5 million.", "en")]
    assert ve._num_near(ko, en) == [1.0, 0.0]  # within 1 %; a sentence without numbers scores 0
    assert ve._num_near([extract("It drew 9.1 million.", "en")], ko) == [0.0]  # 4 % off is no match


def test_gap_features_look_between_the_partners_of_the_neighbouring_links() -> None:
    # this side: 0 and 3 linked to the other side's 0 and 4; 1 and 2 sit in a gap whose
    # stretch on the other side (1..3) holds three unlinked sentences
    links = {(0, 0), (3, 4)}
    a, b, p = np.array([1, 2]), np.array([2, 4]), np.array([0.3, 0.6])
    g = ve.gap_features(5, 5, links, a, b, p)
    assert g["gap_open"][1] == pytest.approx(3 / 4)
    assert g["gap_balance"][1] == 1.0  # three open there against two here
    assert g["gap_cand"][1] == pytest.approx(0.3)  # its candidate 2 lies in the stretch
    assert g["gap_cand"][2] == 0.0  # its only candidate is the linked sentence 4, outside
    assert g["gap_open"][0] == 0.0 and g["gap_open"][3] == 0.0  # linked sentences are left alone
    crossed = ve.gap_features(3, 3, {(0, 2), (2, 0)}, a[:0], b[:0], p[:0])
    assert crossed["gap_crossed"][1] == 1.0


def test_e5_features_measure_term_containment_in_the_other_article() -> None:
    dim = 6
    mine = np.zeros((2, dim), np.float32)
    mine[0, [0, 1]] = [1.0, 1.0]  # both its terms are on the other side, in two sentences
    mine[1, [4]] = [2.0]  # a term the other side never has
    other = np.zeros((2, dim), np.float32)
    other[0, 0], other[1, 1] = 1.0, 1.0
    vec = np.eye(2, 4, dtype=np.float32)
    cands: list[tuple[tuple[int, float], ...]] = [((0, 0.5),), ()]
    f = ve.e5_features((mine, vec, vec), (other, vec, vec), cands)
    assert f["sp_art"].tolist() == [1.0, 0.0]
    assert f["sp_inside"][0] == pytest.approx(0.5)  # one candidate holds half of it
    assert f["sp_inside"][1] == 0.0 and f["q_cand"][1] == 0.0  # no candidates
    assert f["q_max"].tolist() == [1.0, 1.0]
