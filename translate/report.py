"""A self-contained HTML report of one event: no scripts, fonts or assets fetched."""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from translate.align import ALSO_TYPES, GAP_TYPES, summary_counts
from translate.show import (
    LANG_NAMES,
    also_in,
    group_members,
    one_sided_label,
    possibly,
    probably_in,
    side_names,
)
from translate.testmarks import TEST_MODEL_BANNER
from translate.textsafe import number_spans, plural

__all__ = ["event_title", "render_html", "render_index"]

_CSS = """
:root { --en: #1f4e79; --ko: #7a1f3d; --gap: #fff4e5; --line: #ddd; }
* { box-sizing: border-box; }
body { font-family: system-ui, "Noto Sans CJK KR", "Noto Sans KR", "Apple SD Gothic Neo",
       "Malgun Gothic", sans-serif; margin: 0; padding: 1rem; color: #222; line-height: 1.5; }
header { border-bottom: 2px solid var(--line); margin-bottom: 1rem; }
h1 { font-size: 1.3rem; margin: 0 0 .5rem; }
.banner { background: #b00020; color: #fff; padding: .5rem 1rem; font-weight: bold; }
dl.summary { display: grid; grid-template-columns: repeat(auto-fill, minmax(9rem, 1fr));
             gap: .25rem 1rem; margin: .5rem 0; }
dl.summary div { display: flex; flex-direction: column; }
dt { font-size: .75rem; color: #666; text-transform: uppercase; }
dd { margin: 0; font-weight: 600; }
.legend span { display: inline-block; padding: 0 .4rem; margin-right: .3rem; border-radius: 3px; }
.row { display: grid; grid-template-columns: 4.5rem minmax(0, 1fr) minmax(0, 1fr);
       gap: .75rem; padding: .5rem;
       border-bottom: 1px solid var(--line); }
.row .meta { font-size: .75rem; color: #555; }
.row .score { display: block; margin-top: .2rem; padding: 0 .2rem; border-radius: 3px;
              text-align: center; color: #000; }
.side { min-width: 0; overflow-wrap: anywhere; }
.side.empty { background: repeating-linear-gradient(45deg, #fafafa, #fafafa 6px,
                                                     #f0f0f0 6px, #f0f0f0 12px); }
.en .text { color: var(--en); }
.ko .text { color: var(--ko); }
/* Korean breaks between words (eojeol), not inside them. */
[lang="ko"] { word-break: keep-all; overflow-wrap: anywhere; }
.heads { display: grid; grid-template-columns: 4.5rem minmax(0, 1fr) minmax(0, 1fr); gap: .75rem;
         padding: .5rem; position: sticky; top: 0; z-index: 1; background: #fff; font-weight: 700;
         border-bottom: 2px solid var(--line); }
/* CSS-only toggle: the checkbox is a sibling of <main>, so no script is needed. */
#hide-tr:checked ~ main .tr { display: none; }
label[for="hide-tr"] { cursor: pointer; margin-left: .25rem; }
table.index { border-collapse: collapse; width: 100%; }
table.index th, table.index td { border-bottom: 1px solid var(--line); padding: .3rem .5rem;
                                 text-align: right; }
table.index th:first-child, table.index td:first-child { text-align: left; }
.tr { color: #666; font-size: .9em; font-style: italic; margin-top: .25rem; }
.row.gap { background: var(--gap); }
/* Probably reported by the other side: not a claimed omission, so not the omission colour. */
.row.gap.probably { background: #f3f0fa; }
.row.gap.probably .tag { color: #5b3f99; }
.row.also { border-left: 3px solid #8fb3d9; }
.row:target { outline: 2px solid #8fb3d9; }
.group { display: block; margin-top: .2rem; font-size: .7rem; }
.group a, .possible a { color: #1f4e79; }
.tag { display: block; margin-top: .2rem; font-size: .7rem; font-weight: bold;
       text-transform: uppercase; color: #a35b00; }
mark { background: #ffd54f; padding: 0 .1rem; }
/* A number only one side gives is a detail, not a contradiction: quieter than a conflict. */
mark.only { background: none; border-bottom: 2px dotted #c9a227; }
.possible { color: #888; font-size: .85em; font-style: italic; }
.lang-tag { font-size: .7rem; color: #777; border: 1px solid #ccc; border-radius: 3px;
            padding: 0 .2rem; margin-left: .3rem; font-style: normal; }
@media (max-width: 640px) {
  body { padding: .5rem; }
  .row { grid-template-columns: 1fr; gap: .25rem; }
  .heads { display: none; }
  .side.empty { display: none; }
  .side::before { content: attr(data-lang); font-size: .7rem; color: #888; display: block; }
}
"""


