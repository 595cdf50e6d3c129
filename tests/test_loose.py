"""Loose articles: language detected, stories paired into events, ids stable, user regrouping.

The articles in tests/loose/ were written for these tests: two rate decisions of
one central bank seven weeks apart (same topic, different events) and a ferry
fire, each reported in English and Korean, plus a later Korean follow-up on the fire.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from translate import dataset
from translate.cli import app

LOOSE = Path(__file__).parent / "loose"
LATE = "newsis-ferry-fire.txt"  # arrives after the first run
EVENTS = {
    "hike": {"herald-rate-hike.txt", "yonhap-rate-hike.txt"},
    "hold": {"herald-rate-hold.txt", "yonhap-rate-hold.txt"},
    "ferry": {"times-ferry-fire.md", "kbs-ferry-fire.html"},
}
runner = CliRunner()


def _inbox(root: Path) -> Path:
    """The six first articles scattered over two feeds, plus three files that are not EN/KO articles."""
    for f in LOOSE.iterdir():
        if f.name != LATE:
            feed = "feed-b" if "yonhap" in f.name or "kbs" in f.name else "feed-a"
            (root / feed).mkdir(parents=True, exist_ok=True)
            shutil.copy(f, root / feed / f.name)
    (root / "feed-a" / "french.txt").write_text(
        "La banque centrale a relevé jeudi son taux directeur pour freiner les prêts immobiliers.\n",
        encoding="utf-8",
    )
    (root / "feed-a" / "empty.md").write_text("", encoding="utf-8")
    (root / "feed-b" / "gone.txt").symlink_to(root / "nowhere.txt")  # unreadable: a dangling link
    return root


def _groups(plan) -> dict[str, set[str]]:
    return {job.event_id: {Path(p).name for p in job.en + job.ko} for job in plan.jobs}


def test_loose_articles_are_paired_into_events_and_keep_their_ids(tmp_path):
    from translate.loose import plan
    from translate.pairing import Weights

    inbox, out = _inbox(tmp_path / "inbox"), tmp_path / "ds"
    first = plan(inbox, out)
    assert sorted(map(frozenset, _groups(first).values()), key=sorted) == sorted(
        map(frozenset, EVENTS.values()), key=sorted
    )
    skipped = {s.path: s.reason for s in first.skipped}
    assert set(skipped) == {"feed-a/french.txt", "feed-a/empty.md", "feed-b/gone.txt"}
    assert "'fr'" in skipped["feed-a/french.txt"] and "empty" in skipped["feed-a/empty.md"]
    assert "link" in skipped["feed-b/gone.txt"]
    # The evidence is recorded: the fire's reports share the passenger count.
    ferry = next(j for j in first.jobs if "kbs-ferry-fire.html" in {Path(p).name for p in j.ko})
    assert "212" in ferry.meta["pairing"]["shared_numbers"]
    # Shared names read as the articles write them, never as the internal keys ("=park", "prk").
    names = ferry.meta["pairing"]["shared_names"]
    texts = " ".join((LOOSE / f).read_text(encoding="utf-8") for f in EVENTS["ferry"])
    assert names and all(name in texts for name in names), names
    # The pair passed the cross-language threshold (the score is the pair model's log-odds).
    assert ferry.meta["pairing"]["score"] >= Weights.load().cross_threshold

    shutil.copy(LOOSE / LATE, inbox / LATE)  # a follow-up lands at the top of the inbox
    second = _groups(plan(inbox, out))
    assert second[ferry.event_id] == EVENTS["ferry"] | {LATE}  # joined, under the same id
    assert {k: v for k, v in second.items() if k != ferry.event_id} == {
        k: v for k, v in _groups(first).items() if k != ferry.event_id
    }


def test_explicit_event_folder_wins_over_pairing(tmp_path):
    from translate.loose import plan

    inbox = _inbox(tmp_path / "inbox")
    folder = inbox / "my-ferry"
    (folder / "en").mkdir(parents=True)
    (folder / "ko").mkdir()
    shutil.copy(LOOSE / "herald-rate-hike.txt", folder / "en")  # deliberately odd: the user said so
    shutil.copy(LOOSE / "kbs-ferry-fire.html", folder / "ko")
    got = plan(inbox, tmp_path / "ds")
    explicit = next(j for j in got.jobs if j.event_id == "my-ferry")
    assert explicit.meta.get("pairing") is None and explicit.source == "my-ferry"
    assert {Path(p).name for p in explicit.en + explicit.ko} == {
        "herald-rate-hike.txt",
        "kbs-ferry-fire.html",
    }
    # Files inside the folder are not loose articles as well (they are still loose under feed-*).
    assert sum(str(folder) in p for j in got.jobs for p in j.en + j.ko) == 2


def test_cli_align_folder_then_split_and_join(tmp_path):
    inbox, out = _inbox(tmp_path / "inbox"), tmp_path / "ds"
    res = runner.invoke(app, ["align-folder", str(inbox), "--dataset", str(out)])
    assert res.exit_code == 0, res.output
    events = dataset.list_events(out)
    assert len(events) == 3
    assert "feed-a/french.txt skipped" in res.output and "not supported" in res.output
    ferry = next(e for e in events if "ferry" in e)
    prov = dataset.read_provenance(out, ferry)
    assert {a["lang"] for a in prov["event"]["pairing"]["articles"]} == {"en", "ko"}

    res = runner.invoke(
        app,
        [
            "regroup",
            "--split",
            ferry,
            "--article",
            str(inbox / "feed-b" / "kbs-ferry-fire.html"),
            "--dataset",
            str(out),
        ],
    )
    assert res.exit_code == 0, res.output
    split_id = res.output.split(":")[0]
    listed = runner.invoke(app, ["align-folder", str(inbox), "--dataset", str(out), "--list"])
    assert f"{ferry}: waiting, only English" in listed.output
    assert f"{split_id}: waiting, only Korean" in listed.output

    res = runner.invoke(app, ["regroup", "--join", ferry, "--join", split_id, "--dataset", str(out)])
    assert res.exit_code == 0, res.output
    listed = runner.invoke(app, ["align-folder", str(inbox), "--dataset", str(out), "--list"])
    assert f"{ferry}: grouped by the user, score" in listed.output and "waiting" not in listed.output

    res = runner.invoke(app, ["regroup", "--join", "no-such-event", "--join", ferry, "--dataset", str(out)])
    assert res.exit_code == 2 and "no stored event 'no-such-event'" in res.output


@pytest.mark.usefixtures("prefect_server")
def test_process_inbox_pairs_loose_articles_and_a_late_article_joins_its_event(tmp_path, monkeypatch):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    from flows.process_inbox import process_inbox

    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-models"))
    inbox, out = _inbox(tmp_path / "inbox"), tmp_path / "ds"
    state = process_inbox(str(inbox), str(out), return_state=True)
    assert state.is_completed(), state.message
    events = dataset.list_events(out)
    assert len(events) == 3
    assert state.message.startswith(f"aligned 3 events: {', '.join(sorted(events))}") or all(
        e in state.message for e in events
    )
    for name in ("feed-a/french.txt", "feed-a/empty.md", "feed-b/gone.txt"):
        assert name in state.message
    for event in events:  # each event holds exactly one true pair
        docs = {Path(d["path"]).name for d in dataset.load_documents(out, event).to_pylist()}
        assert docs in EVENTS.values()
        assert (out.parent / "reports" / f"{event}.html").is_file()
    with get_client(sync_client=True) as client:
        (art,) = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["process-inbox"])),
            sort="CREATED_DESC",
            limit=1,
        )
    table = str(art.data)
    assert all(e in table for e in events) and "french.txt" in table and "shared" in table

    ferry = next(
        e for e in events if "kbs-ferry-fire.html" in str(dataset.load_documents(out, e).to_pylist())
    )
    shutil.copy(LOOSE / LATE, inbox / "feed-b" / LATE)
    state = process_inbox(str(inbox), str(out), return_state=True)
    assert state.is_completed(), state.message
    assert state.message.startswith(f"aligned 1 event: {ferry}")
    assert dataset.list_events(out) == events
    docs = {Path(d["path"]).name for d in dataset.load_documents(out, ferry).to_pylist()}
    assert docs == EVENTS["ferry"] | {LATE}


@pytest.mark.usefixtures("prefect_server")
def test_batched_flow_gives_the_rows_of_the_direct_path(tmp_path, monkeypatch, inbox):
    from flows.process_inbox import process_inbox
    from translate.pipeline import resolve_event, run_event

    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-models"))
    monkeypatch.setenv("COVERAGE_ALIGN_BATCH", "1")
    out = tmp_path / "ds"
    state = process_inbox(str(inbox), str(out), return_state=True)
    assert state.is_completed(), state.message
    cols = ["row_index", "type", "en_indices", "ko_indices", "en_text", "ko_text", "score"]
    for event in sorted(p.name for p in inbox.iterdir()):
        inputs = resolve_event(inbox / event)  # the CLI's default mode, as the deployment's
        run_event(inputs.en, inputs.ko, event_id=inputs.event_id, out=tmp_path / "direct", mode=inputs.mode)
        flowed = dataset.load_pairs(out, inputs.event_id).select(cols).to_pylist()
        direct = dataset.load_pairs(tmp_path / "direct", inputs.event_id).select(cols).to_pylist()
        assert flowed == direct and flowed


def test_batches_cover_every_event_once_and_feed_every_worker():
    from flows.process_inbox import batches

    jobs = list(range(7))
    assert batches(jobs, workers=2, size=50) == [[0, 1, 2, 3], [4, 5, 6]]  # type: ignore[arg-type]
    assert batches(jobs, workers=2, size=3) == [[0, 1, 2], [3, 4, 5], [6]]  # type: ignore[arg-type]
    assert batches([], workers=2, size=3) == []
