from __future__ import annotations

import json
from pathlib import Path
from uuid import UUID

import pytest

from translate import dataset
from translate.pipeline import run_event

REPO = Path(__file__).resolve().parents[1]
FLOODS = REPO / "data" / "samples" / "2026-07-monsoon-floods"


def _mtimes(root: Path, event_id: str) -> dict[str, int]:
    return {
        t: (root / t / f"event_id={event_id}" / "part-0.parquet").stat().st_mtime_ns for t in dataset.TABLES
    }


def test_align_event_flow_matches_the_direct_path(prefect_server, installed_models, tmp_path):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId, ArtifactFilterKey

    from flows.align_event import align_event

    res = align_event(event_dir=str(FLOODS), out=str(tmp_path / "flow"), mode="comparable")
    direct = run_event(
        [FLOODS / "en/article.txt"],
        [FLOODS / "ko/article.txt"],
        event_id=res.event_id,
        out=tmp_path / "direct",
        mode="comparable",
    )
    cols = ["row_index", "type", "en_indices", "ko_indices", "en_text", "ko_text", "ko_to_en"]
    flow_rows = dataset.load_pairs(tmp_path / "flow", res.event_id).select(cols).to_pylist()
    direct_rows = dataset.load_pairs(tmp_path / "direct", res.event_id).select(cols).to_pylist()
    assert flow_rows == direct_rows
    assert len(flow_rows) == res.n_pairs + res.en_only + res.ko_only
    assert (res.n_en, res.n_ko) == (direct.n_en, direct.n_ko) == (25, 26)
    prov = dataset.read_provenance(tmp_path / "flow", res.event_id)
    assert prov["run_id"]  # the flow run id is recorded
    with get_client(sync_client=True) as client:
        # Other tests align the same event under the same key: take this run's artifact.
        arts = client.read_artifacts(
            artifact_filter=ArtifactFilter(
                key=ArtifactFilterKey(any_=["align-2026-07-monsoon-floods"]),
                flow_run_id=ArtifactFilterFlowRunId(any_=[UUID(prov["run_id"])]),
            )
        )
    assert arts and "English only" in arts[0].data
    assert f"| only here (confident omissions, both sides) | {res.only_here} |" in arts[0].data
    report = tmp_path / "reports" / f"{res.event_id}.html"  # beside the dataset directory
    assert report.is_file() and "<main" in report.read_text(encoding="utf-8")
    assert report.as_uri() in arts[0].data


def test_process_inbox_skips_unchanged_and_redoes_changed(prefect_server, installed_models, inbox, tmp_path):
    from flows.process_inbox import process_inbox

    out = tmp_path / "ds"
    state = process_inbox(str(inbox), str(out), return_state=True)
    assert state.is_completed(), state.message
    assert dataset.list_events(out) == ["2026-07-monsoon-floods", "2026-10-rate-decision"]
    floods, rate = _mtimes(out, "2026-07-monsoon-floods"), _mtimes(out, "2026-10-rate-decision")

    state = process_inbox(str(inbox), str(out), return_state=True)
    assert state.is_completed() and state.message == "nothing new"
    assert _mtimes(out, "2026-07-monsoon-floods") == floods

    article = inbox / "2026-10-rate-decision" / "en" / "article.txt"
    article.write_text(
        article.read_text(encoding="utf-8") + "\nMarkets rose after the decision.\n", encoding="utf-8"
    )
    state = process_inbox(str(inbox), str(out), return_state=True)
    assert state.is_completed()
    assert _mtimes(out, "2026-07-monsoon-floods") == floods
    assert _mtimes(out, "2026-10-rate-decision") != rate
    texts = dataset.load_pairs(out, "2026-10-rate-decision")["en_text"].to_pylist()
    assert "Markets rose after the decision." in texts
    assert sorted(p.name for p in inbox.iterdir()) == ["2026-07-monsoon-floods", "2026-10-rate-decision"]


