"""The whole job for one event, as plain functions over plain data.

load → detect → segment → embed and translate (both directions) → align → write.
Each stage returns its output (``SideText``, ``Embeddings``, ``Translation``,
``Alignment``) and never changes its inputs, so stages can run as separate
Prefect tasks, in other processes (Dask) or concurrently. The CLI calls
``run_event``; the Prefect flow calls the stage functions as tasks. Nothing
here knows about either.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from translate import __version__
from translate.documents import SUFFIXES, Document, content_hash, load_document
from translate.errors import InputError, LanguageError, ModelNotInstalled
from translate.langid import detect, detect_document, language_problem
from translate.progress import CountProgress, StageProgress
from translate.segment import CONTENT, MAX_SENTENCE_CHARS, segment_units, split_long
from translate.textsafe import plural

if TYPE_CHECKING:
    from translate.align import Alignment
    from translate.cache import EmbeddingCache, TranslationCache
    from translate.engine import DecodeSettings

__all__ = [
    "Embeddings",
    "EventInputs",
    "EventResult",
    "SideText",
    "Translation",
    "align_sides",
    "build_provenance",
    "build_rows",
    "check_overwrite",
    "content_event_id",
    "default_event_id",
    "embed_side",
    "event_files",
    "event_for_provenance",
    "event_meta",
    "folder_event_id",
    "join_sentences",
    "load_side",
    "resolve_event",
    "resolve_inputs",
    "run_event",
    "segment_side",
    "slug",
    "summarise",
    "translate_side",
    "write_rows",
]

SIDES = ("en", "ko")
MIXED_SHARE = 0.2  # a document this share of whose sentences are in another language gets a warning


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
    """What one event's run produced: counts for the CLI summary and the Prefect artifact."""

    event_id: str
    mode: str
    requested_mode: str
    n_en: int
    n_ko: int
    n_pairs: int
    en_only: int
    ko_only: int
    n_links: int
    flagged_numbers: int
    seconds: float
    dataset: Path
    packages: list[dict[str, str]]
    test_models: bool
    missing_translations: list[str]  # directions with no installed model, e.g. ["ko→en"]
    encoder: str | None
    scorer: str
    warnings: list[str]
    # side → sentences with no link that the verdict calls "only here" (all of them when
    # no verdict was computed), and those it calls "probably reported"
    unmatched: dict[str, list[str]] = field(default_factory=dict)
    probably: dict[str, list[str]] = field(default_factory=dict)
    number_differences: list[dict] = field(default_factory=list)
    number_conflicts: int = 0  # rows whose two sides give the same kind of quantity with other values
    possible_counterparts: int = 0  # gap rows that show a possible counterpart
    n_groups: int = 0  # linked groups: connected components of the links, one or more rows each
    also_linked: int = 0  # sentences outside the pair rows with a link into one (en-also / ko-also rows)
    only_here: int = 0  # sentences (both sides) whose verdict is a confident omission
    probably_reported: int = 0  # unlinked sentences the other side probably reports
    previous: str | None = None  # what the run replaced (``summary.stored_state``), None if new


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


# File stems and folder names that say nothing about the event: ``en.txt`` and
# ``ko.txt`` in two folders must not both become ``en--ko``.
_GENERIC_NAMES = {"", "en", "ko", "eng", "kor", "english", "korean", "article", "text", "input", "event"}


def slug(raw: str) -> str:
    """``raw`` as an event id: NFKC, runs of anything but letters, digits, marks, '.', '_'
    and '-' become '-', trimmed to the length and bytes an id allows; '' when nothing is left.

    Letters of every script survive (``서울홍수`` stays ``서울홍수``): they are the name.
    """
    from translate.dataset import MAX_EVENT_ID_BYTES, MAX_EVENT_ID_CHARS, event_id_problem

    text = unicodedata.normalize("NFKC", raw)
    kept = "".join(c if c in "._-" or unicodedata.category(c)[0] in "LNM" else "\0" for c in text)
    out = re.sub("\0+", "-", kept)  # each run of other characters becomes one '-'; '--' stays
    out = re.sub(r"^[._-]+|[._-]+$", "", out)  # start with a letter or digit, end without '.'
    out = out[:MAX_EVENT_ID_CHARS]
    while len(out.encode()) > MAX_EVENT_ID_BYTES:
        out = out[:-1]
    out = unicodedata.normalize("NFC", out.rstrip("._-"))
    return out if out and not event_id_problem(out) else ""


