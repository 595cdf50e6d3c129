"""A sentence detected in another language than its column: exports skip or tag it, views mark it."""

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
from translate.sidelang import side_lang

runner = CliRunner()
QUOTE = "Every visitor deserves a quiet room."


@pytest.fixture()
def ds(tmp_path) -> Path:
    """Three pairs; the Korean side of row 1 is an English sentence quoted in the Korean article."""
    root = tmp_path / "ds"
    rows = make_rows("ev", n_pairs=3)
    for s in rows["sentences"]:
        if s["side"] == "ko" and s["sentence_index"] == 1:
            s.update(text=QUOTE, lang="en")
    rows["pairs"][1].update(ko_text=QUOTE, translation={"en": rows["pairs"][1]["en_text"], "ko": QUOTE})
    rows["provenance"] = {"aligner": {"mode": "comparable", "threshold": 0.0}}
    dataset.write_event(root, "ev", **rows)
    return root


def _run(*args: str) -> str:
    res = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    return res.output


def test_default_export_skips_the_pair(ds):
    pairs = select_pairs(ds)
    assert [p.row_index for p in pairs] == [0, 2]
    assert all((p.en_lang, p.ko_lang) == ("en", "ko") for p in pairs)


def test_keep_tags_the_side_with_the_language_detected(ds, tmp_path):
    tmx, jsonl = tmp_path / "a.tmx", tmp_path / "a.jsonl"
    keep = ("--mixed-language", "keep", "--dataset", str(ds))
    _run("export", "ev", "--to", str(tmx), *keep)
    _run("export", "ev", "--format", "jsonl", "--to", str(jsonl), *keep)
    tus = ET.parse(tmx).getroot().find("body")
    langs = [[tuv.get(XML_LANG) for tuv in tu.findall("tuv")] for tu in tus]
    assert langs == [["en", "ko"], ["en", "en"], ["en", "ko"]]
    quoted = tus[1].findall("tuv")[1]
    assert quoted.find("seg").text == QUOTE and quoted.find("prop").text == "ko"  # x-column
    records = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    plain, quoted_row = {"en": "en", "ko": "ko"}, {"en": "en", "ko": "en"}
    assert [r["lang"] for r in records] == [plain, quoted_row, plain]
    assert records[1]["translation"]["ko"] == QUOTE


def test_skip_leaves_it_out_of_every_format(ds, tmp_path):
    tmx = tmp_path / "s.tmx"
    _run("export", "ev", "--to", str(tmx), "--dataset", str(ds))
    assert QUOTE not in tmx.read_text(encoding="utf-8")
    _run("export", "ev", "--format", "moses", "--to", str(tmp_path / "c"), "--dataset", str(ds))
    assert QUOTE not in (tmp_path / "c.ko").read_text(encoding="utf-8")
    assert len((tmp_path / "c.ko").read_text(encoding="utf-8").splitlines()) == 2


def test_unknown_choice_is_one_line_error(ds):
    res = runner.invoke(app, ["export", "ev", "--to", "x", "--mixed-language", "maybe", "--dataset", str(ds)])
    assert res.exit_code != 0 and "--mixed-language must be one of skip, keep" in res.output
    assert "Traceback" not in res.output


def test_views_mark_the_side(ds, tmp_path):
    out = _run("show", "ev", "--dataset", str(ds), "--no-pager")
    line = next(ln for ln in out.splitlines() if "Every visitor" in ln)
    assert f"{QUOTE} [lang: en]" in line
    assert out.count("[lang:") == 1
    page = tmp_path / "r.html"
    _run("report", "ev", "--html", str(page), "--dataset", str(ds))
    html = page.read_text(encoding="utf-8")
    assert html.count('class="lang-tag"') == 1
    assert f'{QUOTE}<span class="lang-tag"' in html


@pytest.mark.parametrize(
    ("column", "langs", "expected"),
    [
        ("ko", ["ko"], "ko"),
        ("ko", ["en"], "en"),
        ("ko", ["und"], "ko"),  # numbers only: no evidence against the column
        ("ko", ["en", "ko"], "ko"),  # a tie stays with the column
        ("ko", ["en", "en", "ko"], "en"),
        ("en", [], "en"),
    ],
)
def test_side_language_is_the_majority_of_its_sentences(column, langs, expected):
    assert side_lang(column, langs) == expected


@pytest.fixture()
def joined(tmp_path) -> Path:
    """An English line of the Korean article that joined a Korean sentence in a 1-2 row (issue 26)."""
    root = tmp_path / "joined"
    rows = make_rows("ev", n_pairs=3)
    ko = {s["sentence_index"]: s for s in rows["sentences"] if s["side"] == "ko"}
    ko[2].update(text=QUOTE, lang="en")
    one, two = rows["pairs"][1], rows["pairs"][2]
    one.update(type="1-2", ko_indices=[1, 2], ko_text=f"{ko[1]['text']} {QUOTE}")
    two.update(type="en-only", ko_indices=[], ko_text=None, score=0.1)
    rows["provenance"] = {"aligner": {"mode": "comparable", "threshold": 0.0}}
    dataset.write_event(root, "ev", **rows)
    return root


@pytest.mark.parametrize("mixed", ["skip", "keep"])
def test_a_side_mixing_two_languages_is_never_exported(joined, mixed):
    pairs = select_pairs(joined, mixed=mixed)
    assert [p.row_index for p in pairs] == [0]
    assert pairs.skipped_mixed == 1
    assert not any(QUOTE in p.ko for p in pairs)
