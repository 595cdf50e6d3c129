"""Matched pairs in the formats aligners and translation-memory tools read.

* TMX 1.4b (``xml:lang`` en and ko), for CAT tools;
* JSONL in the Hugging Face ``translation`` shape, one object per line;
* Moses-style line-parallel ``PATH.en`` / ``PATH.ko`` files.

Only matched pairs are exported (never an unmatched sentence), by default those
scoring at or above the threshold the event was aligned with (provenance:
``aligner.threshold``). A pair one of whose sides is detected in another
language than its column (an English quote in the Korean article) is skipped,
or with ``mixed="keep"`` exported under the language detected: TMX
``xml:lang`` and a JSONL ``lang`` object say which (Moses files cannot).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyarrow.compute as pc

from translate import __version__
from translate.align import GAP_TYPES
from translate.dataset import list_events, load_pairs, no_such_event, read_provenance
from translate.errors import InputError
from translate.sidelang import MIXED_LANGUAGE, annotate, sentence_langs

__all__ = ["FORMATS", "MIXED_LANGUAGE", "ExportPair", "export", "select_pairs", "xml_text"]

FORMATS = ("tmx", "jsonl", "moses")
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


def select_pairs(
    root: str | Path,
    event_ids: Sequence[str] | None = None,
    min_score: float | None = None,
    mixed: str = "skip",
) -> list[ExportPair]:
    """Matched pairs of the given events (all when None) at or above each event's threshold.

    ``mixed`` is ``"skip"`` (leave out pairs with a side in another language
    than its column) or ``"keep"`` (export them with the language detected).
    """
    if mixed not in MIXED_LANGUAGE:
        raise InputError(f"--mixed-language must be one of {', '.join(MIXED_LANGUAGE)}, not {mixed!r}")
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
    cols = ["event_id", "row_index", "en_text", "ko_text", "score", "en_indices", "ko_indices"]
    rows = [
        r
        for r in table.select(cols).to_pylist()
        if r["event_id"] in wanted
        and r["en_text"]
        and r["ko_text"]
        and r["score"] >= thresholds[r["event_id"]]
    ]
    annotate(rows, sentence_langs(root, wanted))
    out = []
    for r in rows:
        if mixed == "skip" and (r["en_lang"], r["ko_lang"]) != ("en", "ko"):
            continue
        out.append(
            ExportPair(
                r["event_id"],
                r["row_index"],
                _one_line(r["en_text"]),
                _one_line(r["ko_text"]),
                round(float(r["score"]), 4),
                r["en_lang"],
                r["ko_lang"],
            )
        )
    return out


def _gap_array():
    import pyarrow as pa

    return pa.array(list(GAP_TYPES))


def _threshold(root: str | Path, event_id: str, min_score: float | None) -> float:
    if min_score is not None:
        return min_score
    value = read_provenance(root, event_id).get("aligner", {}).get("threshold")
    return float(value) if value is not None else 0.0


def _new_file_mode(path: Path) -> int:
    """The mode ``open()`` would give ``path``: the existing file's, else 0o666 less the umask.

    mkstemp creates 0600 whatever the umask, which would leave an export unreadable
    to the group or the web server that a plain ``> file`` would have let read it.
    """
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)  # the only portable way to read it; put back at once
        os.umask(umask)
        return 0o666 & ~umask


def _atomic_write(path: Path, text: str) -> None:
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.chmod(tmp, _new_file_mode(path))
        os.replace(tmp, path)
    except OSError as exc:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)  # a full disk leaves no hidden partial file behind
        raise InputError(f"cannot write {path}: {exc}") from exc


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
        tu = ET.SubElement(body, "tu", tuid=xml_text(f"{p.event_id}#{p.row_index}"))
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
        _atomic_write(to, to_tmx(pairs))
        return [to]
    if fmt == "jsonl":
        _atomic_write(to, to_jsonl(pairs))
        return [to]
    if fmt == "moses":
        written = []
        for lang in ("en", "ko"):
            path = to.with_name(f"{to.name}.{lang}")
            _atomic_write(path, "".join(getattr(p, lang) + "\n" for p in pairs))
            written.append(path)
        return written
    raise InputError(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
