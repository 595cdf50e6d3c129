"""``align-folder`` and ``regroup``: a folder of loose articles, paired into events and aligned."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from translate.cli.base import DatasetOpt, TestModelsOpt, allow_test_models, app, handled, progress_bar
from translate.errors import CoverageAlignError


def _print_plan(plan_: object) -> None:
    from translate.loose import Plan

    assert isinstance(plan_, Plan)
    for job in plan_.jobs:
        pairing = job.meta.get("pairing")
        if pairing is None:
            typer.echo(f"{job.event_id}: event folder {job.source}/ ({len(job.en)} en, {len(job.ko)} ko)")
            continue
        score = pairing["score"]
        evidence = f"score {score:.2f}" if score is not None else "one article"
        if pairing["paired"] == "user":
            evidence = f"grouped by the user, {evidence}"
        if pairing["shared_names"]:
            evidence += f"; names {', '.join(pairing['shared_names'][:6])}"
        if pairing["shared_numbers"]:
            evidence += f"; numbers {', '.join(pairing['shared_numbers'][:6])}"
        typer.echo(f"{job.event_id}: {evidence}")
        for art in pairing["articles"]:
            typer.echo(f"    {art['lang']}  {art['path']}  {art['title'][:60]}")
    for event_id, why in plan_.waiting:
        typer.echo(f"{event_id}: waiting, {why}")
    for name, why in sorted(plan_.refused.items()):
        typer.secho(f"warning: {name} not aligned: {why}", fg="yellow", err=True)
    for s in plan_.skipped:
        typer.secho(f"warning: {s.path} skipped: {s.reason}", fg="yellow", err=True)


@app.command("align-folder")
@handled
def align_folder_cmd(
    folder: Annotated[Path, typer.Argument(help="A folder of articles (.txt, .md, .html) in any layout.")],
    dataset: DatasetOpt = None,
    mode: Annotated[
        str,
        typer.Option(help="comparable, parallel or auto (an event folder's event.json wins)."),
    ] = "comparable",
    list_only: Annotated[
        bool, typer.Option("--list", help="Only pair the articles and show the events with their evidence.")
    ] = False,
    test_models: TestModelsOpt = False,
) -> None:
    """Detect each article's language, pair English and Korean stories into events, align each event.

    Folders with event.json or en/ and ko/ are events as they stand. The pairing is
    remembered in the dataset: an event keeps its id when more articles arrive, and
    `regroup` changes it.
    """
    from translate.align import MODES
    from translate.cache import EmbeddingCache, TranslationCache
    from translate.cli.align import note_same_articles, print_summary
    from translate.config import cache_path, dataset_dir, embed_cache_path
    from translate.loose import plan
    from translate.pipeline import run_event

    if mode not in MODES:
        raise typer.BadParameter(f"--mode must be one of {', '.join(MODES)}")
    out = dataset or dataset_dir()
    from translate.dataset import check_writable

    check_writable(Path(out))  # even --list stores the pairing (ids are remembered there)
    with progress_bar() as bar:
        files = bar.add_task("reading articles", total=None)
        the_plan = plan(folder, out, mode, tick=lambda _: bar.advance(files))
    _print_plan(the_plan)
    if list_only:
        return
    failed: list[tuple[str, str]] = []
    with allow_test_models(test_models), progress_bar() as bar:
        events = bar.add_task("aligning events", total=len(the_plan.jobs))
        for job in the_plan.jobs:
            try:
                res = run_event(
                    [Path(p) for p in job.en],
                    [Path(p) for p in job.ko],
                    event_id=job.event_id,
                    out=Path(out),
                    mode=job.mode,
                    cache=TranslationCache(cache_path()),
                    embed_cache=EmbeddingCache(embed_cache_path()),
                    event=job.meta,
                )
            except CoverageAlignError as exc:  # one event's bad input fails that event alone
                failed.append((job.event_id, str(exc).splitlines()[0] if str(exc) else type(exc).__name__))
            else:
                print_summary(res, notice=not failed and job is the_plan.jobs[0], dataset_line=False)
            bar.advance(events)
    typer.echo(f"dataset: {out}")
    note_same_articles(Path(out), [job.event_id for job in the_plan.jobs])
    for event_id, why in failed:
        typer.secho(f"error: {event_id} not aligned: {why}", fg="red", err=True)
    if failed:
        raise typer.Exit(1)


def _only_paired_events(out: Path, named: list[str]) -> None:
    """An event that `align` made is in the dataset but not in the pairing: "no stored event"
    would deny what `events` lists, so say what regroup can change instead."""
    from translate.dataset import list_events
    from translate.errors import InputError
    from translate.loose import read_state

    paired = read_state(out)
    aligned = [e for e in dict.fromkeys(named) if e not in paired and e in set(list_events(out))]
    if aligned:
        raise InputError(
            f"{', '.join(map(repr, aligned))} was aligned with `align`, not paired by `align-folder`: "
            "regroup changes only the events align-folder made (`align-folder FOLDER --list` shows them); "
            "re-align other articles with `align --event-id`"
        )


@app.command("regroup")
@handled
def regroup_cmd(
    join: Annotated[
        list[str] | None,
        typer.Option("--join", metavar="EVENT", help="Events to merge into the first (repeat)."),
    ] = None,
    split: Annotated[
        str | None, typer.Option("--split", metavar="EVENT", help="The event to take --article files out of.")
    ] = None,
    article: Annotated[
        list[str] | None, typer.Option("--article", metavar="PATH", help="An article of --split, as listed.")
    ] = None,
    dataset: DatasetOpt = None,
) -> None:
    """Join paired events or split articles out of one; the next align-folder keeps your grouping."""
    from translate.config import dataset_dir
    from translate.errors import InputError
    from translate.loose import join as join_events
    from translate.loose import split as split_event

    out = Path(dataset or dataset_dir())
    if bool(join) == bool(split):
        raise InputError("give either --join EVENT --join EVENT … or --split EVENT --article PATH …")
    from translate.dataset import check_writable

    if out.is_dir():  # the new grouping is stored there, under a lock file (absent: "no stored event")
        check_writable(out)
        _only_paired_events(out, [*(join or []), *([split] if split else [])])
    if join:
        kept = join_events(out, join)
        typer.echo(f"{kept.event_id}: now {len(kept.members)} articles; re-run align-folder to align it")
        gone = [e for e in join if e != kept.event_id]
        typer.echo(
            f"note: rows already stored under {', '.join(gone)} stay in the dataset until replaced "
            f"(`coverage-align remove EVENT` deletes an event)"
        )
        return
    assert split is not None
    if not article:
        raise InputError("--split needs at least one --article PATH (as `align-folder --list` shows it)")
    from translate.textsafe import plural

    new = split_event(out, split, article)
    typer.echo(
        f"{new.event_id}: {plural(len(new.members), 'article')} split out of {split}; re-run align-folder"
    )
