"""Loaders for the project's gold sets (data/gold, data/samples) and shared metrics."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO / "data" / "gold"
SAMPLES = REPO / "data" / "samples"
MARK = "¦"


@dataclass
class SegmentGold:
    name: str
    lang: str
    text: str
    ends: list[int]  # gold sentence end offsets into text
    sentences: list[str]


def _read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def _from_marked(name: str, lang: str, marked: str) -> SegmentGold:
    lines = [ln for ln in marked.splitlines(keepends=True) if not ln.startswith("#")]
    text, ends, sentences, start = "", [], [], None
    for ch in "".join(lines):
        if ch == MARK:
            ends.append(len(text))
            sentences.append(text[start:].strip())
            start = None
            continue
        if start is None and not ch.isspace():
            start = len(text)
        text += ch
    return SegmentGold(name, lang, text, ends, sentences)


def sample_events() -> list[Path]:
    return sorted(p for p in SAMPLES.iterdir() if (p / "event.json").is_file())


def event_meta(event_dir: Path) -> dict:
    return json.loads((event_dir / "event.json").read_text(encoding="utf-8"))


def event_sentences(event_dir: Path, lang: str) -> list[dict[str, str]]:
    return _read_tsv(event_dir / "gold" / f"{lang}.tsv")


def event_links(event_dir: Path) -> set[tuple[int, int]]:
    return {(int(r["en"]), int(r["ko"])) for r in _read_tsv(event_dir / "gold" / "links.tsv")}


def segmentation_gold(lang: str) -> list[SegmentGold]:
    """The tricky-case file plus every sample article of that language."""
    docs = [
        _from_marked(f"segment_{lang}", lang, (GOLD / f"segment_{lang}.txt").read_text("utf-8"))
    ]
    for ev in sample_events():
        text = (ev / lang / "article.txt").read_text(encoding="utf-8")
        sents = [r["sentence"] for r in event_sentences(ev, lang)]
        ends, pos = [], 0
        for s in sents:
            start = text.index(s, pos)
            pos = start + len(s)
            ends.append(pos)
        docs.append(SegmentGold(f"{ev.name}/{lang}", lang, text, ends, sents))
    return docs


def langid_gold() -> list[tuple[str, str]]:
    """(label, text): hand-written short, mixed and foreign lines plus all gold sentences."""
    rows = [(r["lang"], r["text"]) for r in _read_tsv(GOLD / "langid_extra.tsv")]
    for lang in ("en", "ko"):
        for doc in segmentation_gold(lang):
            rows.extend((lang, s) for s in doc.sentences)
    return rows


def prf(predicted: set, gold: set) -> tuple[float, float, float]:
    tp = len(predicted & gold)
    p = tp / len(predicted) if predicted else 1.0
    r = tp / len(gold) if gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f
