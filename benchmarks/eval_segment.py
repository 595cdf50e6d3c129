"""Boundary precision/recall/F1 and language-ID accuracy on the project's gold sets.

``--splitter`` scores another sentence splitter on the same gold and on the
reported cases (data/gold/segment_cases.json): ``kiwi`` (kiwipiepy's
``split_into_sents``), ``kss`` (``kss.split_sentences``), each on the whole
text, or ``ours+kiwi`` / ``ours+kss``: our line, dateline and bullet handling
with the library deciding the boundaries inside each stretch of text. Neither
library is a dependency; bring them in for the run:

Run:  uv run python -m benchmarks.eval_segment [-v]
      uv run --with kiwipiepy==0.24.1 --with kss==6.0.6 \
        python -m benchmarks.eval_segment --splitter kiwi
      uv run --with pysbd==0.3.4 python -m benchmarks.eval_segment --splitter pysbd --lang en
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from benchmarks.gold import GOLD, langid_gold, prf, segmentation_gold
from translate import segment as seg
from translate.langid import detect

Spans = list[tuple[int, int]]
_ASIDE = ("caption", "furniture")  # set aside, and absent from the gold sentences
SPLITTERS = ("ours", "kiwi", "kss", "pysbd", "ours+kiwi", "ours+kss", "ours+pysbd")


@lru_cache(maxsize=1)
def _kiwi() -> Any:
    from kiwipiepy import Kiwi

    return Kiwi()


def _kiwi_spans(text: str) -> Spans:
    return [(s.start, s.end) for s in _kiwi().split_into_sents(text)]


def _kss_spans(text: str) -> Spans:
    """kss returns strings: find each in order (it strips them; a few it rewrites, which are skipped)."""
    import kss

    spans, pos = [], 0
    for s in kss.split_sentences(text):
        s = s.strip()
        at = text.find(s, pos) if s else -1
        if at >= 0:
            spans.append((at, at + len(s)))
            pos = at + len(s)
    return spans


@lru_cache(maxsize=1)
def _pysbd() -> Any:
    import pysbd

    return pysbd.Segmenter(language="en", clean=False, char_span=True)


def _pysbd_spans(text: str) -> Spans:
    """pysbd's character spans, trimmed of the whitespace it keeps at a sentence's end."""
    spans = []
    for s in _pysbd().segment(text):
        lead = len(s.sent) - len(s.sent.lstrip())
        body = s.sent.strip()
        if body:
            spans.append((s.start + lead, s.start + lead + len(body)))
    return spans


_LIBRARY: dict[str, Callable[[str], Spans]] = {"kiwi": _kiwi_spans, "kss": _kss_spans, "pysbd": _pysbd_spans}


@contextmanager
def _library_inside_ours(name: str) -> Iterator[None]:
    """Our blocks, datelines and bullets; the library's boundaries inside each stretch of text."""
    original = seg._split_text

    def split_text(block: str, korean: bool) -> list[int]:
        ends = [e for _, e in _LIBRARY[name](block) if e < len(block.rstrip())]
        bullets = [m.start() for m in seg._INLINE_BULLET.finditer(block)]
        return sorted({*ends, *bullets})

    seg._split_text = split_text  # type: ignore[assignment]
    try:
        yield
    finally:
        seg._split_text = original  # type: ignore[assignment]


def splitter(name: str) -> Callable[[str, str], list[tuple[int, int, str]]]:
    """``(text, lang) -> [(start, end, kind)]`` for a splitter name in SPLITTERS."""
    if name not in SPLITTERS:
        raise SystemExit(f"--splitter must be one of {', '.join(SPLITTERS)}")
    if name in _LIBRARY:
        return lambda text, lang: [(a, b, seg.CONTENT) for a, b in _LIBRARY[name](text)]
    library = name.partition("+")[2]

    def ours(text: str, lang: str) -> list[tuple[int, int, str]]:
        if library:
            with _library_inside_ours(library):
                return [(u.start, u.end, u.kind) for u in seg.segment_units(text, lang)]
        return [(u.start, u.end, u.kind) for u in seg.segment_units(text, lang)]

    return ours


