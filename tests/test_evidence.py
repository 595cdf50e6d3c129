"""Pair evidence that weighs what two sentences share: rare numbers and word-level matches."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from translate.align import FEATURES, align, load_weights
from translate.align import words as words_mod
from translate.align.features import build_sides, pair_features
from translate.align.words import english_words, korean_words, word_feature


def _num_rare(en: list[str], ko: list[str], pairs: list[tuple[int, int]]) -> list[float]:
    e, k = build_sides(en, ko)
    i = np.array([a for a, _ in pairs])
    j = np.array([b for _, b in pairs])
    x = pair_features(e, k, (i, j), 2.19)
    return [round(float(v), 4) for v in x[:, FEATURES.index("num_rare")]]


@pytest.mark.parametrize(
    "en, ko, pairs, expected",
    [
        # One sentence per side states the figure: a full anchor.
        (["The economy shrank 3.3 percent."], ["성장률이 -3.3%로 떨어졌다."], [(0, 0)], [1.0]),
        # A year that two sentences of each side repeat weighs 1/√(2·2).
        (
            ["It was 1998 again.", "Unlike 1998, banks held."],
            ["1998년과 같다.", "1998년과 달리 은행은 버텼다."],
            [(0, 0), (1, 1)],
            [0.5, 0.5],
        ),
        # Small counts recur in unrelated sentences: halved.
        (["Two people were hurt."], ["2명이 다쳤다."], [(0, 0)], [0.5]),
        # Only one side gives a number, or they differ: nothing shared.
        (["Dozens were hurt."], ["27명이 다쳤다."], [(0, 0)], [0.0]),
        (["About 40 were hurt."], ["27명이 다쳤다."], [(0, 0)], [0.0]),
        # Two rare figures shared: capped at 1.
        (["179 died and 2 survived."], ["179명 사망, 2명 생존"], [(0, 0)], [1.0]),
    ],
)
def test_rare_numbers_weigh_more_than_repeated_ones(en, ko, pairs, expected):
    assert _num_rare(en, ko, pairs) == expected


def test_soft_numbers_are_not_anchors():
    # "second" and month names match a counterpart but are too ambiguous to anchor a pair.
    assert _num_rare(["The second meeting was in March."], ["3월에 두 번째 회의가 열렸다."], [(0, 0)]) == [
        0.0
    ]


def test_english_words_keep_content_words_only():
    assert english_words("The fire was threatening to reach Hollywood's hills, he said.") == [
        "fire",
        "hills",
        "hollywood's",
        "reach",
        "threatening",
    ]


class _Token:
    def __init__(self, form: str, tag: str) -> None:
        self.form, self.tag = form, tag


def test_korean_words_keep_nouns_stems_and_latin():
    tokens = [
        _Token("산불", "NNG"),
        _Token("이", "JKS"),
        _Token("할리우드", "NNP"),
        _Token("까지", "JX"),
        _Token("번지", "VV"),
        _Token("가", "VV"),  # one-syllable stems are too ambiguous
        _Token("었", "EP"),
        _Token("NASA", "SL"),
    ]
    assert korean_words(tokens) == ["NASA", "번지", "산불", "할리우드"]


# A toy encoder: words of one concept share a vector, whatever their language.
_CONCEPTS = {"fire": 0, "산불": 0, "hollywood": 1, "할리우드": 1, "rain": 2, "비": 2, "stocks": 3, "주식": 3}


def _encode(texts: list[str]) -> np.ndarray:
    out = np.zeros((len(texts), 8), np.float32)
    for k, t in enumerate(texts):
        out[k, _CONCEPTS.get(t, 4 + k % 4)] = 1.0
    return out


def test_word_feature_scores_shared_concepts():
    en = [["fire", "hollywood"], ["rain"], ["stocks", "fell"]]
    ko = [["산불", "할리우드"], ["주식"]]
    pairs = (np.array([0, 1, 2, 0]), np.array([0, 0, 1, 1]))
    got = word_feature(en, ko, _encode, pairs)
    assert got[0] == pytest.approx(1.0)  # every word has its partner
    assert got[1] == 0.0  # nothing in common
    assert 0.0 < got[2] < 1.0  # "fell" finds no partner: partial coverage
    assert got[3] == 0.0


def test_word_feature_without_words_is_zero():
    got = word_feature([[]], [["산불"]], _encode, (np.array([0]), np.array([0])))
    assert got.tolist() == [0.0]


def test_word_vocabulary_is_capped(monkeypatch):
    monkeypatch.setattr(words_mod, "MAX_WORDS", 3)
    asked: list[list[str]] = []

    def encode(texts: list[str]) -> np.ndarray:
        asked.append(texts)
        return _encode(texts)

    en = [["fire"], ["fire", "rain"], ["fire", "stocks", "fell", "sharply"]]
    ko = [["산불"], ["산불", "주식"]]
    got = word_feature(en, ko, encode, (np.array([0, 2]), np.array([0, 1])))
    assert max(len(a) for a in asked) <= 3
    assert "sharply" not in asked[0]  # one of the rarest: left out
    assert got[0] == pytest.approx(1.0)  # "fire", the most frequent word, is kept


def test_align_encodes_words_with_the_given_encoder():
    weights = copy.deepcopy(load_weights())
    weights["scorers"]["enc"]["weights"]["words"] = 1.0  # whether or not the fit adopted it
    seen: list[str] = []

    def encode(texts: list[str]) -> np.ndarray:
        seen.extend(texts)
        return _encode(texts)

    emb = (np.eye(2, 8, dtype=np.float32), np.eye(2, 8, dtype=np.float32))
    en = ["Fire reached Hollywood.", "Stocks fell."]
    ko = ["산불이 할리우드에 닿았다.", "주식이 내렸다."]
    align(en, ko, embeddings=emb, encode=encode, weights=weights)
    assert {"fire", "hollywood", "산불", "할리우드"} <= set(seen)


def test_each_word_is_encoded_once_even_when_parallel_mode_scores_again():
    weights = copy.deepcopy(load_weights())
    weights["scorers"]["enc"]["weights"]["words"] = 1.0
    seen: list[str] = []

    def encode(texts: list[str]) -> np.ndarray:
        seen.extend(texts)
        return _encode(texts)

    emb = (np.eye(3, 8, dtype=np.float32), np.eye(3, 8, dtype=np.float32))
    en = ["Fire reached Hollywood.", "Stocks fell.", "Rain followed."]
    ko = ["산불이 할리우드에 닿았다.", "주식이 내렸다.", "비가 왔다."]
    align(en, ko, embeddings=emb, encode=encode, weights=weights, mode="parallel")
    assert "hollywood" in seen
    assert len(seen) == len(set(seen))


def test_scorers_without_word_or_clause_evidence_encode_nothing():
    weights = copy.deepcopy(load_weights())
    for name in ("words", "clause"):
        weights["scorers"]["enc"]["weights"].pop(name, None)

    def encode(texts: list[str]) -> np.ndarray:
        raise AssertionError(f"encoded {texts}")

    emb = (np.eye(1, 8, dtype=np.float32), np.eye(1, 8, dtype=np.float32))
    result = align(["Stocks fell."], ["주식이 내렸다."], embeddings=emb, encode=encode, weights=weights)
    assert len(result.rows) >= 1


def test_own_ngrams_are_built_only_beside_a_translation():
    en, ko = ["Floods hit Seoul."], ["서울에 홍수가 났다."]
    e, k = build_sides(en, ko)
    assert e.own.nnz == 0 and k.own.nnz == 0  # nothing to compare them with
    e, k = build_sides(en, ko, ko2en=["Seoul was flooded."])
    assert e.own.nnz > 0 and k.own.nnz == 0  # English n-grams meet the Korean side's translation
    x = pair_features(e, k, (np.array([0]), np.array([0])), 2.19)
    assert x[0, FEATURES.index("chrf_en")] > 0
