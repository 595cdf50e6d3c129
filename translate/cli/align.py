"""``translate``, ``align`` and ``detect``: the commands that read articles."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from translate.cli.base import (
    BeamOpt,
    ComputeOpt,
    DatasetOpt,
    TestModelsOpt,
    ThreadsOpt,
    allow_test_models,
    app,
    debug_enabled,
    decode_settings,
    handled,
    progress_bar,
)
from translate.errors import CoverageAlignError, InputError

if TYPE_CHECKING:
    from rich.progress import TaskID

    from translate.engine import DecodeSettings
    from translate.pipeline import EventResult


def read_input(path: str) -> str:
    from translate.documents import decode_bytes, read_text

    if path == "-":
        # Bytes, not sys.stdin.read(): invalid UTF-8 or binary input is an InputError, not a traceback.
        return decode_bytes(sys.stdin.buffer.read(), "stdin")[0]
    return read_text(Path(path))


def _input_lines(path: str) -> list[str]:
    """One line per ``\\n``: str.splitlines() also splits on \\f, \\x1c, U+2028 and lone \\r."""
    from translate.documents import load_document

    text = read_input(path) if path == "-" else load_document(Path(path), normalise_newlines=False).text
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the final newline ends the last line; it does not start a new one
    return [line.removesuffix("\r") for line in lines]


@app.command("translate")
@handled
def translate_cmd(
    file: Annotated[str, typer.Argument(help="A text file, one sentence per line; - for stdin.")],
    from_code: Annotated[str, typer.Option("--from")] = "ko",
    to_code: Annotated[str, typer.Option("--to")] = "en",
    beam_size: BeamOpt = 4,
    compute_type: ComputeOpt = "auto",
    threads: ThreadsOpt = 0,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Bypass the cache.")] = False,
    test_models: TestModelsOpt = False,
) -> None:
    """Translate one sentence per line with an installed Argos package."""
    from translate.cache import TranslationCache
    from translate.config import cache_path
    from translate.engine import translate_sentences
    from translate.testmarks import TEST_MODEL_BANNER, is_test_version

    settings = decode_settings(beam_size, compute_type, threads)  # bad options before reading stdin
    lines = _input_lines(file)
    cache = None if no_cache else TranslationCache(cache_path())
    with allow_test_models(test_models):
        out, model = translate_sentences(lines, from_code, to_code, settings=settings, cache=cache)
    if is_test_version(model.version):
        typer.secho(TEST_MODEL_BANNER, fg="yellow", err=True)
    typer.echo("\n".join(t.replace("\n", " ") for t in out))  # one line out per line in


NO_MODELS_NOTICE = (
    "no translation model for {dirs}: aligned without machine translation, and the translation "
    "columns are empty. To add models: `coverage-align models install ko en` and `… en ko` "
    "(from the Argos index), or offline `coverage-align models install --file "
    "translate-ko_en.argosmodel` (see the README's Translation models section)."
)


def _judged(res: EventResult) -> str:
    """How the unlinked sentences split by their coverage verdict (confident omissions apart)."""
    if res.only_here + res.probably_reported != res.en_only + res.ko_only:
        # No verdict computed (a path that skips it): the older one-candidate hint count.
        return f"({res.possible_counterparts} with a possible counterpart)"
    return f"({res.only_here} only here, {res.probably_reported} probably reported)"


def print_summary(res: EventResult, notice: bool = True, dataset_line: bool = True) -> None:
    from translate.testmarks import TEST_MODEL_BANNER

    if res.test_models and notice:  # the demo prints it once, not once per event
        typer.secho(TEST_MODEL_BANNER, fg="yellow", bold=True, err=True)
    if res.missing_translations and notice:
        typer.secho(NO_MODELS_NOTICE.format(dirs=", ".join(res.missing_translations)), fg="yellow", err=True)
    from translate.textsafe import plural

    mode = res.mode if res.mode == res.requested_mode else f"{res.mode} (auto)"
    if res.previous is not None:  # a re-run: its summary alone would read like a fresh one
        typer.echo(f"updated event {res.event_id} (was: {res.previous})")
    typer.echo(
        f"{res.event_id}: {res.n_en} English and {plural(res.n_ko, 'Korean sentence')}; "
        f"{plural(res.n_pairs, 'pair')} in {plural(res.n_groups, 'group')}"
        f"{f' (+{res.also_linked} linked into one)' if res.also_linked else ''}, "
        f"{res.en_only} English-only, {res.ko_only} Korean-only {_judged(res)}, "
        f"{plural(res.n_links, 'link')}; "
        f"{plural(res.number_conflicts, 'number conflict')}, "
        f"{plural(res.flagged_numbers, 'row')} with any number difference; "
        f"mode {mode}; {res.seconds:.2f} s"
    )
    if dataset_line:
        typer.echo(f"dataset: {res.dataset}")
    for w in res.warnings:
        typer.secho(f"warning: {w}", fg="yellow", err=True)


def note_same_articles(root: Path, event_ids: list[str], *, scan: bool = True) -> None:
    """Say when a just-stored event holds the same articles as another stored event.

    ``scan`` reads the whole documents table once (align-folder, a batch); without it only
    the events align-folder paired are checked (one small file), so that a single ``align``
    costs the same on a dataset of any size.
    """
    from translate.dataset import PAIRING_STATE, event_hashes, same_articles

    wanted = set(event_ids)
    if scan:
        groups = [ids for ids in same_articles(root) if wanted & set(ids)]
    else:
        groups = []
        if not (root / PAIRING_STATE).is_file():  # align-folder never ran here
            return
        from translate.loose import paired_from

        for event_id in event_ids:
            others = [e for e in paired_from(root, event_hashes(root, event_id)) if e != event_id]
            if others:
                groups.append(sorted([event_id, *others]))
    for ids in groups:
        shown = " and ".join(ids[:3]) + (f" (+{len(ids) - 3} more)" if len(ids) > 3 else "")
        typer.secho(
            f"note: events {shown} hold the same articles (`coverage-align remove EVENT` deletes one)",
            fg="yellow",
            err=True,
        )


def run_align(
    en: list[Path] | None,
    ko: list[Path] | None,
    event_dir: Path | None,
    event_id: str | None,
    mode: str | None,
    out: Path | None,
    prefect: bool,
    settings: DecodeSettings | None = None,
    encoder: str | None = None,
    replace: bool = False,
) -> EventResult:
    """One event through the library (or as a Prefect flow with ``prefect``)."""
    from translate.cache import EmbeddingCache, TranslationCache
    from translate.config import cache_path, dataset_dir, embed_cache_path
    from translate.pipeline import resolve_event, run_event

    # Explicit options win; event.json fills what the command line left open.
    inputs = resolve_event(event_dir, en, ko, event_id, mode)
    en, ko, event_id, mode, meta = inputs.en, inputs.ko, inputs.event_id, inputs.mode, inputs.meta
    out = out or dataset_dir()
    from translate.summary import stored_state

    previous = stored_state(out, event_id)  # read before the run: the summary says what it replaced
    if prefect:
        # The temporary server Prefect starts when no PREFECT_API_URL is set inherits this:
        # no analytics from an offline tool (prefect.toml says the same, from the project root).
        os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
        if encoder is not None:  # the flow's embed tasks read the encoder from the environment
            os.environ["COVERAGE_ALIGN_ENCODER"] = encoder
        from flows.align_event import align_event

        _quiet_prefect_errors()
        try:
            res = align_event(
                event_dir=str(event_dir) if event_dir is not None else None,
                en_paths=[str(p) for p in en],
                ko_paths=[str(p) for p in ko],
                event_id=event_id,
                out=str(out),
                mode=mode,
                replace=replace,
            )
            res.previous = previous
            return res
        except RuntimeError as exc:
            if "Prefect API server" not in str(exc):
                raise
            raise CoverageAlignError(
                f"{exc} Start one with `prefect server start` and set PREFECT_API_URL, or drop --prefect"
            ) from exc
    with progress_bar() as bar:
        tasks: dict[str, TaskID] = {}

        def progress(label: str, done: int, total: int) -> None:
            if label not in tasks:
                tasks[label] = bar.add_task(label, total=total)
            bar.update(tasks[label], completed=done)

        res = run_event(
            en,
            ko,
            event_id=event_id,
            out=Path(out),
            mode=mode,
            cache=TranslationCache(cache_path()),
            embed_cache=EmbeddingCache(embed_cache_path()),
            settings=settings,
            encoder=encoder,
            progress=progress,
            event=meta,
            replace=replace,
            one_event=True,
        )
        res.previous = previous
        return res


def _quiet_prefect_errors() -> None:
    """Keep Prefect's error records (with tracebacks) in the flow log, off the terminal.

    The flow run's logger sends each record to the API first, so the flow log
    keeps the traceback; the console handler then drops errors, and our one
    line says what went wrong. ``--debug`` leaves Prefect's output alone.
    """
    import logging

    if debug_enabled():
        return

    def no_errors(record: logging.LogRecord) -> bool:
        # Prefect's own records and its temporary server's (docket, uvicorn) alike, and
        # the "Finished in state Failed(…)" line, which repeats the error once more.
        if record.name.startswith("coverage_align"):
            return True
        failed = str(record.msg).startswith("Finished in state") and "Failed(" in record.getMessage()
        return record.levelno < logging.ERROR and not failed

    for handler in logging.getLogger().handlers:
        if type(handler).__name__ == "PrefectConsoleHandler" and no_errors not in handler.filters:
            handler.addFilter(no_errors)


def _stdin_files(en: list[Path] | None, ko: list[Path] | None, tmp: Path) -> tuple[list[Path], list[Path]]:
    """``-`` among --en/--ko becomes stdin, spooled to ``tmp/stdin.txt`` for this run.

    The article is read once (bounded by COVERAGE_ALIGN_MAX_BYTES) and then goes
    through the same loading as a file; its content hash identifies it.
    """
    from translate.config import max_bytes
    from translate.errors import InputError

    en, ko = list(en or []), list(ko or [])
    dashes = [p for p in en + ko if str(p) == "-"]
    if not dashes:
        return en, ko
    if len(dashes) > 1:
        raise InputError("only one article can come from stdin (-)")
    limit = max_bytes()
    data = sys.stdin.buffer.read(limit + 1)
    if len(data) > limit:
        raise InputError(f"stdin is over the {limit:,}-byte limit (COVERAGE_ALIGN_MAX_BYTES)")
    spooled = tmp / "stdin.txt"
    spooled.write_bytes(data)
    return [spooled if str(p) == "-" else p for p in en], [spooled if str(p) == "-" else p for p in ko]


@app.command("align")
@handled
def align_cmd(
    en: Annotated[
        list[Path] | None,
        typer.Option("--en", metavar="FILE", help="English article (repeat for several; - for stdin)."),
    ] = None,
    ko: Annotated[
        list[Path] | None,
        typer.Option("--ko", metavar="FILE", help="Korean article (repeat for several; - for stdin)."),
    ] = None,
    event: Annotated[Path | None, typer.Option("--event", help="Folder with en/ and ko/.")] = None,
    event_id: Annotated[
        str | None,
        typer.Option("--event-id", help="Dataset key (default: event.json's, the folder or file names)."),
    ] = None,
    mode: Annotated[
        str | None,
        typer.Option(help="comparable, parallel or auto (default: event.json's, else comparable)."),
    ] = None,
    dataset: DatasetOpt = None,
    replace: Annotated[
        bool,
        typer.Option("--replace", help="Overwrite an event of the same id that holds other articles."),
    ] = False,
    prefect: Annotated[bool, typer.Option("--prefect", help="Run as a tracked Prefect flow.")] = False,
    encoder: Annotated[
        str | None,
        typer.Option(help="Sentence encoder: use-m3-onnx (default), use-m3, e5-small, labse or none."),
    ] = None,
    test_models: TestModelsOpt = False,
    beam_size: BeamOpt = 4,
    compute_type: ComputeOpt = "auto",
    threads: ThreadsOpt = 0,
) -> None:
    """Detect, segment, embed, translate both ways, align and store one event.

    With --event, the folder's event.json supplies the mode and event id unless given here.
    """
    import tempfile

    from translate.align import MODES

    if mode is not None and mode not in MODES:
        raise InputError(f"--mode must be one of {', '.join(MODES)}, not {mode!r}")
    if event is not None and (en or ko):  # the folder's files won and --en/--ko were silently dropped
        given = " and ".join(f"--{side}" for side, files in (("en", en), ("ko", ko)) if files)
        raise InputError(
            f"give either an event folder (--event) or the articles ({given}), not both: "
            "put the files in the folder's en/ and ko/, or drop --event"
        )
    settings = decode_settings(beam_size, compute_type, threads)
    with tempfile.TemporaryDirectory(prefix="coverage-align-stdin-") as tmp, allow_test_models(test_models):
        en, ko = _stdin_files(en, ko, Path(tmp)) if event is None else (en, ko)
        res = run_align(en, ko, event, event_id, mode, dataset, prefect, settings, encoder, replace)
    print_summary(res)
    note_same_articles(Path(res.dataset), [res.event_id], scan=False)


@app.command("detect")
@handled
def detect_cmd(file: Annotated[str, typer.Argument(help="A text file, or - for stdin.")]) -> None:
    """Detect the language of a document and of each of its sentences."""
    from collections import Counter

    from translate.langid import detect, detect_document
    from translate.segment import segment
    from translate.textsafe import one_line

    text = read_input(file)
    doc = detect_document(text)
    runner = f", runner-up {doc.runner_up} {doc.runner_up_confidence:.2f}" if doc.runner_up else ""
    typer.echo(f"document: {doc.lang} (confidence {doc.confidence:.2f}, {doc.method}{runner})")
    sents = segment(text, doc.lang if doc.lang in ("en", "ko") else "auto")
    guesses = [detect(s.text, hint=doc.lang) for s in sents]
    counts = Counter(g.lang for g in guesses)
    typer.echo("sentences: " + ", ".join(f"{k} {v}" for k, v in counts.most_common()))
    for s, g in zip(sents, guesses, strict=True):
        if g.lang != doc.lang:
            typer.echo(f"  [{s.start}:{s.end}] {g.lang} ({g.confidence:.2f}): {one_line(s.text[:80])}")
