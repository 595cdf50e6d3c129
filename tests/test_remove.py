"""Removing events from the dataset, and the note when two events hold the same articles."""

from __future__ import annotations

import os
from pathlib import Path

from typer.testing import CliRunner

from translate import dataset
from translate.cli import app

REPO = Path(__file__).resolve().parents[1]
RATE = REPO / "data" / "samples" / "2026-10-rate-decision"
EN, KO = RATE / "en" / "article.txt", RATE / "ko" / "article.txt"
NO_ENCODER = {"COVERAGE_ALIGN_ENCODER": "none", "COVERAGE_ALIGN_TEST_MODELS": ""}
runner = CliRunner()


def _align(out: Path, event_id: str):
    args = ["align", "--en", str(EN), "--ko", str(KO), "--dataset", str(out), "--event-id", event_id]
    return runner.invoke(app, args, env=NO_ENCODER)


def _files(out: Path) -> set[str]:
    return {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file() and ".locks" not in p.parts}


def test_the_same_articles_twice_are_noted_and_one_event_can_be_removed(tmp_path):
    out = tmp_path / "ds"
    assert _align(out, "first").exit_code == 0
    alone = _files(out)
    assert _align(out, "second").exit_code == 0
    assert dataset.same_articles(out) == [["first", "second"]]

    res = runner.invoke(app, ["remove", "second", "--dataset", str(out)])
    assert res.exit_code == 0 and "removed event second" in res.output
    assert dataset.list_events(out) == ["first"]
    assert _files(out) == alone  # every table's partition went, and no scratch was left
    assert dataset.same_articles(out) == []
    assert len(dataset.load_pairs(out, "first")) > 0  # the other event is untouched


def test_align_and_align_folder_on_the_same_articles_say_so(tmp_path):
    loose = REPO / "tests" / "loose"
    inbox, out = tmp_path / "inbox", tmp_path / "ds"
    inbox.mkdir()
    for name in ("herald-rate-hike.txt", "yonhap-rate-hike.txt"):
        (inbox / name).write_bytes((loose / name).read_bytes())
    res = runner.invoke(app, ["align-folder", str(inbox), "--dataset", str(out)])
    assert res.exit_code == 0, res.output
    (paired,) = dataset.list_events(out)
    assert "hold the same articles" not in res.output
    # The same two files through `align`: a second id for the same articles, and the note says so.
    args = ["--en", inbox / "herald-rate-hike.txt", "--ko", inbox / "yonhap-rate-hike.txt"]
    res = runner.invoke(app, ["align", *map(str, args), "--dataset", str(out)], env=NO_ENCODER)
    assert res.exit_code == 0, res.output
    (single,) = set(dataset.list_events(out)) - {paired}
    assert f"note: events {' and '.join(sorted([paired, single]))} hold the same articles" in res.output
    # And align-folder, run again, names the pair too (it reads the whole dataset once).
    res = runner.invoke(app, ["align-folder", str(inbox), "--dataset", str(out)])
    assert res.exit_code == 0 and "hold the same articles" in res.output


def test_an_unknown_event_is_refused_before_anything_is_deleted(tmp_path):
    out = tmp_path / "ds"
    assert _align(out, "kept").exit_code == 0
    before = _files(out)
    res = runner.invoke(app, ["remove", "kept", "kep", "--dataset", str(out)])
    assert res.exit_code == 2
    assert res.output.strip().splitlines() == [res.output.strip()]  # one line
    assert "no event 'kep'" in res.output and "did you mean kept?" in res.output
    assert _files(out) == before


def test_a_partition_that_is_a_link_is_removed_not_followed(tmp_path):
    out = tmp_path / "ds"
    assert _align(out, "ev").exit_code == 0
    outside = tmp_path / "outside"
    part = out / "links" / "event_id=ev"
    part.rename(outside)
    os.symlink(outside, part)
    dataset.remove_event(out, "ev")
    assert not part.exists() and not part.is_symlink()
    assert (outside / "part-0.parquet").is_file()  # what the link pointed at is not ours to delete
    assert dataset.list_events(out) == []


def test_a_pending_write_is_finished_before_removal_so_it_cannot_come_back(tmp_path, monkeypatch):
    out = tmp_path / "ds"
    assert _align(out, "ev").exit_code == 0
    # A writer killed right after its commit point: its journal and staged files are left behind.
    monkeypatch.setattr(dataset, "_recover", lambda root, event_id: False)
    dataset.write_event(out, "ev", documents=[], sentences=[], pairs=[], links=[])
    monkeypatch.undo()
    assert dataset.pending_journals(out) == ["ev"]
    dataset.remove_event(out, "ev")
    assert dataset.pending_journals(out) == [] and dataset.list_events(out) == []
    assert dataset.repair(out) == []  # nothing left that a later repair would bring back
    assert not [p for p in out.iterdir() if p.name.startswith((".staging-", ".trash-", ".journal-"))]
