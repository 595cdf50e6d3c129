"""Side-by-side view of an event in the terminal (rich), plain when piped."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from translate.align import ALSO_TYPES, GAP_TYPES
from translate.textsafe import number_spans, visible

__all__ = [
    "FILTERS",
    "also_in",
    "attach_verdicts",
    "group_members",
    "mark_plain",
    "one_sided_label",
    "possibly",
    "probably_in",
    "render",
    "select_rows",
    "side_names",
]

LANG_NAMES = {"en": "English", "ko": "Korean"}
# File stems that name no outlet (the samples' article.txt): the column keeps its language's name.
GENERIC_SOURCES = {"article", "text", "index", "story", "en", "ko", "english", "korean", "input"}

# ko-only / en-only: every one-sided row of that side; only-here / probably: the
# one-sided rows of either side whose coverage verdict is that state.
FILTERS = ("ko-only", "en-only", "only-here", "probably", "diffs", "conflicts")
VERDICT_FILTERS = {"only-here": "only", "probably": "probably"}
POSSIBLY_CHARS = 90  # a possible counterpart is a hint: its start is enough to find it
LABELS = {"only": "only here", "probably": "probably reported"}


def select_rows(rows: Iterable[Mapping[str, Any]], only: str | None = None) -> list[Mapping[str, Any]]:
    """The rows ``--only`` keeps (all without it); InputError names the choices."""
    rows = list(rows)
    if only is None:
        return rows
    if only not in FILTERS:
        from translate.errors import InputError

        raise InputError(f"--only must be one of {', '.join(FILTERS)}, not {only!r}")
    if only == "diffs":
        return [r for r in rows if r["numbers_only_en"] or r["numbers_only_ko"]]
    if only == "conflicts":
        return [r for r in rows if _conflicts(r, "en") or _conflicts(r, "ko")]
    if only in VERDICT_FILTERS:
        gaps = [r for r in rows if r["type"] in GAP_TYPES]
        if gaps and not any(r.get("verdict") for r in gaps):
            # Silently showing nothing would read as "no omissions" on an event aligned
            # before verdicts were stored.
            from translate.errors import InputError

            raise InputError(
                f"--only {only} needs the coverage verdict, which this event was aligned without: "
                "align it again, or use --only en-only / ko-only"
            )
        return [r for r in gaps if r.get("verdict") == VERDICT_FILTERS[only]]
    return [r for r in rows if r["type"] == only]


def attach_verdicts(rows: list[dict[str, Any]], sentences: Iterable[Mapping[str, Any]]) -> None:
    """Give each one-sided row its sentence's coverage verdict, in place.

    ``verdict`` ("only" / "probably", or absent for datasets written before the
    verdict) and ``verdict_candidates``: for "probably", up to three
    ``{"row", "index", "score", "text"}``, the other side's candidate sentences
    with the row that shows each, best first.
    """
    row_of: dict[tuple[str, int], int] = {}
    for r in rows:
        for side in ("en", "ko"):
            for k in r.get(f"{side}_indices") or []:
                row_of.setdefault((side, k), r["row_index"])
    wanted = {
        ("en" if r["type"] == "en-only" else "ko", (r.get(f"{r['type'][:2]}_indices") or [None])[0]): r
        for r in rows
        if r["type"] in GAP_TYPES
    }
    text_of: dict[tuple[str, int], str | None] = {}
    verdict_of: dict[tuple[str, int], Mapping[str, Any]] = {}
    for s in sentences:
        key = (s["side"], s["sentence_index"])
        text_of[key] = s.get("text")
        if key in wanted and s.get("verdict") in LABELS:
            verdict_of[key] = s
    for key, row in wanted.items():
        found = verdict_of.get(key)
        if found is None:
            continue  # no verdict stored: the views keep the older "possibly" hint
        s = found
        other = "ko" if key[0] == "en" else "en"
        row["verdict"] = s["verdict"]
        row["verdict_candidates"] = (
            [
                {
                    "row": row_of.get((other, c["index"])),
                    "index": c["index"],
                    "score": c["score"],
                    "text": text_of.get((other, c["index"])),
                }
                for c in s.get("candidates") or []
            ]
            if s["verdict"] == "probably"
            else []
        )


def one_sided_label(row: Mapping[str, Any]) -> str | None:
    """ "only here" / "probably reported" for a one-sided row with a verdict, else None."""
    return LABELS.get(row.get("verdict") or "") if row["type"] in GAP_TYPES else None


def probably_in(row: Mapping[str, Any]) -> str | None:
    """'probably in #12 (0.52), #14 (0.41)' for a "probably reported" row: where to look."""
    if row.get("verdict") != "probably" or row["type"] not in GAP_TYPES:
        return None
    cands = row.get("verdict_candidates") or []
    if not cands:
        return "probably reported (no candidate above the floor)"
    where = (f"#{c['row']}" if c["row"] is not None else f"sentence {c['index'] + 1}" for c in cands)
    return "probably in " + ", ".join(f"{w} ({c['score']:.2f})" for w, c in zip(where, cands, strict=True))


def _best_start(row: Mapping[str, Any]) -> str | None:
    """'#12: <start of the best candidate>': enough to recognise it when #12 is filtered out."""
    cands = row.get("verdict_candidates") or []
    if not cands or not cands[0].get("text"):
        return None
    text = visible(cands[0]["text"])
    short = text if len(text) <= POSSIBLY_CHARS else text[: POSSIBLY_CHARS - 1].rstrip() + "…"
    return f"#{cands[0]['row']}: {short}" if cands[0]["row"] is not None else short


