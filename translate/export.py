"""Matched pairs in the formats aligners and translation-memory tools read.

* TMX 1.4b (``xml:lang`` en and ko), for CAT tools;
* JSONL in the Hugging Face ``translation`` shape, one object per line;
* Moses-style line-parallel ``PATH.en`` / ``PATH.ko`` files.

Only matched pairs are exported (never an unmatched sentence), by default those
scoring at or above the threshold the event was aligned with (provenance:
``aligner.threshold``). A pair one of whose sides is detected in another
language than its column (an English quote in the Korean article) is skipped,
or with ``mixed="keep"`` exported under the language detected: TMX
``xml:lang`` and a JSONL ``lang`` object say which (Moses files cannot). A side
whose sentences are in more than one language (an English line that joined a
Korean sentence in a 1-2 row) is left out either way: a segment has one language.

A segment is always a contiguous span of each article. The unit is a *group*
(``pairs.group_id``: a pair row with the also rows linked to it, or several
rows joined by links): one segment when its sentences are contiguous on both
sides. A group whose sentences are not (one Korean sentence that packs three
English quotes from across the article) is exported as its contiguous pieces
(``noncontiguous="pieces"``, the default): each run of adjacent sentences on
one side with each run on the other that it is linked to, so a long sentence
may recur; or it is left out and counted (``noncontiguous="skip"``). Pieces
is the default because on the dev set skipping would drop 64 of 162 comparable
segments (groups that cross-links join), while pieces keep 178, each real text
(docs/groups.md). Never are sentences glued across a gap.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow.compute as pc

from translate import __version__
from translate.align import GAP_TYPES
from translate.dataset import list_events, load_pairs, no_such_event, read_provenance
from translate.errors import InputError
from translate.outfile import write_output
from translate.sidelang import MIXED_LANGUAGE

__all__ = [
    "FORMATS",
    "MIXED_LANGUAGE",
    "NONCONTIGUOUS",
    "ExportPair",
    "Selection",
    "export",
    "select_pairs",
    "xml_text",
]

FORMATS = ("tmx", "jsonl", "moses")
NONCONTIGUOUS = ("skip", "pieces")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(frozen=True)
class ExportPair:
    event_id: str
    row_index: int
    en: str
    ko: str
    score: float
    en_lang: str = "en"  # the language detected for each side; differs from the column only
    ko_lang: str = "ko"  # when mixed="keep" let such a pair through
    piece: int = 0  # with noncontiguous="pieces": 1, 2, … for a group's pieces (0: the whole group)

    @property
    def tuid(self) -> str:
        return f"{self.event_id}#{self.row_index}" + (f".{self.piece}" if self.piece else "")


# Everything outside XML 1.0's Char production (C0 controls but tab, LF and CR; surrogates;
# U+FFFE and U+FFFF): a TMX holding one is not well-formed XML and CAT tools reject the file.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
XML_REPLACEMENT = "\ufffd"


def xml_text(text: str) -> str:
    """``text`` with each character XML 1.0 forbids replaced by U+FFFD (JSONL and Moses keep them)."""
    return _NOT_XML.sub(XML_REPLACEMENT, text)


def _one_line(text: str) -> str:
    # Line-parallel formats break on embedded newlines; a sentence never needs one.
    return " ".join(text.split())


class Selection(list):
    """The exported pairs (a list), with what was left out and why."""

    skipped_noncontiguous: int = 0  # groups whose sentences are not adjacent (noncontiguous="skip")
    skipped_mixed: int = 0  # segments with a side in another language, or in two


def select_pairs(
    root: str | Path,
    event_ids: Sequence[str] | None = None,
    min_score: float | None = None,
    mixed: str = "skip",
    noncontiguous: str = "pieces",
) -> Selection:
    """Segments of the given events (all when None) at or above each event's threshold.

    ``mixed`` is ``"skip"`` (leave out pairs with a side in another language
    than its column) or ``"keep"`` (export them with the language detected).
    ``noncontiguous`` is ``"skip"`` or ``"pieces"`` (module docstring).
    """
    if mixed not in MIXED_LANGUAGE:
        raise InputError(f"--mixed-language must be one of {', '.join(MIXED_LANGUAGE)}, not {mixed!r}")
    if noncontiguous not in NONCONTIGUOUS:
        raise InputError(f"--noncontiguous must be one of {', '.join(NONCONTIGUOUS)}, not {noncontiguous!r}")
    known = list_events(root)
    if event_ids is None:
        event_ids = known
    for e in event_ids:
        if e not in known:
            raise no_such_event(root, e, known)
    table = load_pairs(root, event_ids[0] if len(event_ids) == 1 else None)
    table = table.filter(pc.invert(pc.is_in(table["type"], value_set=_gap_array())))
    wanted = set(event_ids)
    thresholds = {e: _threshold(root, e, min_score) for e in event_ids}
    cols = ["event_id", "row_index", "type", "en_text", "ko_text", "score", "en_indices", "ko_indices"]
    cols += [c for c in ("group_id", "also_index") if c in table.column_names]
    rows = [
        r
        for r in table.select(cols).to_pylist()
        if r["event_id"] in wanted
        and (r["en_text"] or r["ko_text"])
        and r["score"] >= thresholds[r["event_id"]]
    ]
    texts, langs = _sentences(root, wanted)
    groups: dict[tuple[str, object], list[dict]] = {}
    for r in rows:
        group = r.get("group_id")
        key = (r["event_id"], group if group is not None else f"row {r['row_index']}")
        groups.setdefault(key, []).append(r)
    out = Selection()
    for members in groups.values():
        segments = _segments(members, texts, noncontiguous)
        if segments is None:
            out.skipped_noncontiguous += 1
            continue
        for seg in segments:
            seg["en_lang"], seg["ko_lang"] = (
                _side_lang(
                    column, [langs.get((seg["event_id"], column, i)) for i in seg[f"{column}_indices"]]
                )
                for column in ("en", "ko")
            )
            mixed_side = None in (seg["en_lang"], seg["ko_lang"])
            if mixed_side or (mixed == "skip" and (seg["en_lang"], seg["ko_lang"]) != ("en", "ko")):
                out.skipped_mixed += 1
                continue
            out.append(
                ExportPair(
                    seg["event_id"],
                    seg["row_index"],
                    _one_line(seg["en"]),
                    _one_line(seg["ko"]),
                    round(float(seg["score"]), 4),
                    seg["en_lang"],
                    seg["ko_lang"],
                    seg.get("piece", 0),
                )
            )
    out.sort(key=lambda p: (p.event_id, p.row_index, p.piece))
    return out


def _side_lang(column: str, langs: list[str | None]) -> str | None:
    """The one language of a segment's side; None when its sentences are in two."""
    found = {lang for lang in langs if lang not in ("und", None)}
    if len(found) > 1:
        return None
    return found.pop() if found else column


