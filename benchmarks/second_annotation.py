"""Write a second, independent annotation of a real event (``data/real/second/<event_id>.json``).

A person reads the numbered sentences (``python -m benchmarks.new_manifest show
<event_id>``) and writes the links and a note into a small draft; this module adds
what is derived from the texts (sha256 of each file, sentence count, 12-character
prefixes as our segmenter splits them after NFC), so nothing in the record is typed
by hand and ``benchmarks.agreement`` can check both annotations saw the same
sentences. It reads only the texts, never the first annotation.

Draft: ``{"event_id": ..., "links": [[i, j], ...] or "i-j i-j,k ...", "notes": ...}``
where ``"3-0,4"`` is short for the links (3, 0) and (3, 4).

Run:  uv run python -m benchmarks.second_annotation DRAFT.json [DRAFT.json ...]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from benchmarks.new_manifest import checked_links, text_fields, write_record
from benchmarks.real import REAL

SECOND = REAL / "second"


def parse_links(spec: str | list) -> list[tuple[int, int]]:
    """Links from a list of pairs or the short form ``"0-1,2 3-4"``; raises ValueError."""
    if isinstance(spec, list):
        return [(int(i), int(j)) for i, j in spec]
    out = []
    for item in spec.split():
        en, sep, kos = item.partition("-")
        if not sep or not kos:
            raise ValueError(f"link {item!r} is not of the form i-j or i-j,k")
        out += [(int(en), int(k)) for k in kos.split(",")]
    return out


def record(draft: dict) -> dict:
    event_id = draft["event_id"]
    en, ko = text_fields(event_id, "en"), text_fields(event_id, "ko")
    try:
        links = checked_links(parse_links(draft["links"]), en, ko)
    except ValueError as exc:
        raise ValueError(f"{event_id}: {exc}") from exc
    return {
        "event_id": event_id,
        "annotator": "second",
        "en": en,
        "ko": ko,
        "links": links,
        "notes": draft["notes"],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("drafts", nargs="+", type=Path)
    args = ap.parse_args()
    SECOND.mkdir(parents=True, exist_ok=True)
    for path in args.drafts:
        try:
            rec = record(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            sys.exit(f"error: {path}: {exc}")
        write_record(SECOND / f"{rec['event_id']}.json", rec)


if __name__ == "__main__":
    main()
