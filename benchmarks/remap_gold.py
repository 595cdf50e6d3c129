"""Carry the real dev set's gold over to a new segmenter: prefixes, counts and links.

A manifest (``data/real/<event_id>.json``) names each sentence by its first 12
characters as the segmenter of its day split the text, and its gold links
refer to sentence indices. When the segmenter changes, this script:

1. finds the old sentences in the text (NFC) by their prefixes, in order, so
   each old sentence spans from its start to the next one's;
2. segments the text with the current segmenter (datelines and bylines left
   out, as the pipeline does);
3. maps each old sentence to the new sentences that overlap its span;
4. rewrites the prefixes, ``n_sentences`` and the links (a link to an old
   sentence becomes links to each new sentence it maps to; a link to text
   that is no longer a sentence, a dateline say, is dropped).

It prints what changed and leaves unchanged manifests untouched, so running it
again is a no-op. Texts come from ``$COVERAGE_ALIGN_REAL`` (default
``/work/realdata/texts``).

The reference translations beside the texts (``en2ko.txt``, ``ko2en.txt``, a
line per sentence) live outside git and are shared, so they are rewritten
separately, once the new manifests are merged: ``--translations REV`` maps
each file from the manifest as it was at git revision REV (the one the file
was written for) to the current segmentation, and only while the file still
has REV's line count, so this too can run again safely.

Run:  uv run python -m benchmarks.remap_gold [--dry-run] [manifest ...]
      uv run python -m benchmarks.remap_gold --translations main [manifest ...]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.gold import REPO
from benchmarks.real import REAL, texts_dir
from translate.segment import segment

PREFIX = 12
_FINAL = ".!?…\"'”’)]」』:"


class RemapError(Exception):
    """A manifest whose texts are missing or do not match it."""


@dataclass
class SideMap:
    """How one side's old sentences map to the new ones."""

    old_prefixes: list[str]
    new_prefixes: list[str]
    mapping: list[list[int]]  # old index -> new indices
    new_texts: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.old_prefixes != self.new_prefixes


def _start_tier(text: str, at: int) -> int:
    """How much ``at`` looks like where the old segmenter started a sentence (0 best)."""
    before = text[:at].rstrip(" \t")
    if not before or before[-1] in "\n\r\x0c\u2029" or before[-1] in _FINAL:
        return 0
    return 1 if len(before) < at else 2  # after a space (a long sentence's cut), else glued


def old_starts(text: str, prefixes: list[str]) -> list[int]:
    """Start offset of each old sentence: its prefix found in order, at a sentence start if possible.

    The old segmenter started sentences after a line break or after final
    punctuation and a space, so an occurrence there wins over an earlier one
    in the middle of the previous sentence ("… to a Japanese court" before
    "Japanese courts dismissed").
    """
    starts, pos = [], 0
    for k, prefix in enumerate(prefixes):
        best: tuple[int, int] | None = None  # (tier, offset)
        at = text.find(prefix, pos)
        while at >= 0:
            tier = _start_tier(text, at)
            if best is None or tier < best[0]:
                best = (tier, at)
            if tier == 0:
                break
            at = text.find(prefix, at + 1)
        if best is None:
            raise RemapError(f"sentence {k} ({prefix!r}) not found in order")
        starts.append(best[1])
        pos = best[1] + len(prefix)
    return starts


def remap_side(text: str, prefixes: list[str], lang: str) -> SideMap:
    """Map the old sentences (given by their prefixes) to the current segmenter's sentences."""
    starts = old_starts(text, prefixes)
    bounds = [*starts[1:], len(text)]
    new = segment(text, lang)
    mapping = [
        [j for j, s in enumerate(new) if s.start < end and s.end > start]
        for start, end in zip(starts, bounds, strict=True)
    ]
    return SideMap(prefixes, [s.text[:PREFIX] for s in new], mapping, [s.text for s in new])


def remap_links(links: list[list[int]], en: SideMap, ko: SideMap) -> list[list[int]]:
    out = {(a, b) for i, j in links for a in en.mapping[i] for b in ko.mapping[j]}
    return [list(p) for p in sorted(out)]


def _read_text(path: Path, sha256: str) -> str:
    if not path.is_file():
        raise RemapError(f"{path} is missing")
    raw = path.read_bytes()
    if hashlib.sha256(raw).hexdigest() != sha256:
        raise RemapError(f"{path}: not the text the manifest was made from (sha256 differs)")
    return unicodedata.normalize("NFC", raw.decode("utf-8"))


