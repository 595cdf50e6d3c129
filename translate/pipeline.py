"""The whole job for one event, as plain functions over plain data.

load → detect → segment → translate (both directions) → align → write.
The CLI calls ``run_event``; the Prefect flow calls the stage functions one by
one as tasks. Nothing here knows about either.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from translate import __version__
from translate.documents import SUFFIXES, Document, load_document
from translate.errors import InputError, LanguageError
from translate.langid import detect, detect_document, language_problem
from translate.segment import segment

SIDES = ("en", "ko")
MIXED_SHARE = 0.2  # a document this share of whose sentences are in another language gets a warning
ProgressFn = Callable[[str, int, int], None]
"""Called as (stage label, done, total)."""


@dataclass
class SideText:
    """All sentences of one side (en or ko) of an event, across its documents."""

    lang: str
    documents: list[Document]
    sentences: list[dict[str, Any]] = field(default_factory=list)  # rows for the dataset

    @property
    def texts(self) -> list[str]:
        return [s["text"] for s in self.sentences]


@dataclass
class EventResult:
    event_id: str
    mode: str
    requested_mode: str
    n_en: int
    n_ko: int
    n_pairs: int
    en_only: int
    ko_only: int
    flagged_numbers: int
    seconds: float
    dataset: Path
    packages: list[dict[str, str]]
    test_models: bool
    warnings: list[str]


# ---------------------------------------------------------------- load


def event_files(event_dir: Path) -> dict[str, list[Path]]:
    """The article files under ``event_dir/en`` and ``event_dir/ko``."""
    event_dir = Path(event_dir)
    if not event_dir.is_dir():
        raise InputError(f"{event_dir}: not a directory")
    found = {}
    for side in SIDES:
        folder = event_dir / side
        files = sorted(p for p in folder.glob("*") if p.suffix.lower() in SUFFIXES) if folder.is_dir() else []
        if not files:
            raise InputError(f"{event_dir}: no .txt, .md or .html files in {side}/")
        found[side] = files
    return found


def default_event_id(
    en_paths: Sequence[Path], ko_paths: Sequence[Path], event_dir: Path | None = None
) -> str:
    raw = event_dir.name if event_dir is not None else f"{Path(en_paths[0]).stem}--{Path(ko_paths[0]).stem}"
    return re.sub(r"[^A-Za-z0-9._-]+", "-", raw).strip("-.")[:128] or "event"


def resolve_inputs(
    event_dir: Path | str | None,
    en_paths: Sequence[Path | str] | None,
    ko_paths: Sequence[Path | str] | None,
    event_id: str | None,
) -> tuple[list[Path], list[Path], str]:
    """The files of each side and the event id, from a folder or from explicit files."""
    if event_dir is not None:
        files = event_files(Path(event_dir))
        en_paths, ko_paths = files["en"], files["ko"]
    if not en_paths or not ko_paths:
        raise InputError("give English and Korean files (--en and --ko), or an event folder (--event)")
    en, ko = [Path(p) for p in en_paths], [Path(p) for p in ko_paths]
    return en, ko, event_id or default_event_id(en, ko, Path(event_dir) if event_dir else None)


def load_side(paths: Sequence[Path], lang: str) -> SideText:
    """Read one side's files and check their language; raises InputError/LanguageError."""
    docs = []
    for path in paths:
        doc = load_document(Path(path), declared_lang=lang)
        guess = detect_document(doc.text)
        doc.detected_lang = guess.lang
        doc.lang_confidence = guess.confidence
        # A side whose documents all pass this check cannot share a language with
        # the other side, so no separate "same language on both sides" check is needed.
        problem = language_problem(lang, guess)
        if problem:
            raise LanguageError(f"{path}: {problem}")
        docs.append(doc)
    return SideText(lang, docs)


# ---------------------------------------------------------------- segment


def segment_side(side: SideText) -> SideText:
    """Split every document into sentences with per-sentence language."""
    rows: list[dict[str, Any]] = []
    for doc in side.documents:
        mine = []
        for s in segment(doc.text, side.lang):
            guess = detect(s.text, hint=side.lang)
            mine.append(
                {
                    "doc_id": doc.doc_id,
                    "side": side.lang,
                    "sentence_index": len(rows) + len(mine),
                    "text": s.text,
                    "char_start": s.start,
                    "char_end": s.end,
                    "lang": guess.lang,
                    "lang_confidence": guess.confidence,
                }
            )
        doc.n_sentences = len(mine)
        foreign = [r for r in mine if r["lang"] not in (side.lang, "und")]
        if mine and len(foreign) / len(mine) >= MIXED_SHARE:
            langs = ", ".join(sorted({r["lang"] for r in foreign}))
            doc.warnings.append(
                f"{len(foreign)} of {len(mine)} sentences are not in {side.lang!r} ({langs}): mixed document"
            )
        rows.extend(mine)
    if not rows:
        raise InputError(f"no sentences found in the {side.lang} documents")
    side.sentences = rows
    return side


# ---------------------------------------------------------------- translate


def translate_side(
    side: SideText,
    to_lang: str,
    *,
    cache: Any = None,
    settings: Any = None,
    progress: Callable[[int], None] | None = None,
) -> dict[str, str]:
    """Translate a side's sentences; fills the sentence rows and returns package provenance."""
    from translate.engine import translate_sentences

    out, model = translate_sentences(
        side.texts, side.lang, to_lang, settings=settings, cache=cache, progress=progress
    )
    for row, tr in zip(side.sentences, out, strict=True):
        row.update(
            translation=tr,
            translation_lang=to_lang,
            translation_package=model.code,
            translation_package_version=model.version,
        )
    return {"code": model.code, "version": model.version, "direction": model.direction}


