"""Flow ``align-event``: one event folder (``en/`` and ``ko/``) into the dataset."""

from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.runtime import flow_run

from flows._runtime import PLAIN, RETRY, worth_retrying
from translate import pipeline
from translate.cache import TranslationCache
from translate.config import cache_path, dataset_dir


@task(**RETRY, retry_condition_fn=worth_retrying)
def load_side(paths: list[str], lang: str) -> pipeline.SideText:
    return pipeline.load_side([Path(p) for p in paths], lang)


@task(**PLAIN)
def segment_side(side: pipeline.SideText) -> pipeline.SideText:
    return pipeline.segment_side(side)


@task(**RETRY, retry_condition_fn=worth_retrying)
def translate_side(side: pipeline.SideText, to_lang: str) -> dict:
    # The persistent cache makes a retried or repeated run skip the model.
    with TranslationCache(cache_path()) as cache:
        return pipeline.translate_side(side, to_lang, cache=cache)


@task(**PLAIN)
def align_sides(en: pipeline.SideText, ko: pipeline.SideText, mode: str):
    return pipeline.align_sides(en, ko, mode)


@task(**RETRY, retry_condition_fn=worth_retrying)
def write_rows(out: str, event_id: str, rows: dict, prov: dict) -> str:
    return str(pipeline.write_rows(Path(out), event_id, rows, prov))


def _artifact_key(event_id: str) -> str:
    return "align-" + "".join(c if c.isalnum() else "-" for c in event_id.lower())[:90]


def _markdown(res: pipeline.EventResult) -> str:
    lines = [
        f"# {res.event_id}",
        "",
        "| what | value |",
        "| --- | --- |",
        f"| English sentences | {res.n_en} |",
        f"| Korean sentences | {res.n_ko} |",
        f"| pairs | {res.n_pairs} |",
        f"| English only | {res.en_only} |",
        f"| Korean only | {res.ko_only} |",
        f"| rows with number differences | {res.flagged_numbers} |",
        f"| mode | {res.mode} (asked: {res.requested_mode}) |",
        f"| models | {', '.join(p['code'] + ' ' + p['version'] for p in res.packages)} |",
        f"| dataset | `{res.dataset}` |",
    ]
    if res.test_models:
        lines.insert(1, "\n**TEST MODELS: translations are meaningless.**\n")
    return "\n".join(lines)


@flow(name="align-event", log_prints=True)
def align_event(
    event_dir: str | None = None,
    en_paths: list[str] | None = None,
    ko_paths: list[str] | None = None,
    event_id: str | None = None,
    out: str | None = None,
    mode: str = "comparable",
) -> pipeline.EventResult:
    """Detect, segment, translate KO→EN and EN→KO, align and write one event."""
    import time

    logger = get_run_logger()
    t0 = time.perf_counter()
    en_files, ko_files, event_id = pipeline.resolve_inputs(event_dir, en_paths, ko_paths, event_id)
    out = out or str(dataset_dir())
    en = segment_side(load_side([str(p) for p in en_files], "en"))
    ko = segment_side(load_side([str(p) for p in ko_files], "ko"))
    logger.info("%s: %d English and %d Korean sentences", event_id, len(en.sentences), len(ko.sentences))
    packages = [translate_side(ko, "en"), translate_side(en, "ko")]
    alignment = align_sides(en, ko, mode)
    rows = pipeline.build_rows(en, ko, alignment)
    prov = pipeline.provenance(alignment, packages, run_id=str(flow_run.get_id() or "") or None)
    write_rows(out, event_id, rows, prov)
    result = pipeline.summarise(event_id, en, ko, alignment, rows, packages, Path(out), t0)
    create_markdown_artifact(
        key=_artifact_key(event_id), markdown=_markdown(result), description=f"alignment of {event_id}"
    )
    logger.info(
        "%s: %d pairs, %d English-only, %d Korean-only, %d number differences, mode %s",
        event_id,
        result.n_pairs,
        result.en_only,
        result.ko_only,
        result.flagged_numbers,
        result.mode,
    )
    return result
