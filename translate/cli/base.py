"""What every command shares: the Typer apps, error handling, common options."""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, ParamSpec, TypeVar

import typer

from translate.errors import CoverageAlignError

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress

    from translate.engine import DecodeSettings

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


def _usage_errors_on_one_line() -> None:
    """Typer prints a usage error (an unknown option, a value that is not a number) as
    usage, a hint and a boxed message: five lines where the README promises one. The
    message keeps click's own words and suggestions; the exit code stays 2."""
    from typer import rich_utils

    if getattr(rich_utils.rich_format_error, "_coverage_align", False):
        return
    shown = rich_utils.rich_format_error

    def rich_format_error(self: Any) -> None:
        if type(self).__name__ == "NoArgsIsHelpError":  # the help text, printed by click itself
            shown(self)
            return
        from translate.textsafe import one_line

        ctx = getattr(self, "ctx", None)
        hint = f" (`{ctx.command_path} --help` lists the options)" if ctx is not None else ""
        typer.secho(f"error: {one_line(self.format_message())}{hint}", fg="red", err=True)

    rich_format_error._coverage_align = True  # type: ignore[attr-defined]
    rich_utils.rich_format_error = rich_format_error  # type: ignore[assignment]


_usage_errors_on_one_line()

app = typer.Typer(
    help="Align English and Korean press coverage of one event, offline.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
models_app = typer.Typer(help="Manage offline Argos Translate models.", no_args_is_help=True)
app.add_typer(models_app, name="models")

_debug = False  # set by --debug: errors raise with their traceback


def debug_enabled() -> bool:
    return _debug


def _version(value: bool) -> None:
    if value:
        from translate import __version__

        typer.echo(f"coverage-align {__version__}")
        raise typer.Exit()


def _streams_that_cannot_fail() -> None:
    """Under ``PYTHONIOENCODING=ascii`` or a C locale, print what the encoding cannot hold as
    ``\\uXXXX`` escapes instead of dying with UnicodeEncodeError mid-table, and say so once."""
    import sys

    narrow = []
    for stream in (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None) or "utf-8"
        try:
            "한·→…".encode(encoding)
        except (UnicodeEncodeError, LookupError):
            reconfigure = getattr(stream, "reconfigure", None)
            if reconfigure is not None:
                reconfigure(errors="backslashreplace")
                narrow.append(encoding)
    if narrow:
        typer.echo(
            f"warning: the output encoding ({narrow[0]}) cannot show Korean; it is printed as "
            "\\u escapes (set PYTHONIOENCODING=utf-8 or a UTF-8 locale to see it)",
            err=True,
        )


@app.callback()
def _main(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    global _debug
    _debug = debug
    _streams_that_cannot_fail()
    from translate.config import check_settings

    try:  # a bad setting is named before any work, whichever command would read it first
        check_settings()
    except CoverageAlignError as exc:
        fail(exc)


def fail(exc: CoverageAlignError) -> NoReturn:
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
            fail(exc)
        except MemoryError as exc:  # numpy's _ArrayMemoryError included: the input, not a bug
            fail(
                CoverageAlignError(
                    f"out of memory ({exc or 'MemoryError'}): split the input into smaller files "
                    "or run on a machine with more memory"
                )
            )

    return wrapper


@contextlib.contextmanager
def allow_test_models(allowed: bool) -> Iterator[None]:
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


def console_err() -> Console:
    from rich.console import Console

    return Console(stderr=True)


DatasetOpt = Annotated[
    Path | None, typer.Option("--dataset", "--out", help="Dataset directory (default: DATA/parallel).")
]
BeamOpt = Annotated[int, typer.Option("--beam-size", help="Beam size (Argos uses 4).")]
ComputeOpt = Annotated[str, typer.Option("--compute-type", help="auto, int8, float32, … (CTranslate2).")]
ThreadsOpt = Annotated[int, typer.Option("--threads", help="CPU threads for translation (0 = all).")]


# CTranslate2's quantisation names; anything else would fail only once a model loads.
COMPUTE_TYPES = (
    "auto", "default", "int8", "int8_float32", "int8_float16", "int8_bfloat16",
    "int16", "float16", "bfloat16", "float32",
)  # fmt: skip


def decode_settings(beam_size: int = 4, compute_type: str = "auto", threads: int = 0) -> DecodeSettings:
    from translate.engine import DecodeSettings
    from translate.errors import InputError

    if compute_type not in COMPUTE_TYPES:  # beam size and threads: DecodeSettings checks them
        raise InputError(f"--compute-type must be one of {', '.join(COMPUTE_TYPES)}, not {compute_type!r}")

    return DecodeSettings(beam_size=beam_size, compute_type=compute_type, threads=threads)


def progress_bar() -> Progress:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = console_err()
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,  # piped or logged: a blank line per bar otherwise
    )