def _conflicts(row: Mapping[str, Any], side: str) -> list[str]:
    return list(row.get(f"numbers_conflict_{side}") or [])  # absent from datasets written before it


def mark_plain(text: str, flagged: Iterable[str], quiet: Iterable[str] = ()) -> str:
    """«28,500» for a conflicting number, ‹2023› for one only this side gives: a pipe has no colour."""
    strong = list(flagged)
    spans = [(a, b, "«", "»") for a, b in number_spans(text, strong)]
    spans += [(a, b, "‹", "›") for a, b in number_spans(text, [q for q in quiet if q not in strong])]
    out, last = [], 0
    for start, end, left, right in sorted(spans):
        if start < last:  # overlaps a span already marked
            continue
        out += [text[last:start], left, text[start:end], right]
        last = end
    return "".join([*out, text[last:]])


def side_names(documents: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Column headings: each side's outlets (the documents' ``source``), else its language's name.

    An outlet is what a reader compares ("JoongAng Daily | 에너지경제"); a file
    stem like ``article`` names none, so that side keeps "English" / "Korean".
    """
    names: dict[str, list[str]] = {"en": [], "ko": []}
    for d in documents:
        side, source = d.get("lang_declared"), (d.get("source") or "").strip()
        if side in names and source and source.lower() not in GENERIC_SOURCES:
            names[side].append(visible(source))
    return {side: " + ".join(dict.fromkeys(v)) or LANG_NAMES[side] for side, v in names.items()}


def also_in(row: Mapping[str, Any]) -> str | None:
    """'also in #14, 0.61' for an also row: linked to a sentence that row #14 shows."""
    target = row.get("also_row")
    if row["type"] not in ALSO_TYPES or target is None:
        return None
    return f"also in #{target}, {row['score']:.2f}"


def group_members(rows: Iterable[Mapping[str, Any]]) -> dict[int, list[int]]:
    """Pair row → the also rows that point at it, so the linked row names its whole group."""
    members: dict[int, list[int]] = {}
    for r in rows:
        if r["type"] in ALSO_TYPES and r.get("also_row") is not None:
            members.setdefault(r["also_row"], []).append(r["row_index"])
    return members


def possibly(row: Mapping[str, Any]) -> str | None:
    """'possibly: <start of the other side's best candidate>, 0.31' for a gap row that has one."""
    text, score = row.get("possible_text"), row.get("possible_score")
    if not text or score is None:
        return None
    text = visible(text)
    short = text if len(text) <= POSSIBLY_CHARS else text[: POSSIBLY_CHARS - 1].rstrip() + "…"
    return f"possibly: {short}, {score:.2f}"