def _score_colour(score: float) -> str:
    """Red (0) through amber to green (1), as an HSL background."""
    hue = int(max(0.0, min(1.0, score)) * 120)
    return f"hsl({hue}, 70%, 80%)"


def _marked(text: str, flagged: Iterable[str], quiet: Iterable[str] = ()) -> str:
    # Spans are found in the raw text, then each piece is escaped: matching on
    # escaped HTML marked digits inside entities such as &#x27;.
    strong = list(flagged)
    spans = [(a, b, "<mark>") for a, b in number_spans(text, strong)]
    spans += [
        (a, b, '<mark class="only">') for a, b in number_spans(text, [q for q in quiet if q not in strong])
    ]
    out, pos = [], 0
    for start, end, tag in sorted(spans):
        if start < pos:  # overlaps a span already marked
            continue
        out += [html.escape(text[pos:start]), f"{tag}{html.escape(text[start:end])}</mark>"]
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out)


def _conflicts(p: Mapping[str, Any], side: str) -> list[str]:
    return list(p.get(f"numbers_conflict_{side}") or [])  # absent from datasets written before it


def _side(
    lang: str,
    text: str | None,
    translation: str | None,
    flagged: Iterable[str],
    quiet: Iterable[str] = (),
    hint: str | None = None,
    detected: str | None = None,
) -> str:
    if not text:
        if hint:  # where the other side may carry it, faint, where its text would be
            attrs = f'class="side {lang} possible" data-lang="{lang}" lang="{lang}"'
            body = hint  # already HTML (``_hint``)
            return f"<div {attrs}>{body}</div>"
        return f'<div class="side {lang} empty" data-lang="{lang}"></div>'
    tag = ""
    if detected and detected != lang:  # an English quote in the Korean column, say
        tag = (
            f'<span class="lang-tag" title="detected language {html.escape(detected)}, '
            f"not the column's\">{html.escape(detected)}</span>"
        )
    tr = (
        f'<div class="tr" lang="{"ko" if lang == "en" else "en"}">{html.escape(translation)}</div>'
        if translation
        else ""
    )
    return (
        f'<div class="side {lang}" data-lang="{lang}" lang="{lang}">'
        f'<div class="text">{_marked(text, flagged, quiet)}{tag}</div>{tr}</div>'
    )


def _row_link(row: int | None, text: str, title: str | None = None) -> str:
    """``text`` linking to row ``row`` (plain when the row is unknown), ``title`` on hover."""
    if row is None:
        return html.escape(text)
    tip = f' title="{html.escape(title)}"' if title else ""
    return f'<a href="#r{row}"{tip}>{html.escape(text)}</a>'


def _where(c: Mapping[str, Any]) -> str:
    """A candidate's place: the row that shows it, else its sentence number on its side."""
    return f"#{c['row']}" if c["row"] is not None else f"sentence {c['index'] + 1}"


def _hint(p: Mapping[str, Any]) -> str | None:
    """The empty side's note as HTML: where a "probably reported" sentence may be on the
    other side (each candidate one click away, its text on hover), an also row's partner
    row, or, for a row without a stored verdict (an older dataset), the one-candidate hint."""
    if p.get("verdict") == "probably":
        cands = p.get("verdict_candidates") or []
        if not cands:
            return html.escape(probably_in(p) or "")
        parts = [_row_link(c["row"], _where(c), c["text"]) + f" ({c['score']:.2f})" for c in cands]
        return "probably in " + ", ".join(parts)
    if p.get("verdict"):  # "only here": the tag says it all
        return None
    if p["type"] in ALSO_TYPES:
        text = also_in(p)
        target = p.get("also_row")
        if not text or target is None:
            return None
        head, tail = text.split(f"#{target}", 1)
        return html.escape(head) + _row_link(target, f"#{target}") + html.escape(tail)
    text = possibly(p) if p["type"] in GAP_TYPES else None
    return html.escape(text) if text else None