def remap_translations(path: Path, side: SideMap, *, write: bool) -> tuple[bool, list[str]]:
    """Rewrite one reference-translation file (a line per old sentence).

    Returns whether it changed and the new lines that need a human.

    Old sentences merged into one new sentence have their lines joined; an old
    sentence split into several keeps its line on the first piece, and the
    others get an empty line, listed for a translator. A file that no longer
    has a line per old sentence (already rewritten) is left alone.
    """
    lines = path.read_text(encoding="utf-8").split("\n")
    lines = lines[:-1] if lines and lines[-1] == "" else lines
    if len(lines) != len(side.old_prefixes):
        print(f"  {path.name}: {len(lines)} lines, not one per old sentence: left as it is")
        return False, []
    new: list[list[str]] = [[] for _ in side.new_prefixes]
    todo = []
    for i, targets in enumerate(side.mapping):
        if targets:
            new[targets[0]].append(lines[i])
            todo += [f"{path.name} line {j + 1} ({side.new_prefixes[j]!r}): translate" for j in targets[1:]]
    out = [" ".join(parts) for parts in new]
    if out == lines:
        return False, []
    print(f"  {path.name}: {len(lines)} → {len(out)} lines")
    if write:
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text("".join(line + "\n" for line in out), encoding="utf-8")
        tmp.replace(path)
    return True, todo


def _side_of(folder: Path, lang: str, meta: dict) -> SideMap:
    return remap_side(_read_text(folder / f"{lang}.txt", meta[lang]["sha256"]), meta[lang]["prefixes"], lang)


def _manifest_at(rev: str, path: Path) -> dict:
    """The manifest as committed at git revision ``rev``."""
    import subprocess

    rel = path.resolve().relative_to(REPO)
    try:
        shown = subprocess.run(
            ["git", "-C", str(REPO), "show", f"{rev}:{rel.as_posix()}"],
            capture_output=True,
            check=True,
            text=True,
        )
    except (OSError, subprocess.CalledProcessError) as exc:
        raise RemapError(f"no {rel} at {rev}") from exc
    return json.loads(shown.stdout)


def remap_translation_files(path: Path, rev: str, *, write: bool) -> bool:
    """Carry the reference translations of one event from the manifest at ``rev`` to today's."""
    old = _manifest_at(rev, path)
    folder = texts_dir() / old["event_id"]
    changed = False
    print(f"{old['event_id']}:")
    for name, lang in (("en2ko.txt", "en"), ("ko2en.txt", "ko")):
        if not (folder / name).is_file():
            continue
        rewritten, todo = remap_translations(folder / name, _side_of(folder, lang, old), write=write)
        for line in todo:
            print(f"  needs a human: {line}")
        changed |= rewritten
    return changed


def _describe(lang: str, side: SideMap) -> list[str]:
    out = [f"  {lang}: {len(side.old_prefixes)} → {len(side.new_prefixes)} sentences"]
    for i, targets in enumerate(side.mapping):
        if targets != [i] or side.new_prefixes[targets[0]] != side.old_prefixes[i]:
            new = (
                ", ".join(f"{j} {side.new_prefixes[j]!r}" for j in targets) or "nothing (not a sentence now)"
            )
            out.append(f"    {i} {side.old_prefixes[i]!r} → {new}")
    return out


def remap_manifest(path: Path, *, write: bool) -> bool:
    """Remap one manifest in place; returns whether it changed."""
    meta = json.loads(path.read_text(encoding="utf-8"))
    folder = texts_dir() / meta["event_id"]
    sides = {
        lang: remap_side(
            _read_text(folder / f"{lang}.txt", meta[lang]["sha256"]), meta[lang]["prefixes"], lang
        )
        for lang in ("en", "ko")
    }
    if not any(s.changed for s in sides.values()):
        print(f"{meta['event_id']}: unchanged")
        return False
    links = remap_links(meta["links"], sides["en"], sides["ko"])
    print(f"{meta['event_id']}: changed")
    for lang, side in sides.items():
        if side.changed:
            print("\n".join(_describe(lang, side)))
    print(f"  links: {len(meta['links'])} → {len(links)}")
    if not write:
        return True
    for lang, side in sides.items():
        meta[lang]["prefixes"] = side.new_prefixes
        meta[lang]["n_sentences"] = len(side.new_prefixes)
    meta["links"] = links
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    tmp.replace(path)
    return True


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("manifests", nargs="*", type=Path, help="default: every data/real/*.json")
    ap.add_argument("--dry-run", action="store_true", help="print what would change, write nothing")
    ap.add_argument(
        "--translations",
        metavar="REV",
        help="rewrite en2ko.txt / ko2en.txt beside the texts from the manifests at git revision REV",
    )
    args = ap.parse_args(argv)
    paths = args.manifests or sorted(REAL.glob("*.json"))
    changed, failed = [], []
    for path in paths:
        try:
            if args.translations:
                done = remap_translation_files(path, args.translations, write=not args.dry_run)
            else:
                done = remap_manifest(path, write=not args.dry_run)
        except (RemapError, OSError, ValueError, KeyError) as exc:
            failed.append(path.stem)
            print(f"{path}: {exc}", file=sys.stderr)
            continue
        if done:
            changed.append(path.stem)
    verb = "would change" if args.dry_run else "changed"
    print(f"{len(paths)} manifests: {len(changed)} {verb}, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
