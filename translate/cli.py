"""The ``coverage-align`` command line.

Imports are lazy: ``--help`` must stay fast, and commands that do not need
Prefect, pyarrow or CTranslate2 must not pay for them.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from collections.abc import Callable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, ParamSpec, TypeVar

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


def _flags_without_type() -> None:
    """Typer 0.29 prints every option's type in --help, flags too (``--debug <bool>``),
    as if they took a value; a flag's row shows only its name. Affects help text only."""
    from typer.core import TyperOption

    shown = TyperOption.display_type_rich
    if getattr(shown, "_coverage_align", False):
        return

    def display_type_rich(self: TyperOption, ctx: Any) -> str | None:
        return None if self.is_flag else shown(self, ctx)

    display_type_rich._coverage_align = True  # type: ignore[attr-defined]
    TyperOption.display_type_rich = display_type_rich  # type: ignore[method-assign]


_flags_without_type()

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
        except MemoryError as exc:  # numpy's _ArrayMemoryError included: the input, not a bug
            _fail(
                CoverageAlignError(
                    f"out of memory ({exc or 'MemoryError'}): split the input into smaller files "
                    "or run on a machine with more memory"
                )
            )

    return wrapper


@contextlib.contextmanager
def _test_models(allowed: bool) -> Iterator[None]:
    """Let the TEST packages translate for one command (``--test-models``), then put the
    environment back; Prefect flows run in this process and read the same variable."""
    if not allowed:
        yield
        return
    before = os.environ.get("COVERAGE_ALIGN_TEST_MODELS")
    os.environ["COVERAGE_ALIGN_TEST_MODELS"] = "1"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("COVERAGE_ALIGN_TEST_MODELS", None)
        else:
            os.environ["COVERAGE_ALIGN_TEST_MODELS"] = before


TestModelsOpt = Annotated[
    bool,
    typer.Option(
        "--test-models",
        help="Use the TEST packages (random weights, meaningless output) if installed; never used otherwise.",
    ),
]


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
        note = "\tTEST: used only with --test-models" if m.test else ""
        typer.echo(f"{m.direction}\t{m.code}\t{m.version}\t{m.path}{note}")


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

    console = _console()
    with Progress(
        *Progress.get_default_columns(),
        DownloadColumn(),
        TransferSpeedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,  # piped or logged: no bar frames in the output
    ) as bar:
        # The bar appears with the first bytes: an unreachable index shows no empty "0/?" bar.
        task: list[TaskID] = []

        def progress(done: int, total: int | None) -> None:
            if not task:
                task.append(bar.add_task(f"{from_code}→{to_code}", total=total))
            bar.update(task[0], completed=done, total=total)

        return models.install_from_index(from_code, to_code, progress)


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
        where = f", installed in {packages_dir()} (used only with --test-models)" if install else ""
        typer.echo(f"built {path}{where}")


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
    test_models: TestModelsOpt = False,
) -> None:
    """Translate one sentence per line with an installed Argos package."""
    from translate.cache import TranslationCache
    from translate.config import cache_path
    from translate.engine import translate_sentences
    from translate.testmodels import TEST_MODEL_BANNER, is_test_version

    lines = _input_lines(file)
    cache = None if no_cache else TranslationCache(cache_path())
    with _test_models(test_models):
        out, model = translate_sentences(
            lines, from_code, to_code, settings=_settings(beam_size, compute_type, threads), cache=cache
        )
    if is_test_version(model.version):
        typer.secho(TEST_MODEL_BANNER, fg="yellow", err=True)
    typer.echo("\n".join(t.replace("\n", " ") for t in out))  # one line out per line in


# ---------------------------------------------------------------- align


def _progress_bar() -> Progress:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = _console()
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,  # piped or logged: a blank line per bar otherwise
    )


NO_MODELS_NOTICE = (
    "no translation model for {dirs}: aligned without machine translation, and the translation "
    "columns are empty. To add models: `coverage-align models install ko en` and `… en ko` "
    "(from the Argos index), or offline `coverage-align models install --file "
    "translate-ko_en.argosmodel` (see the README's Translation models section)."
)


def _print_summary(res: EventResult, notice: bool = True, dataset_line: bool = True) -> None:
    from translate.testmodels import TEST_MODEL_BANNER

    if res.test_models and notice:  # the demo prints it once, not once per event
        typer.secho(TEST_MODEL_BANNER, fg="yellow", bold=True, err=True)
    if res.missing_translations and notice:
        typer.secho(NO_MODELS_NOTICE.format(dirs=", ".join(res.missing_translations)), fg="yellow", err=True)
    from translate.textsafe import plural

    mode = res.mode if res.mode == res.requested_mode else f"{res.mode} (auto)"
    typer.echo(
        f"{res.event_id}: {res.n_en} English and {plural(res.n_ko, 'Korean sentence')}; "
        f"{plural(res.n_pairs, 'pair')}, {res.en_only} English-only, {res.ko_only} Korean-only "
        f"({res.possible_counterparts} with a possible counterpart), {plural(res.n_links, 'link')}; "
        f"{plural(res.number_conflicts, 'number conflict')}, "
        f"{plural(res.flagged_numbers, 'row')} with any number difference; "
        f"mode {mode}; {res.seconds:.2f} s"
    )
    if dataset_line:
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
                event_dir=str(event_dir) if event_dir is not None else None,
                en_paths=[str(p) for p in en],
                ko_paths=[str(p) for p in ko],
                event_id=event_id,
                out=str(out),
                mode=mode,
                replace=replace,
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
            replace=replace,
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
        raise typer.BadParameter(f"--mode must be one of {', '.join(MODES)}")
    settings = _settings(beam_size, compute_type, threads)
    with tempfile.TemporaryDirectory(prefix="coverage-align-stdin-") as tmp, _test_models(test_models):
        en, ko = _stdin_files(en, ko, Path(tmp)) if event is None else (en, ko)
        res = _run_align(en, ko, event, event_id, mode, dataset, prefect, settings, encoder, replace)
    _print_summary(res)


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
    from translate.sidelang import annotate, sentence_langs

    pairs, docs, prov = load_event(root, event_id)
    annotate(pairs, sentence_langs(root, [event_id]))  # the views mark sides in another language
    return pairs, docs, prov