def content_event_id(paths: Sequence[Path]) -> str:
    """``ev-`` and 12 hex digits of a hash over the files' contents: the same articles, the same id."""
    h = hashlib.sha256()
    for p in sorted(content_hash(Path(p).read_bytes()) for p in paths):
        h.update(p.encode())
    return f"ev-{h.hexdigest()[:12]}"


def default_event_id(
    en_paths: Sequence[Path], ko_paths: Sequence[Path], event_dir: Path | None = None
) -> str:
    """The id an event gets when neither ``--event-id`` nor event.json names one.

    The event folder's name; else both file stems (``yonhap--kbs``); else, when
    the stems say nothing (``en.txt``/``ko.txt``, ``article.txt`` twice), the
    folder the files share; else a hash of the contents. Never a constant, so
    two unrelated events cannot meet on one id by accident.
    """
    en0, ko0 = Path(en_paths[0]), Path(ko_paths[0])
    candidates = []
    if event_dir is not None:
        candidates.append(Path(event_dir).resolve().name)
    else:
        stems = (slug(en0.stem), slug(ko0.stem))
        if stems[0] != stems[1] and not {s.lower() for s in stems} <= _GENERIC_NAMES:
            candidates.append(f"{en0.stem}--{ko0.stem}")
        # ev/en/article.txt and ev/ko/article.txt: the event is "ev".
        common = Path(os.path.commonpath([en0.resolve().parent, ko0.resolve().parent]))
        candidates.append(common.name if common.name.lower() not in _GENERIC_NAMES else "")
        if common.name.lower() in ("en", "ko"):
            candidates.append(common.parent.name)
    for raw in candidates:
        found = slug(raw)
        if found and found.lower() not in _GENERIC_NAMES:
            return found
    return content_event_id([*en_paths, *ko_paths])


MAX_EVENT_JSON_BYTES = 100_000  # a title, ids, a mode and notes: far below this
MAX_EVENT_JSON_DEPTH = 20  # deeper nesting is no event description (and 100,000 levels overflow)


def _json_depth(text: str) -> int:
    """The deepest nesting of ``[`` and ``{`` outside strings, counted without recursion."""
    depth = deepest = 0
    for token in re.finditer(r'"(?:[^"\\]|\\.)*"|[\[{]|[\]}]', text):
        c = token.group()
        if c in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif c in "]}":
            depth -= 1
    return deepest


def event_meta(event_dir: Path | str | None) -> dict[str, Any]:
    """The folder's ``event.json`` (event_id, mode, title, …), or {} when there is none.

    Bounded before parsing: at most MAX_EVENT_JSON_BYTES and MAX_EVENT_JSON_DEPTH
    levels, so a huge or deeply nested file is one clear error, not a RecursionError
    or a copy of megabytes into the dataset. A UTF-8 byte-order mark is accepted.
    """
    if event_dir is None:
        return {}
    path = Path(event_dir) / "event.json"
    if not path.is_file():
        return {}
    try:
        with path.open("rb") as f:
            data = f.read(MAX_EVENT_JSON_BYTES + 1)
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    if len(data) > MAX_EVENT_JSON_BYTES:
        raise InputError(
            f"{path}: over {MAX_EVENT_JSON_BYTES:,} bytes; event.json holds a title, ids and short "
            "notes, not article text"
        )
    try:
        text = data.decode("utf-8-sig")  # Windows editors save a byte-order mark
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not valid JSON (not UTF-8: {exc})") from exc
    if _json_depth(text) > MAX_EVENT_JSON_DEPTH:
        raise InputError(f"{path}: nested more than {MAX_EVENT_JSON_DEPTH} levels deep")
    try:
        meta = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise InputError(f"{path}: not valid JSON ({exc})") from exc
    if not isinstance(meta, dict):
        raise InputError(f"{path}: expected a JSON object")
    return meta


@dataclass(frozen=True)
class EventInputs:
    """What to align and under which id and mode, settled once for the CLI and the flows."""

    en: list[Path]
    ko: list[Path]
    event_id: str
    mode: str
    meta: dict[str, Any]


