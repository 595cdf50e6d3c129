"""Precision of number-conflict flags on real coverage: on gold links, and on the rows users see.

Run:  uv run python -m benchmarks.number_flags          (needs the texts, see benchmarks/real.py)
      uv run python -m benchmarks.number_flags --show unjudged   (or all: flags with both sentences)

Two sets of flags are measured on the real dev set:

* **gold**: for every gold link (a sentence pair that reports the same
  thing) the two sentences' numbers are compared with ``numerals.differences``;
* **rows**: the full aligner (``align`` with the default encoder's embeddings,
  no translation, in the mode each manifest gives) is run on every event, and
  a linked display row's flags are exactly its ``numbers_conflict_en/ko``, as
  the dataset stores them and ``show`` marks them. A row may hold two
  sentences on one side; its numbers are pooled as ``align`` pools them;
* **rows+mt**: the same with the reference translations given as both MT
  signals, the rows a user with translation models would see.

Every flag is an (English number, Korean number) pair, keyed by event, the
sentence indices on each side (``3`` or ``3,4`` for a row of two) and the two
number texts. ``data/real/conflict_judgments.tsv`` holds one verdict per key,
given by reading both sentences in full: ``conflict`` when both give the same
quantity with different values, ``wrong`` otherwise (two different
quantities, a parse error, a loose link or row). A flag on a 1-1 row of a gold
pair has the same key as the gold flag, so it is judged once. ``seen`` says
where the flag was first judged (``gold``, ``rows`` or ``both``): a record, not
an input. Precision is over the judged flags; flags not in the file are listed.
"""

from __future__ import annotations

import argparse
import csv
import math
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from benchmarks.real import REAL, RealEvent, real_events
from translate.align import align, numerals

JUDGMENTS = REAL / "conflict_judgments.tsv"
COLUMNS = ("event", "en", "ko", "en_number", "ko_number", "seen", "verdict", "note")
VERDICTS = ("conflict", "wrong")

Key = tuple[str, str, str, str, str]


@dataclass(frozen=True)
class Flag:
    """One conflict shown: an English and a Korean number of one role that disagree."""

    event: str
    en: tuple[int, ...]
    ko: tuple[int, ...]
    en_number: str
    ko_number: str
    role: str

    @property
    def key(self) -> Key:
        return (self.event, _ids(self.en), _ids(self.ko), self.en_number, self.ko_number)


def _ids(xs: Sequence[int]) -> str:
    return ",".join(str(x) for x in xs)


def pair_conflicts(en: Sequence[str], ko: Sequence[str]) -> numerals.Differences:
    """The numbers of some English and Korean sentences compared as ``align`` compares a row's."""
    return numerals.differences(
        [x for s in en for x in numerals.extract(s, "en")],
        [x for s in ko for x in numerals.extract(s, "ko")],
    )


def _flags(ev: RealEvent, es: tuple[int, ...], ks: tuple[int, ...]) -> list[Flag]:
    assert ev.en is not None and ev.ko is not None
    d = pair_conflicts([ev.en[i] for i in es], [ev.ko[j] for j in ks])
    out = [Flag(ev.event, es, ks, a.text, b.text, a.role) for a, b in d.conflicts]
    return list(dict.fromkeys(out))  # 10:30 is an hour and a minute: one flag per pair of texts


def gold_flags(events: list[RealEvent]) -> Iterator[Flag]:
    for ev in events:
        for i, j in sorted(ev.links):
            yield from _flags(ev, (i,), (j,))


def gold_details(events: list[RealEvent]) -> int:
    """Numbers on gold links that only one side gives and that are no part of a conflict."""
    n = 0
    for ev in events:
        assert ev.en is not None and ev.ko is not None
        for i, j in ev.links:
            d = pair_conflicts([ev.en[i]], [ev.ko[j]])
            in_conflict = {id(x) for pair in d.conflicts for x in pair}
            n += sum(id(x) not in in_conflict and not x.soft for x in (*d.only_en, *d.only_ko))
    return n


def row_flags(events: list[RealEvent], translated: bool = False) -> tuple[list[Flag], int]:
    """Flags on the aligner's linked rows, and how many linked rows there were.

    ``translated``: with the reference translations as both MT signals, as a
    user with translation models installed would align (rows differ, flags too).
    """
    from translate.cache import EmbeddingCache
    from translate.config import embed_cache_path
    from translate.embed import embed

    flags: list[Flag] = []
    n_rows = 0
    with EmbeddingCache(embed_cache_path()) as cache:

        def encode(texts: list[str]):  # the pipeline's cached word encoder
            return embed(texts, cache=cache)[0]

        for ev in events:
            assert ev.en is not None and ev.ko is not None
            emb = (embed(ev.en, cache=cache)[0], embed(ev.ko, cache=cache)[0])
            tr = {"ko2en": ev.ko2en, "en2ko": ev.en2ko} if translated else {}
            if translated and (ev.ko2en is None or ev.en2ko is None):
                continue
            res = align(ev.en, ev.ko, embeddings=emb, mode=ev.mode, encode=encode, **tr)
            for row in res.rows:
                if row.is_gap:
                    continue
                n_rows += 1
                got = _flags(ev, row.en, row.ko)
                # The row's own fields are what users see; the pairing must agree with them.
                shown = (set(row.numbers_conflict_en), set(row.numbers_conflict_ko))
                if ({f.en_number for f in got}, {f.ko_number for f in got}) != shown:
                    raise SystemExit(f"{ev.event} row {row.en}/{row.ko}: flags differ from the row's {shown}")
                flags += got
    return flags, n_rows


