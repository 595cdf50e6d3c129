"""Inter-annotator agreement on the real dev set: second annotation against the first.

Each event in ``data/real/second/`` was linked a second time by an annotator who had
not seen the first gold (``data/real/<event_id>.json``). Both must describe the same
sentences, so their 12-character prefixes are compared first and a mismatch is
refused. Link precision and recall are those of the second annotation scored
against the first (swap the roles and they swap; F1 is the same). Pooled figures
sum the links of all events of a mode, as the aligner's dev-set figures do.

The ``agree``/``kappa`` columns measure the part of agreement that the product shows most:
whether a sentence has any counterpart at all (a sentence with none is reported as
"only on one side"). ``agree`` is the share of sentences, on both sides, that the two
annotators give the same status; ``kappa`` is Cohen's kappa of that status.

``--aligner`` also runs the default aligner (encoder only, no translation, the
event's mode from the first manifest) on the local texts of these events and scores
its links against each annotation and against their union, so an alignment figure
can be set beside the agreement ceiling. The committed scorer was fitted on the
first annotation of the older events, so those events are in-sample for it.

Run:  uv run python -m benchmarks.agreement [--aligner]
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from benchmarks.gold import prf
from benchmarks.real import REAL

SECOND = REAL / "second"
MODES = ("comparable", "parallel")

Link = tuple[int, int]


class AgreementError(ValueError):
    """Annotations that cannot be compared (one line, names the event)."""


@dataclass
class Pair:
    """One event annotated twice."""

    event: str
    mode: str
    n_en: int
    n_ko: int
    first: set[Link]
    second: set[Link]
    prefixes: tuple[list[str], list[str]] = ([], [])


@dataclass
class Counts:
    """Additive counts, so events pool by summing."""

    first: int = 0
    second: int = 0
    both: int = 0
    sentences: int = 0  # en + ko sentences
    status_agree: int = 0
    linked_first: int = 0  # sentences with a counterpart in the first annotation
    linked_second: int = 0
    # disputed links (in one annotation only) between two sentences that both annotators
    # link to something: a disagreement on how many counterparts, not on whether any exists
    disputed_fanout: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(a + b for a, b in zip(vars(self).values(), vars(other).values(), strict=True)))

    def prf(self) -> tuple[float, float, float]:
        """Precision, recall, F1 of the second annotation against the first."""
        p = self.both / self.second if self.second else 1.0
        r = self.both / self.first if self.first else 1.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def kappa(self) -> float:
        """Cohen's kappa of 'has a counterpart' over all sentences (1.0 when chance is 1)."""
        n = self.sentences
        if not n:
            return 1.0
        observed = self.status_agree / n
        a, b = self.linked_first / n, self.linked_second / n
        chance = a * b + (1 - a) * (1 - b)
        return 1.0 if chance == 1 else (observed - chance) / (1 - chance)


def linked_sentences(links: set[Link]) -> tuple[set[int], set[int]]:
    return {i for i, _ in links}, {j for _, j in links}


def counts(pair: Pair) -> Counts:
    en1, ko1 = linked_sentences(pair.first)
    en2, ko2 = linked_sentences(pair.second)
    c = Counts(len(pair.first), len(pair.second), len(pair.first & pair.second))
    for n, one, two in ((pair.n_en, en1, en2), (pair.n_ko, ko1, ko2)):
        c.sentences += n
        c.linked_first += len(one)
        c.linked_second += len(two)
        # agree = linked by both + unlinked by both
        c.status_agree += len(one & two) + (n - len(one | two))
    c.disputed_fanout = sum(
        i in en1 and i in en2 and j in ko1 and j in ko2 for i, j in pair.first ^ pair.second
    )
    return c


