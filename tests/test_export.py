"""export: TMX 1.4b, Hugging Face JSONL and Moses, each read back (round trip)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from dataset_rows import make_rows
from typer.testing import CliRunner

from translate import dataset
from translate.cli import app
from translate.export import XML_LANG, select_pairs

runner = CliRunner()


@pytest.fixture()
def ds(tmp_path) -> Path:
    root = tmp_path / "ds"
    for eid, n, threshold in (("ev-a", 4, 0.6), ("ev-b", 2, 0.0)):
        rows = make_rows(eid, n_pairs=n)
        rows["pairs"][1]["en_text"] += "\nwith a line break"  # must not break line-parallel files
        rows["provenance"] = {"aligner": {"mode": "comparable", "threshold": threshold}}
        dataset.write_event(root, eid, **rows)
    return root


def _expected(ds: Path, eids: list[str], min_score: float | None = None) -> list[tuple[str, str]]:
    """Matched pairs by the rule: never a gap row; at or above the threshold."""
    out = []
    for eid in eids:
        threshold = min_score if min_score is not None else (0.6 if eid == "ev-a" else 0.0)
        for p in dataset.load_pairs(ds, eid).to_pylist():
            if p["type"] not in ("en-only", "ko-only") and p["score"] >= threshold:
                out.append((" ".join(p["en_text"].split()), p["ko_text"]))
    return out


def _export(ds: Path, *args: str) -> str:
    res = runner.invoke(app, ["export", *args, "--dataset", str(ds)])
    assert res.exit_code == 0, res.output
    return res.output


def test_selection_uses_each_events_threshold(ds):
    pairs = select_pairs(ds)
    assert [(p.en, p.ko) for p in pairs] == _expected(ds, ["ev-a", "ev-b"])
    assert all(p.score >= 0.6 for p in pairs if p.event_id == "ev-a")
    assert len([p for p in pairs if p.event_id == "ev-a"]) < 4  # some of ev-a's pairs fall below 0.6
    assert len(select_pairs(ds, ["ev-a"], min_score=0.0)) == 4  # gap rows never, whatever the score


def test_tmx_round_trip(ds, tmp_path):
    out = tmp_path / "tm.tmx"
    assert "pairs →" in _export(ds, "--all", "--format", "tmx", "--to", str(out))
    text = out.read_text(encoding="utf-8")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx')
    root = ET.parse(out).getroot()
    assert root.tag == "tmx" and root.get("version") == "1.4"
    header, body = list(root)
    assert header.tag == "header" and body.tag == "body"
    required = ("creationtool", "creationtoolversion", "segtype", "o-tmf", "adminlang", "srclang", "datatype")
    assert all(header.get(attr) for attr in required)  # TMX 1.4b's required header attributes
    got = []
    for tu in body:
        assert tu.tag == "tu" and tu.get("tuid")
        tuvs = tu.findall("tuv")
        assert [t.get(XML_LANG) for t in tuvs] == ["en", "ko"]
        assert all(len(t.findall("seg")) == 1 for t in tuvs)
        assert {p.get("type") for p in tu.findall("prop")} == {"x-event", "x-score"}
        got.append(tuple(t.find("seg").text for t in tuvs))
    assert got == _expected(ds, ["ev-a", "ev-b"])
    assert 'xml:lang="ko"' in text  # the literal attribute CAT tools look for


def test_jsonl_round_trip_in_the_hugging_face_shape(ds, tmp_path):
    out = tmp_path / "pairs.jsonl"
    _export(ds, "ev-a", "--format", "jsonl", "--to", str(out), "--min-score", "0")
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert all(set(r["translation"]) == {"en", "ko"} and isinstance(r["score"], float) for r in records)
    assert [(r["translation"]["en"], r["translation"]["ko"]) for r in records] == _expected(ds, ["ev-a"], 0.0)
    import datasets  # a dev dependency: this load always runs (tests/test_consumers.py goes further)

    loaded = datasets.load_dataset("json", data_files=str(out), split="train")
    assert loaded.num_rows == len(records)
    assert loaded["translation"] == [r["translation"] for r in records]


def test_moses_round_trip(ds, tmp_path):
    prefix = tmp_path / "corpus"
    _export(ds, "--all", "--format", "moses", "--to", str(prefix))
    en = (tmp_path / "corpus.en").read_text(encoding="utf-8").splitlines()
    ko = (tmp_path / "corpus.ko").read_text(encoding="utf-8").splitlines()
    assert list(zip(en, ko, strict=True)) == _expected(ds, ["ev-a", "ev-b"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "tmx", "--to", "x"], "give one EVENT or --all"),
        (["ev-a", "--all", "--to", "x"], "give one EVENT or --all"),
        (["ev-a", "--format", "csv", "--to", "x"], "--format must be one of tmx, jsonl, moses"),
        (["ev-a"], "--to PATH"),
        (["nope", "--to", "x"], "no event 'nope'"),
        (["ev-a", "--to", "x", "--min-score", "2"], "between 0 and 1"),
    ],
)
def test_bad_export_arguments_are_one_line(ds, args, message):
    res = runner.invoke(app, ["export", *args, "--dataset", str(ds)])
    assert res.exit_code != 0
    assert message in res.output and "Traceback" not in res.output