def resolve_event(
    event_dir: Path | str | None = None,
    en_paths: Sequence[Path | str] | None = None,
    ko_paths: Sequence[Path | str] | None = None,
    event_id: str | None = None,
    mode: str | None = None,
    *,
    default_mode: str = "comparable",
) -> EventInputs:
    """Files, id and mode of one event. Precedence, for each of id and mode: the
    explicit argument (the command line's option), then the folder's event.json,
    then the derived id (``default_event_id``) or ``default_mode``.

    A deployment's or the inbox's mode is a ``default_mode``: it never overrides
    an event.json that says the folder holds a translated edition.
    """
    from translate.align import MODES

    meta = event_meta(event_dir)
    if event_id is None:  # an explicit '' stays '' and is refused as an invalid id
        event_id = meta.get("event_id")
    if event_id is not None and not isinstance(event_id, str):
        raise InputError(f"{Path(str(event_dir)) / 'event.json'}: event_id must be a string")
    chosen = mode or meta.get("mode") or default_mode
    if chosen not in MODES:
        raise InputError(f"mode must be one of {', '.join(MODES)}, not {chosen!r}")
    en, ko, event_id = resolve_inputs(event_dir, en_paths, ko_paths, event_id)
    return EventInputs(en, ko, event_id, chosen, meta)


def folder_event_id(event_dir: Path | str) -> str:
    """The id an event folder is stored under: event.json's ``event_id``, else the derived one.

    Raises InputError for a folder without articles on both sides or a bad event.json,
    DatasetError for an event.json id that cannot name an event.
    """
    return resolve_event(event_dir).event_id


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
    if event_id is None:
        event_id = default_event_id(en, ko, Path(event_dir) if event_dir else None)
    elif isinstance(event_id, str):
        event_id = unicodedata.normalize("NFC", event_id)  # a name typed on macOS may arrive as NFD
    from translate.dataset import check_event_id

    return en, ko, check_event_id(event_id)  # an explicit '' is refused, not replaced


_LANG_NAMES = {"en": "English", "ko": "Korean"}


def load_side(paths: Sequence[Path], lang: str, other_side: Sequence[Path] = ()) -> SideText:
    """Read one side's files and check their language; raises InputError/LanguageError.

    A file given twice (the same path, another spelling of it, a link or a copy)
    is read once, with a warning: its sentences would otherwise be stored twice.
    ``other_side`` (the other language's files) is read only to tell, when this
    side is in the other language, whether the two sides were swapped.
    """
    docs: list[Document] = []
    seen: dict[str, Document] = {}
    for path in paths:
        doc = load_document(Path(path), declared_lang=lang)
        first = seen.get(doc.content_hash)
        if first is not None:
            again = "was given twice" if str(path) == first.path else f"has the same content as {first.path}"
            first.warnings.append(f"{path} {again}: read once")
            continue
        guess = detect_document(doc.text)
        doc.detected_lang = guess.lang
        doc.lang_confidence = guess.confidence
        # A side whose documents all pass this check cannot share a language with
        # the other side, so no separate "same language on both sides" check is needed.
        problem = language_problem(lang, guess)
        if problem:
            raise LanguageError(f"{path}: {problem}{_swap_hint(Path(path), lang, guess.lang, other_side)}")
        seen[doc.content_hash] = doc
        docs.append(doc)
    return SideText(lang, docs)


def _named(doc: Document, warning: str) -> str:
    """A document's warning with the file it is about: with two articles, "at 72" alone says not where."""
    return warning if doc.path in warning else f"{Path(doc.path).name or doc.path}: {warning}"


def _same_content(path: Path, others: Sequence[Path]) -> bool:
    """Whether one of ``others`` holds exactly the bytes of ``path`` (the same file, or a copy)."""
    try:
        mine = Path(path).read_bytes()
        return any(Path(p).stat().st_size == len(mine) and Path(p).read_bytes() == mine for p in others)
    except OSError:  # unreadable: the other side's own check reports it
        return False


