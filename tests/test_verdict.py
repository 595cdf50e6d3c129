"""The per-sentence coverage verdict: model behaviour, its LOO fit, and its dataset columns."""

from __future__ import annotations

import json

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from translate import dataset
from translate.align.verdict import VERDICT_FEATURES, VERDICT_PATH, alignment_verdicts, load_model, verdicts

EN = [
    "Record rain floods Busan streets",
    "Busan recorded 312 millimetres of rain on Tuesday, the Korea Meteorological Administration said.",
    "The city's new football stadium will open to fans next spring.",
]
KO = [
    "부산 기록적 폭우",
    "기상청에 따르면 부산에는 화요일 하루 312㎜의 비가 내려 1904년 관측 이래 가장 많았고, "
    "주민 2명이 다쳤으며 도로 40곳이 통제됐다.",
    "부산시는 복구 작업을 서두르고 있다.",
]
RATIO = 2.19


def test_facts_inside_a_longer_sentence_are_not_an_omission_and_unrelated_ones_are():
    # English 1's number and name sit inside the long Korean 1, which the pair scorer
    # scores below the link threshold; English 2 shares nothing with the Korean article.
    pairs = (np.array([0, 1, 2, 2]), np.array([0, 1, 2, 0]))
    scores = np.array([0.8, 0.3, 0.04, 0.03])
    v_en, v_ko = verdicts(EN, KO, pairs, scores, {(0, 0)}, RATIO)
    assert v_en[0].state == "linked" and v_ko[0].state == "linked"
    assert v_en[1].state == "probably"
    assert v_en[1].candidates[0][0] == 1  # the long Korean sentence is offered
    assert v_en[2].state == "only" and v_en[2].candidates == ()
    assert v_en[2].p < load_model().threshold <= v_en[1].p


def test_a_link_always_wins_and_candidates_are_at_most_three():
    pairs = (np.array([1, 1, 1, 1, 2]), np.array([0, 1, 2, 0, 2]))
    scores = np.array([0.3, 0.35, 0.2, 0.1, 0.01])
    v_en, v_ko = verdicts(EN, KO, pairs, scores, {(2, 2)}, RATIO)
    assert v_en[2].state == "linked" and v_ko[2].state == "linked"  # whatever its low score
    for v in v_en + v_ko:
        assert len(v.candidates) <= 3
        assert [s for _, s in v.candidates] == sorted((s for _, s in v.candidates), reverse=True)
        assert v.state in ("linked", "probably", "only") and 0.0 <= v.p <= 1.0


def test_verdicts_from_an_alignment_without_candidates():
    from translate.align import align

    res = align(EN, [])
    out = alignment_verdicts(EN, [], res)
    assert [v.state for v in out["en"]] == ["only"] * len(EN) and out["ko"] == []


