"""The ``coverage-align`` command line.

Imports are lazy: ``--help`` must stay fast, and commands that do not need
Prefect, pyarrow or CTranslate2 must not pay for them.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, ParamSpec, TypeVar

import typer

from translate.errors import CoverageAlignError

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, TaskID

    from translate.engine import DecodeSettings
    from translate.models import ModelInfo
    from translate.pipeline import EventResult

P = ParamSpec("P")
R = TypeVar("R")

app = typer.Typer(
    help="Align English and Korean press coverage of one event, offline.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
models_app = typer.Typer(help="Manage offline Argos Translate models.", no_args_is_help=True)
app.add_typer(models_app, name="models")

_debug = False


def _version(value: bool) -> None:
    if value:
        from translate import __version__

        typer.echo(f"coverage-align {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    global _debug
    _debug = debug


def _fail(exc: CoverageAlignError) -> NoReturn:
    from translate.textsafe import one_line

    if _debug:
        raise exc
    # Messages quote file names and text: one line, no control characters.
    typer.secho(f"error: {one_line(str(exc))}", fg="red", err=True)
    raise typer.Exit(exc.exit_code)


def handled(fn: Callable[P, R]) -> Callable[P, R]:
    """Turn a CoverageAlignError into one red line and its exit code (a traceback with --debug)."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except CoverageAlignError as exc:
            _fail(exc)

    return wrapper


def _console() -> Console:
    from rich.console import Console

    return Console(stderr=True)


DatasetOpt = Annotated[
    Path | None, typer.Option("--dataset", "--out", help="Dataset directory (default: DATA/parallel).")
]
BeamOpt = Annotated[int, typer.Option("--beam-size", help="Beam size (Argos uses 4).")]
ComputeOpt = Annotated[str, typer.Option("--compute-type", help="auto, int8, float32, … (CTranslate2).")]
ThreadsOpt = Annotated[int, typer.Option("--threads", help="CPU threads for translation (0 = all).")]


def _settings(beam_size: int = 4, compute_type: str = "auto", threads: int = 0) -> DecodeSettings:
    from translate.engine import DecodeSettings

    return DecodeSettings(beam_size=beam_size, compute_type=compute_type, threads=threads)


# ---------------------------------------------------------------- models


@models_app.command("list")
def models_list() -> None:
    """Installed packages: code, version and direction."""
    from translate.models import list_installed, packages_dir

    found = list_installed()
    if not found:
        typer.echo(f"no Argos packages installed in {packages_dir()}")
        return
    for m in found:
        typer.echo(f"{m.direction}\t{m.code}\t{m.version}\t{m.path}")


@models_app.command("available")
@handled
def models_available() -> None:
    """Packages offered by the Argos index (needs network)."""
    from translate.models import available

    for m in available():
        typer.echo(f"{m.direction}\t{m.code}\t{m.version}")


@models_app.command("install")
@handled
def models_install(
    from_code: Annotated[str | None, typer.Argument(help="Source language, e.g. ko")] = None,
    to_code: Annotated[str | None, typer.Argument(help="Target language, e.g. en")] = None,
    file: Annotated[
        Path | None, typer.Option("--file", help="Install a local .argosmodel file (offline).")
    ] = None,
) -> None:
    """Install a package from the Argos index, or from a file with --file."""
    from translate import models

    if file is not None:
        info = models.install_file(file)
    elif from_code and to_code:
        info = _install_from_index(from_code, to_code)
    else:
        raise typer.BadParameter("give FROM TO (e.g. `ko en`) or --file PATH")
    typer.echo(f"installed {info.code} {info.version} ({info.direction}) in {info.path}")


def _install_from_index(from_code: str, to_code: str) -> ModelInfo:
    from rich.progress import DownloadColumn, Progress, TransferSpeedColumn

    from translate import models

    with Progress(
        *Progress.get_default_columns(), DownloadColumn(), TransferSpeedColumn(), console=_console()
    ) as bar:
        task = bar.add_task(f"{from_code}→{to_code}", total=None)
        return models.install_from_index(
            from_code, to_code, lambda done, total: bar.update(task, completed=done, total=total)
        )


@models_app.command("remove")
@handled
def models_remove(from_code: str, to_code: str) -> None:
    """Remove the installed package for a direction."""
    from translate.models import remove

    info = remove(from_code, to_code)
    typer.echo(f"removed {info.code} ({info.direction})")


class BuildSize(StrEnum):
    tiny = "tiny"
    realistic = "realistic"


