"""The ``coverage-align`` command line.

Imports are lazy: ``--help`` must stay fast, and commands that do not need
Prefect, pyarrow or CTranslate2 must not pay for them.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from translate.errors import CoverageAlignError

app = typer.Typer(
    help="Align English and Korean press coverage of one event, offline.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
models_app = typer.Typer(help="Manage offline Argos Translate models.", no_args_is_help=True)
app.add_typer(models_app, name="models")

_debug = False


@app.callback()
def _main(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
) -> None:
    global _debug
    _debug = debug


def _fail(exc: CoverageAlignError) -> None:
    if _debug:
        raise exc
    typer.secho(f"error: {exc}", fg="red", err=True)
    raise typer.Exit(exc.exit_code)


def _console():
    from rich.console import Console

    return Console(stderr=True)


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


@models_app.command("build-test")
def models_build_test(
    out: Annotated[Path, typer.Option(help="Where to write the .argosmodel files.")] = Path(
        "data/test-models"
    ),
    install: Annotated[bool, typer.Option(help="Also install them.")] = True,
) -> None:
    """Build tiny ko↔en TEST packages (random weights, meaningless output)."""
    from translate.models import install_file
    from translate.testmodels import TEST_MODEL_BANNER, build_test_package

    typer.secho(TEST_MODEL_BANNER, fg="yellow", bold=True, err=True)
    for src, tgt, seed in (("ko", "en", 0), ("en", "ko", 1)):
        path = build_test_package(src, tgt, out, seed=seed)
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
    beam_size: Annotated[int, typer.Option(help="Beam size.")] = 4,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Bypass the cache.")] = False,
) -> None:
    """Translate one sentence per line with an installed Argos package."""
    from translate.cache import TranslationCache
    from translate.config import cache_path
    from translate.engine import DecodeSettings, translate_sentences

    try:
        lines = _read_input(file).splitlines()
        cache = None if no_cache else TranslationCache(cache_path())
        out, model = translate_sentences(
            lines, from_code, to_code, settings=DecodeSettings(beam_size=beam_size), cache=cache
        )
        if model.version.endswith("-test"):
            typer.secho("TEST MODEL: translations are meaningless", fg="yellow", err=True)
        typer.echo("\n".join(out))
    except CoverageAlignError as exc:
        _fail(exc)


def main() -> None:  # pragma: no cover - console entry point
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    app()
