"""Event identity: derived ids keep the name, never collapse to a constant, and an id
that holds other articles is never silently overwritten (issue 19, section 3)."""

from __future__ import annotations

import json
import shutil
import unicodedata
from pathlib import Path

import pytest
from dataset_rows import make_rows
from typer.testing import CliRunner

from translate import dataset
from translate.cli import app
from translate.dataset import check_event_id, event_id_problem
from translate.errors import DatasetError, EventConflict, InputError
from translate.pipeline import default_event_id, folder_event_id, resolve_event, slug

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "data" / "samples"
FLOODS = SAMPLES / "2026-07-monsoon-floods"
RATES = SAMPLES / "2026-10-rate-decision"
HEAT = SAMPLES / "2026-08-heatwave-power"  # event.json: mode parallel
runner = CliRunner()


def _copy_event(src: Path, dest: Path, *, keep_json: bool = False) -> Path:
    """An event folder with the sample's articles (and, if asked, its event.json)."""
    for side in ("en", "ko"):
        shutil.copytree(src / side, dest / side)
    if keep_json:
        shutil.copy(src / "event.json", dest / "event.json")
    return dest


def _align(*args: object) -> object:
    # No encoder and no models: identity is what is under test, and this keeps each run short.
    return runner.invoke(app, ["align", "--encoder", "none", *[str(a) for a in args]])


# ---------------------------------------------------------------- the rule


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("서울홍수", "서울홍수"),
        ("부산화재", "부산화재"),
        (unicodedata.normalize("NFD", "서울홍수"), "서울홍수"),  # macOS file names: one id, not two
        ("2026-07-monsoon-floods", "2026-07-monsoon-floods"),
        ("Ｓｅｏｕｌ　floods", "Seoul-floods"),  # full-width letters and space folded (NFKC)
        ("東京 地震", "東京-地震"),
        ("café: été/2026", "café-été-2026"),
        ("  .hidden event.  ", "hidden-event"),
        ("what?*<>|", "what"),
        ("???", ""),
        ("CON", ""),  # a device name on Windows
    ],
)
def test_slug_keeps_letters_of_every_script(raw, expected):
    assert slug(raw) == expected
    if expected:
        assert check_event_id(expected) == expected


@pytest.mark.parametrize(
    ("event_id", "why"),
    [
        ("", "empty"),
        ("a/b", "'/'"),
        ("a\\b", "'\\\\'"),
        ("x\n", "'\\n'"),
        ("a:b", "':'"),
        ("50%", "'%'"),  # Hive partition values are URL-decoded by readers
        ("a=b", "'='"),
        ("-lead", "start with a letter or digit"),
        ("ends.", "ends with '.'"),
        (unicodedata.normalize("NFD", "서울"), "NFC"),
        ("nul.txt", "device name"),
        ("서" * 70, "UTF-8 bytes"),  # 70 characters, 210 bytes
    ],
)
def test_check_event_id_refuses_unsafe_ids(event_id, why):
    assert why in (event_id_problem(event_id) or "")
    with pytest.raises(DatasetError, match="invalid event id"):
        check_event_id(event_id)


def _pair(folder: Path, en_name: str = "en.txt", ko_name: str = "ko.txt", src: Path = FLOODS) -> tuple:
    folder.mkdir(parents=True, exist_ok=True)
    en, ko = folder / en_name, folder / ko_name
    shutil.copy(src / "en" / "article.txt", en)
    shutil.copy(src / "ko" / "article.txt", ko)
    return [en], [ko]


def test_derived_ids_of_two_unrelated_events_differ(tmp_path):
    # Hangul folders used to become "event", and en.txt/ko.txt pairs "en--ko", twice.
    seoul = _copy_event(FLOODS, tmp_path / "서울홍수")
    busan = _copy_event(RATES, tmp_path / "부산화재")
    assert folder_event_id(seoul) == "서울홍수" and folder_event_id(busan) == "부산화재"
    a = default_event_id(*_pair(tmp_path / "a"))
    b = default_event_id(*_pair(tmp_path / "b", src=RATES))
    assert (a, b) == ("a", "b")
    assert default_event_id(*_pair(tmp_path / "c", "yonhap.txt", "kbs.txt")) == "yonhap--kbs"


