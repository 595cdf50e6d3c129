"""The views over the dataset (show, events, export, report) and its upkeep (repair, remove)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from translate.cli.base import DatasetOpt, app, handled
from translate.textsafe import plural

LESS_FLAGS = "-FRX"


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
    from translate.show import attach_verdicts
    from translate.sidelang import annotate, sentence_langs

    pairs, docs, prov = load_event(root, event_id)
    annotate(pairs, sentence_langs(root, [event_id]))  # the views mark sides in another language
    attach_verdicts(pairs, _sentences_of_write(root, event_id, prov.get("generation")))
    return pairs, docs, prov


def _sentences_of_write(root: Path, event_id: str, generation: object) -> list[dict]:
    """The event's sentences with their verdicts, from the same write as its pairs.

    A write swapping in between the two reads leaves sentences of another
    generation: their verdicts are not this view's, so none are shown (the
    older hints are) rather than a mix.
    """
    from translate.dataset import load_table

    table = load_table(root, "sentences", event_id)
    keep = ["side", "sentence_index", "text", "verdict", "candidates", "generation"]
    rows = table.select(keep).to_pylist()
    return [r for r in rows if r["generation"] == generation]


@app.command("show")
@handled
def show_cmd(
    event_id: Annotated[str, typer.Argument(help="Event id in the dataset.")],
    only: Annotated[
        str | None,
        typer.Option(
            help="en-only / ko-only (one side's unlinked rows), only-here (confident omissions), "
            "probably (probably reported elsewhere), diffs (any number difference) or conflicts."
        ),
    ] = None,
    dataset: DatasetOpt = None,
    no_translations: Annotated[
        bool, typer.Option("--no-translations", help="Hide the machine translations.")
    ] = False,
    pager: Annotated[bool, typer.Option(help="Page long output when stdout is a terminal.")] = True,
) -> None:
    """Show an event side by side in the terminal (paged on a terminal, plain text when piped)."""
    from rich.console import Console

    from translate.errors import InputError
    from translate.show import FILTERS, group_members, render, select_rows, side_names

    if only is not None and only not in FILTERS:  # before reading the dataset
        raise InputError(f"--only must be one of {', '.join(FILTERS)}, not {only!r}")
    pairs, docs, prov = _load_event(event_id, dataset)
    names, members = side_names(docs), group_members(pairs)
    rows = select_rows(pairs, only)
    console = Console()
    title = f"{event_id} · mode {prov.get('aligner', {}).get('mode', '?')} · {plural(len(rows), 'row')}"
    if prov.get("test_models"):
        from translate.testmarks import TEST_MODEL_BANNER

        title += f" · {TEST_MODEL_BANNER}"
    elif not prov.get("packages"):
        title += " · no machine translations"
    if pager and console.is_terminal:
        # styles=True keeps colours; rich's pager honours $PAGER. Unless the user set LESS:
        # -R shows colours (not literal ESC[1m), -F quits at once when the result fits on
        # one screen (no (END) prompt for seven rows) and -X leaves it on the screen then.
        os.environ.setdefault("LESS", LESS_FLAGS)
        with console.pager(styles=True):
            render(rows, title, console, not no_translations, names, members)
    else:
        render(rows, title, console, not no_translations, names, members)


def _cell(value: object) -> str:
    """A count as a table shows it: "-" where there is none (a verdict count of an older event)."""
    return "-" if value is None else str(value)


@app.command("events")
@handled
def events_cmd(
    dataset: DatasetOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """List the dataset's events with their counts, alignment time and models."""
    import json

    from translate.config import dataset_dir
    from translate.summary import COLUMNS, event_summaries, fit_layout

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
            typer.echo("\t".join(_cell(r[key]) for key, _ in COLUMNS))
        return
    layout = fit_layout(rows, console.width)
    caption = None
    if layout.hidden:
        caption = f"not shown at this width: {', '.join(layout.hidden)} (`events --json` has every field)"
    table = Table(
        title=f"{plural(len(rows), 'event')} in {root}", caption=caption, box=box.SIMPLE, pad_edge=False
    )
    for key, heading in layout.columns:
        numeric = key not in ("event_id", "mode", "aligned", "models", "encoder", "mt")
        # Only the id may wrap: a count or a date split over lines reads as two values, and
        # a cut heading as another column. fit_layout left room for every other column whole.
        table.add_column(
            heading,
            justify="right" if numeric else "left",
            overflow="fold",
            no_wrap=key != "event_id",
            min_width=layout.widths[key],
        )
    for c in layout.cells:
        table.add_row(*(c[key] for key, _ in layout.columns))
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
    noncontiguous: Annotated[
        str,
        typer.Option(
            "--noncontiguous",
            help="A group whose sentences are not adjacent (one sentence linked to three far apart): "
            "pieces (each run of adjacent sentences with the run it is linked to), or skip (counted).",
        ),
    ] = "pieces",
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
        noncontiguous,
    )
    for path in export(pairs, fmt, to):
        typer.echo(f"{fmt}: {plural(len(pairs), 'pair')} → {path}")
    if pairs.skipped_noncontiguous:
        typer.echo(
            f"left out {plural(pairs.skipped_noncontiguous, 'group')} whose sentences are not adjacent "
            "(the default, --noncontiguous pieces, exports their contiguous pieces)",
            err=True,
        )


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
        typer.echo(f"reports: {plural(n, 'event')}, index {index}")
        return
    if event_id is None:
        raise InputError("give one EVENT or --all")
    write_report(event_id, html_path, dataset)
    typer.echo(f"report: {html_path}")


