"""Verdict evidence from a translation of one side, and its leave-one-event-out benchmark."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from benchmarks.verdict_mt import MT_FEATURES, direction_features, mt_features
from translate.align.verdict import VERDICT_FEATURES

EN = [
    "Busan recorded 312 millimetres of rain on Tuesday, the weather agency said.",
    "The city's new football stadium will open to fans next spring.",
]
KO = [
    "기상청에 따르면 부산에는 화요일 하루 312㎜의 비가 내렸고 주민 2명이 다쳤다.",
    "부산시는 복구 작업을 서두르고 있다.",
]
KO2EN = [
    "According to the weather agency, Busan had 312 millimetres of rain on Tuesday; two residents were hurt.",
    "Busan city is hurrying its recovery work.",
]
EN2KO = [
    "기상청은 부산에 화요일 312밀리미터의 비가 내렸다고 밝혔다.",
    "시의 새 축구 경기장은 내년 봄 팬들에게 문을 연다.",
]
PAIRS = (np.array([0, 1, 1]), np.array([0, 0, 1]))


def test_content_inside_the_translated_article_is_found_and_unrelated_content_is_not():
    x_en, x_ko = direction_features(EN, KO, "ko2en", KO2EN, PAIRS)
    found, inside, chrf = x_en.T
    assert found[0] > 0.5 > found[1]  # the rain report is in Korean 0's translation; the stadium nowhere
    assert inside[0] > inside[1] and chrf[0] > chrf[1]
    # Korean 0's translation (rain, Busan, Tuesday) is in the English article; Korean 1's mostly is not
    assert x_ko[0, 0] > x_ko[1, 0]
    assert x_ko.shape == (2, 3) and ((x_ko >= 0) & (x_ko <= 1)).all()


def test_the_korean_direction_compares_in_korean():
    x_en, x_ko = direction_features(EN, KO, "en2ko", EN2KO, PAIRS)
    assert (
        x_en[0, 0] > x_en[1, 0]
    )  # English 0's Korean translation shares 기상청, 부산, 화요일 with the article
    assert x_ko[0, 1] > 0 and x_ko[1, 1] < x_ko[0, 1]


def test_only_the_directions_with_a_translation_get_columns_and_a_bad_one_is_refused():
    en_cols, ko_cols = mt_features(EN, KO, PAIRS, ko2en=KO2EN)
    assert set(en_cols) == set(ko_cols) == {f for f in MT_FEATURES if f.startswith("ko2en")}
    assert mt_features(EN, KO, PAIRS) == ({}, {})
    with pytest.raises(ValueError, match="direction"):
        direction_features(EN, KO, "ko2ja", KO2EN, PAIRS)


def _fixture(path, seed: int = 4) -> None:
    """Four comparable events and a parallel one per condition; the label follows ``ko2en_found``."""
    from benchmarks.fit_verdict_mt import MT_CONDITIONS

    rng = np.random.default_rng(seed)
    cols: dict[str, list] = {}
    for cond in MT_CONDITIONS:
        for noisy in (False, True):
            for e in range(5):
                n = 40
                signal = rng.random(n)
                label = (signal + 0.3 * rng.standard_normal(n) > 0.5).astype(int)
                row = {
                    "event": [f"ev{e}"] * n,
                    "mode": ["parallel" if e == 4 else "comparable"] * n,
                    "condition": [cond] * n,
                    "noisy": [noisy] * n,
                    "side": ["en", "ko"] * (n // 2),
                    "index": list(range(n)),
                    "linked": (rng.random(n) > 0.9).tolist(),
                    "label": label.tolist(),
                    "second_label": [-1] * n,
                    "cand_hit": (rng.random(n) < 0.7).tolist(),
                    "cand_n": [3] * n,
                    **{f: rng.random(n).tolist() for f in VERDICT_FEATURES + MT_FEATURES},
                }
                row["ko2en_found"] = row["en2ko_found"] = signal.tolist()
                for k, v in row.items():
                    cols.setdefault(k, []).extend(v)
    pq.write_table(pa.table(cols), path)


def test_the_benchmark_reports_every_condition_and_the_translation_evidence_helps_when_it_should(
    tmp_path, capsys
):
    from benchmarks.fit_verdict import load_verdict_table
    from benchmarks.fit_verdict_mt import main, rows

    _fixture(tmp_path / "mt.parquet")
    main(["--table", str(tmp_path / "mt.parquet"), "--base", str(tmp_path / "absent.parquet")])
    lines = capsys.readouterr().out.splitlines()
    assert "upper bound" in lines[0]
    table = [line for line in lines if ": pairs only" in line or ": + translation" in line]
    assert len(table) == 12  # 3 conditions × (clean, noisy) × (pairs only, + translation)
    assert sum("_found" in line for line in lines) == 3  # each condition's features alone
    got = {label: f["auc"] for label, f in rows(load_verdict_table(tmp_path / "mt.parquet"), None)}
    for cond in ("enc+ko2en", "enc+en2ko", "enc+both"):  # only the translation columns carry the label
        assert got[f"{cond}: + translation"] > got[f"{cond}: pairs only"] + 0.2


def test_loo_never_sees_its_own_event(tmp_path):
    from benchmarks.fit_verdict import load_verdict_table
    from benchmarks.fit_verdict_mt import condition_features, loo_probabilities, select

    _fixture(tmp_path / "mt.parquet")
    t = select(load_verdict_table(tmp_path / "mt.parquet"), "enc+both")
    feats = condition_features("enc+both")
    before = loo_probabilities(t, feats)
    mine = t["event"] == "ev1"
    t["label"] = np.where(mine, 1 - t["label"], t["label"])
    after = loo_probabilities(t, feats)
    assert np.allclose(before[mine], after[mine])
    assert not np.allclose(
        before[~mine & (t["mode"] == "comparable")], after[~mine & (t["mode"] == "comparable")]
    )


def test_a_missing_table_is_a_one_line_error(tmp_path):
    from benchmarks.fit_verdict_mt import main

    with pytest.raises(SystemExit, match="error:"):
        main(["--table", str(tmp_path / "missing.parquet")])


@pytest.mark.slow
def test_the_committed_table_gives_the_documented_figures():
    """docs/coverage-verdict.md, "With a translation": the LOO figures from the committed tables."""
    from benchmarks.fit_verdict import load_verdict_table
    from benchmarks.fit_verdict_mt import MT_TABLE, condition_features, enc_model_on, evaluate, select

    t = load_verdict_table(MT_TABLE)
    both = evaluate(select(t, "enc+both"), condition_features("enc+both"))
    assert (both["only"], round(both["precision"], 3), round(both["recall"], 3)) == (319, 0.803, 0.800)
    today = enc_model_on(select(t, "enc+ko2en"), load_verdict_table(), 0.58)
    assert (today["only"], round(today["precision"], 3)) == (317, 0.798)