def test_nameless_inputs_fall_back_to_a_content_hash(tmp_path):
    floods = _copy_event(FLOODS, tmp_path / "???")
    rates = _copy_event(RATES, tmp_path / "!!!")
    ids = [folder_event_id(floods), folder_event_id(rates)]
    assert all(i.startswith("ev-") and len(i) == 15 for i in ids)
    assert ids[0] != ids[1]
    # The same articles elsewhere get the same id: re-running them updates, not duplicates.
    assert folder_event_id(_copy_event(FLOODS, tmp_path / "***")) == ids[0]


@pytest.mark.parametrize(
    ("explicit", "in_json", "default", "expected"),
    [
        (None, None, "comparable", "comparable"),
        (None, None, "auto", "auto"),
        (None, "parallel", "comparable", "parallel"),  # a deployment's default never overrides event.json
        (None, "parallel", "auto", "parallel"),  # nor does the inbox's
        ("comparable", "parallel", "auto", "comparable"),  # an explicit option wins
    ],
)
def test_mode_precedence(tmp_path, explicit, in_json, default, expected):
    ev = _copy_event(FLOODS, tmp_path / "ev")
    if in_json:
        (ev / "event.json").write_text(json.dumps({"mode": in_json}), encoding="utf-8")
    assert resolve_event(ev, mode=explicit, default_mode=default).mode == expected


def test_event_json_id_must_be_a_string(tmp_path):
    ev = _copy_event(FLOODS, tmp_path / "ev")
    (ev / "event.json").write_text(json.dumps({"event_id": 7}), encoding="utf-8")
    with pytest.raises(InputError, match="event_id must be a string"):
        resolve_event(ev)


# ---------------------------------------------------------------- the dataset


def test_hangul_id_round_trips_through_hive_readers(tmp_path):

    dataset.write_event(tmp_path, "서울홍수", **make_rows("서울홍수"))
    assert dataset.list_events(tmp_path) == ["서울홍수"]
    assert set(dataset.load_pairs(tmp_path)["event_id"].to_pylist()) == {"서울홍수"}
    assert dataset.load_pairs(tmp_path, "서울홍수").num_rows > 0
    import duckdb

    (got,) = duckdb.execute(
        f"SELECT DISTINCT event_id FROM read_parquet('{tmp_path}/pairs/**/*.parquet', hive_partitioning=true)"
    ).fetchone()
    assert got == "서울홍수"


def test_write_event_refuses_other_articles_under_the_lock(tmp_path):

    first = make_rows("ev")
    dataset.write_event(tmp_path, "ev", **first)
    other = make_rows("ev")
    for d in other["documents"]:
        d["path"], d["content_hash"] = f"/elsewhere/{d['doc_id']}", "f" * 64
    with pytest.raises(EventConflict, match="--replace"):
        dataset.write_event(tmp_path, "ev", replace=False, **other)
    assert dataset.load_documents(tmp_path, "ev")["path"].to_pylist() == [
        d["path"] for d in sorted(first["documents"], key=lambda d: d["doc_id"])
    ]
    dataset.write_event(tmp_path, "ev", replace=True, **other)
    assert set(dataset.load_documents(tmp_path, "ev")["content_hash"].to_pylist()) == {"f" * 64}


# ---------------------------------------------------------------- the command line


def test_two_hangul_folders_are_two_events(tmp_path):
    out = tmp_path / "ds"
    for name, src in (("서울홍수", FLOODS), ("부산화재", RATES)):
        res = _align("--event", _copy_event(src, tmp_path / name), "--dataset", out)
        assert res.exit_code == 0, res.output
    assert dataset.list_events(out) == ["부산화재", "서울홍수"]


