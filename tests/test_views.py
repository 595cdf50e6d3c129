"""events, show and report --all over a dataset written from plain rows (no models needed)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from dataset_rows import make_rows
from typer.testing import CliRunner

from translate import dataset
from translate.cli import app
from translate.summary import event_summaries

runner = CliRunner()


def _write(root: Path, event_id: str, n: int = 3, threshold: float = 0.6) -> None:
    rows = make_rows(event_id, n_pairs=n)
    rows["provenance"] = {
        "pipeline_version": "test",
        "packages": [{"code": "translate-ko_en", "version": "1.1", "direction": "ko→en"}],
        "aligner": {"mode": "comparable", "threshold": threshold, "encoder": "use-m3@test"},
    }
    dataset.write_event(root, event_id, **rows)


@pytest.fixture()
def ds(tmp_path) -> Path:
    root = tmp_path / "ds"
    _write(root, "ev-a", 3)
    _write(root, "ev-b", 4)
    return root


def test_event_summaries_count_every_table(ds):
    a, b = event_summaries(ds)
    assert a["event_id"] == "ev-a"
    # make_rows: n 1-1 pairs, one ko-only row, n links plus one extra, odd rows flag a number.
    assert (a["en_sentences"], a["ko_sentences"]) == (3, 3)
    assert (a["pairs"], a["en_only"], a["ko_only"], a["links"], a["number_differences"]) == (3, 0, 1, 4, 1)
    assert (b["pairs"], b["links"], b["number_differences"]) == (4, 5, 2)
    assert a["models"] == "translate-ko_en 1.1" and a["encoder"] == "use-m3@test"
    assert a["aligned"] != "?"
    assert event_summaries(ds.parent / "nothing") == []


def test_events_command(ds):
    res = runner.invoke(app, ["events", "--dataset", str(ds)])
    assert res.exit_code == 0, res.output
    head, a, b = (line.split("\t") for line in res.output.splitlines())
    assert head[:8] == ["event", "EN sent.", "KO sent.", "pairs", "links", "EN only", "KO only", "num. diffs"]
    assert a[:8] == ["ev-a", "3", "3", "3", "4", "0", "1", "1"] and b[0] == "ev-b"
    res = runner.invoke(app, ["events", "--dataset", str(ds), "--json"])
    assert [json.loads(line)["event_id"] for line in res.output.splitlines()] == ["ev-a", "ev-b"]
    res = runner.invoke(app, ["events", "--dataset", str(ds.parent / "empty")])
    assert res.exit_code == 0 and "no events" in res.output


def test_show_piped_marks_numbers_and_can_hide_translations(ds, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    res = runner.invoke(app, ["show", "ev-a", "--dataset", str(ds)])
    assert res.exit_code == 0, res.output
    # Row 1's "1" has no counterpart but no conflict either: marked quietly (colour is lost in a pipe).
    assert "Sentence ‹1› v1." in res.output
    assert "Sentence 0 v1." in res.output and "‹0›" not in res.output and "«" not in res.output
    assert "문장 1." in res.output  # the translation is shown by default
    res = runner.invoke(app, ["show", "ev-a", "--dataset", str(ds), "--no-translations"])
    assert "문장 1." not in res.output and "Alone." not in res.output


def test_show_pages_on_a_terminal(ds, monkeypatch):
    from rich.console import Console

    paged = []
    monkeypatch.setattr(Console, "is_terminal", property(lambda self: True))
    monkeypatch.setattr(Console, "pager", lambda self, **kw: paged.append(kw) or _NullPager())
    res = runner.invoke(app, ["show", "ev-a", "--dataset", str(ds)])
    assert res.exit_code == 0, res.output
    assert paged == [{"styles": True}]


class _NullPager:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_report_all_writes_an_index_linking_every_event(ds, tmp_path):
    out = tmp_path / "reports"
    res = runner.invoke(app, ["report", "--all", "--html", str(out), "--dataset", str(ds)])
    assert res.exit_code == 0, res.output
    index = (out / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'href="([^"]+)"', index) == ["ev-a.html", "ev-b.html"]
    assert "<td>4</td>" in index  # ev-b's pairs
    page = (out / "ev-b.html").read_text(encoding="utf-8")
    assert page.count('class="row') == 5  # 4 pairs + 1 gap row, heading excluded
    assert ">Wire</div>" in page and ">신문</div>" in page  # the outlets (documents.source) head the columns
    assert "word-break: keep-all" in page
    assert 'id="hide-tr"' in page and "#hide-tr:checked ~ main .tr" in page
    assert "<script" not in page and "<script" not in index


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["report", "--html", "x.html"], "give one EVENT or --all"),
        (["report", "ev-a"], "--html"),
        (["report", "nope", "--html", "x.html"], "no event 'nope'"),
        (["show", "nope"], "no event 'nope'"),
    ],
)
def test_view_errors_are_one_line(ds, args, message):
    res = runner.invoke(app, [*args, "--dataset", str(ds)])
    assert res.exit_code != 0
    assert message in res.output and "Traceback" not in res.output
