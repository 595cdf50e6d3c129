from __future__ import annotations

import random

import pytest

from benchmarks.eval_align import evaluate
from benchmarks.gold import align_cases
from translate.align import ROW_TYPES, align, load_weights

CASES = {c.event: c for c in align_cases()}
TEST_COMPARABLE = [c for c in CASES.values() if c.split == "test" and c.mode == "comparable"]
TEST_PARALLEL = [c for c in CASES.values() if c.split == "test" and c.mode == "parallel"]


def _check_partition(res, n_en, n_ko):
    en_seen = [i for r in res.rows for i in r.en]
    ko_seen = [j for r in res.rows for j in r.ko]
    assert sorted(en_seen) == list(range(n_en))
    assert sorted(ko_seen) == list(range(n_ko))
    for r in res.rows:
        assert r.type in ROW_TYPES
        assert 0.0 <= r.score <= 1.0
        expected = "en-only" if not r.ko else "ko-only" if not r.en else f"{len(r.en)}-{len(r.ko)}"
        assert r.type == expected


def test_there_are_held_out_events():
    assert TEST_COMPARABLE and TEST_PARALLEL
    assert not set(load_weights()["dev_events"]) & {c.event for c in TEST_COMPARABLE + TEST_PARALLEL}


@pytest.mark.parametrize("case", TEST_COMPARABLE, ids=lambda c: c.event)
def test_comparable_targets_on_test_event(case):
    ref = evaluate(case, "comparable", "reference")
    noisy = evaluate(case, "comparable", "noisy")
    assert ref["f1"] >= 0.90, ref
    assert noisy["f1"] >= 0.75, noisy
    assert ref["p_above_threshold"] >= 0.95
    assert noisy["p_above_threshold"] >= 0.95


@pytest.mark.parametrize("case", TEST_PARALLEL, ids=lambda c: c.event)
def test_parallel_target_on_parallel_event(case):
    assert evaluate(case, "parallel", "reference")["f1"] >= 0.95
    assert evaluate(case, "auto", "reference")["mode_used"] == "parallel"


@pytest.mark.parametrize("case", TEST_COMPARABLE, ids=lambda c: c.event)
def test_auto_keeps_comparable_coverage_comparable(case):
    assert evaluate(case, "auto", "reference")["mode_used"] == "comparable"


@pytest.mark.parametrize("condition", ["reference", "noisy", "none"])
@pytest.mark.parametrize("mode", ["comparable", "parallel", "auto"])
def test_every_sentence_in_exactly_one_row(mode, condition):
    for case in CASES.values():
        res = evaluate(case, mode, condition)["result"]
        _check_partition(res, len(case.en), len(case.ko))


def test_partition_holds_on_random_inputs():
    rng = random.Random(3)
    words = "troops rain bank rate missile 28,500 2만8천500 훈련 폭우 금리 미사일 KTX ICBM".split()
    for _ in range(30):
        en = [" ".join(rng.choices(words, k=rng.randint(1, 8))) for _ in range(rng.randint(0, 12))]
        ko = [" ".join(rng.choices(words, k=rng.randint(1, 8))) for _ in range(rng.randint(0, 12))]
        for mode in ("comparable", "parallel", "auto"):
            _check_partition(align(en, ko, mode=mode), len(en), len(ko))


def test_unmatched_sentences_are_kept_as_gap_rows():
    case = CASES["2026-07-monsoon-floods"]
    res = align(case.en, case.ko, ko2en=case.ko2en, en2ko=case.en2ko)
    linked_en = {i for i, _ in case.links}
    linked_ko = {j for _, j in case.links}
    en_only = {r.en[0] for r in res.rows if r.type == "en-only"}
    ko_only = {r.ko[0] for r in res.rows if r.type == "ko-only"}
    assert en_only == set(range(len(case.en))) - linked_en
    assert ko_only == set(range(len(case.ko))) - linked_ko
    assert any(r.type == "1-2" for r in res.rows)


def test_number_differences_are_flagged():
    res = align(
        ["About 28,500 U.S. troops are stationed in South Korea."],
        ["주한미군 2만 명이 한국에 주둔하고 있다."],
        ko2en=["20,000 USFK troops are stationed in Korea."],
        en2ko=["약 2만8천500명의 미군이 한국에 주둔하고 있다."],
        threshold=0.0,
    )
    (row,) = res.rows
    assert row.numbers_only_en == ("28,500",) and row.numbers_only_ko == ("2만",)
    res = align(
        ["About 28,500 U.S. troops are stationed in South Korea."],
        ["주한미군 2만8천500명이 한국에 주둔하고 있다."],
        threshold=0.0,
    )
    assert res.rows[0].numbers_only_en == () and res.rows[0].numbers_only_ko == ()


def test_flagged_numbers_on_the_sample_event():
    case = CASES["2026-07-monsoon-floods"]
    res = align(case.en, case.ko, ko2en=case.ko2en, en2ko=case.en2ko)
    row = next(r for r in res.rows if r.en == (11,))
    assert row.numbers_only_en == ("1,400",) and row.numbers_only_ko == ("1천500",)


@pytest.mark.parametrize("which", ["ko2en", "en2ko"])
def test_one_translation_direction_is_enough(which):
    case = CASES["2026-07-monsoon-floods"]
    res = align(case.en, case.ko, **{which: getattr(case, which)})
    assert res.model == which
    from benchmarks.gold import prf

    assert prf(res.links(), case.links)[2] >= 0.8


def test_empty_sides():
    res = align([], ["한 문장."])
    assert [r.type for r in res.rows] == ["ko-only"]
    assert align([], []).rows == []


def test_bad_arguments():
    with pytest.raises(ValueError, match="mode"):
        align(["a"], ["b"], mode="diagonal")
    with pytest.raises(ValueError, match="translations"):
        align(["a"], ["b"], ko2en=["x", "y"])


def test_committed_weights_match_a_fresh_fit():
    from benchmarks.fit_align import fit

    fresh, stored = fit(), load_weights()
    assert fresh["length_ratio"] == pytest.approx(stored["length_ratio"], abs=1e-3)
    for name, model in stored["models"].items():
        assert fresh["models"][name]["threshold"] == pytest.approx(model["threshold"], abs=0.011)
        for f, w in model["weights"].items():
            assert fresh["models"][name]["weights"][f] == pytest.approx(w, abs=1e-2)