def test_two_en_ko_txt_pairs_are_two_events(tmp_path):
    out = tmp_path / "ds"
    for folder, src in (("a", FLOODS), ("b", RATES)):
        en, ko = _pair(tmp_path / folder, src=src)
        res = _align("--en", en[0], "--ko", ko[0], "--dataset", out)
        assert res.exit_code == 0, res.output
    assert dataset.list_events(out) == ["a", "b"]  # not one "en--ko" replaced by the other


def test_same_id_for_other_articles_is_refused_until_replace(tmp_path):
    out = tmp_path / "ds"
    en_a, ko_a = _pair(tmp_path / "a")
    en_b, ko_b = _pair(tmp_path / "b", src=RATES)
    assert _align("--en", en_a[0], "--ko", ko_a[0], "--event-id", "story", "--dataset", out).exit_code == 0
    before = dataset.load_pairs(out, "story").to_pylist()

    res = _align("--en", en_b[0], "--ko", ko_b[0], "--event-id", "story", "--dataset", out)
    assert res.exit_code == 6
    assert "--replace" in res.output and "--event-id" in res.output and "Traceback" not in res.output
    assert len(res.output.strip().splitlines()) == 1
    assert dataset.load_pairs(out, "story").to_pylist() == before  # nothing stored was touched

    res = _align("--en", en_b[0], "--ko", ko_b[0], "--event-id", "story", "--dataset", out, "--replace")
    assert res.exit_code == 0, res.output
    paths = set(dataset.load_documents(out, "story")["path"].to_pylist())
    assert paths == {str(en_b[0]), str(ko_b[0])}


def test_edited_articles_of_the_same_folder_are_an_update(tmp_path):
    out = tmp_path / "ds"
    ev = _copy_event(FLOODS, tmp_path / "floods")
    assert _align("--event", ev, "--dataset", out).exit_code == 0
    en = ev / "en" / "article.txt"
    en.write_text(en.read_text(encoding="utf-8") + "\nA late paragraph was added.\n", encoding="utf-8")
    res = _align("--event", ev, "--dataset", out)
    assert res.exit_code == 0, res.output
    texts = dataset.load_sentences(out, "floods")["text"].to_pylist()
    assert "A late paragraph was added." in texts


def test_inbox_flow_aligns_hangul_folders_and_json_mode_wins(prefect_server, tmp_path, monkeypatch):
    from flows.process_inbox import process_inbox

    monkeypatch.setenv("COVERAGE_ALIGN_ENCODER", "none")
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-models"))
    inbox, out = tmp_path / "inbox", tmp_path / "ds"
    _copy_event(FLOODS, inbox / "서울홍수")
    _copy_event(HEAT, inbox / "폭염", keep_json=True)  # event.json: parallel, its own event_id
    state = process_inbox(str(inbox), str(out), mode="comparable", return_state=True)
    assert state.is_completed(), state.message
    heat_id = json.loads((HEAT / "event.json").read_text(encoding="utf-8"))["event_id"]
    assert dataset.list_events(out) == sorted([heat_id, "서울홍수"])
    assert dataset.read_provenance(out, heat_id)["aligner"]["requested_mode"] == "parallel"
    assert dataset.read_provenance(out, "서울홍수")["aligner"]["requested_mode"] == "comparable"
    again = process_inbox(str(inbox), str(out), mode="comparable", return_state=True)
    assert "nothing new" in again.message  # the event.json id is what the inbox compares against


@pytest.mark.parametrize(
    ("event_id", "expected"),
    [
        ("2026-07-floods", "align-2026-07-floods"),
        ("Floods_2026", r"align-floods-2026-[0-9a-f]{8}"),
        ("서울홍수", r"align-[0-9a-f]{8}"),
        ("서울-2026", r"align-2026-[0-9a-f]{8}"),
    ],
)
def test_artifact_keys_are_what_prefect_accepts(event_id, expected):
    import re

    from flows.align_event import _artifact_key

    key = _artifact_key(event_id)
    assert re.fullmatch(expected, key) and re.fullmatch(r"[a-z0-9-]+", key)
    assert _artifact_key("부산화재") != _artifact_key("서울홍수")
