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
ASIDE_MARK = "¤"  # ends a caption or page-furniture unit: set aside, not a gold sentence


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
        if ch == ASIDE_MARK:
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
    docs = [_from_marked(f"segment_{lang}", lang, (GOLD / f"segment_{lang}.txt").read_text("utf-8"))]
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


def corrupt(texts: list[str], rate: float = 0.3, seed: int = 0) -> list[str]:
    """Seeded noise for translations: drop about rate/2 and replace about rate/2 of the words.

    Replacements come from the same texts' vocabulary, so the noise looks like
    a poor MT system's word choice rather than random characters.
    """
    import random

    rng = random.Random(seed)
    vocab = sorted({w for t in texts for w in t.split()})
    out = []
    for t in texts:
        words = []
        for w in t.split():
            r = rng.random()
            if r < rate / 2:
                continue
            words.append(rng.choice(vocab) if r < rate else w)
        out.append(" ".join(words))
    return out


@dataclass
class AlignCase:
    """One sample event ready for alignment: sentences, references and gold links."""

    event: str
    split: str
    mode: str
    en: list[str]
    ko: list[str]
    en2ko: list[str]  # reference Korean translations of the English sentences
    ko2en: list[str]  # reference English translations of the Korean sentences
    links: set[tuple[int, int]]


def align_cases() -> list[AlignCase]:
    cases = []
    for ev in sample_events():
        meta = event_meta(ev)
        en_rows, ko_rows = event_sentences(ev, "en"), event_sentences(ev, "ko")
        cases.append(
            AlignCase(
                event=ev.name,
                split=meta["split"],
                mode=meta["mode"],
                en=[r["sentence"] for r in en_rows],
                ko=[r["sentence"] for r in ko_rows],
                en2ko=[r["reference_ko"] for r in en_rows],
                ko2en=[r["reference_en"] for r in ko_rows],
                links=event_links(ev),
            )
        )
    return cases


def translations_for(case: AlignCase, condition: str, seed: int = 0) -> dict:
    """Keyword arguments for translate.align.align under a translation condition."""
    if condition == "reference":
        return {"ko2en": case.ko2en, "en2ko": case.en2ko}
    if condition == "noisy":
        return {
            "ko2en": corrupt(case.ko2en, seed=seed),
            "en2ko": corrupt(case.en2ko, seed=seed + 1),
        }
    if condition == "ko2en":
        return {"ko2en": case.ko2en}
    if condition == "en2ko":
        return {"en2ko": case.en2ko}
    if condition == "none":
        return {}
    raise ValueError(condition)
