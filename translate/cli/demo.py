"""``coverage-align demo``: the sample events end to end."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from translate.cli.align import print_summary, run_align
from translate.cli.base import allow_test_models, app, handled
from translate.cli.models import install_from_index
from translate.cli.views import write_report

DOWNLOAD_HINT = (
    "the demo downloads nothing unless asked: `make demo ARGS=--download-models` (or "
    "`coverage-align demo --download-models`) first installs the two models, about 120 MB each"
)


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
    download_models: Annotated[
        bool,
        typer.Option(
            "--download-models",
            help="First install missing ko↔en models from the Argos index (about 120 MB each).",
        ),
    ] = False,
) -> None:
    """Align the sample events end to end, write the dataset and HTML reports.

    Uses installed translation models; with --download-models it first installs
    missing ones from the Argos index. Without models it aligns with the bundled
    sentence encoder alone: nothing is downloaded unless asked for.
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
    elif download_models:
        _fetch_missing_models(NetworkError)
    events = sorted(p for p in samples.iterdir() if (p / "en").is_dir() and (p / "ko").is_dir())
    if not events:
        raise InputError(f"no sample events under {samples}")
    reports = data_dir() / "reports"
    notice = True
    with allow_test_models(test_models):
        for ev in events:
            meta_mode = None if (ev / "event.json").exists() else "auto"  # event.json's mode, else auto
            # The samples are the project's own: a re-run replaces what an older demo stored.
            res = run_align(None, None, ev, None, meta_mode, None, False, replace=True)
            print_summary(res, notice=notice, dataset_line=False)  # the path is printed once, below
            if notice and res.missing_translations and not test_models:
                typer.secho(DOWNLOAD_HINT, fg="yellow", err=True)
            notice = False  # one notice about missing models is enough
            write_report(res.event_id, reports / f"{res.event_id}.html", None)
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
                install_from_index(src, tgt)
            except network_error:
                typer.secho(
                    "the Argos index is out of reach: going on without translation models",
                    fg="yellow",
                    err=True,
                )
                return