def _swap_hint(path: Path, lang: str, detected: str, other_side: Sequence[Path]) -> str:
    """What to do when a side reads as the other language: swap the two, or move this file."""
    other = {"en": "ko", "ko": "en"}.get(lang)
    if detected != other:
        return ""
    if _same_content(path, other_side):  # "give it with --en" when it already is would confuse
        return (
            f"; the same article is given as --{lang} and --{other}: give the {_LANG_NAMES[lang]} "
            f"article with --{lang}"
        )
    if other_side and all(_reads_as(p, lang) for p in other_side):
        return (
            f"; the {_LANG_NAMES[lang]} and {_LANG_NAMES[other]} files look swapped: give them the "
            "other way round (--en and --ko, or the en/ and ko/ folders)"
        )
    article = "an English" if other == "en" else f"a {_LANG_NAMES[other]}"
    return f"; it reads as {article} article: give it with --{other} (or in the {other}/ folder)"


def _reads_as(path: Path, lang: str) -> bool:
    try:
        return detect_document(load_document(Path(path)).text).lang == lang
    except InputError:  # unreadable: the other side's own check reports it
        return False


# ---------------------------------------------------------------- segment


def segment_side(side: SideText) -> SideText:
    """Split every document into sentences with per-sentence language."""
    rows: list[dict[str, Any]] = []
    for doc in side.documents:
        mine: list[dict[str, Any]] = []
        units = segment_units(doc.text, side.lang)
        found = [u for u in units if u.kind == CONTENT]
        aside = [u for u in units if u.kind != CONTENT]
        if aside:
            # Datelines and bylines are not reporting: kept out of the sentences
            # (and so out of alignment), recorded here with their offsets.
            doc.warnings.append(
                "set aside as not article text: "
                + "; ".join(f"{u.kind} {u.text!r} at {u.start}" for u in aside[:5])
                + (f" and {len(aside) - 5} more" if len(aside) > 5 else "")
            )
        long = [s for s in found if len(s.text) > MAX_SENTENCE_CHARS]
        if long:
            doc.warnings.append(
                f"{plural(len(long), 'sentence')} over {MAX_SENTENCE_CHARS} characters split at clause or "
                f"word boundaries (longest {max(len(s.text) for s in long):,})"
            )
            found = [p for s in found for p in split_long(s)]
        for s in found:
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


# ---------------------------------------------------------------- translate and embed


@dataclass(frozen=True)
class Translation:
    """One side's sentences translated into ``lang`` by an Argos package."""

    lang: str
    texts: list[str]
    package: dict[str, str]  # code, version, direction: for provenance


@dataclass(frozen=True)
class Embeddings:
    """One side's sentence vectors (rows L2-normalised) and the encoder that made them."""

    vectors: np.ndarray
    encoder: str


def translate_side(
    side: SideText,
    to_lang: str,
    *,
    cache: TranslationCache | None = None,
    settings: DecodeSettings | None = None,
    progress: CountProgress | None = None,
) -> Translation | None:
    """The side's sentences in ``to_lang``, or None when no package is installed for it.

    A missing package is not an error: alignment then relies on the encoder
    and the translation-free anchors. A broken package still raises ModelError.
    """
    from translate.engine import translate_sentences

    try:
        out, model = translate_sentences(
            side.texts, side.lang, to_lang, settings=settings, cache=cache, progress=progress
        )
    except ModelNotInstalled:
        return None
    return Translation(
        to_lang, out, {"code": model.code, "version": model.version, "direction": model.direction}
    )


def embed_side(
    side: SideText,
    *,
    encoder: str | None = None,
    cache: EmbeddingCache | None = None,
    progress: CountProgress | None = None,
) -> Embeddings | None:
    """The side's sentence vectors, or None when the encoder is turned off (``none``)."""
    from translate.config import encoder_name
    from translate.embed import embed

    name = encoder or encoder_name()
    if name == "none":
        return None
    vectors, enc_id = embed(side.texts, name, cache=cache, progress=progress)
    return Embeddings(vectors, enc_id)


# ---------------------------------------------------------------- align and write