def test_broken_event_fails_alone_then_is_skipped_until_it_changes(
    prefect_server, installed_models, inbox, tmp_path
):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    from flows.process_inbox import process_inbox

    broken = inbox / "zz-broken"
    (broken / "en").mkdir(parents=True)
    (broken / "ko").mkdir()
    ko_text = (FLOODS / "ko" / "article.txt").read_text(encoding="utf-8")
    (broken / "en" / "a.txt").write_text(ko_text, encoding="utf-8")  # Korean where English belongs
    (broken / "ko" / "a.txt").write_text(ko_text, encoding="utf-8")
    out = tmp_path / "ds"
    state = process_inbox(str(inbox), str(out), return_state=True)
    assert state.is_failed()
    assert "1 of 3 events failed: zz-broken" in state.message
    assert "declared 'en' but detected 'ko'" in state.message
    assert dataset.list_events(out) == ["2026-07-monsoon-floods", "2026-10-rate-decision"]
    recorded = json.loads((out / ".inbox-failures.json").read_text(encoding="utf-8"))
    assert set(recorded) == {"zz-broken"} and "detected 'ko'" in recorded["zz-broken"]["error"]

    # Unchanged: skipped with a warning, and the run is no longer Failed.
    state = process_inbox(str(inbox), str(out), return_state=True)
    assert state.is_completed(), state.message
    assert state.message == "nothing new; 1 broken event(s) unchanged, skipped"
    with get_client(sync_client=True) as client:
        (art,) = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["process-inbox"])),
            sort="CREATED_DESC",
            limit=1,
        )
    assert "skipped: unchanged since it failed" in str(art.data)

    # Changed but still broken: tried again, and the run fails again.
    (broken / "ko" / "b.txt").write_text(ko_text, encoding="utf-8")
    state = process_inbox(str(inbox), str(out), return_state=True)
    assert state.is_failed() and "1 of 1 event failed: zz-broken" in state.message

    # Fixed: aligned, and forgotten by the failure record.
    (broken / "en" / "a.txt").write_text((FLOODS / "en" / "article.txt").read_text(encoding="utf-8"))
    state = process_inbox(str(inbox), str(out), return_state=True)
    assert state.is_completed(), state.message
    assert json.loads((out / ".inbox-failures.json").read_text(encoding="utf-8")) == {}


def test_bad_input_is_logged_as_one_line_without_traceback():
    import logging

    from flows._runtime import OneLineForBadInput
    from translate.errors import LanguageError

    def record(exc: BaseException) -> logging.LogRecord:
        return logging.LogRecord(
            "prefect.task_runs", logging.ERROR, __file__, 1, "failed", (), (type(exc), exc, None)
        )

    f, bad = OneLineForBadInput(), LanguageError("a.txt: declared 'en' but detected 'ko'")
    first = record(bad)
    assert f.filter(first) and first.exc_info is None
    assert not f.filter(record(bad))  # the same error re-logged by each parent run: dropped
    bug = record(ValueError("a bug"))
    assert f.filter(bug) and bug.exc_info is not None  # anything else keeps its traceback


def test_dask_task_runner_runs_the_same_flow(prefect_server, installed_models, inbox, tmp_path, monkeypatch):
    from flows._runtime import task_runner
    from flows.process_inbox import process_inbox

    monkeypatch.setenv("COVERAGE_ALIGN_TASK_RUNNER", "dask")
    monkeypatch.setenv("COVERAGE_ALIGN_MAX_WORKERS", "1")
    runner = task_runner()
    assert type(runner).__name__ == "DaskTaskRunner"
    out = tmp_path / "ds"
    state = process_inbox.with_options(task_runner=runner)(str(inbox), str(out), return_state=True)
    assert state.is_completed(), state.message
    assert dataset.list_events(out) == ["2026-07-monsoon-floods", "2026-10-rate-decision"]


def test_cli_prefect_flag_runs_a_tracked_flow(prefect_server, installed_models, tmp_path):
    from prefect.client.orchestration import get_client
    from typer.testing import CliRunner

    from translate.cli import app

    out = tmp_path / "ds"
    res = CliRunner().invoke(app, ["align", "--event", str(FLOODS), "--prefect", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "2026-07-monsoon-floods: 25 English and 26 Korean sentences" in res.output
    run_id = dataset.read_provenance(out, "2026-07-monsoon-floods")["run_id"]
    with get_client(sync_client=True) as client:
        run = client.read_flow_run(run_id)
    assert run.state.is_completed()


def test_transient_io_errors_are_retried_and_bad_input_is_not(
    prefect_server, installed_models, tmp_path, monkeypatch
):
    from flows.align_event import align_event
    from translate import pipeline
    from translate.errors import LanguageError

    real_write, writes = pipeline.write_rows, []

    def flaky_write(*args, **kwargs):
        writes.append(1)
        if len(writes) == 1:
            raise OSError("disk briefly unavailable")
        return real_write(*args, **kwargs)

    monkeypatch.setattr(pipeline, "write_rows", flaky_write)
    res = align_event(event_dir=str(FLOODS), out=str(tmp_path / "ds"))
    assert len(writes) == 2
    assert dataset.load_pairs(tmp_path / "ds", res.event_id).num_rows > 0

    real_load, loads = pipeline.load_side, []

    def counting_load(paths, lang, other_side=()):
        loads.append(lang)
        return real_load(paths, "ko" if lang == "en" else lang, other_side)  # English files declared Korean

    monkeypatch.setattr(pipeline, "load_side", counting_load)
    with pytest.raises(LanguageError):
        align_event(event_dir=str(FLOODS), out=str(tmp_path / "ds2"))
    assert loads.count("en") == 1, "a language error must not be retried"
