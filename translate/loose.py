"""An inbox of loose articles: find them, read them, pair them into events, remember the pairing.

Layout rules (explicit pairing always wins over detection):

- a folder holding ``event.json``, or both ``en/`` and ``ko/``, is an event folder
  and is aligned as it is (``pipeline.resolve_event``); nothing under it is loose;
- every other ``.txt``, ``.md``, ``.html`` file anywhere under the inbox is a
  loose article: its language is detected and ``pairing.group`` decides its event;
- anything else is listed as skipped with its reason, never guessed at.

The pairing is stored in ``<dataset>/.loose-events.json`` (content hash → event),
so an event keeps its id when more articles about it arrive, and a user's
``regroup --join``/``--split`` stays as the user left it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from filelock import FileLock

from translate.dataset import PAIRING_STATE
from translate.errors import InputError
from translate.pairing import (
    Article,
    Event,
    Parsed,
    Skipped,
    Weights,
    group,
    is_article,
    profile,
    read_article,
)

STATE = PAIRING_STATE
_STATE_VERSION = 1


@dataclass
class Inbox:
    """What an inbox holds: event folders, loose article files and files set aside."""

    folders: list[Path] = field(default_factory=list)
    loose: list[Path] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def is_event_folder(path: Path) -> bool:
    """A folder that says it is one event: ``event.json``, or an ``en/`` or ``ko/`` side.

    One side alone still counts: the folder is then refused by name, not scattered into loose articles.
    """
    return (path / "event.json").exists() or (path / "en").is_dir() or (path / "ko").is_dir()


def scan(root: Path) -> Inbox:
    """Walk the inbox once (links not followed, hidden entries ignored)."""
    if not root.is_dir():
        raise InputError(f"{root} is not a folder")
    found = Inbox()
    if is_event_folder(root):
        found.folders.append(root)
        return found

    def walk_error(exc: OSError) -> None:
        found.skipped.append(Skipped(str(exc.filename or root), f"cannot be read ({exc.strerror})"))

    for folder, dirs, files in os.walk(root, onerror=walk_error):
        here = Path(folder)
        keep = []
        for name in sorted(dirs):
            sub = here / name
            if name.startswith("."):
                continue
            if is_event_folder(sub) or (sub.is_symlink() and not sub.exists()):
                found.folders.append(sub)  # a dangling or looping link is refused by name, as a folder
            elif sub.is_symlink():
                found.skipped.append(Skipped(str(sub), "a link to a folder (not followed)"))
            else:
                keep.append(name)
        dirs[:] = keep
        for name in sorted(files):
            path = here / name
            if name.startswith("."):
                continue
            if path.is_symlink() and not path.exists() and here == root:
                found.folders.append(path)  # a link to nowhere where event folders live
            elif is_article(path):
                found.loose.append(path)
            else:
                found.skipped.append(Skipped(str(path), "not an article file (.txt, .md, .html)"))
    return found


# ---------------------------------------------------------------- state


def state_path(out: Path) -> Path:
    return Path(out) / STATE


def read_state(out: Path) -> dict[str, Event]:
    """Stored events by id; an unreadable record is reported, not silently dropped."""
    path = state_path(out)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise InputError(
            f"{path}: cannot read the stored pairing ({exc}); move it aside to pair afresh"
        ) from exc
    events = raw.get("events", {}) if isinstance(raw, dict) else {}
    out_events = {}
    for event_id, e in events.items():
        out_events[event_id] = Event(
            event_id=event_id,
            members=list(e.get("members", [])),
            score=e.get("score"),
            shared_names=list(e.get("shared_names", [])),
            shared_numbers=list(e.get("shared_numbers", [])),
            explicit=bool(e.get("explicit", False)),
        )
    return out_events


def paired_from(out: Path, hashes: set[str]) -> list[str]:
    """Events ``align-folder`` made from exactly these articles (by content hash); one small file."""
    try:
        events = read_state(out)
    except InputError:  # a damaged state is reported by align-folder, not by this courtesy check
        return []
    return sorted(e.event_id for e in events.values() if hashes and set(e.members) == hashes)


def write_state(out: Path, events: dict[str, Event], articles: dict[str, dict[str, Any]]) -> None:
    """Atomic replace, one writer at a time; articles (hash → path, lang, title) are merged in."""
    root = Path(out)
    (root / ".locks").mkdir(parents=True, exist_ok=True)
    with FileLock(str(root / ".locks" / "loose-events.lock"), timeout=60):
        path = state_path(root)
        try:
            old = json.loads(path.read_text(encoding="utf-8")).get("articles", {})
        except (OSError, ValueError, AttributeError):
            old = {}
        body = {
            "version": _STATE_VERSION,
            "events": {
                k: {f: v for f, v in asdict(e).items() if f != "event_id"} for k, e in sorted(events.items())
            },
            "articles": {**old, **articles},
        }
        tmp = path.with_name(f"{path.name}.tmp")
        tmp.write_text(json.dumps(body, indent=1, ensure_ascii=False, sort_keys=True), encoding="utf-8")
        os.replace(tmp, path)


def _stored(event: Event) -> dict[str, Any]:
    return {f: v for f, v in asdict(event).items() if f != "event_id"}


def read_articles_index(out: Path) -> dict[str, dict[str, Any]]:
    try:
        raw = json.loads(state_path(out).read_text(encoding="utf-8"))
        return dict(raw.get("articles", {}))
    except (OSError, ValueError, AttributeError):
        return {}


# ---------------------------------------------------------------- pairing an inbox


@dataclass
class Pairing:
    """The outcome of pairing an inbox's loose articles."""

    events: list[Event]  # every event with at least one article present now
    articles: dict[str, Article]  # content hash → article
    paths: dict[str, Path]  # content hash → file
    skipped: list[Skipped]

    def sides(self, event: Event) -> tuple[list[Path], list[Path]]:
        present = [h for h in event.members if h in self.articles]
        en = [self.paths[h] for h in present if self.articles[h].lang == "en"]
        ko = [self.paths[h] for h in present if self.articles[h].lang == "ko"]
        return en, ko

    def evidence(self, event: Event) -> dict[str, Any]:
        """What the dataset and the artifact record about how the event was put together."""
        return {
            "paired": "user" if event.explicit else "detected",
            "score": event.score,
            "shared_names": event.shared_names,
            "shared_numbers": event.shared_numbers,
            "articles": [
                {"path": str(self.paths[h]), "lang": self.articles[h].lang, "title": self.articles[h].title}
                for h in event.members
                if h in self.articles
            ],
        }


