"""Per-event counts over the whole dataset, for ``events`` and the report index.

Reads only the columns it needs, once per table, so listing 1,000 events costs
a few column scans and one schema read per event, not 1,000 event loads.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from translate.align.rows import ALSO_TYPES, GAP_TYPES
from translate.dataset import list_events, read_provenance, scan_columns
from translate.errors import DatasetError
from translate.textsafe import one_line

log = logging.getLogger("coverage_align")

__all__ = [
    "COLUMNS",
    "COMPACT_COLUMNS",
    "EVENT_ID_WIDTH",
    "Layout",
    "compact",
    "event_summaries",
    "fit_layout",
    "stored_state",
]

# Column order for display: (key, heading).
COLUMNS = (
    ("event_id", "event"),
    ("en_sentences", "EN sent."),
    ("ko_sentences", "KO sent."),
    ("pairs", "pairs"),
    ("links", "links"),
    ("en_only", "EN only"),
    ("ko_only", "KO only"),
    ("number_differences", "num. diffs"),
    ("number_conflicts", "conflicts"),
    # The coverage verdict of the unlinked sentences, both sides: confident omissions
    # apart from those the other side probably reports ("-" for events aligned before it).
    ("only_here", "only here"),
    ("probably_reported", "probably"),
    ("mode", "mode"),
    ("aligned", "aligned"),
    ("models", "models"),
    ("encoder", "encoder"),
)
# ``events --json`` and the report index also give "groups" (linked groups) and "also"
# (sentences linked into another row's group): the table has no room left at 160 columns.
# ``events --json`` keeps "possible" (gap rows with the older one-candidate hint) for
# scripts written before the verdict; the views no longer show it.

# The narrow layout: sentence and unmatched counts as EN/KO, the date without the
# time, models as one word (TEST, yes, none); ``events --json`` keeps everything.
COMPACT_COLUMNS = (
    ("event_id", "event"),
    ("sentences", "EN/KO"),
    ("pairs", "pairs"),
    ("only", "only"),
    ("probably", "prob."),
    ("number_differences", "num"),
    ("mode", "mode"),
    ("aligned", "aligned"),
    ("mt", "MT"),
)


def compact(row: dict[str, Any]) -> dict[str, str]:
    """One ``event_summaries`` row in the narrow layout's columns."""
    models = str(row["models"])
    return {
        "event_id": str(row["event_id"]),
        "sentences": f"{row['en_sentences']}/{row['ko_sentences']}",
        "pairs": str(row["pairs"]),
        # Confident omissions when the verdict is stored, else (older events) every
        # unlinked sentence as EN/KO, as before the verdict.
        "only": (f"{row['en_only']}/{row['ko_only']}" if row["only_here"] is None else str(row["only_here"])),
        "probably": "-" if row["probably_reported"] is None else str(row["probably_reported"]),
        "number_differences": str(row["number_differences"]),
        "mode": str(row["mode"]),
        "aligned": str(row["aligned"])[:10],
        "mt": "TEST" if models.endswith("(TEST)") else ("none" if models == "none" else "yes"),
    }


# The event id may wrap, but keeps room for this many characters on its first line.
EVENT_ID_WIDTH = 24
# Columns dropped, in this order, while the table is wider than the terminal: the
# least read first. Counts are never cut: a column is shown whole or not at all.
_FULL_DROPS = ("encoder", "models", "number_conflicts", "links")
_COMPACT_DROPS = ("mt", "aligned", "mode", "probably", "only")
# What a column costs beyond its text in rich's SIMPLE box without edge padding:
# one space each side of the divider between two columns, and the divider.
_GAP = 3
_EDGES = 2


@dataclass
class Layout:
    """The columns ``events`` shows at one terminal width, their cells, and what it left out."""

    columns: tuple[tuple[str, str], ...]
    cells: list[dict[str, str]]
    widths: dict[str, int]  # each column's width: its widest cell or heading (the id: at most 24)
    hidden: list[str] = field(default_factory=list)  # headings left out for want of width