def load_judgments() -> dict[Key, dict[str, str]]:
    with JUDGMENTS.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    out = {}
    for r in rows:
        if r["verdict"] not in VERDICTS:
            raise SystemExit(f"{JUDGMENTS.name}: verdict must be one of {VERDICTS}, not {r['verdict']!r}")
        out[(r["event"], r["en"], r["ko"], r["en_number"], r["ko_number"])] = r
    return out


@dataclass
class Tally:
    flags: int = 0
    right: int = 0
    wrong: int = 0

    @property
    def precision(self) -> float:
        return self.right / (self.right + self.wrong) if self.right + self.wrong else float("nan")

    def interval(self, z: float = 1.96) -> tuple[float, float]:
        """Wilson 95 % interval of the precision: with a dozen flags it is wide, and says so."""
        n = self.right + self.wrong
        if not n:
            return float("nan"), float("nan")
        p = self.right / n
        mid = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
        return mid - half, mid + half


def tally(flags: list[Flag], judged: dict[Key, dict[str, str]]) -> tuple[Tally, list[Flag]]:
    t, unjudged = Tally(), []
    for f in flags:
        t.flags += 1
        verdict = judged.get(f.key, {}).get("verdict")
        if verdict == "conflict":
            t.right += 1
        elif verdict == "wrong":
            t.wrong += 1
        else:
            unjudged.append(f)
    return t, unjudged


def _print_flags(flags: list[Flag], events: dict[str, RealEvent]) -> None:
    """Both sides in full, for a judge at the terminal (never written to the repository)."""
    for f in flags:
        ev = events[f.event]
        assert ev.en is not None and ev.ko is not None
        print(f"\n== {f.event} en {_ids(f.en)} ko {_ids(f.ko)} [{f.role}] {f.en_number} / {f.ko_number}")
        for i in f.en:
            print(f"  EN{i}: {ev.en[i]}")
        for j in f.ko:
            print(f"  KO{j}: {ev.ko[j]}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--show", choices=("unjudged", "all"), help="print these flags with both sentences")
    ap.add_argument("--gold-only", action="store_true", help="skip the aligner (no encoder needed)")
    args = ap.parse_args()
    events = [e for e in real_events() if e.en is not None and e.ko is not None]
    if not events:
        raise SystemExit("no real texts on this machine: set COVERAGE_ALIGN_REAL (see benchmarks/real.py)")
    judged = load_judgments()
    n_links = sum(len(e.links) for e in events)
    sets = {"gold": (list(gold_flags(events)), n_links)}
    if not args.gold_only:
        sets["rows"] = row_flags(events)
        sets["rows+mt"] = row_flags(events, translated=True)
    print(
        f"# number-conflict flags on real coverage ({len(events)} events with texts; "
        f"{gold_details(events)} numbers on gold links are details only one side gives)"
    )
    head = ("linked", "flags", "right", "wrong", "unjudged", "precision", "95% interval")
    print(f"{'set':7s} " + " ".join(f"{h:>9s}" for h in head))
    every = {f.key: f for flags, _ in sets.values() for f in flags}
    sets["any"] = (list(every.values()), 0)  # each distinct flag once, wherever it was seen
    missing: dict[Key, Flag] = {}
    for name, (flags, n_pairs) in sets.items():
        t, unjudged = tally(flags, judged)
        missing.update((f.key, f) for f in unjudged)
        counts = (n_pairs, t.flags, t.right, t.wrong, len(unjudged))
        lo, hi = t.interval()
        print(
            f"{name:7s} "
            + (f"{n_pairs:9d} " if name != "any" else f"{'':10s}")
            + " ".join(f"{c:9d}" for c in counts[1:])
            + f" {t.precision:9.3f} {lo:6.2f}–{hi:.2f}"
        )
    causes = Counter(
        judged[k]["note"].split(":")[0] for k in every if judged.get(k, {}).get("verdict") == "wrong"
    )
    if causes:
        print(
            "wrong flags by cause (gold and rows together): "
            + ", ".join(f"{c} {n}" for c, n in causes.most_common())
        )
    for f in missing.values():
        print(f"unjudged: {f.event} en {_ids(f.en)} ko {_ids(f.ko)} [{f.role}] {f.en_number} / {f.ko_number}")
    if args.show:
        shown = missing if args.show == "unjudged" else every
        _print_flags(list(shown.values()), {e.event: e for e in events})


if __name__ == "__main__":
    main()
