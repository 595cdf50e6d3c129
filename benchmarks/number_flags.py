"""Number flags on the real dev set's gold links: conflicts against details only one side gives.

Run:  uv run python -m benchmarks.number_flags   (needs the texts, see benchmarks/real.py)

For every gold link (a sentence pair that reports the same thing) the two
sentences' numbers are compared as ``align`` compares a row's. Conflicts are
checked against ``data/real/conflict_judgments.tsv``, where each flag seen was
judged by reading both sentences: ``conflict`` when both give the same
quantity with different values, ``wrong`` otherwise. Precision is over the
judged flags; flags not in the file are listed as unjudged.
"""

from __future__ import annotations

import csv

from benchmarks.real import REAL, real_events
from translate.align import numerals

JUDGMENTS = REAL / "conflict_judgments.tsv"


def main() -> None:
    with JUDGMENTS.open(encoding="utf-8", newline="") as f:
        judged = {
            (r["event"], int(r["en"]), int(r["ko"]), r["en_number"], r["ko_number"]): r["verdict"]
            for r in csv.DictReader(f, delimiter="\t")
        }
    links = conflicts = only = right = wrong = 0
    unjudged = []
    for ev in real_events():
        if ev.en is None or ev.ko is None:
            continue
        for i, j in sorted(ev.links):
            d = numerals.differences(numerals.extract(ev.en[i], "en"), numerals.extract(ev.ko[j], "ko"))
            links += 1
            in_conflict = {id(x) for pair in d.conflicts for x in pair}
            only += sum(id(x) not in in_conflict and not x.soft for x in (*d.only_en, *d.only_ko))
            for a, b in d.conflicts:
                conflicts += 1
                verdict = judged.get((ev.event, i, j, a.text, b.text))
                if verdict == "conflict":
                    right += 1
                elif verdict == "wrong":
                    wrong += 1
                else:
                    unjudged.append(f"{ev.event} en{i} ko{j} {a.role}: {a.text} / {b.text}")
    print(f"{links} gold links with texts: {conflicts} conflict flags, {only} numbers given by one side only")
    if right + wrong:
        print(f"conflict precision {right / (right + wrong):.3f} ({right} of {right + wrong} judged flags)")
    for u in unjudged:
        print(f"unjudged: {u}")


if __name__ == "__main__":
    main()
