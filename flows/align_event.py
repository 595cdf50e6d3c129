"""Flow ``align-event``: one event folder (``en/`` and ``ko/``) into the dataset."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact
from prefect.futures import PrefectFuture
from prefect.runtime import flow_run

from flows._runtime import plain_task, retrying_task
from translate import pipeline
from translate.cache import EmbeddingCache, TranslationCache
from translate.config import cache_path, dataset_dir, embed_cache_path


@retrying_task
def load_side(paths: list[str], lang: str, other_side: list[str] | None = None) -> pipeline.SideText:
    return pipeline.load_side([Path(p) for p in paths], lang, [Path(p) for p in other_side or []])


@plain_task
def segment_side(side: pipeline.SideText) -> pipeline.SideText:
    return pipeline.segment_side(side)


@retrying_task
def translate_side(side: pipeline.SideText, to_lang: str) -> pipeline.Translation | None:
    # The persistent cache makes a retried or repeated run skip the model.
    with TranslationCache(cache_path()) as cache:
        return pipeline.translate_side(side, to_lang, cache=cache)


@retrying_task
def embed_side(side: pipeline.SideText) -> pipeline.Embeddings | None:
    with EmbeddingCache(embed_cache_path()) as cache:
        return pipeline.embed_side(side, cache=cache)


@plain_task
def align_sides(
    en: pipeline.SideText,
    ko: pipeline.SideText,
    mode: str,
    signals: dict,
):
    # Word-level evidence encodes single words; the cache keeps them across events.
    with EmbeddingCache(embed_cache_path()) as cache:
        return pipeline.align_sides(en, ko, mode, embed_cache=cache, **signals)


@retrying_task
def write_rows(out: str, event_id: str, rows: dict, prov: dict, replace: bool = False) -> str:
    return str(pipeline.write_rows(Path(out), event_id, rows, prov, replace))


def report_path(out: str | Path, event_id: str) -> Path:
    """``<dataset>/../reports/<event>.html``: beside the dataset, as the demo lays it out."""
    return Path(out).resolve().parent / "reports" / f"{event_id}.html"


@retrying_task
def write_report(out: str, event_id: str, rows: dict, prov: dict) -> str:
    from datetime import UTC, datetime

    from translate.outfile import write_output
    from translate.report import render_html

    prov = {"created_at": datetime.now(UTC).isoformat(timespec="seconds"), **prov}
    path = report_path(out, event_id)
    write_output(path, render_html(event_id, rows["pairs"], rows["documents"], prov))
    return str(path)


def _artifact_key(event_id: str) -> str:
    """Prefect keys allow only ASCII lowercase letters, digits and '-': a Hangul id keeps
    its ASCII part and gains a short hash, so two such events never share a key."""
    import hashlib

    ascii_part = "".join(c if c.isascii() and c.isalnum() else "-" for c in event_id.lower())[:80]
    if ascii_part == event_id.lower():
        return f"align-{ascii_part}"
    return f"align-{ascii_part.strip('-')}-{hashlib.sha256(event_id.encode()).hexdigest()[:8]}".replace(
        "--", "-"
    )


def _cell(text: str | None, limit: int = 160) -> str:
    text = (text or "").replace("|", "\\|").replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _markdown(res: pipeline.EventResult, report: str | None = None) -> str:
    models = ", ".join(p["code"] + " " + p["version"] for p in res.packages) or "none"
    lines = [
        f"# {res.event_id}",
        "",
        "| what | value |",
        "| --- | --- |",
        f"| English sentences | {res.n_en} |",
        f"| Korean sentences | {res.n_ko} |",
        f"| pairs | {res.n_pairs} |",
        f"| linked groups | {res.n_groups} |",
        f"| sentences linked into another row (also in #N) | {res.also_linked} |",
        f"| links (many-to-many) | {res.n_links} |",
        f"| English only | {res.en_only} |",
        f"| Korean only | {res.ko_only} |",
        f"| only here (confident omissions, both sides) | {res.only_here} |",
        f"| probably reported (uncertain, both sides) | {res.probably_reported} |",
        f"| rows with number differences | {res.flagged_numbers} |",
        f"| mode | {res.mode} (asked: {res.requested_mode}) |",
        f"| encoder / scorer | {res.encoder or 'none'} / {res.scorer} |",
        f"| translation models | {models} |",
        f"| dataset | `{Path(res.dataset).resolve()}` |",
    ]
    if report:
        lines.append(f"| HTML report | [{report}]({Path(report).as_uri()}) |")
    if res.missing_translations:
        lines.insert(1, f"\nNo translation model for {', '.join(res.missing_translations)}.\n")
    if res.test_models:
        lines.insert(1, "\n**TEST MODELS: translations are meaningless.**\n")
    for side, title in (("en", "Only in the English coverage"), ("ko", "Only in the Korean coverage")):
        if res.unmatched.get(side):
            lines += ["", f"## {title}", ""] + [f"- {_cell(t)}" for t in res.unmatched[side]]
    for side, name in (("en", "English"), ("ko", "Korean")):
        if res.probably.get(side):  # unlinked, but the other side likely carries them: no omission
            title = f"## {name} sentences probably reported by the other side (no link)"
            lines += ["", title, ""] + [f"- {_cell(t)}" for t in res.probably[side]]
    if res.number_differences:
        lines += [
            "",
            "## Number differences",
            "",
            "| English | Korean | only EN | only KO |",
            "| --- | --- | --- | --- |",
        ]
        for d in res.number_differences:
            only_en, only_ko = ", ".join(d["only_en"]), ", ".join(d["only_ko"])
            lines.append(f"| {_cell(d['en'])} | {_cell(d['ko'])} | {only_en} | {only_ko} |")
    return "\n".join(lines)


@flow(name="align-event", log_prints=True)
def align_event(
    event_dir: str | None = None,
    en_paths: list[str] | None = None,
    ko_paths: list[str] | None = None,
    event_id: str | None = None,
    out: str | None = None,
    mode: str | None = None,
    default_mode: str = "comparable",
    replace: bool = False,
) -> pipeline.EventResult:
    """Detect, segment, embed, translate KO→EN and EN→KO, align and write one event.

    ``mode`` forces a mode; left empty, the folder's event.json decides, then
    ``default_mode``. An event id the dataset holds for other articles is
    refused unless ``replace`` (see ``pipeline.resolve_event`` and
    ``translate.dataset.check_sources``).
    """
    logger = get_run_logger()
    t0 = time.perf_counter()
    inputs = pipeline.resolve_event(event_dir, en_paths, ko_paths, event_id, mode, default_mode=default_mode)
    event_id, mode = inputs.event_id, inputs.mode
    out = out or str(dataset_dir())
    en_files, ko_files = [str(p) for p in inputs.en], [str(p) for p in inputs.ko]
    en = segment_side(load_side(en_files, "en", ko_files))
    ko = segment_side(load_side(ko_files, "ko", en_files))
    pipeline.check_overwrite(Path(out), event_id, en, ko, replace)
    logger.info("%s: %d English and %d Korean sentences", event_id, len(en.sentences), len(ko.sentences))
    # The four signal tasks are independent: submitted, they overlap on the task runner.
    futures: dict[str, PrefectFuture[Any]] = {
        "ko2en": translate_side.submit(ko, "en"),
        "en2ko": translate_side.submit(en, "ko"),
        "emb_en": embed_side.submit(en),
        "emb_ko": embed_side.submit(ko),
    }
    signals = {name: f.result() for name, f in futures.items()}
    for name in ("ko2en", "en2ko"):
        if signals[name] is None:
            logger.warning("no %s translation model installed: aligning without it", name)
    alignment = align_sides(en, ko, mode, signals)
    translations = (signals["ko2en"], signals["en2ko"])
    rows = pipeline.build_rows(en, ko, alignment, en2ko=signals["en2ko"], ko2en=signals["ko2en"])
    run_id = str(flow_run.get_id() or "") or None
    prov = pipeline.build_provenance(alignment, translations, run_id=run_id, event=inputs.meta)
    write_rows(out, event_id, rows, prov, replace)
    report = write_report(out, event_id, rows, prov)
    result = pipeline.summarise(event_id, en, ko, alignment, rows, translations, Path(out), t0)
    create_markdown_artifact(
        key=_artifact_key(event_id),
        markdown=_markdown(result, report),
        description=f"alignment of {event_id}",
    )
    logger.info(
        "%s: %d pairs in %d groups (+%d also linked), %d links, %d English-only, %d Korean-only, "
        "%d number differences, mode %s",
        event_id,
        result.n_pairs,
        result.n_groups,
        result.also_linked,
        result.n_links,
        result.en_only,
        result.ko_only,
        result.flagged_numbers,
        result.mode,
    )
    return result