def _cell(
    text: str | None,
    translation: str | None,
    flagged: list[str],
    plain: bool,
    quiet: list[str] | None = None,
    other_lang: str | None = None,
) -> Any:
    """A sentence with its conflicting numbers (``flagged``) marked, others without a counterpart quieter."""
    from rich.text import Text

    if not text:
        return Text("")
    text = visible(text)  # an article must not drive the terminal
    quiet = [q for q in (quiet or []) if q not in flagged]
    if plain:
        cell = Text(mark_plain(text, flagged, quiet))
    else:
        cell = Text(text)
        for start, end in number_spans(text, quiet):
            cell.stylize("underline", start, end)
        for start, end in number_spans(text, flagged):
            cell.stylize("bold black on yellow", start, end)
    if other_lang:  # detected in another language than its column (an English quote in Korean)
        cell.append(f" [lang: {visible(other_lang)}]" if plain else f" [{visible(other_lang)}]", style="dim")
    if translation:
        cell.append("\n")
        cell.append(("↳ " if not plain else "-> ") + visible(translation), style="dim italic")
    return cell


def render(
    rows: list[Mapping[str, Any]],
    title: str,
    console: Any,
    translations: bool = True,
    names: Mapping[str, str] | None = None,
    members: Mapping[int, list[int]] | None = None,
) -> None:
    """Print rows as a two-column table; narrow terminals wrap, pipes get ASCII and «marks».

    ``names`` heads the columns (``side_names``); ``members`` (``group_members``
    of all the event's rows, not only those shown) names under a pair row the
    also rows of its group.
    """
    names = names or LANG_NAMES
    members = members if members is not None else group_members(rows)
    shown = {r["row_index"] for r in rows}
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
    table.add_column(visible(names["en"]), ratio=1, overflow="fold")
    table.add_column(visible(names["ko"]), ratio=1, overflow="fold")
    table.add_column("score", justify="right", no_wrap=True)
    en_tr, ko_tr = ("en_to_ko", "ko_to_en") if translations else (None, None)

    def other(r: Mapping[str, Any], column: str) -> str | None:
        lang = r.get(f"{column}_lang")
        return lang if lang and lang != column else None

    for r in rows:
        kind = r["type"]
        score = f"{r['score']:.2f}" if kind not in GAP_TYPES else kind
        style = "red" if kind in GAP_TYPES else ("green" if r["score"] >= 0.5 else "yellow")
        label = one_sided_label(r)
        if label:  # the verdict replaces the side's name: the column already says which side
            score, style = label.replace(" ", "\n", 1), ("red" if r["verdict"] == "only" else "magenta")
        if kind in ALSO_TYPES:  # linked, not one-sided: the score column says where its partner is
            score, style = "also", "cyan"
        en_cell, ko_cell = (
            _cell(
                r[f"{side}_text"],
                r.get(tr) if tr else None,
                _conflicts(r, side),
                plain,
                [*(r[f"numbers_only_{side}"] or []), *(r.get(f"names_only_{side}") or [])],
                other(r, side),
            )
            for side, tr in (("en", en_tr), ("ko", ko_tr))
        )
        if label:  # a verdict: candidates only when "probably"; "only here" needs no hint
            hint = probably_in(r)
            best = (r.get("verdict_candidates") or [{}])[0].get("row")
            start = _best_start(r) if best not in shown else None  # filtered out: quote its start
            hint = f"{hint}\n{start}" if hint and start else hint
        else:  # no verdict stored (an older dataset): the older one-candidate hint
            hint = possibly(r) if kind in GAP_TYPES else also_in(r)
        if hint:  # faint, in the empty column, so a claimed omission is checked at a glance
            (ko_cell if kind in ("en-only", "en-also") else en_cell).append(hint, style="dim italic")
        number = str(r["row_index"])
        if members.get(r["row_index"]):  # the rest of its group, shown where they stand
            number += "\n+" + " +".join(f"#{k}" for k in members[r["row_index"]])
        table.add_row(number, en_cell, ko_cell, f"[{style}]{score}[/]" if not plain else score)
    console.print(table)
