"""Inter-annotator agreement metric on made-up annotations (no real text)."""

import json
import sys
from pathlib import Path

import pytest

from benchmarks import agreement
from benchmarks.agreement import AgreementError, Counts, Pair, counts, load_pairs

FIRST = {(0, 0), (1, 1), (2, 1)}
SECOND = {(0, 0), (1, 1), (1, 2)}


def test_link_scores_and_symmetry() -> None:
    c = counts(Pair("x", "comparable", 3, 3, FIRST, SECOND))
    assert (c.first, c.second, c.both) == (3, 3, 2)
    assert c.prf() == pytest.approx((2 / 3, 2 / 3, 2 / 3))
    lopsided = counts(Pair("y", "comparable", 3, 3, {(0, 0)}, SECOND))
    swapped = counts(Pair("y", "comparable", 3, 3, SECOND, {(0, 0)}))
    assert lopsided.prf() == pytest.approx((1 / 3, 1.0, 0.5))
    # precision and recall trade places, F1 does not change
    assert swapped.prf() == pytest.approx((1.0, 1 / 3, 0.5))


def test_status_agreement_and_kappa() -> None:
    c = counts(Pair("x", "comparable", 3, 3, FIRST, SECOND))
    # en 2 is linked only by the first annotator, ko 2 only by the second
    assert (c.sentences, c.status_agree) == (6, 4)
    # observed 4/6, chance (5/6)^2 + (1/6)^2 = 26/36
    assert c.kappa() == pytest.approx((24 / 36 - 26 / 36) / (10 / 36))
    same = counts(Pair("z", "parallel", 4, 3, {(0, 0), (3, 2)}, {(0, 0), (3, 2)}))
    assert same.kappa() == pytest.approx(1.0) and same.prf() == (1.0, 1.0, 1.0)


def test_pooling_sums_links_not_scores() -> None:
    big = counts(Pair("a", "comparable", 10, 10, {(i, i) for i in range(10)}, {(i, i) for i in range(10)}))
    small = counts(Pair("b", "comparable", 2, 2, {(0, 0)}, {(1, 1)}))
    pooled = big + small
    assert (pooled.first, pooled.second, pooled.both) == (11, 11, 10)
    assert pooled.prf()[2] == pytest.approx(10 / 11)  # the mean of per-event F1 would be 0.5
    assert pooled == sum((big, small), Counts())


def _write(folder: Path, name: str, prefixes_en: list[str], links: list[list[int]], **extra: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    doc = {"event_id": name, "en": {"prefixes": prefixes_en}, "ko": {"prefixes": ["가나다", "라마바"]}}
    (folder / f"{name}.json").write_text(json.dumps({**doc, "links": links, **extra}), encoding="utf-8")


def test_load_pairs_reads_mode_from_first(tmp_path: Path) -> None:
    _write(tmp_path / "first", "ev", ["One.", "Two."], [[0, 0], [1, 1]], mode="parallel")
    _write(tmp_path / "second", "ev", ["One.", "Two."], [[0, 0]])
    (pair,) = load_pairs(tmp_path / "first", tmp_path / "second")
    assert (pair.mode, pair.first, pair.second) == ("parallel", {(0, 0), (1, 1)}, {(0, 0)})


def test_prefix_mismatch_is_refused_naming_the_event(tmp_path: Path) -> None:
    _write(tmp_path / "first", "ev-1", ["One.", "Two."], [[0, 0]], mode="comparable")
    _write(tmp_path / "second", "ev-1", ["One. Two."], [[0, 0]])
    with pytest.raises(AgreementError, match="ev-1: the en sentences differ"):
        load_pairs(tmp_path / "first", tmp_path / "second")


def test_cli_one_line_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path / "second", "ev-2", ["One."], [[0, 5]])
    (tmp_path / "first").mkdir()
    args = ["agreement", "--first", str(tmp_path / "first"), "--second", str(tmp_path / "second")]
    monkeypatch.setattr(sys, "argv", args)
    with pytest.raises(SystemExit) as exc:
        agreement.main()
    assert str(exc.value) == "error: ev-2: no first annotation (ev-2.json missing)"
    _write(tmp_path / "first", "ev-2", ["One."], [[0, 0]], mode="comparable")
    with pytest.raises(SystemExit) as exc:
        agreement.main()
    assert str(exc.value) == "error: ev-2: second annotation links (0, 5) outside the sentences"


def test_disputed_links_split_by_kind() -> None:
    # (1, 2) and (2, 1) are disputed; en 2 and ko 2 are linked by one annotator only
    assert counts(Pair("x", "comparable", 3, 3, FIRST, SECOND)).disputed_fanout == 0
    # the second annotator adds (0, 1): en 0 and ko 1 are linked by both, so it is fan-out
    fan = counts(Pair("w", "comparable", 3, 3, {(0, 0), (1, 1)}, {(0, 0), (1, 1), (0, 1)}))
    assert (fan.disputed_fanout, fan.status_agree, fan.kappa()) == (1, 6, 1.0)


def test_event_id_must_match_file_name(tmp_path: Path) -> None:
    _write(tmp_path / "first", "ev", ["One."], [[0, 0]], mode="comparable")
    _write(tmp_path / "second", "ev", ["One."], [[0, 0]])
    doc = json.loads((tmp_path / "second" / "ev.json").read_text(encoding="utf-8"))
    doc["event_id"] = "../ev"
    (tmp_path / "second" / "ev.json").write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(AgreementError, match="does not match the file name"):
        load_pairs(tmp_path / "first", tmp_path / "second")


def test_committed_second_annotations_match_their_first_manifests() -> None:
    pairs = load_pairs()
    modes = [p.mode for p in pairs]
    assert modes.count("comparable") >= 7 and modes.count("parallel") >= 2