def _read(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise AgreementError(f"{path}: cannot read ({exc})") from exc


def _links(doc: dict, where: str) -> set[Link]:
    try:
        return {(int(i), int(j)) for i, j in doc["links"]}
    except (KeyError, TypeError, ValueError) as exc:
        raise AgreementError(f"{where}: links are not a list of [i, j] pairs") from exc


def _prefixes(doc: dict, lang: str) -> list | None:
    side = doc.get(lang)
    prefixes = side.get("prefixes") if isinstance(side, dict) else None
    return prefixes if isinstance(prefixes, list) else None


def load_pairs(first_dir: Path = REAL, second_dir: Path = SECOND) -> list[Pair]:
    """Every event with a second annotation, checked against its first manifest."""
    pairs = []
    for path in sorted(second_dir.glob("*.json")):
        second = _read(path)
        event = path.stem  # the file name, not a field, picks the first manifest: no path from data
        if second.get("event_id") != event:
            raise AgreementError(f"{path.name}: its event_id does not match the file name")
        first_path = first_dir / f"{event}.json"
        if not first_path.is_file():
            raise AgreementError(f"{event}: no first annotation ({first_path.name} missing)")
        first = _read(first_path)
        sides: list[list[str]] = []
        for lang in ("en", "ko"):
            prefixes = _prefixes(first, lang)
            if prefixes is None or _prefixes(second, lang) != prefixes:
                raise AgreementError(f"{event}: the {lang} sentences differ between the annotations")
            sides.append(prefixes)
        pair = Pair(
            event,
            str(first.get("mode", "?")),
            len(sides[0]),
            len(sides[1]),
            _links(first, f"{event} (first)"),
            _links(second, f"{event} (second)"),
            (sides[0], sides[1]),
        )
        for name, links in (("first", pair.first), ("second", pair.second)):
            bad = [(i, j) for i, j in links if not (0 <= i < pair.n_en and 0 <= j < pair.n_ko)]
            if bad:
                raise AgreementError(f"{event}: {name} annotation links {bad[0]} outside the sentences")
        pairs.append(pair)
    return pairs


def table(pairs: list[Pair]) -> str:
    cols = ("first", "second", "both", "P", "R", "F1", "agree", "kappa")
    head = f"{'event':<48} " + " ".join(f"{c:>{max(len(c), 4)}}" for c in cols)
    lines = [head, "-" * len(head)]

    def row(name: str, c: Counts) -> str:
        p, r, f = c.prf()
        agree = c.status_agree / c.sentences if c.sentences else 1.0
        return (
            f"{name:<48} {c.first:>5} {c.second:>6} {c.both:>4} {p:>4.2f} {r:>4.2f} {f:>4.2f}"
            f" {agree:>5.2f} {c.kappa():>5.2f}"
        )

    for mode in sorted({p.mode for p in pairs}, key=lambda m: (m not in MODES, m)):
        group = [p for p in pairs if p.mode == mode]
        lines.append(f"[{mode}]")
        total, f1s = Counts(), []
        for pair in group:
            c = counts(pair)
            total += c
            f1s.append(c.prf()[2])
            lines.append(row(pair.event, c))
        lines.append(row(f"pooled {mode} ({len(group)} events)", total))
        lines.append(f"{'mean of per-event F1':<48} {sum(f1s) / len(f1s):>32.2f}")
        lines.append("")
    every = sum((counts(p) for p in pairs), Counts())
    lines.append(row(f"pooled all ({len(pairs)} events)", every))
    disputed = every.first + every.second - 2 * every.both
    lines.append(
        f"\n{disputed} links are in one annotation only; {every.disputed_fanout} of them join two sentences"
        " that both annotators link elsewhere (how many counterparts),"
        f" {disputed - every.disputed_fanout} involve a sentence one annotator leaves unlinked (whether any)."
    )
    return "\n".join(lines)


def aligner_table(pairs: list[Pair]) -> str:
    """The default aligner's links scored against the first, the second and either annotation."""
    from benchmarks.new_manifest import sentences
    from benchmarks.real import texts_dir
    from translate.align import align
    from translate.cache import EmbeddingCache
    from translate.config import embed_cache_path
    from translate.embed import embed

    got: dict[str, dict[str, set]] = {}
    with EmbeddingCache(embed_cache_path()) as cache:
        for pair in pairs:
            folder = texts_dir() / pair.event
            en, ko = sentences(folder / "en.txt", "en"), sentences(folder / "ko.txt", "ko")
            if ([s[:12] for s in en], [s[:12] for s in ko]) != pair.prefixes:
                raise AgreementError(f"{pair.event}: local texts do not match the annotations")
            emb = (embed(en, cache=cache)[0], embed(ko, cache=cache)[0])
            pred = align(en, ko, embeddings=emb, mode=pair.mode).link_set()
            g = got.setdefault(pair.mode, {"pred": set(), "first": set(), "second": set()})
            g["pred"] |= {(pair.event, i, j) for i, j in pred}
            g["first"] |= {(pair.event, i, j) for i, j in pair.first}
            g["second"] |= {(pair.event, i, j) for i, j in pair.second}
    lines = ["aligner links (encoder only, no translation), pooled P / R / F1 against:"]
    lines.append(f"{'':<12} {'first':>16} {'second':>16} {'either':>16}")
    for mode, g in sorted(got.items()):
        cells = []
        for gold in (g["first"], g["second"], g["first"] | g["second"]):
            p, r, f = prf(g["pred"], gold)
            cells.append(f"{p:.2f}/{r:.2f}/{f:.2f}")
        lines.append(f"{mode:<12} " + " ".join(f"{c:>16}" for c in cells))
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--first", type=Path, default=REAL, help="folder of first manifests")
    ap.add_argument("--second", type=Path, default=SECOND, help="folder of second annotations")
    ap.add_argument("--aligner", action="store_true", help="also score the default aligner against both")
    args = ap.parse_args()
    try:
        pairs = load_pairs(args.first, args.second)
    except AgreementError as exc:
        sys.exit(f"error: {exc}")
    if not pairs:
        sys.exit(f"error: no second annotations in {args.second}")
    print(table(pairs))
    if args.aligner:
        try:
            print("\n" + aligner_table(pairs))
        except (AgreementError, OSError, ValueError) as exc:
            sys.exit(f"error: {exc}")


if __name__ == "__main__":
    main()
