"""The ``coverage-align`` command line.

Imports are lazy: ``--help`` must stay fast, and commands that do not need
Prefect, pyarrow or CTranslate2 must not pay for them.
"""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from translate.errors import CoverageAlignError

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress

    from translate.pipeline import EventResult

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


def _fail(exc: CoverageAlignError) -> None:
    if _debug:
        raise exc
    typer.secho(f"error: {exc}", fg="red", err=True)
    raise typer.Exit(exc.exit_code)


def _console() -> Console:
    from rich.console import Console

    return Console(stderr=True)


BeamOpt = Annotated[int, typer.Option("--beam-size", help="Beam size (Argos uses 4).")]
ComputeOpt = Annotated[str, typer.Option("--compute-type", help="auto, int8, float32, … (CTranslate2).")]
ThreadsOpt = Annotated[int, typer.Option("--threads", help="CPU threads for translation (0 = all).")]


def _settings(beam_size: int = 4, compute_type: str = "auto", threads: int = 0) -> Any:
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
def models_available() -> None:
    """Packages offered by the Argos index (needs network)."""
    from translate.models import available

    try:
        for m in available():
            typer.echo(f"{m.direction}\t{m.code}\t{m.version}")
    except CoverageAlignError as exc:
        _fail(exc)


@models_app.command("install")
def models_install(
    from_code: Annotated[str | None, typer.Argument(help="Source language, e.g. ko")] = None,
    to_code: Annotated[str | None, typer.Argument(help="Target language, e.g. en")] = None,
    file: Annotated[
        Path | None, typer.Option("--file", help="Install a local .argosmodel file (offline).")
    ] = None,
) -> None:
    """Install a package from the Argos index, or from a file with --file."""
    from translate import models

    try:
        if file is not None:
            info = models.install_file(file)
        elif from_code and to_code:
            from rich.progress import DownloadColumn, Progress, TransferSpeedColumn

            with Progress(
                *Progress.get_default_columns(),
                DownloadColumn(),
                TransferSpeedColumn(),
                console=_console(),
            ) as bar:
                task = bar.add_task(f"{from_code}→{to_code}", total=None)
                info = models.install_from_index(
                    from_code,
                    to_code,
                    lambda done, total: bar.update(task, completed=done, total=total),
                )
        else:
            raise typer.BadParameter("give FROM TO (e.g. `ko en`) or --file PATH")
        typer.echo(f"installed {info.code} {info.version} ({info.direction}) in {info.path}")
    except CoverageAlignError as exc:
        _fail(exc)


@models_app.command("remove")
def models_remove(from_code: str, to_code: str) -> None:
    """Remove the installed package for a direction."""
    from translate.models import remove

    try:
        info = remove(from_code, to_code)
        typer.echo(f"removed {info.code} ({info.direction})")
    except CoverageAlignError as exc:
        _fail(exc)


class BuildSize(StrEnum):
    tiny = "tiny"
    realistic = "realistic"


@models_app.command("build-test")
def models_build_test(
    out: Annotated[Path, typer.Option(help="Where to write the .argosmodel files.")] = Path(
        "data/test-models"
    ),
    install: Annotated[bool, typer.Option(help="Also install them.")] = True,
    size: Annotated[
        BuildSize,
        typer.Option(help="tiny (tests, demo) or realistic (Argos-sized, ~85 MB each, for benchmarks)."),
    ] = BuildSize.tiny,
) -> None:
    """Build ko↔en TEST packages (random weights, meaningless output)."""
    from translate.models import install_file
    from translate.testmodels import TEST_MODEL_BANNER, build_realistic_package, build_test_package

    builder = build_realistic_package if size == BuildSize.realistic else build_test_package
    typer.secho(TEST_MODEL_BANNER, fg="yellow", bold=True, err=True)
    for src, tgt, seed in (("ko", "en", 0), ("en", "ko", 1)):
        path = builder(src, tgt, out, seed=seed)
        msg = f"built {path}"
        if install:
            msg += f", installed in {install_file(path).path}"
        typer.echo(msg)


# ---------------------------------------------------------------- translate


