"""Korean segmentation on kss's sentence-split benchmark sets: ours, kiwipiepy and kss side by side.

The sets are kss's ``bench/sentence_split/testset/*.txt`` (github.com/hyunwoongko/kss
at commit d3c45f6ade7f29bb0fa7bc52dee3991b2b290db1): a gold sentence per line,
paragraphs apart by a blank line. They are other people's text, so they stay out
of git; write them to a folder first:

    for f in nested wikipedia sample v_ending tweets blogs_ko blogs_lee; do
      git -C KSS show d3c45f6:bench/sentence_split/testset/$f.txt > DIR/$f.txt; done

As kss's own harness does, a paragraph's text is its lines joined as they are
(most end in a space; some do not, on purpose). Scores, per set:

* boundaries: precision/recall/F1 of sentence ends, counted in characters with
  whitespace removed (so a splitter's trimming does not matter);
* paragraphs: paragraphs whose sentences all come out exactly right.

Run:  uv run python -m benchmarks.korean_suites DIR [--splitter ours]
      uv run --with kiwipiepy==0.24.1 --with kss==6.0.6 \
        python -m benchmarks.korean_suites DIR --splitter kiwi
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from benchmarks.eval_segment import splitter
from benchmarks.gold import prf
from translate import segment as seg

SETS = ("nested", "wikipedia", "sample", "v_ending", "tweets", "blogs_ko", "blogs_lee")
_WS = re.compile(r"\s+")


@dataclass
class SuiteScore:
    name: str
    precision: float
    recall: float
    f1: float
    exact: int
    paragraphs: int


def paragraphs(path: Path) -> list[list[str]]:
    """The gold sentences of each paragraph (lines, without their line breaks)."""
    out: list[list[str]] = [[]]
    for line in path.read_text(encoding="utf-8").split("\n"):
        line = line.rstrip("\r")
        if line:
            out[-1].append(line)
        elif out[-1]:
            out.append([])
    return [p for p in out if p]


def _ends(sentences: list[str]) -> list[int]:
    """Where each sentence ends, counting only non-whitespace characters."""
    ends, n = [], 0
    for s in sentences:
        n += len(_WS.sub("", s))
        ends.append(n)
    return ends


def score_set(path: Path, name: str) -> SuiteScore:
    split = splitter(name)
    pred_all, gold_all, exact = set(), set(), 0
    paras = paragraphs(path)
    for k, gold in enumerate(paras):
        text = "".join(gold)
        got = [text[a:b] for a, b, kind in split(text, "ko") if kind == seg.CONTENT]
        pred_all |= {(k, e) for e in _ends(got)}
        gold_all |= {(k, e) for e in _ends(gold)}
        exact += [g.strip() for g in gold] == [s.strip() for s in got]
    p, r, f = prf(pred_all, gold_all)
    return SuiteScore(path.stem, p, r, f, exact, len(paras))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", type=Path, help="where kss's testset/*.txt files are")
    ap.add_argument("--splitter", default="ours", help="ours, kiwi, kss, ours+kiwi, ours+kss")
    ap.add_argument("--sets", default=",".join(SETS), help="comma-separated set names")
    args = ap.parse_args(argv)
    for name in args.sets.split(","):
        path = args.folder / f"{name}.txt"
        if not path.is_file():
            print(f"error: {path} not found (see this script's docstring)", file=sys.stderr)
            return 2
        s = score_set(path, args.splitter)
        print(
            f"{s.name} ({args.splitter}): boundaries P={s.precision:.3f} R={s.recall:.3f} F1={s.f1:.3f}; "
            f"paragraphs exactly right {s.exact}/{s.paragraphs}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