@models_app.command("build-test")
@handled
def models_build_test(
    out: Annotated[
        Path | None, typer.Option(help="Where to write the .argosmodel files (default: DATA/test-models).")
    ] = None,
    install: Annotated[bool, typer.Option(help="Also install them.")] = True,
    size: Annotated[
        BuildSize,
        typer.Option(help="tiny (tests, demo) or realistic (Argos-sized, ~85 MB each, for benchmarks)."),
    ] = BuildSize.tiny,
) -> None:
    """Build ko↔en TEST packages (random weights, meaningless output)."""
    from translate.config import data_dir
    from translate.models import packages_dir
    from translate.testmodels import TEST_MODEL_BANNER, install_test_models

    typer.secho(TEST_MODEL_BANNER, fg="yellow", bold=True, err=True)
    paths = install_test_models(
        out or data_dir() / "test-models", install=install, realistic=size == BuildSize.realistic
    )
    for path in paths:
        typer.echo(f"built {path}" + (f", installed in {packages_dir()}" if install else ""))


# ---------------------------------------------------------------- translate


def _read_input(path: str) -> str:
    from translate.documents import decode_bytes, read_text

    if path == "-":
        # Bytes, not sys.stdin.read(): invalid UTF-8 or binary input is an InputError, not a traceback.
        return decode_bytes(sys.stdin.buffer.read(), "stdin")[0]
    return read_text(Path(path))


def _input_lines(path: str) -> list[str]:
    """One line per ``\\n``: str.splitlines() also splits on \\f, \\x1c, U+2028 and lone \\r."""
    from translate.documents import load_document

    text = _read_input(path) if path == "-" else load_document(Path(path), normalise_newlines=False).text
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
) -> None:
    """Translate one sentence per line with an installed Argos package."""
    from translate.cache import TranslationCache
    from translate.config import cache_path
    from translate.engine import translate_sentences
    from translate.testmodels import TEST_MODEL_BANNER, is_test_version

    lines = _input_lines(file)
    cache = None if no_cache else TranslationCache(cache_path())
    out, model = translate_sentences(
        lines, from_code, to_code, settings=_settings(beam_size, compute_type, threads), cache=cache
    )
    if is_test_version(model.version):
        typer.secho(TEST_MODEL_BANNER, fg="yellow", err=True)
    typer.echo("\n".join(t.replace("\n", " ") for t in out))  # one line out per line in


# ---------------------------------------------------------------- align


def _progress_bar() -> Progress:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=_console(),
        transient=True,
    )


NO_MODELS_NOTICE = (
    "no translation model for {dirs}: aligned without machine translation, and the translation "
    "columns are empty. To add models: `coverage-align models install ko en` and `… en ko` "
    "(from the Argos index), or offline `coverage-align models install --file "
    "translate-ko_en.argosmodel` (see the README's Models section)."
)


def _print_summary(res: EventResult, notice: bool = True) -> None:
    from translate.testmodels import TEST_MODEL_BANNER

    if res.test_models:
        typer.secho(TEST_MODEL_BANNER, fg="yellow", bold=True, err=True)
    if res.missing_translations and notice:
        typer.secho(NO_MODELS_NOTICE.format(dirs=", ".join(res.missing_translations)), fg="yellow", err=True)
    mode = res.mode if res.mode == res.requested_mode else f"{res.mode} (auto)"
    typer.echo(
        f"{res.event_id}: {res.n_en} English and {res.n_ko} Korean sentences; "
        f"{res.n_pairs} pairs, {res.en_only} English-only, {res.ko_only} Korean-only, "
        f"{res.n_links} links; {res.flagged_numbers} number differences; mode {mode}; {res.seconds:.2f} s"
    )
    typer.echo(f"dataset: {res.dataset}")
    for w in res.warnings:
        typer.secho(f"warning: {w}", fg="yellow", err=True)