def segmentation_scores(
    lang: str, verbose: bool = False, name: str = "ours"
) -> tuple[float, float, float, int]:
    split = splitter(name)
    pred_all, gold_all, n = set(), set(), 0
    for doc in segmentation_gold(lang):
        # A dateline is part of its sentence in the gold files (their convention),
        # so only the ends of sentences and bylines count as boundaries; captions and
        # page furniture are not in the gold sentences at all.
        pred = {end for _, end, kind in split(doc.text, lang) if kind not in ("dateline", *_ASIDE)}
        gold = set(doc.ends)
        n += len(gold)
        pred_all |= {(doc.name, e) for e in pred}
        gold_all |= {(doc.name, e) for e in gold}
        if verbose:
            for kind, ends in (("spurious", pred - gold), ("missed", gold - pred)):
                for e in sorted(ends):
                    context = f"{doc.text[max(0, e - 40) : e]}⟂{doc.text[e : e + 20]}"
                    print(f"  [{doc.name}] {kind}: …{context}…")
    return (*prf(pred_all, gold_all), n)


def case_scores(
    name: str = "ours", verbose: bool = False, lang: str | None = None
) -> dict[str, tuple[int, int]]:
    """Per issue kind: (cases whose sentences come out exactly right, cases)."""
    split = splitter(name)
    out: dict[str, list[int]] = {}
    for c in json.loads((GOLD / "segment_cases.json").read_text(encoding="utf-8")):
        if lang and c["lang"] != lang:
            continue
        got = [c["text"][a:b] for a, b, kind in split(c["text"], c["lang"]) if kind == seg.CONTENT]
        ok = got == c["sentences"]
        tally = out.setdefault(c["issue"], [0, 0])
        tally[0] += ok
        tally[1] += 1
        if verbose and not ok:
            print(f"  [{c['issue']}/{c['lang']}] got {got}")
    return {k: (v[0], v[1]) for k, v in out.items()}


def golden_rule_scores(name: str = "ours", verbose: bool = False) -> tuple[int, int]:
    """pySBD's English Golden Rules (data/gold/golden_rules_en.json): cases exactly right."""
    split = splitter(name)
    rules = json.loads((GOLD / "golden_rules_en.json").read_text(encoding="utf-8"))["cases"]
    right = 0
    for c in rules:
        got = [c["text"][a:b] for a, b, kind in split(c["text"], "en") if kind == seg.CONTENT]
        right += got == c["sentences"]
        if verbose and got != c["sentences"]:
            print(f"  [golden rule {c['rule']}] got {got}")
    return right, len(rules)


def langid_scores(verbose: bool = False) -> dict[str, float]:
    rows = langid_gold()
    wrong = [(lab, txt, detect(txt)) for lab, txt in rows]
    wrong = [(lab, txt, g) for lab, txt, g in wrong if g.lang != lab]
    enko = [(lab, txt) for lab, txt in rows if lab in ("en", "ko")]
    enko_wrong = [w for w in wrong if w[0] in ("en", "ko")]
    short = sum(len(t) < 20 for _, t in rows)
    if verbose:
        for lab, txt, g in wrong:
            print(f"  langid: gold {lab}, got {g.lang} ({g.method}, {g.confidence}): {txt}")
    return {
        "lines": len(rows),
        "short_lines": short,
        "labels": dict(Counter(lab for lab, _ in rows)),
        "accuracy": 1 - len(wrong) / len(rows),
        "en_ko_accuracy": 1 - len(enko_wrong) / len(enko),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-v", "--verbose", action="store_true", help="list every error")
    ap.add_argument("--splitter", default="ours", help=f"one of {', '.join(SPLITTERS)}")
    ap.add_argument("--lang", choices=("en", "ko"), help="score one language only (kss is slow on English)")
    args = ap.parse_args()
    for lang in (args.lang,) if args.lang else ("en", "ko"):
        p, r, f, n = segmentation_scores(lang, args.verbose, args.splitter)
        print(f"segmentation {lang} ({args.splitter}): {n} gold sentences  P={p:.4f} R={r:.4f} F1={f:.4f}")
    cases = case_scores(args.splitter, args.verbose, args.lang)
    right, total = sum(v[0] for v in cases.values()), sum(v[1] for v in cases.values())
    detail = ", ".join(f"{k} {a}/{b}" for k, (a, b) in cases.items())
    print(f"reported cases ({args.splitter}): {right}/{total} exactly right  ({detail})")
    if args.lang != "ko":
        right, total = golden_rule_scores(args.splitter, args.verbose)
        print(f"pySBD English Golden Rules ({args.splitter}): {right}/{total} exactly right")
    if args.splitter != "ours":
        return
    s = langid_scores(args.verbose)
    print(
        f"language ID: {s['lines']} lines ({s['short_lines']} under 20 chars)  "
        f"accuracy={s['accuracy']:.4f}  en/ko accuracy={s['en_ko_accuracy']:.4f}"
    )
    print(f"  labels: {s['labels']}")


if __name__ == "__main__":
    main()