def align_sides(
    en: SideText,
    ko: SideText,
    mode: str = "comparable",
    *,
    en2ko: Translation | None = None,
    ko2en: Translation | None = None,
    emb_en: Embeddings | None = None,
    emb_ko: Embeddings | None = None,
    encoder: str | None = None,
    embed_cache: EmbeddingCache | None = None,
) -> Alignment:
    """Align two segmented sides with whatever signals are available.

    ``encoder`` and ``embed_cache`` serve the word-level evidence, which
    encodes single words with the encoder that made the sentence vectors.
    """
    from translate.align import MODES, align
    from translate.embed import embed

    if mode not in MODES:
        raise InputError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    embeddings = (emb_en.vectors, emb_ko.vectors) if emb_en is not None and emb_ko is not None else None

    def encode(texts: list[str]) -> np.ndarray:
        return embed(texts, encoder, cache=embed_cache)[0]

    alignment = align(
        en.texts,
        ko.texts,
        ko2en=ko2en.texts if ko2en is not None else None,
        en2ko=en2ko.texts if en2ko is not None else None,
        embeddings=embeddings,
        mode=mode,
        encode=encode if embeddings is not None else None,
    )
    alignment.params["encoder"] = emb_en.encoder if emb_en is not None else None
    from translate.align.verdict import alignment_verdicts

    alignment.verdicts = alignment_verdicts(en.texts, ko.texts, alignment)
    alignment.sides = None  # its memo holds word and clause vectors, needed no more
    return alignment


def join_sentences(texts: Sequence[str] | None, idx: Sequence[int]) -> str | None:
    """A row's sentences on one side; " … " marks where the article has others between them."""
    if texts is None or not idx:
        return None
    out = ""
    for k, i in enumerate(idx):
        if texts[i]:
            out += ("" if not out else " " if k and i == idx[k - 1] + 1 else " … ") + texts[i]
    return out or None


def _verdict_columns(v: Any) -> dict[str, Any]:
    """A sentence's verdict columns (nulls when no verdict was computed)."""
    if v is None:
        return {"verdict": None, "verdict_p": None, "candidates": None}
    return {
        "verdict": v.state,
        "verdict_p": v.p,
        "candidates": [{"index": i, "score": s} for i, s in v.candidates],
    }


def build_rows(
    en: SideText,
    ko: SideText,
    alignment: Alignment,
    *,
    en2ko: Translation | None = None,
    ko2en: Translation | None = None,
) -> dict[str, list[dict]]:
    """Rows for every dataset table: documents, sentences (with translations), pairs, links."""
    sentences = []
    for side, tr in ((en, en2ko), (ko, ko2en)):
        verdicts = alignment.verdicts.get(side.lang)
        for k, sentence in enumerate(side.sentences):
            sentences.append(
                {
                    **sentence,
                    **_verdict_columns(verdicts[k] if verdicts else None),
                    "translation": tr.texts[k] if tr is not None else None,
                    "translation_lang": tr.lang if tr is not None else None,
                    "translation_package": tr.package["code"] if tr is not None else None,
                    "translation_package_version": tr.package["version"] if tr is not None else None,
                }
            )

    en_mt = en2ko.texts if en2ko is not None else None
    ko_mt = ko2en.texts if ko2en is not None else None
    # ``SideText.texts`` builds a new list on each access: indexing it per row
    # or link made this step quadratic (minutes on a 5 MB input).
    en_texts, ko_texts = en.texts, ko.texts
    pairs = []
    row_of: dict[tuple[int, int], int] = {}
    for k, row in enumerate(alignment.rows):
        en_text, ko_text = join_sentences(en_texts, row.en), join_sentences(ko_texts, row.ko)
        other = ko_texts if row.type == "en-only" else en_texts
        row_of.update({(i, j): k for i in row.en for j in row.ko})
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
                "en_to_ko": join_sentences(en_mt, row.en),
                "ko_to_en": join_sentences(ko_mt, row.ko),
                "translation": {"en": en_text, "ko": ko_text},
                "numbers_only_en": list(row.numbers_only_en),
                "numbers_only_ko": list(row.numbers_only_ko),
                "numbers_conflict_en": list(row.numbers_conflict_en),
                "numbers_conflict_ko": list(row.numbers_conflict_ko),
                "possible_index": row.possible,
                "possible_text": other[row.possible] if row.possible is not None else None,
                "possible_score": row.score if row.possible is not None else None,
                "names_only_en": list(row.names_only_en),
                "names_only_ko": list(row.names_only_ko),
                "group_id": row.group,
                "also_row": row.also,
                "also_index": row.partner,
            }
        )
    links = [
        {
            "en_index": x.en,
            "ko_index": x.ko,
            "score": x.score,
            "row_index": row_of.get((x.en, x.ko)),
            "en_text": en_texts[x.en],
            "ko_text": ko_texts[x.ko],
        }
        for x in alignment.links
        if x.score >= alignment.threshold or (x.en, x.ko) in row_of
    ]
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
    return {"documents": documents, "sentences": sentences, "pairs": pairs, "links": links}