@app.command("show")
@handled
def show_cmd(
    event_id: Annotated[str, typer.Argument(help="Event id in the dataset.")],
    only: Annotated[
        str | None, typer.Option(help="ko-only, en-only, diffs (any number difference) or conflicts.")
    ] = None,
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
        # styles=True keeps colours; rich's pager honours $PAGER. less shows them as
        # literal ESC[1m unless -R: given when the user has not set LESS.
        os.environ.setdefault("LESS", "-R")
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
    from translate.summary import COLUMNS, COMPACT_COLUMNS, WIDE_ENOUGH, compact, event_summaries
    from translate.textsafe import plural

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
    columns: tuple[tuple[str, str], ...] = COLUMNS
    cells = [{k: str(v) for k, v in r.items()} for r in rows]
    if console.width < WIDE_ENOUGH:  # an 80-column terminal: fewer, shorter columns
        columns, cells = COMPACT_COLUMNS, [compact(r) for r in rows]
    table = Table(title=f"{plural(len(rows), 'event')} in {root}", box=box.SIMPLE, pad_edge=False)
    for key, heading in columns:
        numeric = key not in ("event_id", "mode", "aligned", "models", "encoder", "mt")
        # Only the id may wrap: a count or a date split over lines reads as two values.
        # The id keeps room for its first 24 characters, whatever the other columns want.
        width = min(24, max(len(c[key]) for c in cells)) if key == "event_id" else None
        table.add_column(
            heading,
            justify="right" if numeric else "left",
            overflow="fold",
            no_wrap=key != "event_id",
            min_width=width,
        )
    for c in cells:
        table.add_row(*(c[key] for key, _ in columns))
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
    mixed_language: Annotated[
        str,
        typer.Option(
            "--mixed-language",
            help="Pairs with a side detected in another language than its column: skip, or keep "
            "(tagged with the language detected in TMX and JSONL).",
        ),
    ] = "skip",
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
        dataset or dataset_dir(),
        None if all_events or event_id is None else [event_id],
        min_score,
        mixed_language,
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
    from translate.sidelang import annotate, sentence_langs
    from translate.summary import event_summaries

    root = dataset or dataset_dir()
    summaries = event_summaries(root)  # damaged events are named in a warning and left out
    listed = {s["event_id"] for s in summaries}
    docs: dict[str, list[dict]] = {}
    damaged: set[str] = set()
    for d in load_documents(root, damaged=damaged).to_pylist():
        docs.setdefault(d["event_id"], []).append(d)
    pairs = load_pairs(root, damaged=damaged).to_pylist()  # sorted by event_id, row_index
    annotate(pairs, sentence_langs(root))
    for event_id, rows in groupby(pairs, key=lambda r: r["event_id"]):
        if event_id not in listed or event_id in damaged:
            continue
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
    discard: Annotated[
        bool, typer.Option("--discard", help="Delete journals that cannot be replayed safely, unread.")
    ] = False,
) -> None:
    """Finish writes interrupted after their commit and remove killed writers' leftovers."""
    from translate.config import dataset_dir
    from translate.dataset import repair

    root = dataset or dataset_dir()
    done = repair(root, event_id, discard=discard)
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
        typer.Option(
            "--test-models", help="Build and use tiny random-weight translation models (meaningless)."
        ),
    ] = False,
    samples: Annotated[Path, typer.Option(help="Folder of sample events.")] = Path("data/samples"),
) -> None:
    """Align the sample events end to end, write the dataset and HTML reports.

    Uses installed translation models, tries the Argos index for missing ones,
    and otherwise aligns with the bundled sentence encoder alone.
    """
    from translate.config import data_dir, dataset_dir
    from translate.errors import InputError, NetworkError
    from translate.textsafe import plural

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
    with _test_models(test_models):
        for ev in events:
            meta_mode = None if (ev / "event.json").exists() else "auto"  # event.json's mode, else auto
            # The samples are the project's own: a re-run replaces what an older demo stored.
            res = _run_align(None, None, ev, None, meta_mode, None, False, replace=True)
            _print_summary(res, notice=notice, dataset_line=False)  # the path is printed once, below
            notice = False  # one notice about missing models is enough
            _write_report(res.event_id, reports / f"{res.event_id}.html", None)
    typer.echo(f"done: {plural(len(events), 'event')}; dataset in {dataset_dir()}, reports in {reports}")


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
