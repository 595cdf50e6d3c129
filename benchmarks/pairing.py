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

    uv run python -m benchmarks.pairing [--json] [--errors] [--two-fold]

``--two-fold`` checks how much the figures owe to choosing the thresholds on this same set:
the events (dev events and distractors) are split in two halves by a hash of their name, the
thresholds are chosen on one half (best F1 among the settings merging the fewest distractors)
and scored on the other, and the other way round.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
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


def gather(inbox: Path) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """Copy articles into ``inbox``; (file name → gold event, file name → kind, missing notes)."""
    gold: dict[str, str] = {}
    kind: dict[str, str] = {}
    missing: list[str] = []

    def put(data: bytes, suffix: str, event: str, what: str) -> None:
        name = hashlib.sha256(data).hexdigest()[:12] + suffix
        (inbox / name).write_bytes(data)
        gold[name], kind[name] = event, what

    for manifest in sorted((REPO / "data" / "real").glob("*.json")):
        event = json.loads(manifest.read_text(encoding="utf-8"))["event_id"]
        for side in ("en", "ko"):
            path = _texts_root() / event / f"{side}.txt"
            if path.is_file():
                put(path.read_bytes(), ".txt", SAME_EVENT.get(event, event), "dev")
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
        put(raw, ".txt", f"distractor:{meta['id']}", "distractor")
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


# The thresholds ``--two-fold`` chooses from (the weights of the evidence stay as they are).
GRID = {
    "cross_threshold": (1.0, 1.05, 1.1, 1.15, 1.2, 1.25, 1.3),
    "extra_margin": (0.3, 0.6),
    "same_threshold": (1.4, 1.7),
}


def two_fold(inbox: Path, gold: dict[str, str], kind: dict[str, str]) -> list[dict]:
    """Thresholds chosen on one half of the events, figures measured on the other (both ways)."""
    from dataclasses import replace
    from itertools import product

    from translate.loose import default_encode, read_inbox
    from translate.pairing import Vectors, Weights, group, profile

    parsed = read_inbox(inbox).parsed
    vectors = profile(parsed, default_encode)
    names = [Path(p.article.path).name for p in parsed]

    def half_of(name: str) -> int:
        return hashlib.sha256(gold[name].encode()).digest()[0] % 2

    def run(half: int, weights: Weights) -> dict:
        idx = [k for k, n in enumerate(names) if n in gold and half_of(n) == half]
        sub = Vectors(
            vectors.docs[idx],
            [vectors.sentences[k] for k in idx],
            [vectors.texts[k] for k in idx],
            vectors.encode,
        )
        events = group([parsed[k].article for k in idx], sub, (), weights)
        owner = {h: e.event_id for e in events for h in e.members}
        predicted = {names[k]: owner[parsed[k].article.content_hash] for k in idx}
        return score({n: gold[n] for n in predicted}, predicted, kind)

    settings = [replace(Weights(), **dict(zip(GRID, v, strict=True))) for v in product(*GRID.values())]
    out = []
    for tune in (0, 1):
        tried = [(run(tune, w), w) for w in settings]
        figures, chosen = min(tried, key=lambda t: (t[0]["distractors_merged"], -t[0]["pairwise_f1"]))
        held = run(1 - tune, chosen)
        out.append(
            {
                "chosen_on_half": tune,
                "chosen": {k: getattr(chosen, k) for k in GRID},
                "fitted": figures,
                "held_out": held,
            }
        )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    parser.add_argument("--errors", action="store_true", help="list the events not exactly right")
    parser.add_argument(
        "--two-fold", action="store_true", help="also choose thresholds on half the events, score the rest"
    )
    args = parser.parse_args(argv)
    from translate.loose import pair_inbox

    with tempfile.TemporaryDirectory(prefix="pairing-bench-") as tmp:
        inbox, out = Path(tmp, "inbox"), Path(tmp, "dataset")
        inbox.mkdir()
        gold, kind, missing = gather(inbox)
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
        if args.two_fold:
            figures["two_fold"] = two_fold(inbox, gold, kind)
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