def _read_input(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    from translate.documents import read_text

    return read_text(Path(path))


@app.command("translate")
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

    try:
        lines = _read_input(file).splitlines()
        cache = None if no_cache else TranslationCache(cache_path())
        out, model = translate_sentences(
            lines, from_code, to_code, settings=_settings(beam_size, compute_type, threads), cache=cache
        )
        from translate.testmodels import is_test_version

        if is_test_version(model.version):
            typer.secho("TEST MODEL: translations are meaningless", fg="yellow", err=True)
        typer.echo("\n".join(out))
    except CoverageAlignError as exc:
        _fail(exc)


# ---------------------------------------------------------------- align


def _progress_bar() -> Progress:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("translating {task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=_console(),
        transient=True,
    )


def _print_summary(res: EventResult) -> None:
    if res.test_models:
        typer.secho("TEST MODELS: translations are meaningless", fg="yellow", bold=True, err=True)
    mode = res.mode if res.mode == res.requested_mode else f"{res.mode} (auto)"
    typer.echo(
        f"{res.event_id}: {res.n_en} English and {res.n_ko} Korean sentences; "
        f"{res.n_pairs} pairs, {res.en_only} English-only, {res.ko_only} Korean-only; "
        f"{res.flagged_numbers} number differences; mode {mode}; {res.seconds:.2f} s"
    )
    typer.echo(f"dataset: {res.dataset}")
    for w in res.warnings:
        typer.secho(f"warning: {w}", fg="yellow", err=True)


def _run_align(
    en: list[Path] | None,
    ko: list[Path] | None,
    event_dir: Path | None,
    event_id: str | None,
    mode: str,
    out: Path | None,
    prefect: bool,
    settings: Any = None,
) -> EventResult:
    from translate.cache import TranslationCache
    from translate.config import cache_path, dataset_dir
    from translate.pipeline import resolve_inputs, run_event

    en, ko, event_id = resolve_inputs(event_dir, en, ko, event_id)
    out = out or dataset_dir()
    if prefect:
        from flows.align_event import align_event

        return align_event(
            en_paths=[str(p) for p in en],
            ko_paths=[str(p) for p in ko],
            event_id=event_id,
            out=str(out),
            mode=mode,
        )
    with _progress_bar() as bar:
        tasks: dict[str, int] = {}

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
            settings=settings,
            progress=progress,
        )


@app.command("align")
def align_cmd(
    en: Annotated[
        list[Path] | None, typer.Option("--en", help="English article file (repeat for several).")
    ] = None,
    ko: Annotated[
        list[Path] | None, typer.Option("--ko", help="Korean article file (repeat for several).")
    ] = None,
    event: Annotated[Path | None, typer.Option("--event", help="Folder with en/ and ko/.")] = None,
    event_id: Annotated[str | None, typer.Option("--event-id", help="Dataset key.")] = None,
    mode: Annotated[str, typer.Option(help="comparable, parallel or auto.")] = "comparable",
    out: Annotated[Path | None, typer.Option("--out", help="Dataset directory.")] = None,
    prefect: Annotated[bool, typer.Option("--prefect", help="Run as a tracked Prefect flow.")] = False,
    beam_size: BeamOpt = 4,
    compute_type: ComputeOpt = "auto",
    threads: ThreadsOpt = 0,
) -> None:
    """Detect, segment, translate both ways, align and store one event."""
    if mode not in ("comparable", "parallel", "auto"):
        raise typer.BadParameter("--mode must be comparable, parallel or auto")
    try:
        settings = _settings(beam_size, compute_type, threads)
        _print_summary(_run_align(en, ko, event, event_id, mode, out, prefect, settings))
    except CoverageAlignError as exc:
        _fail(exc)


# ---------------------------------------------------------------- views


def _load_event(event_id: str, dataset: Path | None) -> tuple[list[dict], list[dict], dict]:
    from translate import dataset as ds
    from translate.config import dataset_dir
    from translate.errors import DatasetError

    root = dataset or dataset_dir()
    pairs = ds.load_pairs(root, event_id).to_pylist()
    if not pairs:
        known = ", ".join(ds.list_events(root)) or "none"
        raise DatasetError(f"no event {event_id!r} in {root} (events: {known})")
    docs = ds.load_documents(root, event_id).to_pylist()
    return pairs, docs, ds.provenance(root, event_id)


@app.command("show")
def show_cmd(
    event_id: Annotated[str, typer.Argument(help="Event id in the dataset.")],
    only: Annotated[str | None, typer.Option(help="ko-only, en-only or diffs.")] = None,
    dataset: Annotated[Path | None, typer.Option("--dataset", help="Dataset directory.")] = None,
) -> None:
    """Show an event side by side in the terminal."""
    from rich.console import Console

    from translate.show import render, select_rows

    try:
        pairs, _, prov = _load_event(event_id, dataset)
        rows = select_rows(pairs, only)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    except CoverageAlignError as exc:
        _fail(exc)
    console = Console()
    title = f"{event_id} · mode {prov.get('aligner', {}).get('mode', '?')} · {len(rows)} rows"
    if prov.get("test_models"):
        title += " · TEST MODELS: translations meaningless"
    render(rows, title, console)