def _test_models(packages: list[dict[str, str]]) -> bool:
    from translate.testmarks import is_test_version

    return any(is_test_version(p["version"]) for p in packages)


MAX_PROVENANCE_STRING = 1_000  # characters of one event.json string kept in the metadata
MAX_PROVENANCE_EVENT_BYTES = 8_000  # the copy rides in every table's Parquet footer


def _cut(value: Any) -> Any:
    if isinstance(value, str) and len(value) > MAX_PROVENANCE_STRING:
        return value[:MAX_PROVENANCE_STRING] + "…"
    if isinstance(value, list):
        return [_cut(v) for v in value]
    if isinstance(value, dict):
        return {k: _cut(v) for k, v in value.items()}
    return value


def event_for_provenance(meta: dict[str, Any]) -> dict[str, Any]:
    """The part of event.json copied into every Parquet file's metadata: long strings cut,
    and past MAX_PROVENANCE_EVENT_BYTES only the fields the views read, marked as cut."""
    kept = _cut(meta)
    if len(json.dumps(kept, ensure_ascii=False).encode()) <= MAX_PROVENANCE_EVENT_BYTES:
        return kept
    small = {k: kept[k] for k in ("event_id", "mode", "title") if isinstance(kept.get(k), str)}
    return {**small, "truncated": "event.json was too large to copy whole; the folder keeps it"}


def build_provenance(
    alignment: Alignment,
    translations: Sequence[Translation | None],
    run_id: str | None = None,
    event: dict[str, Any] | None = None,
) -> dict:
    """What made an event's rows: stored in the Parquet schema metadata."""
    packages = [t.package for t in translations if t is not None]
    return {
        "event": event_for_provenance(event or {}),  # the folder's event.json, bounded
        "pipeline_version": __version__,
        "packages": packages,
        "translations": {t.package["direction"]: True for t in translations if t is not None},
        "test_models": _test_models(packages),
        "aligner": {
            "mode": alignment.mode,
            "requested_mode": alignment.requested_mode,
            "threshold": alignment.threshold,
            "scorer": alignment.scorer,
            "possible_floor": alignment.possible_floor,
            "diagonality": alignment.diagonality,
            **alignment.params,
        },
        "run_id": run_id,
    }


def check_overwrite(root: Path, event_id: str, en: SideText, ko: SideText, replace: bool) -> None:
    """Before any expensive work: refuse an id that the dataset holds for other articles
    (``translate.dataset.check_sources``; checked again under the lock when writing)."""
    from translate.dataset import check_sources

    if not replace:
        docs = [{"path": d.path, "content_hash": d.content_hash} for d in en.documents + ko.documents]
        check_sources(root, event_id, docs)


def write_rows(root: Path, event_id: str, rows: dict, prov: dict, replace: bool = False) -> Path:
    from translate.dataset import write_event

    write_event(root, event_id, provenance=prov, replace=replace, **rows)
    return Path(root)