def _translations(side: SideText) -> list[str] | None:
    if not side.sentences or side.sentences[0].get("translation") is None:
        return None
    return [s["translation"] for s in side.sentences]


# ---------------------------------------------------------------- align and write


def align_sides(en: SideText, ko: SideText, mode: str = "comparable") -> Any:
    from translate.align import align

    return align(en.texts, ko.texts, ko2en=_translations(ko), en2ko=_translations(en), mode=mode)


def build_rows(en: SideText, ko: SideText, alignment: Any) -> dict[str, list[dict]]:
    def joined(side: SideText, idx: Sequence[int], key: str) -> str | None:
        parts = [side.sentences[i].get(key) for i in idx]
        return (" ".join(p for p in parts if p) or None) if idx else None

    pairs = []
    for k, row in enumerate(alignment.rows):
        en_text, ko_text = joined(en, row.en, "text"), joined(ko, row.ko, "text")
        pairs.append(
            {
                "row_index": k,
                "type": row.type,
                "score": row.score,
                "mode": alignment.mode,
                "en_indices": list(row.en),
                "ko_indices": list(row.ko),
                "en_text": en_text,
                "ko_text": ko_text,
                "en_to_ko": joined(en, row.en, "translation"),
                "ko_to_en": joined(ko, row.ko, "translation"),
                "translation": {"en": en_text, "ko": ko_text},
                "numbers_only_en": list(row.numbers_only_en),
                "numbers_only_ko": list(row.numbers_only_ko),
            }
        )
    documents = [
        {
            "doc_id": d.doc_id,
            "lang_declared": d.declared_lang,
            "lang_detected": d.detected_lang,
            "lang_confidence": d.lang_confidence,
            "source": Path(d.path).stem,  # name article files after their outlet
            "title": d.title,
            "path": d.path,
            "url": None,
            "published": None,
            "content_hash": d.content_hash,
            "encoding": d.encoding,
            "n_sentences": d.n_sentences,
            "warnings": d.warnings,
        }
        for d in en.documents + ko.documents
    ]
    return {"documents": documents, "sentences": en.sentences + ko.sentences, "pairs": pairs}


def _test_models(packages: list[dict[str, str]]) -> bool:
    from translate.testmodels import is_test_version

    return any(is_test_version(p["version"]) for p in packages)


def provenance(alignment: Any, packages: list[dict[str, str]], run_id: str | None = None) -> dict:
    return {
        "pipeline_version": __version__,
        "packages": packages,
        "test_models": _test_models(packages),
        "aligner": {
            "mode": alignment.mode,
            "requested_mode": alignment.requested_mode,
            "threshold": alignment.threshold,
            "model": alignment.model,
            "diagonality": alignment.diagonality,
            **alignment.params,
        },
        "run_id": run_id,
    }


def write_rows(root: Path, event_id: str, rows: dict, prov: dict) -> Path:
    from translate.dataset import write_event

    write_event(root, event_id, provenance=prov, **rows)
    return Path(root)


def summarise(
    event_id: str,
    en: SideText,
    ko: SideText,
    alignment: Any,
    rows: dict,
    packages: list[dict[str, str]],
    out: Path,
    started: float,
) -> EventResult:
    """Counts for the CLI summary and the Prefect artifact; ``started`` is a perf_counter()."""
    types = [r.type for r in alignment.rows]
    return EventResult(
        event_id=event_id,
        mode=alignment.mode,
        requested_mode=alignment.requested_mode,
        n_en=len(en.sentences),
        n_ko=len(ko.sentences),
        n_pairs=sum(t not in ("en-only", "ko-only") for t in types),
        en_only=types.count("en-only"),
        ko_only=types.count("ko-only"),
        flagged_numbers=sum(bool(p["numbers_only_en"] or p["numbers_only_ko"]) for p in rows["pairs"]),
        seconds=round(time.perf_counter() - started, 3),
        dataset=Path(out),
        packages=packages,
        test_models=_test_models(packages),
        warnings=[w for d in en.documents + ko.documents for w in d.warnings],
    )


def _counter(label: str, total: int, progress: ProgressFn) -> Callable[[int], None]:
    """Turn the engine's "n more done" callbacks into (label, done, total) reports."""
    done = 0

    def tick(n: int) -> None:
        nonlocal done
        done += n
        progress(label, done, total)

    return tick


def run_event(
    en_paths: Sequence[Path],
    ko_paths: Sequence[Path],
    *,
    event_id: str,
    out: Path,
    mode: str = "comparable",
    cache: Any = None,
    settings: Any = None,
    progress: ProgressFn | None = None,
    run_id: str | None = None,
) -> EventResult:
    """Detect, segment, translate both ways, align and write one event."""
    from translate.dataset import check_event_id

    t0 = time.perf_counter()
    check_event_id(event_id)
    en = segment_side(load_side(en_paths, "en"))
    ko = segment_side(load_side(ko_paths, "ko"))
    packages = []
    for side, target in ((ko, "en"), (en, "ko")):
        tick = _counter(f"{side.lang}→{target}", len(side.sentences), progress) if progress else None
        packages.append(translate_side(side, target, cache=cache, settings=settings, progress=tick))
    alignment = align_sides(en, ko, mode)
    rows = build_rows(en, ko, alignment)
    write_rows(out, event_id, rows, provenance(alignment, packages, run_id))
    return summarise(event_id, en, ko, alignment, rows, packages, out, t0)