def _sentences(root: str | Path, events: set[str]) -> tuple[dict, dict]:
    """Every stored sentence's text and detected language, by (event_id, side, sentence_index)."""
    from translate.dataset import scan_columns

    table = scan_columns(root, "sentences", ["event_id", "side", "sentence_index", "text", "lang"])
    table = table.filter(pc.is_in(table["event_id"], value_set=_strings(events)))
    cols = (table[c].to_pylist() for c in ("event_id", "side", "sentence_index", "text", "lang"))
    texts, langs = {}, {}
    for e, side, k, text, lang in zip(*cols, strict=True):
        texts[(e, side, int(k))] = text
        langs[(e, side, int(k))] = lang
    return texts, langs


def _runs(indices: Iterable[int]) -> list[tuple[int, ...]]:
    """Sorted indices cut into runs of adjacent ones: [1, 2, 5] → [(1, 2), (5,)]."""
    runs: list[list[int]] = []
    for k in sorted(set(indices)):
        if runs and k == runs[-1][-1] + 1:
            runs[-1].append(k)
        else:
            runs.append([k])
    return [tuple(r) for r in runs]


def _segments(members: list[dict], texts: dict, noncontiguous: str) -> list[dict] | None:
    """A group's segments: one when contiguous on both sides; else pieces, or None (skip)."""
    event = members[0]["event_id"]
    first = min(r["row_index"] for r in members)
    score = min(float(r["score"]) for r in members)
    pairs: set[tuple[int, int]] = set()  # the group's linked (en, ko) sentences
    for r in members:
        en_idx, ko_idx = list(r["en_indices"] or []), list(r["ko_indices"] or [])
        partner = r.get("also_index")
        if partner is not None:  # an also row: its sentence and the one it is linked to
            en_idx, ko_idx = (en_idx, [partner]) if en_idx else ([partner], ko_idx)
        pairs |= {(i, j) for i in en_idx for j in ko_idx}
    en_runs, ko_runs = _runs(i for i, _ in pairs), _runs(j for _, j in pairs)
    if (
        len(members) == 1
        and len(en_runs) == len(ko_runs) == 1
        and members[0]["en_text"]
        and members[0]["ko_text"]
    ):
        r = members[0]  # one contiguous pair row: its own text, as stored
        return [
            {**r, "en": r["en_text"], "ko": r["ko_text"], "en_indices": en_runs[0], "ko_indices": ko_runs[0]}
        ]
    if (len(en_runs) > 1 or len(ko_runs) > 1) and noncontiguous == "skip":
        return None

    def text(side: str, run: tuple[int, ...]) -> str:
        return " ".join(t for t in (texts.get((event, side, k)) for k in run) if t)

    out = []
    for er in en_runs:
        for kr in ko_runs:
            if any((i, j) in pairs for i in er for j in kr):
                seg = {"event_id": event, "row_index": first, "score": score}
                seg.update(en=text("en", er), ko=text("ko", kr), en_indices=er, ko_indices=kr)
                if seg["en"] and seg["ko"]:
                    out.append(seg)
    if len(out) > 1:
        for k, seg in enumerate(out, 1):
            seg["piece"] = k
    return out