def _widths(columns: tuple[tuple[str, str], ...], cells: list[dict[str, str]]) -> dict[str, int]:
    from rich.cells import cell_len  # an id in Hangul takes two terminal cells a character

    widths = {key: max([cell_len(heading), *(cell_len(c[key]) for c in cells)]) for key, heading in columns}
    widths["event_id"] = min(EVENT_ID_WIDTH, widths["event_id"])
    return widths


def _fit(
    columns: tuple[tuple[str, str], ...], cells: list[dict[str, str]], drops: tuple[str, ...], width: int
) -> Layout:
    widths = _widths(columns, cells)
    shown = list(columns)
    hidden: list[str] = []
    for key in (None, *drops):
        if key is not None:
            hidden += [h for k, h in shown if k == key]
            shown = [(k, h) for k, h in shown if k != key]
        if _table_width([widths[k] for k, _ in shown]) <= width:
            break
    return Layout(tuple(shown), cells, {k: widths[k] for k, _ in shown}, hidden)


def _table_width(widths: list[int]) -> int:
    return sum(widths) + _GAP * (len(widths) - 1) + _EDGES


def fit_layout(rows: list[dict[str, Any]], width: int) -> Layout:
    """The widest layout that fits ``width`` terminal columns with no heading or number cut.

    The full columns first (the date to the minute), then the least read columns
    dropped one by one; when even that does not fit, the narrow layout
    (EN/KO pairs of counts), dropping its own least read columns.
    """
    cells = [{k: "-" if v is None else str(v) for k, v in r.items()} for r in rows]  # "-": no verdict yet
    for c in cells:
        c["aligned"] = c["aligned"][:16].replace("T", " ")  # to the minute: the seconds tell nothing here
    full = _fit(COLUMNS, cells, _FULL_DROPS, width)
    if _table_width(list(full.widths.values())) <= width:
        return full
    return _fit(COMPACT_COLUMNS, [compact(r) for r in rows], _COMPACT_DROPS, width)


def stored_state(root: str | Path, event_id: str) -> str | None:
    """What the dataset holds for ``event_id``, in a few words, before a run replaces it;
    None when it holds nothing. Says so when the stored event cannot be read."""
    from translate.dataset import load_documents, load_links
    from translate.errors import EventNotFound
    from translate.textsafe import plural

    try:
        prov = read_provenance(root, event_id)
        docs = load_documents(root, event_id).select(["lang_declared", "n_sentences"]).to_pylist()
        links = load_links(root, event_id).num_rows
    except EventNotFound:
        return None
    except (DatasetError, OSError, KeyError) as exc:
        return f"unreadable: {one_line(str(exc))[:120]}"
    n = {"en": 0, "ko": 0}
    for d in docs:
        n[d["lang_declared"]] = n.get(d["lang_declared"], 0) + (d["n_sentences"] or 0)
    when = str(prov.get("created_at", "?"))[:16].replace("T", " ")
    return (
        f"{n['en']} English and {plural(n['ko'], 'Korean sentence')}, {plural(links, 'link')}, "
        f"mode {prov.get('aligner', {}).get('mode', '?')}, aligned {when}"
    )


def _counts(table: pa.Table, mask: pa.ChunkedArray | None = None) -> dict[str, int]:
    if mask is not None:
        table = table.filter(mask)
    grouped = table.group_by("event_id").aggregate([([], "count_all")])
    return dict(zip(grouped["event_id"].to_pylist(), grouped["count_all"].to_pylist(), strict=True))


def _groups(linked: pa.Table) -> dict[str, int]:
    """Distinct group ids per event among rows that hold a link; a row of a dataset
    written before group ids (null) counts as a group of its own."""
    seen: dict[str, set[tuple[str, int]]] = {}
    cols = (linked[c].to_pylist() for c in ("event_id", "group_id", "row_index"))
    for e, g, k in zip(*cols, strict=True):
        seen.setdefault(e, set()).add(("g", g) if g is not None else ("r", k))
    return {e: len(v) for e, v in seen.items()}


