"""How well loose articles are paired into events, on the real dev set plus distractors.

Every English and Korean article of ``data/real`` (texts from ``COVERAGE_ALIGN_REAL``,
default /work/realdata/texts) and every distractor under
``COVERAGE_ALIGN_DISTRACTORS`` (default /work/realdata/distractors/<id>/text.txt:
same-topic coverage of *other* events, each its own event) is copied into one
flat inbox under a name that says nothing (a content hash), then paired by
``translate.loose.pair_inbox`` exactly as ``align-folder`` does.

Gold: one event per manifest, except manifests that cover the same real event
(``SAME_EVENT``). Reported: pairwise precision, recall and F1 of "same event"
over all article pairs, events exactly right, and distractors merged into any
other event.

    uv run python -m benchmarks.pairing [--json] [--errors] [--dates]

``--dates`` is a simulation of a feed that gives each page's date: a last line
``Published YYYY-MM-DD`` is added to every article, the event's date from its
manifest title for the dev articles (both sides get the same day) and the
distractor manifest's date. Dev texts carry no date of their own.

The figures are those of the committed model; ``benchmarks.fit_pairing`` gives the held-out ones
(leave one event out, two-fold).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
import tempfile
import time
from collections import Counter
from itertools import combinations
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# Two manifests of one launch (a blog and a KBS report of the second Nuri launch, June 21 2022).
SAME_EVENT = {"b-2022-06-nuri-launch-kbs": "b-2022-06-nuri-launch"}


def _texts_root() -> Path:
    return Path(os.environ.get("COVERAGE_ALIGN_REAL", "/work/realdata/texts"))


def _distractors_root() -> Path:
    return Path(os.environ.get("COVERAGE_ALIGN_DISTRACTORS", "/work/realdata/distractors"))


_MONTHS = {m: k for k, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
_TITLE_DATE = re.compile(r"\b([A-Z][a-z]{2})[a-z]*\.? (\d{1,2})(?:-\d{1,2})?,? ((?:19|20)\d\d)\b")


def title_date(title: str) -> str | None:
    """The event's day from a manifest title ("…, March 10 2017"), if it names one."""
    m = _TITLE_DATE.search(title)
    if m is None or m.group(1).lower() not in _MONTHS:
        return None
    return f"{m.group(3)}-{_MONTHS[m.group(1).lower()]:02d}-{int(m.group(2)):02d}"


def gather(inbox: Path, dates: bool = False) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """Copy articles into ``inbox``; (file name → gold event, file name → kind, missing notes)."""
    gold: dict[str, str] = {}
    kind: dict[str, str] = {}
    missing: list[str] = []

    def put(data: bytes, suffix: str, event: str, what: str, day: str | None = None) -> None:
        if dates and day:
            data = data.rstrip() + f"\n\nPublished {day}\n".encode()
        name = hashlib.sha256(data).hexdigest()[:12] + suffix
        (inbox / name).write_bytes(data)
        gold[name], kind[name] = event, what

    for manifest in sorted((REPO / "data" / "real").glob("*.json")):
        meta = json.loads(manifest.read_text(encoding="utf-8"))
        event, day = meta["event_id"], title_date(meta.get("title", ""))
        for side in ("en", "ko"):
            path = _texts_root() / event / f"{side}.txt"
            if path.is_file():
                put(path.read_bytes(), ".txt", SAME_EVENT.get(event, event), "dev", day)
            else:
                missing.append(f"{event}/{side}.txt")
    # The committed manifests (data/distractors/*.json: URL, query, sha256) name the distractors;
    # their texts stay outside git, like the dev set's.
    root = _distractors_root()
    for manifest in sorted((REPO / "data" / "distractors").glob("*.json")):
        meta = json.loads(manifest.read_text(encoding="utf-8"))
        path = root / meta["id"] / "text.txt"
        if not path.is_file():
            missing.append(f"distractor {meta['id']}")
            continue
        raw = path.read_bytes()
        if hashlib.sha256(raw).hexdigest() != meta["sha256"]:
            raise ValueError(f"{path}: not the text its manifest was made from (sha256 differs)")
        put(raw, ".txt", f"distractor:{meta['id']}", "distractor", meta.get("date"))
    return gold, kind, missing


def score(gold: dict[str, str], predicted: dict[str, str], kind: dict[str, str]) -> dict:
    names = sorted(set(gold) & set(predicted))
    tp = fp = fn = 0
    for a, b in combinations(names, 2):
        same_gold, same_pred = gold[a] == gold[b], predicted[a] == predicted[b]
        tp += same_gold and same_pred
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    gold_sets = {frozenset(n for n in names if gold[n] == g) for g in set(gold.values())}
    pred_sets = {frozenset(n for n in names if predicted[n] == e) for e in set(predicted.values())}
    dev_events = {g for g in gold_sets if any(kind[n] == "dev" for n in g)}
    merged = [
        n
        for n in names
        if kind[n] == "distractor" and len({gold[m] for m in names if predicted[m] == predicted[n]}) > 1
    ]
    return {
        "articles": len(names),
        "pairwise_precision": round(p, 4),
        "pairwise_recall": round(r, 4),
        "pairwise_f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
        "true_events": len(dev_events),
        "events_exactly_right": len(dev_events & pred_sets),
        "distractors": sum(kind[n] == "distractor" for n in names),
        "distractors_merged": len(merged),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    parser.add_argument("--errors", action="store_true", help="list the events not exactly right")
    parser.add_argument(
        "--dates", action="store_true", help="simulate a feed that dates each page (see the module's doc)"
    )
    args = parser.parse_args(argv)
    from translate.loose import pair_inbox

    with tempfile.TemporaryDirectory(prefix="pairing-bench-") as tmp:
        inbox, out = Path(tmp, "inbox"), Path(tmp, "dataset")
        inbox.mkdir()
        gold, kind, missing = gather(inbox, dates=args.dates)
        if not gold:
            print(f"error: no articles found under {_texts_root()}", file=sys.stderr)
            return 2
        t0 = time.perf_counter()
        result = pair_inbox(inbox, out)
        seconds = time.perf_counter() - t0
        predicted = {}
        for event in result.events:
            for h in event.members:
                if h in result.articles:
                    predicted[Path(result.articles[h].path).name] = event.event_id
        figures = score(gold, predicted, kind)
        figures["seconds"] = round(seconds, 1)
        figures["files_missing"] = len(missing)
        figures["skipped"] = [f"{s.path}: {s.reason}" for s in result.skipped]
        if args.json:
            print(json.dumps(figures, indent=1))
        else:
            for k, v in figures.items():
                print(f"{k}: {v}")
        if args.errors:
            by_pred: dict[str, list[str]] = {}
            for n, e in predicted.items():
                by_pred.setdefault(e, []).append(n)
            for e, members in sorted(by_pred.items()):
                golds = Counter(gold[n] for n in members)
                full = all(sum(1 for n in gold if gold[n] == g) == c for g, c in golds.items())
                if len(golds) > 1 or not full:
                    langs = [
                        result.articles[h].lang
                        for h in next(x for x in result.events if x.event_id == e).members
                        if h in result.articles
                    ]
                    print(f"{e}: {dict(golds)} {langs}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
