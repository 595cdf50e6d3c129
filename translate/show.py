"""Side-by-side view of an event in the terminal (rich), plain when piped."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from translate.align import GAP_TYPES
from translate.textsafe import number_spans, visible

__all__ = ["FILTERS", "mark_plain", "render", "select_rows"]

FILTERS = ("ko-only", "en-only", "diffs")


def select_rows(rows: Iterable[Mapping[str, Any]], only: str | None = None) -> list[Mapping[str, Any]]:
    rows = list(rows)
    if only is None:
        return rows
    if only not in FILTERS:
        raise ValueError(f"--only must be one of {', '.join(FILTERS)}")
    if only == "diffs":
        return [r for r in rows if r["numbers_only_en"] or r["numbers_only_ko"]]
    return [r for r in rows if r["type"] == only]


def mark_plain(text: str, flagged: Iterable[str]) -> str:
    """«28,500»: colour is lost in a pipe, so differing numbers are marked in the text itself."""
    out, last = [], 0
    for start, end in number_spans(text, flagged):
        out += [text[last:start], "«", text[start:end], "»"]
        last = end
    return "".join([*out, text[last:]])


def _cell(
    text: str | None, translation: str | None, flagged: list[str], plain: bool, other_lang: str | None = None
) -> Any:
    from rich.text import Text

    if not text:
        return Text("")
    text = visible(text)  # an article must not drive the terminal
    if plain:
        cell = Text(mark_plain(text, flagged))
    else:
        cell = Text(text)
        for start, end in number_spans(text, flagged):
            cell.stylize("bold black on yellow", start, end)
    if other_lang:  # detected in another language than its column (an English quote in Korean)
        cell.append(f" [lang: {visible(other_lang)}]" if plain else f" [{visible(other_lang)}]", style="dim")
    if translation:
        cell.append("\n")
        cell.append(("↳ " if not plain else "-> ") + visible(translation), style="dim italic")
    return cell


def render(rows: list[Mapping[str, Any]], title: str, console: Any, translations: bool = True) -> None:
    """Print rows as a two-column table; narrow terminals wrap, pipes get ASCII and «marks»."""
    from rich import box
    from rich.table import Table

    plain = not console.is_terminal
    table = Table(
        title=visible(title),
        box=box.ASCII if plain else box.SIMPLE_HEAVY,
        show_lines=True,
        expand=True,
    )
    table.add_column("#", justify="right", no_wrap=True, style="dim")
    table.add_column("English", ratio=1, overflow="fold")
    table.add_column("Korean", ratio=1, overflow="fold")
    table.add_column("score", justify="right", no_wrap=True)
    en_tr, ko_tr = ("en_to_ko", "ko_to_en") if translations else (None, None)

    def other(r: Mapping[str, Any], column: str) -> str | None:
        lang = r.get(f"{column}_lang")
        return lang if lang and lang != column else None

    for r in rows:
        kind = r["type"]
        score = f"{r['score']:.2f}" if kind not in GAP_TYPES else kind
        style = "red" if kind in GAP_TYPES else ("green" if r["score"] >= 0.5 else "yellow")
        table.add_row(
            str(r["row_index"]),
            _cell(
                r["en_text"],
                r.get(en_tr) if en_tr else None,
                list(r["numbers_only_en"] or []),
                plain,
                other(r, "en"),
            ),
            _cell(
                r["ko_text"],
                r.get(ko_tr) if ko_tr else None,
                list(r["numbers_only_ko"] or []),
                plain,
                other(r, "ko"),
            ),
            f"[{style}]{score}[/]" if not plain else score,
        )
    console.print(table)
