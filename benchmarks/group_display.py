"""What the display rows claim is one-sided, before and after groups (issue 26).

Run:  uv run python -m benchmarks.group_display

From the committed feature table (no texts, no encoder), in-sample with the
committed scorer, no translation (``enc``): each real event's links at or above
the threshold become rows as ``align`` builds them. "before" is the old rule
(every sentence outside a pair row is a gap row, whatever its links), "after"
is ``rows.build_rows`` (a linked sentence becomes an also row). Printed per
mode: sentences shown as one-sided, how many of them have a link at or above
the threshold (must be 0 after), how many have a gold counterpart (the
display's claim precision), also rows, groups of more than one row, and groups
that exports leave out as not contiguous.
"""

from __future__ import annotations

import numpy as np

from benchmarks.real import TABLE, load_table, real_events
from translate.align import FEATURES, Link, comparable_groups, load_weights
from translate.align.rows import build_rows
from translate.align.scorer import Scorer


def _pieces(group: list) -> set[tuple[tuple[int, ...], tuple[int, ...]]]:
    """A group's (English run, Korean run) pieces as ``export`` cuts them: one when contiguous."""
    pairs = set()
    for r in group:
        es = r.en or (r.partner,)
        ks = r.ko or (r.partner,)
        pairs |= {(i, j) for i in es for j in ks}

    def runs(ix: set[int]) -> list[tuple[int, ...]]:
        out: list[list[int]] = []
        for k in sorted(ix):
            if out and k == out[-1][-1] + 1:
                out[-1].append(k)
            else:
                out.append([k])
        return [tuple(x) for x in out]

    en_runs, ko_runs = runs({i for i, _ in pairs}), runs({j for _, j in pairs})
    return {(a, b) for a in en_runs for b in ko_runs if any((i, j) in pairs for i in a for j in b)}


def main() -> None:
    table = load_table(TABLE)
    cond = "enc"
    scorer = Scorer.from_dict(cond, load_weights()["scorers"][cond])
    keep = (table["condition"] == cond) & ~table["noisy"].astype(bool)
    events = {e.event: e for e in real_events(with_texts=False)}
    totals: dict[str, dict[str, int]] = {}
    for ev in sorted(set(table["event"][keep].tolist())):
        meta = events.get(ev)
        if meta is None:
            continue
        m = keep & (table["event"] == ev)
        p = scorer.score(np.stack([table[f][m] for f in FEATURES], 1).astype(np.float32))
        ci, cj = table["en"][m].astype(int), table["ko"][m].astype(int)
        above = p >= scorer.threshold
        links = [
            Link(int(i), int(j), float(s)) for i, j, s in zip(ci[above], cj[above], p[above], strict=True)
        ]
        groups = comparable_groups(links)
        en, ko = [""] * meta.n_en, [""] * meta.n_ko
        rows = build_rows(groups, en, ko, {}, {}, 1.0, links)
        linked_en, linked_ko = {x.en for x in links}, {x.ko for x in links}
        gold_en = {i for i, _ in meta.links}
        gold_ko = {j for _, j in meta.links}
        in_pairs_en = {i for es, _, _ in groups for i in es}
        in_pairs_ko = {j for _, ks, _ in groups for j in ks}
        before = [("en", i) for i in range(meta.n_en) if i not in in_pairs_en]
        before += [("ko", j) for j in range(meta.n_ko) if j not in in_pairs_ko]
        after = [("en", r.en[0]) for r in rows if r.type == "en-only"]
        after += [("ko", r.ko[0]) for r in rows if r.type == "ko-only"]

        linked_sides = {"en": linked_en, "ko": linked_ko}
        gold_sides = {"en": gold_en, "ko": gold_ko}

        by_group: dict[int, list] = {}
        for r in rows:
            if not r.is_gap:
                by_group.setdefault(r.group, []).append(r)
        t = totals.setdefault(meta.mode, {})
        for key, value in (
            ("events", 1),
            ("sentences", meta.n_en + meta.n_ko),
            ("one-sided before", len(before)),
            ("one-sided before, linked", sum(k in linked_sides[side] for side, k in before)),
            ("one-sided before, with a gold counterpart", sum(k in gold_sides[side] for side, k in before)),
            ("one-sided after", len(after)),
            ("one-sided after, linked", sum(k in linked_sides[side] for side, k in after)),
            ("one-sided after, with a gold counterpart", sum(k in gold_sides[side] for side, k in after)),
            ("also rows", sum(r.type.endswith("-also") for r in rows)),
            ("groups of more than one row", sum(len(g) > 1 for g in by_group.values())),
            ("export segments before (pair rows, glued)", sum(r.is_pair for r in rows)),
            ("export segments, --noncontiguous skip", sum(len(_pieces(g)) == 1 for g in by_group.values())),
            ("groups not contiguous (skipped)", sum(len(_pieces(g)) > 1 for g in by_group.values())),
            ("export segments, --noncontiguous pieces", sum(len(_pieces(g)) for g in by_group.values())),
        ):
            t[key] = t.get(key, 0) + int(value)
    print(f"# display claims, in-sample, scorer {cond}, comparable rows (feature table {TABLE.name})")
    for mode, t in totals.items():
        print(f"\n## {mode}")
        for key, value in t.items():
            print(f"{key:45s} {value}")
        for when in ("before", "after"):
            n, wrong = t[f"one-sided {when}"], t[f"one-sided {when}, with a gold counterpart"]
            print(f"claim precision {when}: {1 - wrong / n:.3f} ({n - wrong}/{n})" if n else f"{when}: none")


if __name__ == "__main__":
    main()