def _fixture_table(path, seed: int = 3) -> dict:
    """Four small comparable events and one parallel one; the label follows ``best``."""
    rng = np.random.default_rng(seed)
    cols: dict[str, list] = {}
    for e in range(5):
        n = 40
        best = rng.random(n)
        label = (best + 0.3 * rng.standard_normal(n) > 0.5).astype(int)
        row = {
            "event": [f"ev{e}"] * n,
            "mode": ["parallel" if e == 4 else "comparable"] * n,
            "side": ["en", "ko"] * (n // 2),
            "index": list(range(n)),
            "linked": (best > 0.9).tolist(),
            "label": label.tolist(),
            "second_label": (label if e < 2 else np.full(n, -1)).tolist(),
            "cand_hit": (rng.random(n) < 0.7).tolist(),
            "cand_n": [3] * n,
            **{f: rng.random(n).tolist() for f in VERDICT_FEATURES},
        }
        row["best"] = best.tolist()
        for k, v in row.items():
            cols.setdefault(k, []).extend(v)
    pq.write_table(pa.table(cols), path)
    return cols


def test_loo_fit_and_claims_run_on_a_tiny_fixture(tmp_path, capsys):
    from benchmarks import fit_verdict, verdict_claims

    table, model_path = tmp_path / "verdict.parquet", tmp_path / "verdict.json"
    _fixture_table(table)
    fit_verdict.main(["--table", str(table), "--out", str(model_path)])
    model = json.loads(model_path.read_text(encoding="utf-8"))
    assert set(model["weights"]) == set(VERDICT_FEATURES)
    assert model["weights"]["best"] > 0  # the one informative feature
    assert model["dev_events"] == ["ev0", "ev1", "ev2", "ev3"]  # the parallel event never chooses
    assert model["threshold"] in fit_verdict.GRID
    capsys.readouterr()
    verdict_claims.main(
        ["--table", str(table), "--model", str(model_path), "--plot", str(tmp_path / "c.png")]
    )
    out = capsys.readouterr().out
    assert "4 comparable events" in out and "second annotation" in out
    assert (tmp_path / "c.png").stat().st_size > 0


def test_loo_probabilities_never_see_their_own_event(tmp_path):
    from benchmarks.fit_verdict import load_verdict_table, loo_probabilities

    _fixture_table(tmp_path / "t.parquet")
    t = load_verdict_table(tmp_path / "t.parquet")
    before = loo_probabilities(t)
    mine = t["event"] == "ev0"
    t["label"] = np.where(mine, 1 - t["label"], t["label"])  # the held-out event's labels flipped
    after = loo_probabilities(t)
    assert np.allclose(before[mine], after[mine])
    assert not np.allclose(
        before[~mine & (t["mode"] == "comparable")], after[~mine & (t["mode"] == "comparable")]
    )
    assert np.isnan(after[t["mode"] == "parallel"]).all()


def test_a_bad_table_is_a_one_line_error(tmp_path):
    from benchmarks.fit_verdict import main

    with pytest.raises(SystemExit, match="error:"):
        main(["--table", str(tmp_path / "missing.parquet"), "--out", str(tmp_path / "v.json")])


@pytest.mark.slow
def test_committed_verdict_matches_a_fresh_fit():
    from benchmarks.fit_verdict import fit, load_verdict_table

    fresh, _, _ = fit(load_verdict_table())
    stored = json.loads(VERDICT_PATH.read_text(encoding="utf-8"))
    assert fresh["threshold"] == pytest.approx(stored["threshold"], abs=0.011)
    assert fresh["dev_events"] == stored["dev_events"]
    for f, w in stored["weights"].items():
        assert fresh["weights"][f] == pytest.approx(w, abs=2e-2), f


def test_old_sentence_partitions_read_without_verdict_columns(tmp_path):
    from dataset_rows import make_rows

    dataset.write_event(tmp_path, "new", **make_rows("new"))
    rows = make_rows("old")["sentences"]
    gone = ("verdict", "verdict_p", "candidates")
    old = dataset.SENTENCES
    for name in gone:
        old = old.remove(old.get_field_index(name))
    part = tmp_path / "sentences" / "event_id=old"
    part.mkdir(parents=True)
    pq.write_table(
        pa.Table.from_pylist([{k: v for k, v in r.items() if k not in gone} for r in rows], schema=old),
        part / "part-0.parquet",
    )
    got = dataset.load_sentences(tmp_path, "old")
    assert got.num_rows == len(rows) and got["verdict"].null_count == len(rows)
    new = dataset.load_sentences(tmp_path, "new").to_pylist()
    assert {r["verdict"] for r in new if r["side"] == "en"} == {"linked", "probably", "only"}
    con = duckdb.connect()
    (n,) = con.execute(
        f"SELECT count(*) FROM read_parquet('{tmp_path}/sentences/**/*.parquet', hive_partitioning=true, "
        "union_by_name=true) WHERE verdict = 'probably' AND len(candidates) = 2 AND candidates[1].score = 0.5"
    ).fetchone()
    assert n == sum(r["verdict"] == "probably" for r in new)


def test_a_run_stores_a_verdict_per_sentence_that_agrees_with_the_links(tmp_path, monkeypatch):
    from benchmarks.gold import SAMPLES
    from translate.pipeline import resolve_inputs, run_event

    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-models"))
    en, ko, event_id = resolve_inputs(SAMPLES / "2026-07-monsoon-floods", None, None, None)
    res = run_event(en, ko, event_id=event_id, out=tmp_path)
    sentences = dataset.load_sentences(tmp_path, event_id).to_pylist()
    links = dataset.load_links(tmp_path, event_id).to_pylist()
    linked = {("en", r["en_index"]) for r in links} | {("ko", r["ko_index"]) for r in links}
    states = {(s["side"], s["sentence_index"]): s["verdict"] for s in sentences}
    assert all(v in ("linked", "probably", "only") for v in states.values())
    assert {k for k, v in states.items() if v == "linked"} == linked
    assert res.only_here == sum(v == "only" for v in states.values())
    assert res.probably_reported == sum(v == "probably" for v in states.values())
    for s in sentences:  # only a "probably reported" sentence offers candidates
        assert not s["candidates"] or s["verdict"] == "probably"
    # The query of docs/dataset.md counts what the summary line says.
    got = duckdb.execute(
        "SELECT event_id, side, count(*) FILTER (WHERE verdict = 'only') AS only_here, "
        "count(*) FILTER (WHERE verdict = 'probably') AS probably_reported "
        f"FROM read_parquet('{tmp_path}/sentences/**/*.parquet', hive_partitioning = true, "
        "union_by_name = true) "
        "GROUP BY ALL ORDER BY ALL"
    ).fetchall()
    assert sum(r[2] for r in got) == res.only_here and sum(r[3] for r in got) == res.probably_reported
    assert {r[1] for r in got} == {"en", "ko"}