def event_title(event_id: str, documents: Sequence[Mapping[str, Any]], provenance: Mapping[str, Any]) -> str:
    """What a reader calls the event: event.json's title, else the English headline, else
    the Korean one; the id (``en--ko``, ``ev-3f2a…``) only when there is nothing else."""
    event = provenance.get("event")
    title = event.get("title") if isinstance(event, Mapping) else None
    if isinstance(title, str) and title.strip():
        return title.strip()
    for lang in ("en", "ko"):
        for d in documents:
            if d.get("lang_declared") == lang and (d.get("title") or "").strip():
                return str(d["title"]).strip()
    return event_id


def render_html(
    event_id: str,
    pairs: Sequence[Mapping[str, Any]],
    documents: Sequence[Mapping[str, Any]],
    provenance: Mapping[str, Any],
) -> str:
    """A self-contained HTML page showing an event's rows side by side (no external assets)."""
    counts = summary_counts((p["type"] for p in pairs), (p.get("group_id") for p in pairs))
    flagged = sum(bool(p["numbers_only_en"] or p["numbers_only_ko"]) for p in pairs)
    conflicts = sum(bool(_conflicts(p, "en") or _conflicts(p, "ko")) for p in pairs)
    verdicts = [p.get("verdict") for p in pairs if p["type"] in GAP_TYPES]
    judged = any(verdicts)  # False for an event aligned before the coverage verdict
    aligner = provenance.get("aligner", {})
    packages = ", ".join(f"{p['code']} {p['version']}" for p in provenance.get("packages", []))
    summary = {
        "pairs": counts["pairs"],
        "linked groups": counts["groups"],
        "also linked (not one-sided)": counts["also"],
        "English only": counts["en_only"],
        "Korean only": counts["ko_only"],
        **(
            {
                "only here (confident)": verdicts.count("only"),
                "probably reported": verdicts.count("probably"),
            }
            if judged
            else {"possible counterparts": sum(p.get("possible_text") is not None for p in pairs)}
        ),
        "number conflicts": conflicts,
        "number differences": flagged,
        "mode": aligner.get("mode", "?"),
        "threshold": aligner.get("threshold", "?"),
        "encoder": aligner.get("encoder") or "none",
        "translation models": packages or "none installed: no machine translations",
        "pipeline": provenance.get("pipeline_version", "?"),
        "created": provenance.get("created_at", "?"),
    }
    sources = " · ".join(html.escape(f"{d['lang_declared']}: {d['title'] or d['path']}") for d in documents)
    title = event_title(event_id, documents, provenance)
    banner = f'<div class="banner">{TEST_MODEL_BANNER}</div>' if provenance.get("test_models") else ""
    names = side_names(documents)
    members = group_members(pairs)
    heading_ko = "Korean · 한국어" if names["ko"] == LANG_NAMES["ko"] else names["ko"]
    rows_html = []
    for p in pairs:
        gap, also = p["type"] in GAP_TYPES, p["type"] in ALSO_TYPES
        only = {"en-only": f"{names['en']} only", "ko-only": f"{names['ko']} only"}
        verdict = one_sided_label(p)  # "only here" / "probably reported"; absent in older datasets
        label = html.escape(verdict or only.get(p["type"], p["type"]))
        score = (
            f'<span class="score" style="background:{_score_colour(p["score"])}">{p["score"]:.2f}</span>'
            if not gap
            else f'<span class="tag">{label}</span>'
        )
        if members.get(p["row_index"]):  # the rest of its group, where they stand
            links = " ".join(f'<a href="#r{k}">#{k}</a>' for k in members[p["row_index"]])
            score += f'<span class="group">with {links}</span>'
        group = p.get("group_id")
        rows_html.append(
            f'<div class="row{" gap" if gap else ""}{" also" if also else ""}'
            f'{" probably" if p.get("verdict") == "probably" else ""}" id="r{p["row_index"]}" '
            f'data-type="{p["type"]}"{f" data-group={chr(34)}{group}{chr(34)}" if group is not None else ""}>'
            f'<div class="meta">#{p["row_index"]}{score}</div>'
            + "".join(
                _side(
                    side,
                    p[f"{side}_text"],
                    p[tr],
                    _conflicts(p, side),
                    [*(p[f"numbers_only_{side}"] or []), *(p.get(f"names_only_{side}") or [])],
                    _hint(p),
                    p.get(f"{side}_lang"),
                )
                for side, tr in (("en", "en_to_ko"), ("ko", "ko_to_en"))
            )
            + "</div>"
        )
    has_tr = any(p["en_to_ko"] or p["ko_to_en"] for p in pairs)
    toggle = (
        '<input type="checkbox" id="hide-tr"><label for="hide-tr">Hide machine translations</label>\n'
        if has_tr
        else ""
    )
    legend_gaps = (
        '<span style="background:#fff4e5">only here: no link, and the other side very likely '
        "does not report it</span>\n"
        '<span style="background:#f3f0fa">probably reported: no link, but the other side likely '
        "carries it; its best candidates follow with their scores</span>"
        if judged
        else '<span style="background:#fff4e5">reported by one side only</span>\n'
        '<span class="possible">possibly: the closest sentence on the other side, with its score</span>'
    )
    dl = "".join(
        f"<div><dt>{html.escape(k)}</dt><dd>{html.escape(str(v))}</dd></div>" for k, v in summary.items()
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)} · coverage-align</title>
<style>{_CSS}</style></head>
<body>{banner}
<header><h1>{html.escape(title)}</h1><p class="sources">event id <code>{html.escape(event_id)}</code>
· {sources}</p>
<dl class="summary">{dl}</dl>
<p class="legend"><span style="background:{_score_colour(0.9)}">high score</span>
<span style="background:{_score_colour(0.2)}">low score</span>
{legend_gaps}
<span class="possible">also in #N: linked to a sentence that row #N shows (not one-sided)</span>
<mark>number conflicts</mark> <mark class="only">number or name given by one side only</mark></p>
</header>
{toggle}<main id="rows">
<div class="heads" aria-hidden="true"><div></div><div lang="en">{html.escape(names["en"])}</div>
<div lang="ko">{html.escape(heading_ko)}</div></div>
{chr(10).join(rows_html)}
</main></body></html>
"""


def render_index(summaries: Sequence[Mapping[str, Any]], dataset: str) -> str:
    """An index page linking each event's report (``<event_id>.html`` alongside) with its counts."""
    from urllib.parse import quote

    cols = (
        ("pairs", "pairs"),
        ("groups", "linked groups"),
        ("also", "also linked"),
        ("en_only", "English only"),
        ("ko_only", "Korean only"),
        ("only_here", "only here"),  # confident omissions, both sides ("-": aligned before the verdict)
        ("probably_reported", "probably reported"),
        ("number_conflicts", "number conflicts"),
        ("number_differences", "number differences"),
        ("links", "links"),
        ("mode", "mode"),
        ("aligned", "aligned"),
        ("models", "models"),
    )
    head = "".join(f"<th>{html.escape(h)}</th>" for _, h in cols)
    body = "\n".join(
        f'<tr><td><a href="{quote(s["event_id"])}.html">{html.escape(s["event_id"])}</a></td>'
        + "".join(f"<td>{html.escape('-' if s[k] is None else str(s[k]))}</td>" for k, _ in cols)
        + "</tr>"
        for s in summaries
    )
    n_events = plural(len(summaries), "event")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>coverage-align · {n_events}</title>
<style>{_CSS}</style></head>
<body><header><h1>{n_events}</h1><p class="sources">dataset {html.escape(dataset)}</p></header>
<table class="index"><thead><tr><th>event</th>{head}</tr></thead>
<tbody>
{body}
</tbody></table></body></html>
"""