def default_encode(texts: list[str]) -> np.ndarray:
    from translate.cache import EmbeddingCache
    from translate.config import DEFAULT_ENCODER, embed_cache_path, encoder_name
    from translate.embed import embed

    # Pairing needs document vectors even when alignment runs without an encoder (``none``).
    name = encoder_name()
    with EmbeddingCache(embed_cache_path()) as cache:
        return embed(texts, name if name != "none" else DEFAULT_ENCODER, cache=cache)[0]


def read_all(
    root: Path, files: list[Path], tick: Callable[[str], None] | None = None
) -> tuple[list[Parsed], list[Skipped]]:
    """Read and detect each file; one that fails is skipped with its reason, the rest go on.

    Two copies of one article (same bytes) are one article: the second is reported.
    """
    parsed: list[Parsed] = []
    skipped: list[Skipped] = []
    seen: dict[str, str] = {}
    for path in files:
        shown = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
        try:
            p = read_article(path, shown)
        except (InputError, OSError) as exc:
            skipped.append(Skipped(shown, _one_line(exc)))
        else:
            h = p.article.content_hash
            if h in seen:
                skipped.append(Skipped(shown, f"the same bytes as {seen[h]}"))
            else:
                seen[h] = shown
                parsed.append(p)
        if tick:
            tick(shown)
    return parsed, skipped


