"""Parallel mode's dynamic programme on small synthetic editions (scores and vectors made up)."""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks.fit_align import PARALLEL_BIASES, choose_parallel_bias
from translate.align import ROW_TYPES
from translate.align.parallel import parallel_groups as _parallel

THRESHOLD = 0.4  # the scorer's link threshold in these tests
BIAS = 0.15  # a translation prior below it


def _scores(table: dict[tuple[int, int], float], default: float = 0.01):
    def score(pairs: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        return np.array([table.get((i, j), default) for i, j in zip(*pairs, strict=True)])

    return score


def _anchors(pairs: list[tuple[int, int]]):
    return [((i,), (j,), 0.9) for i, j in pairs]


def _rows(groups) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(es, ks) for es, ks, _ in groups]


def _vectors(rng: np.random.Generator, n_topics: int, en: list[list[int]], ko: list[list[int]]):
    """Sentence vectors as sums of topic vectors: a sentence says what its topics say."""
    topics = rng.normal(size=(n_topics, 64))
    topics /= np.linalg.norm(topics, axis=1, keepdims=True)
    return (
        np.stack([topics[t].sum(0) for t in en]),
        np.stack([topics[t].sum(0) for t in ko]),
    )


def test_half_of_a_split_sentence_joins_its_group_when_it_adds_to_it():
    # English 1 is the second half of Korean 0: it scores low alone, but the two English
    # halves together say what Korean 0 says.
    rng = np.random.default_rng(0)
    vec = _vectors(rng, 6, en=[[0, 1], [2], [3], [4]], ko=[[0, 1, 2], [3], [4]])
    score = _scores({(0, 0): 0.9, (1, 0): 0.05, (2, 1): 0.9, (3, 2): 0.9})
    anchors = _anchors([(0, 0), (2, 1), (3, 2)])
    got = _rows(_parallel(anchors, 4, 3, score, BIAS, THRESHOLD, vec))
    assert got == [((0, 1), (0,)), ((2,), (1,)), ((3,), (2,))]
    # Without the vectors nothing says it belongs: it stays a gap.
    assert _rows(_parallel(anchors, 4, 3, score, BIAS, THRESHOLD)) == [
        ((0,), (0,)),
        ((2,), (1,)),
        ((3,), (2,)),
    ]


def test_an_added_sentence_that_adds_nothing_stays_a_gap():
    # English 1 is the edition's own addition: unrelated topic, low score.
    rng = np.random.default_rng(1)
    vec = _vectors(rng, 6, en=[[0], [5], [3], [4]], ko=[[0], [3], [4]])
    score = _scores({(0, 0): 0.9, (2, 1): 0.9, (3, 2): 0.9})
    got = _rows(_parallel(_anchors([(0, 0), (2, 1), (3, 2)]), 4, 3, score, BIAS, THRESHOLD, vec))
    assert got == [((0,), (0,)), ((2,), (1,)), ((3,), (2,))]


def test_three_english_sentences_can_form_one_row_with_a_korean_one():
    rng = np.random.default_rng(2)
    vec = _vectors(rng, 6, en=[[0], [1], [2], [3]], ko=[[0, 1, 2], [3]])
    score = _scores({(0, 0): 0.8, (1, 0): 0.1, (2, 0): 0.1, (3, 1): 0.9})
    got = _rows(_parallel(_anchors([(0, 0), (3, 1)]), 4, 2, score, BIAS, THRESHOLD, vec))
    assert got == [((0, 1, 2), (0,)), ((3,), (1,))]
    assert f"{len(got[0][0])}-{len(got[0][1])}" in ROW_TYPES


def test_translation_prior_only_when_the_anchors_are_diagonal():
    # (1, 1) scores between the translated-edition bias and the link threshold.
    table = {(k, k): 0.9 for k in range(10)} | {(1, 1): 0.25}
    diagonal = _anchors([(k, k) for k in range(10) if k != 1])
    got = _rows(_parallel(diagonal, 10, 10, _scores(table), BIAS, THRESHOLD))
    assert ((1,), (1,)) in got
    # Few anchors, one of them out of order: comparable coverage forced into parallel mode.
    # The skip bias is then the link threshold, and (1, 1) is not linked.
    scattered = _anchors([(0, 0), (3, 3), (4, 2), (8, 8)])
    got = _rows(_parallel(scattered, 10, 10, _scores(table), BIAS, THRESHOLD))
    assert ((1,), (1,)) not in got
    assert ((0,), (0,)) in got and ((8,), (8,)) in got


def test_merges_do_not_beat_one_to_one_rows_that_score_as_well():
    # Two clean 1-1 pairs side by side: counting each sentence once, a 2-2 or a 1-2 plus
    # a 2-1 gains nothing over them.
    rng = np.random.default_rng(3)
    vec = _vectors(rng, 4, en=[[0], [1], [2], [3]], ko=[[0], [1], [2], [3]])
    score = _scores({(k, k): 0.8 for k in range(4)} | {(1, 2): 0.3, (2, 1): 0.3})
    got = _rows(_parallel(_anchors([(k, k) for k in range(4)]), 4, 4, score, BIAS, THRESHOLD, vec))
    assert got == [((k,), (k,)) for k in range(4)]


def test_choose_parallel_bias_takes_the_best_smoothed_f1():
    # Event "x" is best at low biases, "y" does not care: the choice sits low, and leaving
    # "x" out leaves a flat curve (the first, lowest, bias).
    grid = PARALLEL_BIASES.tolist()
    tallies = {
        "x": {b: (9, 10, 10) if b <= 0.2 else (5, 5, 10) for b in grid},
        "y": {b: (10, 10, 10) for b in grid},
    }
    bias, f1 = choose_parallel_bias(tallies, ["x", "y"])
    assert bias <= 0.2 and f1 == pytest.approx(0.95)
    assert choose_parallel_bias(tallies, ["y"]) == (grid[0], 1.0)