def _strings(values: Iterable[str]) -> Any:
    import pyarrow as pa

    return pa.array(list(values), type=pa.string())


def _gap_array():
    import pyarrow as pa

    return pa.array(list(GAP_TYPES))


def _threshold(root: str | Path, event_id: str, min_score: float | None) -> float:
    if min_score is not None:
        return min_score
    value = read_provenance(root, event_id).get("aligner", {}).get("threshold")
    return float(value) if value is not None else 0.0


def to_tmx(pairs: Iterable[ExportPair]) -> str:
    root = ET.Element("tmx", version="1.4")
    ET.SubElement(
        root,
        "header",
        {
            "creationtool": "coverage-align",
            "creationtoolversion": __version__,
            "segtype": "sentence",
            "o-tmf": "coverage-align",
            "adminlang": "en",
            "srclang": "en",
            "datatype": "plaintext",
        },
    )
    body = ET.SubElement(root, "body")
    for p in pairs:
        tu = ET.SubElement(body, "tu", tuid=xml_text(p.tuid))
        ET.SubElement(tu, "prop", type="x-event").text = xml_text(p.event_id)
        ET.SubElement(tu, "prop", type="x-score").text = f"{p.score:.4f}"
        for column, lang, text in (("en", p.en_lang, p.en), ("ko", p.ko_lang, p.ko)):
            tuv = ET.SubElement(tu, "tuv", {XML_LANG: lang})
            if lang != column:  # kept with --mixed-language keep: say which column it came from
                ET.SubElement(tuv, "prop", type="x-column").text = column
            ET.SubElement(tuv, "seg").text = xml_text(text)
    ET.indent(root)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n'
        + ET.tostring(root, encoding="unicode")
        + "\n"
    )


def to_jsonl(pairs: Iterable[ExportPair]) -> str:
    return "".join(
        json.dumps(
            {
                "translation": {"en": p.en, "ko": p.ko},
                "lang": {"en": p.en_lang, "ko": p.ko_lang},  # detected; differs only with "keep"
                "score": p.score,
                "event_id": p.event_id,
                "row_index": p.row_index,
                **({"piece": p.piece} if p.piece else {}),
            },
            ensure_ascii=False,
        )
        + "\n"
        for p in pairs
    )


def export(pairs: list[ExportPair], fmt: str, to: str | Path) -> list[Path]:
    """Write ``pairs`` in ``fmt``; returns the files written (two for moses: TO.en, TO.ko)."""
    to = Path(to)
    if fmt == "tmx":
        write_output(to, to_tmx(pairs))
        return [to]
    if fmt == "jsonl":
        write_output(to, to_jsonl(pairs))
        return [to]
    if fmt == "moses":
        if to.is_dir():  # TO.en beside it, in the parent folder, is not what "--to out/" meant
            raise InputError(
                f"cannot write moses files to {to}: it is a directory; give a prefix such as "
                f"{to / 'corpus'} (writes corpus.en and corpus.ko there)"
            )
        written = []
        for lang in ("en", "ko"):
            path = to.with_name(f"{to.name}.{lang}")
            write_output(path, "".join(getattr(p, lang) + "\n" for p in pairs))
            written.append(path)
        return written
    raise InputError(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