def _write_page(path: Path, page: str) -> None:
    from translate.outfile import write_output

    write_output(path, page)  # atomic for a file; a FIFO or device is written through, never replaced


def write_report(event_id: str, html_path: Path, dataset: Path | None) -> None:
    from translate.report import render_html

    pairs, docs, prov = _load_event(event_id, dataset)
    _write_page(html_path, render_html(event_id, pairs, docs, prov))


def _write_all_reports(out_dir: Path, dataset: Path | None) -> tuple[Path, int]:
    """Every event's report and an index; each table is read once, not once per event."""
    from itertools import groupby

    from translate.config import dataset_dir
    from translate.dataset import load_documents, load_pairs, load_sentences, read_provenance
    from translate.report import render_html, render_index
    from translate.show import attach_verdicts
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
    sentences: dict[str, list[dict]] = {}
    keep = ["event_id", "side", "sentence_index", "text", "verdict", "candidates", "generation"]
    for s in load_sentences(root, damaged=damaged).select(keep).to_pylist():
        sentences.setdefault(s["event_id"], []).append(s)
    for event_id, group in groupby(pairs, key=lambda r: r["event_id"]):
        if event_id not in listed or event_id in damaged:
            continue
        rows = list(group)
        generation = rows[0]["generation"]  # verdicts of another write are not this page's
        attach_verdicts(rows, [s for s in sentences.get(event_id, []) if s["generation"] == generation])
        page = render_html(event_id, rows, docs.get(event_id, []), read_provenance(root, event_id))
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


@app.command("remove")
@handled
def remove_cmd(
    event_ids: Annotated[list[str], typer.Argument(help="The events to delete (as `events` lists them).")],
    dataset: DatasetOpt = None,
) -> None:
    """Delete events from the dataset, from every table (their articles are not touched)."""
    from translate.config import dataset_dir
    from translate.dataset import list_events, no_such_event, remove_event

    root = Path(dataset or dataset_dir())
    known = list_events(root) if root.is_dir() else []
    for event_id in event_ids:  # every id is checked before anything is deleted
        if event_id not in known:
            raise no_such_event(root, event_id, known)
    for event_id in dict.fromkeys(event_ids):
        remove_event(root, event_id)
        typer.echo(f"removed event {event_id} from {root}")
