"""The possible-counterpart tier and the split of number flags, from aligner to dataset to views."""

from __future__ import annotations

import copy
from pathlib import Path

import duckdb
import pytest
from dataset_rows import make_rows
from rich.console import Console

from translate import dataset
from translate.align import GAP_TYPES, align, load_weights
from translate.report import render_html
from translate.show import render, select_rows
from translate.summary import event_summaries

EN = [
    "Heavy rain flooded 1,400 homes in South Chungcheong on Sunday.",
    "The weather agency said the rain band would move north on Monday.",
    "Officials opened 87 temporary shelters in schools.",
]
KO = [
    "일요일 충남에서 폭우로 주택 1천500여 채가 침수됐다.",
    "기상청은 비구름이 월요일 북상할 것이라고 밝혔다.",
    "한편 프로야구 경기는 예정대로 열렸다.",
]


def _weights(floor: float) -> dict:
    w = copy.deepcopy(load_weights())
    for model in w["scorers"].values():
        model["possible_floor"] = floor
    return w


def test_gap_rows_keep_their_best_candidate_above_the_floor():
    low = align(EN, KO, weights=_weights(0.0))
    gaps = [r for r in low.rows if r.is_gap]
    assert gaps, "the third pair reports different things"
    for r in gaps:  # floor 0: every gap row with a candidate shows one, on the other side
        other = len(KO) if r.type == "en-only" else len(EN)
        assert r.possible is not None and 0 <= r.possible < other
    linked = [r for r in low.rows if not r.is_gap]
    assert all(r.possible is None for r in linked)
    high = align(EN, KO, weights=_weights(0.99))
    # The floor never exceeds the link threshold: a link that lost its row is still a hint.
    assert high.possible_floor == high.threshold
    gaps = [r for r in high.rows if r.is_gap]
    assert [r.possible is not None for r in gaps] == [r.score >= high.threshold for r in gaps]
    assert sum(r.possible is not None for r in high.rows) < sum(r.possible is not None for r in low.rows)


def test_numbers_of_the_same_kind_conflict_and_other_details_do_not():
    res = align(EN[:1], KO[:1], threshold=0.0)
    (row,) = res.rows
    assert row.numbers_conflict_en == ("1,400",) and row.numbers_conflict_ko == ("1천500",)
    res = align(
        ["The storm hit in 2023, flooding 1,400 homes."],
        ["태풍으로 주택 1천400채가 침수됐다."],
        threshold=0.0,
    )
    (row,) = res.rows
    assert row.numbers_only_en == ("2023",) and row.numbers_conflict_en == ()


def _write(root: Path, event_id: str) -> dict:
    rows = make_rows(event_id)
    rows["pairs"][0]["numbers_conflict_en"] = rows["pairs"][0]["numbers_only_en"] = ["0"]
    rows["provenance"] = {"aligner": {"mode": "comparable", "threshold": 0.5, "possible_floor": 0.2}}
    dataset.write_event(root, event_id, **rows)
    return rows


def test_possible_columns_round_trip_and_load_in_duckdb(tmp_path):
    rows = _write(tmp_path, "ev1")
    got = dataset.load_pairs(tmp_path, "ev1").to_pylist()
    gap = next(r for r in got if r["type"] == "ko-only")
    assert (gap["possible_index"], gap["possible_text"]) == (0, "Sentence 0 v1.")
    assert gap["possible_score"] == pytest.approx(0.25)
    assert all(r["possible_index"] is None for r in got if r["type"] not in GAP_TYPES)
    assert got[0]["numbers_conflict_en"] == ["0"]
    glob = f"{tmp_path}/pairs/**/*.parquet"
    found = (
        duckdb.connect()
        .execute(
            f"SELECT row_index, possible_index, possible_text, possible_score FROM read_parquet('{glob}', "
            "hive_partitioning=true) WHERE possible_index IS NOT NULL"
        )
        .fetchall()
    )
    assert [(r[0], r[1], r[2]) for r in found] == [(len(rows["pairs"]) - 1, 0, "Sentence 0 v1.")]
    assert found[0][3] == pytest.approx(0.25)
    (summary,) = event_summaries(tmp_path)
    assert (
        summary["possible"] == 1 and summary["number_conflicts"] == 1 and summary["number_differences"] == 2
    )


def _show(rows: list[dict]) -> str:
    console = Console(width=200, record=True, force_terminal=False)
    render(rows, "ev", console)
    return console.export_text()


def test_show_and_report_render_the_hint_only_where_there_is_one(tmp_path):
    _write(tmp_path, "ev1")
    pairs = dataset.load_pairs(tmp_path, "ev1").to_pylist()
    out = _show(pairs)
    assert "possibly: Sentence 0 v1., 0.25" in out
    assert "«0»" in out  # the conflict is marked strongly, "1" (only one side) quietly
    assert "‹1›" in out
    page = render_html("ev1", pairs, [], {"aligner": {"mode": "comparable"}})
    assert "possibly: Sentence 0 v1., 0.25" in page and "<mark>0</mark>" in page
    assert '<mark class="only">1</mark>' in page
    # The same gap row with nothing above the floor shows no hint anywhere.
    for p in pairs:
        p["possible_index"] = p["possible_text"] = p["possible_score"] = None
    assert "possibly" not in _show(pairs)
    page = render_html("ev1", pairs, [], {"aligner": {"mode": "comparable"}})
    assert 'class="side en possible"' not in page
    assert len(select_rows(pairs, "conflicts")) == 1


def test_rows_from_an_older_dataset_without_the_columns_still_render():
    rows = make_rows("old")["pairs"]
    for r in rows:
        for key in ("numbers_conflict_en", "numbers_conflict_ko", "possible_index", "possible_text"):
            r.pop(key)
    assert "possibly" not in _show(rows)
    assert select_rows(rows, "conflicts") == []