def _run_align(
    en: list[Path] | None,
    ko: list[Path] | None,
    event_dir: Path | None,
    event_id: str | None,
    mode: str | None,
    out: Path | None,
    prefect: bool,
    settings: DecodeSettings | None = None,
    encoder: str | None = None,
) -> EventResult:
    from translate.align import MODES
    from translate.cache import EmbeddingCache, TranslationCache
    from translate.config import cache_path, dataset_dir, embed_cache_path
    from translate.errors import InputError
    from translate.pipeline import event_meta, resolve_inputs, run_event

    meta = event_meta(event_dir)
    # event.json fills what the command line left open; explicit options win.
    if event_id is None:  # an explicit '' stays '' and is refused as an invalid id
        event_id = meta.get("event_id")
    mode = mode or meta.get("mode") or "comparable"
    if mode not in MODES:
        raise InputError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    en, ko, event_id = resolve_inputs(event_dir, en, ko, event_id)
    out = out or dataset_dir()
    if prefect:
        # The temporary server Prefect starts when no PREFECT_API_URL is set inherits this:
        # no analytics from an offline tool (prefect.toml says the same, from the project root).
        os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
        if encoder is not None:  # the flow's embed tasks read the encoder from the environment
            os.environ["COVERAGE_ALIGN_ENCODER"] = encoder
        from flows.align_event import align_event

        _quiet_prefect_errors()
        try:
            return align_event(
                en_paths=[str(p) for p in en],
                ko_paths=[str(p) for p in ko],
                event_id=event_id,
                out=str(out),
                mode=mode,
            )
        except RuntimeError as exc:
            if "Prefect API server" not in str(exc):
                raise
            raise CoverageAlignError(
                f"{exc} Start one with `prefect server start` and set PREFECT_API_URL, or drop --prefect"
            ) from exc
    with _progress_bar() as bar:
        tasks: dict[str, TaskID] = {}

        def progress(label: str, done: int, total: int) -> None:
            if label not in tasks:
                tasks[label] = bar.add_task(label, total=total)
            bar.update(tasks[label], completed=done)

        return run_event(
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
        )


def _quiet_prefect_errors() -> None:
    """Keep Prefect's error records (with tracebacks) in the flow log, off the terminal.

    The flow run's logger sends each record to the API first, so the flow log
    keeps the traceback; the console handler then drops errors, and our one
    line says what went wrong. ``--debug`` leaves Prefect's output alone.
    """
    import logging

    if _debug:
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


@app.command("align")
@handled
def align_cmd(
    en: Annotated[
        list[Path] | None, typer.Option("--en", help="English article file (repeat for several).")
    ] = None,
    ko: Annotated[
        list[Path] | None, typer.Option("--ko", help="Korean article file (repeat for several).")
    ] = None,
    event: Annotated[Path | None, typer.Option("--event", help="Folder with en/ and ko/.")] = None,
    event_id: Annotated[str | None, typer.Option("--event-id", help="Dataset key.")] = None,
    mode: Annotated[
        str | None,
        typer.Option(help="comparable, parallel or auto (default: event.json's, else comparable)."),
    ] = None,
    dataset: DatasetOpt = None,
    prefect: Annotated[bool, typer.Option("--prefect", help="Run as a tracked Prefect flow.")] = False,
    encoder: Annotated[
        str | None,
        typer.Option(help="Sentence encoder: use-m3-onnx (default), use-m3, e5-small, labse or none."),
    ] = None,
    beam_size: BeamOpt = 4,
    compute_type: ComputeOpt = "auto",
    threads: ThreadsOpt = 0,
) -> None:
    """Detect, segment, embed, translate both ways, align and store one event.

    With --event, the folder's event.json supplies the mode and event id unless given here.
    """
    from translate.align import MODES

    if mode is not None and mode not in MODES:
        raise typer.BadParameter(f"--mode must be one of {', '.join(MODES)}")
    settings = _settings(beam_size, compute_type, threads)
    _print_summary(_run_align(en, ko, event, event_id, mode, dataset, prefect, settings, encoder))


# ---------------------------------------------------------------- views


def _load_event(event_id: str, dataset: Path | None) -> tuple[list[dict], list[dict], dict]:
    from translate.config import dataset_dir
    from translate.dataset import load_event, pending_journals

    root = dataset or dataset_dir()
    if event_id in pending_journals(root):  # readers never replay a journal themselves
        typer.secho(
            f"warning: event {event_id!r} has an unfinished write (journal pending); showing the last "
            f"complete state. Run `coverage-align repair --dataset {root}` or align it again.",
            fg="yellow",
            err=True,
        )
    return load_event(root, event_id)


@app.command("show")
@handled
def show_cmd(
    event_id: Annotated[str, typer.Argument(help="Event id in the dataset.")],
    only: Annotated[str | None, typer.Option(help="ko-only, en-only or diffs.")] = None,
    dataset: DatasetOpt = None,
    no_translations: Annotated[
        bool, typer.Option("--no-translations", help="Hide the machine translations.")
    ] = False,
    pager: Annotated[bool, typer.Option(help="Page long output when stdout is a terminal.")] = True,
) -> None:
    """Show an event side by side in the terminal (paged on a terminal, plain text when piped)."""
    from rich.console import Console

    from translate.show import render, select_rows

    pairs, _, prov = _load_event(event_id, dataset)
    try:
        rows = select_rows(pairs, only)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    console = Console()
    title = f"{event_id} · mode {prov.get('aligner', {}).get('mode', '?')} · {len(rows)} rows"
    if prov.get("test_models"):
        from translate.testmodels import TEST_MODEL_BANNER

        title += f" · {TEST_MODEL_BANNER}"
    elif not prov.get("packages"):
        title += " · no machine translations"
    if pager and console.is_terminal:
        # styles=True keeps colours; rich's pager honours $PAGER (less -R works best).
        with console.pager(styles=True):
            render(rows, title, console, translations=not no_translations)
    else:
        render(rows, title, console, translations=not no_translations)