def _one_line(exc: Exception) -> str:
    text = str(exc).strip()
    return (text.splitlines()[0] if text else type(exc).__name__)[:300]


def pair_inbox(
    root: Path,
    out: Path,
    *,
    encode: Callable[[list[str]], np.ndarray] | None = None,
    weights: Weights | None = None,
    save: bool = True,
    tick: Callable[[str], None] | None = None,
) -> Pairing:
    """Pair the loose articles of ``root``, continuing the events stored in ``out``."""
    reading = read_inbox(root, tick)
    paired = pair_parsed(Path(root), out, reading.parsed, encode=encode, weights=weights, save=save)
    paired.skipped = reading.skipped + paired.skipped
    return paired


def pair_parsed(
    root: Path,
    out: Path,
    parsed: list[Parsed],
    *,
    encode: Callable[[list[str]], np.ndarray] | None = None,
    weights: Weights | None = None,
    save: bool = True,
) -> Pairing:
    """Group articles already read, continuing (and, with ``save``, updating) the stored events."""
    vectors = profile(parsed, encode or default_encode)
    articles = [p.article for p in parsed]
    known = read_state(out)
    events = group(articles, vectors, known.values(), weights)
    by_hash = {a.content_hash: a for a in articles}
    paths = {}
    for p in parsed:
        path = Path(p.article.path)
        paths[p.article.content_hash] = path if path.is_absolute() else root / path
    if save:
        kept = {e.event_id: e for e in events}
        for event_id, e in known.items():  # events whose articles are not in this inbox stay on record
            kept.setdefault(event_id, e)
        index = {a.content_hash: {"path": a.path, "lang": a.lang, "title": a.title} for a in articles}
        write_state(out, kept, index)
    present = [e for e in events if any(h in by_hash for h in e.members)]
    return Pairing(present, by_hash, paths, [])


# ---------------------------------------------------------------- user edits


def join(out: Path, event_ids: list[str]) -> Event:
    """Merge events into the first one named; the result is the user's and pairing keeps it."""
    events = read_state(out)
    missing = [e for e in event_ids if e not in events]
    if missing:
        raise InputError(f"no stored event {', '.join(map(repr, missing))} (see `align-folder --list`)")
    if len(set(event_ids)) < 2:
        raise InputError("name at least two different events to join")
    first = events[event_ids[0]]
    for other in dict.fromkeys(event_ids[1:]):
        if other == first.event_id:
            continue
        first.members += [h for h in events.pop(other).members if h not in first.members]
    first.explicit = True
    write_state(out, events, {})
    return first


def split(out: Path, event_id: str, hashes_or_paths: list[str]) -> Event:
    """Move the named articles (by path as listed, or content hash) out of an event into a new one."""
    events = read_state(out)
    if event_id not in events:
        raise InputError(f"no stored event {event_id!r}")
    index = read_articles_index(out)
    source = events[event_id]
    by_path = {index.get(h, {}).get("path"): h for h in source.members}
    chosen = []
    for item in hashes_or_paths:
        h = item if item in source.members else by_path.get(item)
        if h is None:  # as `align-folder --list` shows it: the inbox's path in front of the stored one
            h = next((v for k, v in by_path.items() if k and Path(item).as_posix().endswith("/" + k)), None)
        if h is None:
            raise InputError(f"{item!r} is not an article of {event_id!r}")
        chosen.append(h)
    rest = [h for h in source.members if h not in chosen]
    if not rest:
        raise InputError(f"that would move every article of {event_id!r}: nothing to split")
    taken = set(events)
    first = index.get(chosen[0], {})
    stub = Article(
        path=str(first.get("path", "")),
        lang=str(first.get("lang", "en")),
        content_hash=chosen[0],
        title=str(first.get("title", "")),
        published=None,
        names=frozenset(),
        numbers=frozenset(),
    )
    from translate.pairing import event_id_for

    new_id = event_id_for([stub], taken)
    source.members, source.explicit = rest, True
    events[new_id] = Event(new_id, chosen, explicit=True)
    write_state(out, events, {})
    return events[new_id]


