"""Build a real-coverage manifest (``data/real/<event_id>.json``) from a draft and local texts.

The draft holds what a person writes (event id, mode, title, outlets, URLs,
queries, notes and gold links); the texts are ``<texts>/<event_id>/en.txt`` and
``ko.txt``. Everything derived from the texts (sha256, sentence count, the
12-character prefixes as our segmenter splits them after NFC) is computed here,
so nothing in a manifest is typed by hand.

Run:  uv run python -m benchmarks.new_manifest show <event_id>     (numbered sentences, for annotating)
      uv run python -m benchmarks.new_manifest build DRAFT.json    (write data/real/<event_id>.json)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from benchmarks.real import REAL, texts_dir

MODES = ("comparable", "parallel")


def sentences(path: Path, lang: str) -> list[str]:
    from translate.segment import segment

    text = unicodedata.normalize("NFC", path.read_bytes().decode("utf-8"))
    return [s.text for s in segment(text, lang)]


def text_fields(event_id: str, lang: str) -> dict:
    """What a record derives from one side's text: its sha256, sentence count and prefixes."""
    path = texts_dir() / event_id / f"{lang}.txt"
    sents = sentences(path, lang)
    return {
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "n_sentences": len(sents),
        "prefixes": [s[:12] for s in sents],
    }


def checked_links(links: Iterable[tuple[int, int]], en: dict, ko: dict) -> list[list[int]]:
    """Sorted, unique links; raises ValueError on one outside the sentences."""
    out = sorted({(int(i), int(j)) for i, j in links})
    for i, j in out:
        if not (0 <= i < en["n_sentences"] and 0 <= j < ko["n_sentences"]):
            raise ValueError(
                f"link ({i}, {j}) is outside {en['n_sentences']} x {ko['n_sentences']} sentences"
            )
    return [list(p) for p in out]


def write_record(out: Path, record: dict) -> None:
    out.write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    size = f"{record['en']['n_sentences']} x {record['ko']['n_sentences']}"
    print(f"wrote {out}: {size} sentences, {len(record['links'])} links")


def side(event_id: str, lang: str, draft_side: dict) -> dict:
    return {
        "outlet": draft_side["outlet"],
        "url": draft_side["url"],
        "queries": list(draft_side["queries"]),
        **text_fields(event_id, lang),
    }


def build(draft: dict) -> dict:
    """The manifest for a draft; raises ValueError on a link out of range or a bad mode."""
    event_id = draft["event_id"]
    if draft["mode"] not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {draft['mode']!r}")
    en, ko = side(event_id, "en", draft["en"]), side(event_id, "ko", draft["ko"])
    links = checked_links(draft["links"], en, ko)
    return {
        "event_id": event_id,
        "mode": draft["mode"],
        "title": draft["title"],
        "en": en,
        "ko": ko,
        "notes": draft["notes"],
        "links": links,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    sh = sub.add_parser("show", help="print each side's sentences with their indices")
    sh.add_argument("event_id")
    bd = sub.add_parser("build", help="write the manifest for a draft")
    bd.add_argument("draft", type=Path)
    args = ap.parse_args()
    try:
        if args.cmd == "show":
            for lang in ("en", "ko"):
                for k, s in enumerate(sentences(texts_dir() / args.event_id / f"{lang}.txt", lang)):
                    print(f"{lang}{k:>3}  {s}")
                print()
            return
        manifest = build(json.loads(args.draft.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError) as exc:
        sys.exit(f"error: {exc}")
    write_record(REAL / f"{manifest['event_id']}.json", manifest)


if __name__ == "__main__":
    main()