def _verdicts(sentences: pa.Table) -> dict[str, dict[str, int]]:
    """Per event, how many sentences have each verdict state; events with none stored are absent."""
    judged = sentences.filter(pc.is_valid(sentences["verdict"]))
    grouped = judged.group_by(["event_id", "verdict"]).aggregate([([], "count_all")])
    out: dict[str, dict[str, int]] = {}
    cols = (grouped[c].to_pylist() for c in ("event_id", "verdict", "count_all"))
    for e, state, n in zip(*cols, strict=True):
        out.setdefault(e, {})[state] = n
    return out


def event_summaries(root: str | Path) -> list[dict[str, Any]]:
    """One dict per event, keyed as in ``COLUMNS``, sorted by event id."""
    events = list_events(root)
    if not events:
        return []
    damaged: set[str] = set()  # events with an unreadable file: named in a warning, not listed
    pairs = scan_columns(
        root,
        "pairs",
        [
            "event_id",
            "type",
            "numbers_only_en",
            "numbers_only_ko",
            "numbers_conflict_en",
            "numbers_conflict_ko",
            "possible_index",
            "group_id",
            "row_index",
        ],
        damaged,
    )
    kind = pairs["type"]

    def any_in(a: str, b: str) -> pa.ChunkedArray:
        return pc.or_(
            pc.greater(pc.fill_null(pc.list_value_length(pairs[a]), 0), 0),
            pc.greater(pc.fill_null(pc.list_value_length(pairs[b]), 0), 0),
        )

    flagged = any_in("numbers_only_en", "numbers_only_ko")
    conflicts = _counts(pairs, any_in("numbers_conflict_en", "numbers_conflict_ko"))
    possible = _counts(pairs, pc.is_valid(pairs["possible_index"]))
    n_pairs = _counts(pairs, pc.invert(pc.is_in(kind, pa.array([*GAP_TYPES, *ALSO_TYPES]))))
    also = _counts(pairs, pc.is_in(kind, pa.array(list(ALSO_TYPES))))
    groups = _groups(pairs.filter(pc.invert(pc.is_in(kind, pa.array(list(GAP_TYPES))))))
    en_only = _counts(pairs, pc.equal(kind, "en-only"))
    ko_only = _counts(pairs, pc.equal(kind, "ko-only"))
    diffs = _counts(pairs, flagged)
    links = _counts(scan_columns(root, "links", ["event_id"], damaged))
    verdicts = _verdicts(scan_columns(root, "sentences", ["event_id", "verdict"], damaged))
    docs = scan_columns(root, "documents", ["event_id", "lang_declared", "n_sentences"], damaged)
    sents: dict[tuple[str, str], int] = {}
    for e, lang, n in zip(*(docs[c].to_pylist() for c in docs.column_names), strict=True):
        sents[(e, lang)] = sents.get((e, lang), 0) + (n or 0)
    out = []
    for e in events:
        if e in damaged:
            continue
        try:
            prov = read_provenance(root, e)
        except DatasetError as exc:
            log.warning("warning: skipping event %s: %s", e, one_line(str(exc)))
            continue
        aligner = prov.get("aligner", {})
        packages = prov.get("packages", [])
        models = ", ".join(f"{p['code']} {p['version']}" for p in packages) or "none"
        out.append(
            {
                "event_id": e,
                "en_sentences": sents.get((e, "en"), 0),
                "ko_sentences": sents.get((e, "ko"), 0),
                "pairs": n_pairs.get(e, 0),
                "groups": groups.get(e, 0),
                "also": also.get(e, 0),
                "links": links.get(e, 0),
                "en_only": en_only.get(e, 0),
                "ko_only": ko_only.get(e, 0),
                "possible": possible.get(e, 0),
                # None (null in JSON) for an event aligned before the verdict was stored
                "only_here": verdicts[e].get("only", 0) if e in verdicts else None,
                "probably_reported": verdicts[e].get("probably", 0) if e in verdicts else None,
                "number_conflicts": conflicts.get(e, 0),
                "number_differences": diffs.get(e, 0),
                "mode": aligner.get("mode", "?"),
                "aligned": prov.get("created_at", "?"),
                "models": models + (" (TEST)" if prov.get("test_models") else ""),
                "encoder": aligner.get("encoder") or "none",
                "threshold": aligner.get("threshold"),
            }
        )
    return out
