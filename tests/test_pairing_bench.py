"""The pairing benchmark's simulated feed dates (benchmarks.pairing --dates)."""

from __future__ import annotations

import json

import pytest

from benchmarks import pairing


@pytest.mark.parametrize(
    ("title", "day"),
    [
        ("Court upholds the ruling, March 10 2017", "2017-03-10"),
        ("Election night; the loser concedes, Mar 9-10 2022", "2022-03-09"),
        ("Team reaches the round of 16, Dec 2022", None),  # no day: no date line
        ("Ministry sticks to the Sept. 7 supply plan, Jan 5 2026", "2026-01-05"),
    ],
)
def test_an_event_day_is_read_from_a_manifest_title(title, day):
    assert pairing.title_date(title) == day


def test_dates_are_added_as_a_last_line_only_when_asked(tmp_path, monkeypatch):
    real, dis = tmp_path / "real", tmp_path / "dis"
    (real / "ev").mkdir(parents=True)
    (real / "ev" / "en.txt").write_text("Headline\n\nBody.\n", encoding="utf-8")
    manifests = tmp_path / "repo" / "data" / "real"
    manifests.mkdir(parents=True)
    (manifests / "ev.json").write_text(json.dumps({"event_id": "ev", "title": "X, Jan 5 2026"}))
    (tmp_path / "repo" / "data" / "distractors").mkdir(parents=True)
    monkeypatch.setattr(pairing, "REPO", tmp_path / "repo")
    monkeypatch.setenv("COVERAGE_ALIGN_REAL", str(real))
    monkeypatch.setenv("COVERAGE_ALIGN_DISTRACTORS", str(dis))
    for dates, last in ((False, "Body."), (True, "Published 2026-01-05")):
        inbox = tmp_path / f"inbox-{dates}"
        inbox.mkdir()
        gold, _, missing = pairing.gather(inbox, dates=dates)
        (name,) = gold
        assert (inbox / name).read_text(encoding="utf-8").splitlines()[-1] == last
        assert missing == ["ev/ko.txt"]