# ---------------------------------------------------------------- what to align


@dataclass
class Job:
    """One event to align: explicit (an event folder) or paired from loose articles."""

    event_id: str
    en: list[str]
    ko: list[str]
    mode: str
    meta: dict[str, Any]  # event.json's, or the title and the pairing's evidence
    source: str  # the event folder's name, or "loose"
    folder: str | None = None  # the event folder, for the flow's change detection


@dataclass
class Plan:
    """Everything an inbox holds, sorted: events to align, articles waiting, things refused."""

    jobs: list[Job] = field(default_factory=list)
    waiting: list[tuple[str, str]] = field(default_factory=list)  # event id, why it is not aligned yet
    refused: dict[str, str] = field(default_factory=dict)  # event folder name → why
    skipped: list[Skipped] = field(default_factory=list)  # files that are not EN/KO articles


@dataclass
class Reading:
    """An inbox walked and its loose articles read, languages detected (the flow's first step)."""

    root: Path
    folders: list[Path]
    parsed: list[Parsed]
    skipped: list[Skipped]


def read_inbox(root: Path, tick: Callable[[str], None] | None = None) -> Reading:
    root = Path(root)
    inbox = scan(root)
    parsed, unread = read_all(root, inbox.loose, tick)
    return Reading(root, inbox.folders, parsed, [_relative(root, s) for s in inbox.skipped] + unread)


def plan(
    root: Path,
    out: Path,
    default_mode: str = "comparable",
    *,
    encode: Callable[[list[str]], np.ndarray] | None = None,
    tick: Callable[[str], None] | None = None,
) -> Plan:
    """``read_inbox`` then ``plan_from``: what ``align-folder`` aligns."""
    return plan_from(read_inbox(root, tick), out, default_mode, encode=encode)


def plan_from(
    reading: Reading,
    out: Path,
    default_mode: str = "comparable",
    *,
    encode: Callable[[list[str]], np.ndarray] | None = None,
) -> Plan:
    """Event folders as they are (their event.json wins), loose articles paired into events.

    A paired event with articles in one language only waits for its counterpart: it
    is listed, not aligned and not a failure.
    """
    from translate.pipeline import resolve_event

    root = reading.root
    result = Plan(skipped=list(reading.skipped))
    owner: dict[str, str] = {}
    for folder in reading.folders:
        name = str(folder.relative_to(root)) if folder != root else folder.name
        try:
            inputs = resolve_event(folder, default_mode=default_mode)
            if inputs.event_id in owner:
                first = owner[inputs.event_id]
                raise InputError(f"its event id {inputs.event_id!r} is also that of {first}/")
        except Exception as exc:  # whatever breaks reading one folder refuses that folder alone
            result.refused[name] = _one_line(exc)
            continue
        owner[inputs.event_id] = name
        en_files, ko_files = [str(p) for p in inputs.en], [str(p) for p in inputs.ko]
        result.jobs.append(
            Job(inputs.event_id, en_files, ko_files, inputs.mode, inputs.meta, name, str(folder))
        )
    if reading.parsed:
        paired = pair_parsed(root, out, reading.parsed, encode=encode)
        for event in paired.events:
            en, ko = paired.sides(event)
            if not en or not ko:
                have = "English" if en else "Korean"
                result.waiting.append((event.event_id, f"only {have} articles so far ({len(en) + len(ko)})"))
                continue
            if event.event_id in owner:
                result.refused[event.event_id] = f"its id is also that of {owner[event.event_id]}/"
                continue
            title = paired.articles[next(h for h in event.members if h in paired.articles)].title
            meta = {"title": title, "pairing": paired.evidence(event)}
            result.jobs.append(
                Job(event.event_id, [str(p) for p in en], [str(p) for p in ko], default_mode, meta, "loose")
            )
    return result


def _relative(root: Path, s: Skipped) -> Skipped:
    path = Path(s.path)
    return Skipped(str(path.relative_to(root)), s.reason) if path.is_relative_to(root) else s