@app.command("events")
@handled
def events_cmd(
    dataset: DatasetOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """List the dataset's events with their counts, alignment time and models."""
    import json

    from translate.config import dataset_dir
    from translate.summary import COLUMNS, event_summaries

    root = dataset or dataset_dir()
    rows = event_summaries(root)
    if as_json:
        for r in rows:
            typer.echo(json.dumps(r, ensure_ascii=False))
        return
    if not rows:
        typer.echo(f"no events in {root}")
        return
    from rich import box
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if not console.is_terminal:  # piped: tab-separated, one event per line, for cut/awk/sort
        typer.echo("\t".join(heading for _, heading in COLUMNS))
        for r in rows:
            typer.echo("\t".join(str(r[key]) for key, _ in COLUMNS))
        return
    table = Table(title=f"{len(rows)} events in {root}", box=box.SIMPLE)
    for key, heading in COLUMNS:
        numeric = key not in ("event_id", "mode", "aligned", "models", "encoder")
        table.add_column(heading, justify="right" if numeric else "left", overflow="fold")
    for r in rows:
        table.add_row(*(str(r[key]) for key, _ in COLUMNS))
    console.print(table)


@app.command("export")
@handled
def export_cmd(
    event_id: Annotated[str | None, typer.Argument(help="Event id (or --all).")] = None,
    all_events: Annotated[bool, typer.Option("--all", help="Every event in the dataset.")] = False,
    fmt: Annotated[str, typer.Option("--format", help="tmx, jsonl or moses.")] = "tmx",
    to: Annotated[
        Path | None, typer.Option("--to", help="Output file (moses: a prefix for PATH.en, PATH.ko).")
    ] = None,
    min_score: Annotated[
        float | None,
        typer.Option("--min-score", help="Lowest score kept (default: the event's threshold)."),
    ] = None,
    dataset: DatasetOpt = None,
) -> None:
    """Export matched pairs as TMX 1.4b, Hugging Face JSONL or Moses parallel text."""
    from translate.config import dataset_dir
    from translate.errors import InputError
    from translate.export import FORMATS, export, select_pairs

    if fmt not in FORMATS:
        raise InputError(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if (event_id is None) == (not all_events):
        raise InputError("give one EVENT or --all")
    if to is None:
        raise InputError("give the output path with --to PATH")
    if min_score is not None and not 0.0 <= min_score <= 1.0:
        raise InputError("--min-score must be between 0 and 1")
    pairs = select_pairs(
        dataset or dataset_dir(), None if all_events or event_id is None else [event_id], min_score
    )
    for path in export(pairs, fmt, to):
        typer.echo(f"{fmt}: {len(pairs)} pairs → {path}")


@app.command("report")
@handled
def report_cmd(
    event_id: Annotated[str | None, typer.Argument(help="Event id in the dataset (or --all).")] = None,
    html_path: Annotated[
        Path | None, typer.Option("--html", help="HTML file to write (with --all: a directory).")
    ] = None,
    all_events: Annotated[
        bool, typer.Option("--all", help="A report per event plus index.html in the --html directory.")
    ] = False,
    dataset: DatasetOpt = None,
) -> None:
    """Write a self-contained HTML side-by-side report of an event (or of every event)."""
    from translate.errors import InputError

    if html_path is None:
        raise InputError("give the output with --html PATH")
    if all_events:
        if event_id is not None:
            raise InputError("give one EVENT or --all, not both")
        index, n = _write_all_reports(html_path, dataset)
        typer.echo(f"reports: {n} events, index {index}")
        return
    if event_id is None:
        raise InputError("give one EVENT or --all")
    _write_report(event_id, html_path, dataset)
    typer.echo(f"report: {html_path}")


def _write_page(path: Path, page: str) -> None:
    from translate.errors import InputError

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc}") from exc


def _write_report(event_id: str, html_path: Path, dataset: Path | None) -> None:
    from translate.report import render_html

    pairs, docs, prov = _load_event(event_id, dataset)
    _write_page(html_path, render_html(event_id, pairs, docs, prov))


def _write_all_reports(out_dir: Path, dataset: Path | None) -> tuple[Path, int]:
    """Every event's report and an index; each table is read once, not once per event."""
    from itertools import groupby

    from translate.config import dataset_dir
    from translate.dataset import load_documents, load_pairs, read_provenance
    from translate.report import render_html, render_index
    from translate.summary import event_summaries

    root = dataset or dataset_dir()
    summaries = event_summaries(root)
    docs: dict[str, list[dict]] = {}
    for d in load_documents(root).to_pylist():
        docs.setdefault(d["event_id"], []).append(d)
    pairs = load_pairs(root).to_pylist()  # sorted by event_id, row_index
    for event_id, rows in groupby(pairs, key=lambda r: r["event_id"]):
        page = render_html(event_id, list(rows), docs.get(event_id, []), read_provenance(root, event_id))
        _write_page(out_dir / f"{event_id}.html", page)
    index = out_dir / "index.html"
    _write_page(index, render_index(summaries, str(Path(root).resolve())))
    return index, len(summaries)


@app.command("repair")
@handled
def repair_cmd(
    event_id: Annotated[str | None, typer.Argument(help="Only this event (default: all).")] = None,
    dataset: DatasetOpt = None,
) -> None:
    """Finish writes interrupted after their commit and remove killed writers' leftovers."""
    from translate.config import dataset_dir
    from translate.dataset import repair

    root = dataset or dataset_dir()
    done = repair(root, event_id)
    typer.echo(f"repaired {', '.join(done)} in {root}" if done else f"nothing to repair in {root}")


@app.command("detect")
@handled
def detect_cmd(file: Annotated[str, typer.Argument(help="A text file, or - for stdin.")]) -> None:
    """Detect the language of a document and of each of its sentences."""
    from collections import Counter

    from translate.langid import detect, detect_document
    from translate.segment import segment
    from translate.textsafe import one_line

    text = _read_input(file)
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


# ---------------------------------------------------------------- demo


@app.command("demo")
@handled
def demo_cmd(
    test_models: Annotated[
        bool,
        typer.Option("--test-models", help="Also use tiny random-weight translation models (meaningless)."),
    ] = False,
    samples: Annotated[Path, typer.Option(help="Folder of sample events.")] = Path("data/samples"),
) -> None:
    """Align the sample events end to end, write the dataset and HTML reports.

    Uses installed translation models, tries the Argos index for missing ones,
    and otherwise aligns with the bundled sentence encoder alone.
    """
    from translate.config import data_dir, dataset_dir
    from translate.errors import InputError, NetworkError

    if test_models:
        from translate.testmodels import TEST_MODEL_BANNER, install_test_models

        banner = "=" * 72
        typer.secho(f"{banner}\n {TEST_MODEL_BANNER}\n{banner}", fg="yellow", bold=True, err=True)
        # Kept apart from real packages, so a later real install is never shadowed.
        os.environ["ARGOS_PACKAGES_DIR"] = str(data_dir() / "test-models" / "packages")
        install_test_models(data_dir() / "test-models", only_missing=True)
    else:
        _fetch_missing_models(NetworkError)
    events = sorted(p for p in samples.iterdir() if (p / "en").is_dir() and (p / "ko").is_dir())
    if not events:
        raise InputError(f"no sample events under {samples}")
    reports = data_dir() / "reports"
    notice = True
    for ev in events:
        meta_mode = None if (ev / "event.json").exists() else "auto"  # event.json's mode, else auto
        res = _run_align(None, None, ev, None, meta_mode, None, False)
        _print_summary(res, notice=notice)
        notice = False  # one notice about missing models is enough
        _write_report(res.event_id, reports / f"{res.event_id}.html", None)
    typer.echo(f"done: dataset in {dataset_dir()}, reports in {reports}")


def _fetch_missing_models(network_error: type[Exception]) -> None:
    """Install missing ko↔en packages from the Argos index; without a network, carry on without."""
    from translate import models
    from translate.errors import ModelNotInstalled

    for src, tgt in (("ko", "en"), ("en", "ko")):
        try:
            models.find_installed(src, tgt)
        except ModelNotInstalled:
            typer.echo(f"installing the {src}→{tgt} Argos model from the index…", err=True)
            try:
                _install_from_index(src, tgt)
            except network_error:
                typer.secho(
                    "the Argos index is out of reach: going on without translation models",
                    fg="yellow",
                    err=True,
                )
                return


if __name__ == "__main__":
    app()
