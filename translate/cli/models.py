"""``coverage-align models …``: install, list and remove Argos packages; build the TEST ones."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from translate.cli.base import console_err, handled, models_app

if TYPE_CHECKING:
    from rich.progress import TaskID

    from translate.models import ModelInfo


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
    from translate.errors import InputError

    if file is not None:
        info = models.install_file(file)
    elif from_code and to_code:
        info = install_from_index(from_code, to_code)
    else:
        raise InputError("give FROM TO (e.g. `ko en`) or --file PATH")
    typer.echo(f"installed {info.code} {info.version} ({info.direction}) in {info.path}")


def install_from_index(from_code: str, to_code: str) -> ModelInfo:
    from rich.progress import DownloadColumn, Progress, TransferSpeedColumn

    from translate import models

    console = console_err()
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
