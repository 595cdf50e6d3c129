"""The views show the coverage verdict: a one-sided row is "only here" or "probably reported"
(with its candidates), counted apart in ``events``; older datasets keep the one-hint tier."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from translate import dataset
from translate.cli import app

runner = CliRunner()
FERRY = Path(__file__).resolve().parents[1] / "data" / "samples" / "2026-05-ferry-fire"
ROW = re.compile(r"^\|\s+(\d+) \|")  # a row's first line in the piped (ASCII) table


@pytest.fixture(scope="module")
def ferry(tmp_path_factory) -> tuple[Path, str]:
    """The ferry sample aligned once (it has both "only here" and "probably reported" rows)."""
    out = tmp_path_factory.mktemp("verdict-views") / "ds"
    res = runner.invoke(app, ["align", "--event", str(FERRY), "--event-id", "ferry", "--out", str(out)])
    assert res.exit_code == 0, res.output
    return out, res.output


def _expected(root: Path, event_id: str = "ferry") -> dict[int, tuple[str, list[str]]]:
    """Gap row → (its sentence's stored verdict, "#row (score)" of each candidate), from the tables."""
    pairs = dataset.load_pairs(root, event_id).to_pylist()
    sents = {(s["side"], s["sentence_index"]): s for s in dataset.load_sentences(root, event_id).to_pylist()}
    row_of = {(side, k): p["row_index"] for p in pairs for side in ("en", "ko") for k in p[f"{side}_indices"]}
    out = {}
    for p in pairs:
        if p["type"] in ("en-only", "ko-only"):
            side = p["type"][:2]
            other = "ko" if side == "en" else "en"
            s = sents[(side, p[f"{side}_indices"][0])]
            cands = [f"#{row_of[(other, c['index'])]} ({c['score']:.2f})" for c in s["candidates"] or []]
            out[p["row_index"]] = (s["verdict"], cands)
    return out


def _rows_shown(output: str) -> dict[int, str]:
    """Row number → the text of its block (the lines up to the next rule) in a piped ``show``."""
    blocks: dict[int, str] = {}
    current = None
    for line in output.splitlines():
        m = ROW.match(line)
        if m:
            current = int(m.group(1))
            blocks[current] = ""
        if line.startswith("|--") or line.startswith("+--"):
            current = None
        if current is not None:
            blocks[current] += line + "\n"
    return blocks


def _show(root: Path, *extra: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("COLUMNS", "400")  # one line per hint: nothing wraps mid-candidate
    res = runner.invoke(app, ["show", "ferry", "--dataset", str(root), "--no-translations", *extra])
    assert res.exit_code == 0, res.output
    return res.output


def test_show_marks_each_one_sided_row_with_its_verdict(ferry, monkeypatch):
    root, _ = ferry
    expected = _expected(root)
    states = [v for v, _ in expected.values()]
    assert "only" in states and "probably" in states  # the sample exercises both
    blocks = _rows_shown(_show(root, monkeypatch=monkeypatch))
    for row, (state, cands) in expected.items():
        block = blocks[row]
        squeezed = " ".join(block.replace("|", " ").split())
        if state == "probably":
            assert "probably reported" in squeezed, block
            assert cands and f"probably in {', '.join(cands)}" in squeezed, block
        else:
            assert state == "only" and "only here" in squeezed and "probably" not in squeezed, block
        assert "possibly:" not in block and "en-only" not in block and "ko-only" not in block
    # --only keeps exactly the rows of that state; a bad value is one line and exit 2.
    for choice, state in (("probably", "probably"), ("only-here", "only")):
        shown = set(_rows_shown(_show(root, "--only", choice, monkeypatch=monkeypatch)))
        assert shown == {r for r, (s, _) in expected.items() if s == state}
    bad = runner.invoke(app, ["show", "ferry", "--dataset", str(root), "--only", "maybe"])
    assert bad.exit_code == 2 and "only-here" in bad.output and "Traceback" not in bad.output


def test_report_marks_verdicts_and_links_candidates(ferry, tmp_path):
    root, _ = ferry
    page = tmp_path / "ferry.html"
    res = runner.invoke(app, ["report", "ferry", "--html", str(page), "--dataset", str(root)])
    assert res.exit_code == 0, res.output
    text = page.read_text()
    expected = _expected(root)
    for row, (state, cands) in expected.items():
        m = re.search(rf'<div class="row gap[^"]*" id="r{row}" .*?(?=<div class="row|</main>)', text, re.S)
        assert m, row
        block = re.sub(r"<[^>]+>", "", m.group(0))  # the text a reader sees
        if state == "probably":
            assert 'class="row gap probably"' in m.group(0)
            assert "probably reported" in block.lower() and f"probably in {', '.join(cands)}" in block
            for c in cands:  # each candidate is a link to its row
                assert f'href="#r{c.split()[0][1:]}"' in m.group(0)
        else:
            assert "only here" in block.lower() and "probably in" not in block
        assert "possibly:" not in block
    summary = dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", text))
    states = [s for s, _ in expected.values()]
    assert summary["only here (confident)"] == str(states.count("only"))
    assert summary["probably reported"] == str(states.count("probably"))
    assert "possible counterparts" not in summary


def test_events_count_the_sentences_table(ferry):
    root, align_output = ferry
    res = runner.invoke(app, ["events", "--dataset", str(root), "--json"])
    assert res.exit_code == 0, res.output
    (event,) = [json.loads(line) for line in res.output.splitlines()]
    verdicts = dataset.load_sentences(root, "ferry")["verdict"].to_pylist()
    assert event["only_here"] == verdicts.count("only") > 0
    assert event["probably_reported"] == verdicts.count("probably") > 0
    # The same split as the align summary line and the gap rows.
    assert f"({event['only_here']} only here, {event['probably_reported']} probably reported)" in align_output
    assert event["only_here"] + event["probably_reported"] == event["en_only"] + event["ko_only"]
    table = runner.invoke(app, ["events", "--dataset", str(root)])
    head, values = (line.split("\t") for line in table.output.splitlines())
    row = dict(zip(head, values, strict=True))
    assert (row["only here"], row["probably"]) == (str(event["only_here"]), str(event["probably_reported"]))
    index_dir = root.parent / "reports"
    res = runner.invoke(app, ["report", "--all", "--html", str(index_dir), "--dataset", str(root)])
    assert res.exit_code == 0, res.output
    index = (index_dir / "index.html").read_text()
    assert "<th>only here</th><th>probably reported</th>" in index
    assert f"<td>{event['only_here']}</td><td>{event['probably_reported']}</td>" in index
    # report --all shows the verdicts as the one-event report does.
    assert "probably in <a" in (index_dir / "ferry.html").read_text()


def test_a_dataset_without_verdicts_keeps_the_older_hints(ferry, tmp_path, monkeypatch):
    import shutil

    old = tmp_path / "old"
    shutil.copytree(ferry[0], old)
    part = old / "sentences" / "event_id=ferry" / "part-0.parquet"
    table = pq.read_table(part)
    table = table.drop_columns(["verdict", "verdict_p", "candidates"])  # as written before the verdict
    pq.write_table(table.replace_schema_metadata(pq.read_schema(part).metadata), part)
    shown = _show(old, monkeypatch=monkeypatch)
    assert "possibly:" in shown and "probably in" not in shown and "only here" not in shown
    assert "en-only" in shown and "ko-only" in shown
    bad = runner.invoke(app, ["show", "ferry", "--dataset", str(old), "--only", "probably"])
    assert bad.exit_code == 2 and "align it again" in bad.output and len(bad.output.strip().splitlines()) == 1
    page = tmp_path / "old.html"
    assert runner.invoke(app, ["report", "ferry", "--html", str(page), "--dataset", str(old)]).exit_code == 0
    text = page.read_text()
    assert "possibly:" in text and "probably in" not in text and "<dt>possible counterparts</dt>" in text
    listed = runner.invoke(app, ["events", "--dataset", str(old), "--json"]).output.splitlines()
    (event,) = [json.loads(line) for line in listed]
    assert event["only_here"] is None and event["probably_reported"] is None and event["possible"] > 0
    table = runner.invoke(app, ["events", "--dataset", str(old)]).output.splitlines()
    row = dict(zip(table[0].split("\t"), table[1].split("\t"), strict=True))
    assert (row["only here"], row["probably"]) == ("-", "-")