@app.command("report")
def report_cmd(
    event_id: Annotated[str, typer.Argument(help="Event id in the dataset.")],
    html_path: Annotated[Path, typer.Option("--html", help="Where to write the HTML file.")],
    dataset: Annotated[Path | None, typer.Option("--dataset", help="Dataset directory.")] = None,
) -> None:
    """Write a self-contained HTML side-by-side report of an event."""
    from translate.report import render_html

    try:
        pairs, docs, prov = _load_event(event_id, dataset)
        page = render_html(event_id, pairs, docs, prov)
        try:
            html_path.parent.mkdir(parents=True, exist_ok=True)
            html_path.write_text(page, encoding="utf-8")
        except OSError as exc:
            from translate.errors import InputError

            raise InputError(f"cannot write {html_path}: {exc}") from exc
    except CoverageAlignError as exc:
        _fail(exc)
    typer.echo(f"report: {html_path}")


@app.command("detect")
def detect_cmd(file: Annotated[str, typer.Argument(help="A text file, or - for stdin.")]) -> None:
    """Detect the language of a document and of each of its sentences."""
    from collections import Counter

    from translate.langid import detect, detect_document
    from translate.segment import segment

    try:
        text = _read_input(file)
    except CoverageAlignError as exc:
        _fail(exc)
    doc = detect_document(text)
    runner = f", runner-up {doc.runner_up} {doc.runner_up_confidence:.2f}" if doc.runner_up else ""
    typer.echo(f"document: {doc.lang} (confidence {doc.confidence:.2f}, {doc.method}{runner})")
    sents = segment(text, doc.lang if doc.lang in ("en", "ko") else "auto")
    guesses = [detect(s.text, hint=doc.lang) for s in sents]
    counts = Counter(g.lang for g in guesses)
    typer.echo("sentences: " + ", ".join(f"{k} {v}" for k, v in counts.most_common()))
    for s, g in zip(sents, guesses, strict=True):
        if g.lang != doc.lang:
            typer.echo(f"  [{s.start}:{s.end}] {g.lang} ({g.confidence:.2f}): {s.text[:80]}")


# ---------------------------------------------------------------- demo


@app.command("demo")
def demo_cmd(
    test_models: Annotated[
        bool,
        typer.Option("--test-models", help="Use tiny random-weight models (meaningless output)."),
    ] = False,
    samples: Annotated[Path, typer.Option(help="Folder of sample events.")] = Path("data/samples"),
) -> None:
    """Align the sample events end to end, write the dataset and HTML reports."""
    import json

    from translate import models
    from translate.config import data_dir, dataset_dir

    try:
        if test_models:
            typer.secho(
                "=" * 64 + "\n TEST MODELS: random weights, the translations are MEANINGLESS\n" + "=" * 64,
                fg="yellow",
                bold=True,
                err=True,
            )
            os.environ["ARGOS_PACKAGES_DIR"] = str(data_dir() / "test-models" / "packages")
            from translate.testmodels import build_test_package

            for src, tgt, seed in (("ko", "en", 0), ("en", "ko", 1)):
                try:
                    models.find_installed(src, tgt)
                except CoverageAlignError:
                    models.install_file(build_test_package(src, tgt, data_dir() / "test-models", seed=seed))
        else:
            for src, tgt in (("ko", "en"), ("en", "ko")):
                try:
                    models.find_installed(src, tgt)
                except CoverageAlignError:
                    typer.echo(f"installing the {src}→{tgt} Argos model from the index…", err=True)
                    try:
                        models_install(src, tgt, None)
                    except typer.Exit as exc:
                        typer.secho(
                            "no models and no network: copy translate-ko_en and translate-en_ko "
                            ".argosmodel files here and run `coverage-align models install --file "
                            "FILE` for each, or try the pipeline with `make demo ARGS=--test-models`",
                            fg="red",
                            err=True,
                        )
                        raise typer.Exit(exc.exit_code) from exc
        events = sorted(p for p in samples.iterdir() if (p / "en").is_dir() and (p / "ko").is_dir())
        if not events:
            from translate.errors import InputError

            raise InputError(f"no sample events under {samples}")
        reports = data_dir() / "reports"
        for ev in events:
            meta_path = ev / "event.json"
            mode = json.loads(meta_path.read_text())["mode"] if meta_path.exists() else "auto"
            res = _run_align(None, None, ev, None, mode, None, False)
            _print_summary(res)
            report_cmd(res.event_id, reports / f"{res.event_id}.html", None)
        typer.echo(f"done: dataset in {dataset_dir()}, reports in {reports}")
    except CoverageAlignError as exc:
        _fail(exc)


def main() -> None:  # pragma: no cover - console entry point
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    app()


if __name__ == "__main__":
    main()