def summarise(
    event_id: str,
    en: SideText,
    ko: SideText,
    alignment: Alignment,
    rows: dict,
    translations: Sequence[Translation | None],
    out: Path,
    started: float,
) -> EventResult:
    """Counts for the CLI summary and the Prefect artifact; ``started`` is a perf_counter()."""
    from translate.align import summary_counts

    counts = summary_counts((r.type for r in alignment.rows), (r.group for r in alignment.rows))
    packages = [t.package for t in translations if t is not None]
    pairs = rows["pairs"]
    flagged = [p for p in pairs if p["numbers_only_en"] or p["numbers_only_ko"]]
    gaps: dict[str, list[tuple[str, str | None]]] = {"en": [], "ko": []}  # (text, verdict state)
    for p in pairs:
        if p["type"] in ("en-only", "ko-only"):
            side = p["type"][:2]
            judged = alignment.verdicts.get(side)
            state = judged[p[f"{side}_indices"][0]].state if judged else None
            gaps[side].append((p[f"{side}_text"], state))
    return EventResult(
        event_id=event_id,
        mode=alignment.mode,
        requested_mode=alignment.requested_mode,
        n_en=len(en.sentences),
        n_ko=len(ko.sentences),
        n_pairs=counts["pairs"],
        n_groups=counts["groups"],
        also_linked=counts["also"],
        en_only=counts["en_only"],
        ko_only=counts["ko_only"],
        n_links=len(rows["links"]),
        flagged_numbers=len(flagged),
        number_conflicts=sum(
            bool(p["numbers_conflict_en"] or p["numbers_conflict_ko"]) for p in rows["pairs"]
        ),
        possible_counterparts=sum(p["possible_index"] is not None for p in pairs),
        only_here=sum(v.state == "only" for vs in alignment.verdicts.values() for v in vs),
        probably_reported=sum(v.state == "probably" for vs in alignment.verdicts.values() for v in vs),
        seconds=round(time.perf_counter() - started, 3),
        dataset=Path(out),
        packages=packages,
        test_models=_test_models(packages),
        missing_translations=[
            f"{src}→{dst}"
            for (src, dst), t in zip((("ko", "en"), ("en", "ko")), translations, strict=True)
            if t is None
        ],
        encoder=alignment.params.get("encoder"),
        scorer=alignment.scorer,
        warnings=[_named(d, w) for d in en.documents + ko.documents for w in d.warnings],
        unmatched={side: [t for t, state in gaps[side] if state != "probably"] for side in ("en", "ko")},
        probably={side: [t for t, state in gaps[side] if state == "probably"] for side in ("en", "ko")},
        number_differences=[
            {
                "en": p["en_text"],
                "ko": p["ko_text"],
                "only_en": p["numbers_only_en"],
                "only_ko": p["numbers_only_ko"],
                "conflict_en": p["numbers_conflict_en"],
                "conflict_ko": p["numbers_conflict_ko"],
            }
            for p in flagged
        ],
    )


def _counter(label: str, total: int, progress: StageProgress) -> CountProgress:
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
    cache: TranslationCache | None = None,
    embed_cache: EmbeddingCache | None = None,
    settings: DecodeSettings | None = None,
    encoder: str | None = None,
    progress: StageProgress | None = None,
    run_id: str | None = None,
    event: dict[str, Any] | None = None,
    replace: bool = False,
    one_event: bool = False,
) -> EventResult:
    """Detect, segment, embed, translate both ways (where models exist), align and write one event.

    An event stored under ``event_id`` from other articles is refused (EventConflict)
    unless ``replace``; see ``translate.dataset.check_sources``. ``one_event`` (the CLI)
    analyses the Korean side first and then drops the analyser, so that it and the
    encoder are never in memory together; a process aligning many events keeps it.
    """
    from translate.dataset import check_event_id

    t0 = time.perf_counter()
    check_event_id(event_id)
    en = segment_side(load_side(en_paths, "en", other_side=ko_paths))
    ko = segment_side(load_side(ko_paths, "ko", other_side=en_paths))
    check_overwrite(Path(out), event_id, en, ko, replace)
    if one_event and ko.sentences:
        from translate.align.korean import analyse, cache_ready
        from translate.align.lexicon import release_kiwi

        if cache_ready():
            analyse(ko.texts)  # into the analysis cache, which the aligner then reads
            release_kiwi()

    def tick(label: str, side: SideText) -> CountProgress | None:
        return _counter(label, len(side.sentences), progress) if progress else None

    emb_en = embed_side(en, encoder=encoder, cache=embed_cache, progress=tick("encoding en", en))
    emb_ko = embed_side(ko, encoder=encoder, cache=embed_cache, progress=tick("encoding ko", ko))
    ko2en = translate_side(ko, "en", cache=cache, settings=settings, progress=tick("translating ko→en", ko))
    en2ko = translate_side(en, "ko", cache=cache, settings=settings, progress=tick("translating en→ko", en))
    alignment = align_sides(
        en,
        ko,
        mode,
        en2ko=en2ko,
        ko2en=ko2en,
        emb_en=emb_en,
        emb_ko=emb_ko,
        encoder=encoder,
        embed_cache=embed_cache,
    )
    rows = build_rows(en, ko, alignment, en2ko=en2ko, ko2en=ko2en)
    write_rows(out, event_id, rows, build_provenance(alignment, (ko2en, en2ko), run_id, event), replace)
    return summarise(event_id, en, ko, alignment, rows, (ko2en, en2ko), out, t0)
