"""Loose articles into events: which English and Korean stories report the same event.

An inbox fed by scrapers or exports holds single articles, not event folders.
Each article is reduced to a *profile*: its language (the project's langid),
a document vector (sentence-encoder vectors of headline, lead and the next
sentences, the headline and lead weighted more), a publication date where the
page gives one, and the names and numbers of its headline and lead, keyed so
that both languages meet (``align.names``: romanised Korean proper nouns and
English capitalised words by consonant skeleton; ``align.numerals``: 2만8천500
and 28,500 are one value).

Two articles are scored by the cosine of their vectors, the share of their
sentences that have a close counterpart in the other (``FACT_COSINE``), the
idf-weighted overlap of their words (English stems against the Korean words'
dictionary glosses, ``align.lexicon``), and rare shared names and numbers
(weighted by how few articles of the inbox carry them, so "Seoul" and "Korea"
count for nothing); an English and a Korean article also by the project's
comparable aligner (its best sentence links) and a day of the month both name.
English and Korean articles are first paired one-to-one (an assignment that
maximises the total score above the threshold); further articles join only on
stronger evidence. Groups are merged from the best pair down, *average
linkage* (every member pair counts, so one chain of lookalikes cannot pull two
events together), never across a veto: publication dates more than
``DATE_GAP`` days apart. Weights and figures: docs/pairing.md.

Candidate pairs come from each article's ``NEIGHBOURS`` nearest vectors and
``CROSS_NEIGHBOURS`` nearest of the other language, computed a block at a time:
memory and time stay linear in the inbox size; the aligner runs only on those.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import product
from pathlib import Path

import numpy as np

from translate.documents import SUFFIXES, load_document
from translate.errors import InputError

__all__ = [
    "Article",
    "Event",
    "Skipped",
    "Vectors",
    "Weights",
    "group",
    "profile",
    "read_article",
]

LEAD_SENTENCES = 3  # sentences after the headline that count as the lead
BODY_SENTENCES = 12  # further sentences that still shape the vector
HEAD_WEIGHT, LEAD_WEIGHT, BODY_WEIGHT = 3.0, 2.0, 1.0
NEIGHBOURS = 12  # nearest articles considered per article
# Nearest other-language articles considered per article (on the dev set the true one always was).
CROSS_NEIGHBOURS = 6
ALIGN_TOP = 3  # the aligner's best sentence links whose mean is the pair's "links" evidence
DATE_GAP = 3  # days between publication dates beyond which two articles are different events
_BLOCK = 512  # rows of the similarity computed at once
# Two sentences this close say the same thing; a share of them is what one event's
# two reports have and two same-topic events' reports mostly lack (docs/pairing.md).
FACT_COSINE = 0.6


# The pair model: a logistic regression over ``FEATURES`` fitted on the real dev set with
# distractors, each event's pairs held out of the fit that judges it (benchmarks/fit_pairing.py).
MODEL_PATH = Path(__file__).with_name("pairing.json")
FEATURES = (
    "cosine",  # of the two document vectors
    "facts",  # share of sentences with a close counterpart (``FACT_COSINE``)
    "words",  # idf-weighted cosine of words (English stems, Korean words' glosses)
    "names",  # idf-weighted shared names of headline and lead (capped)
    "numbers",  # idf-weighted shared distinctive numbers (capped)
    "counted",  # shared numbers with what they count: (5, person), (4.7, percent) (capped)
    "conflicts",  # kinds of count both give with no value in common: two tolls, two rates (capped)
    "links",  # mean of the aligner's ``ALIGN_TOP`` best link probabilities (English–Korean only)
    "day",  # both name the same day of the month
    "cross",  # an English and a Korean article
    "length",  # |log| of the ratio of their lengths
    # How far the pair's cheap score (``Scorer.cheap``) leads each article's best other-language
    # candidate, the larger of the two (clipped to ±``LEAD_CLIP``): two reports of one event are
    # each other's best match far more often than their absolute score is high.
    "lead",
)
LEAD_CLIP = 0.5
CAP = 2.0  # shared names, numbers, counts and conflicts add at most this many units


@dataclass(frozen=True)
class Weights:
    """The fitted pair model and the grouping's thresholds, in its log-odds (docs/pairing.md)."""

    coef: tuple[float, ...]  # one per ``FEATURES`` entry
    bias: float
    # An English and a Korean article: paired one-to-one (the assignment) from this log-odds up.
    cross_threshold: float
    # A further article of either language joins a pair only this far above the threshold.
    extra_margin: float
    same_threshold: float  # two articles in one language

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> Weights:
        import json

        data = json.loads(path.read_text(encoding="utf-8"))
        coef = tuple(float(data["coef"][f]) for f in FEATURES)
        t = data["thresholds"]
        return cls(coef, float(data["bias"]), float(t["cross"]), float(t["extra_margin"]), float(t["same"]))

    def logit(self, x: Sequence[float]) -> float:
        return self.bias + float(np.dot(self.coef, x))


@dataclass
class Article:
    """One loose article, as pairing sees it (the vector is kept beside it, not in it)."""

    path: str  # as given (relative to the inbox when read from one)
    lang: str
    content_hash: str
    title: str
    published: str | None  # ISO date, when the page says
    names: frozenset[str]  # cross-language name keys of headline and lead
    numbers: frozenset[float]  # distinctive numbers of headline and lead
    terms: frozenset[str] = frozenset()  # English word stems; a Korean article's dictionary glosses
    days: frozenset[tuple[int, int]] = frozenset()  # (month or 0, day) the text names: "March 10", "10일"
    # Numbers of headline and lead with what they count ((5, "person"), (4.7, "percent")), small ones too:
    # "5 people died" and "5명이 숨지고" meet, and two tolls of one kind that differ are two events.
    counted: frozenset[tuple[float, str]] = frozenset()
    chars: int = 0  # length of the whole text (a Korean character counts ``KO_CHAR`` English ones)
    spelled: dict[str, str] = field(default_factory=dict)  # each name key as the article writes it

    def day(self) -> date | None:
        return date.fromisoformat(self.published) if self.published else None


@dataclass(frozen=True)
class Skipped:
    path: str
    reason: str


@dataclass
class Event:
    """A group of articles reporting one event, with the evidence that joined them."""

    event_id: str
    members: list[str]  # content hashes, first members first
    score: float | None = None  # the mean pair score of the group (None for a single article)
    shared_names: list[str] = field(default_factory=list)
    shared_numbers: list[str] = field(default_factory=list)
    explicit: bool = False  # set by the user (join/split), never undone by pairing


# ---------------------------------------------------------------- profiles

_MONTHS = {
    m: k + 1
    for k, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
            ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
            ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ]
    )
    for m in names
}  # fmt: skip
_EN_DATE = re.compile(r"\b([A-Z][a-z]{2,8})\.? (\d{1,2}),? ((?:19|20)\d\d)\b")
_ISO_DATE = re.compile(r"\b((?:19|20)\d\d)[-./] ?(\d{1,2})[-./] ?(\d{1,2})\b")
_KO_DATE = re.compile(r"((?:19|20)\d\d)년 ?(\d{1,2})월 ?(\d{1,2})일")
_DATE_LINES = 3  # a publication date is looked for in the first and last lines only
_DATE_LINE_SLACK = 30  # characters a date line may hold besides its date ("Published", a time, a byline)


def _valid(y: str, m: int, d: str) -> str | None:
    try:
        return date(int(y), m, int(d)).isoformat()
    except ValueError:
        return None


def text_date(text: str) -> str | None:
    """A page's date line among the first or last few lines: a line that is little more than
    a full date ("Published 2026-10-15", "2026년 10월 15일 오후 3:00"). A date inside a sentence
    is the story's subject (a ruling of 2008, a record of 1942), not the publication's."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    for line in lines[:_DATE_LINES] + lines[-_DATE_LINES:]:
        for pattern, parts in ((_ISO_DATE, (1, 2, 3)), (_KO_DATE, (1, 2, 3)), (_EN_DATE, (3, 1, 2))):
            m = pattern.search(line)
            if m is None or len(line) - len(m.group(0)) > _DATE_LINE_SLACK:
                continue
            y, mo, d = (m.group(k) for k in parts)
            month = int(mo) if mo.isdigit() else _MONTHS.get(mo.lower(), 0)
            if found := _valid(y, month, d):
                return found
    return None


_EN_DAY = re.compile(r"\b([A-Z][a-z]{2,8})\.? (\d{1,2})(?:st|nd|rd|th)?\b")
_KO_MONTH_DAY = re.compile(r"(\d{1,2})월 ?(\d{1,2})일")
_KO_DAY = re.compile(r"(?<![\d월])(\d{1,2})일")  # "10일"; also the day of "3월 10일", which meets any month


def day_mentions(text: str, lang: str) -> frozenset[tuple[int, int]]:
    """The days of the month a story names, as (month, day); month 0 when only the day is given.

    Korean news dates by the day alone ("10일"); two reports of one event name the same day,
    two same-topic events mostly different ones.
    """
    out: set[tuple[int, int]] = set()
    if lang == "en":
        for word, d in _EN_DAY.findall(text):
            month = _MONTHS.get(word.lower(), 0)
            if month and 1 <= int(d) <= 31:
                out.add((month, int(d)))
        return frozenset(out)
    for mo, d in _KO_MONTH_DAY.findall(text):
        if 1 <= int(mo) <= 12 and 1 <= int(d) <= 31:
            out.add((int(mo), int(d)))
    for d in _KO_DAY.findall(text):
        if 1 <= int(d) <= 31:
            out.add((0, int(d)))
    return frozenset(out)


def same_day(a: frozenset[tuple[int, int]], b: frozenset[tuple[int, int]]) -> bool:
    """A day both name (a day without its month meets any month)."""
    return any(d1 == d2 and (m1 == m2 or 0 in (m1, m2)) for m1, d1 in a for m2, d2 in b)


def html_date(data: bytes) -> str | None:
    """The publication date a saved web page declares in its markup (htmldate, trafilatura's own).

    Only what the page declares: htmldate's extensive search would take a year named in the
    story ("opened in 1998") for the publication date, and a wrong date vetoes true pairs.
    """
    from htmldate import find_date

    try:
        found = find_date(data.decode("utf-8", "replace"), extensive_search=False, original_date=True)
    except Exception:  # metadata is a bonus: a page it cannot parse has none
        return None
    return found[:10] if isinstance(found, str) and re.fullmatch(r"\d{4}-\d\d-\d\d.*", found) else None


def _korean_analysis(texts: Sequence[str]) -> list[tuple[list[str], frozenset[str]]]:
    """Per Korean text, from one Kiwi pass: its proper nouns and the English glosses of its words."""
    from translate.align.lexicon import gloss_sets, kiwi

    out = []
    for tokens in kiwi().tokenize(iter(texts)):
        glosses = gloss_sets([tokens])[0]
        out.append(([t.form for t in tokens if t.tag == "NNP"], frozenset().union(*glosses)))
    return out


def name_spellings(text: str, lang: str, nouns: Sequence[str] = ()) -> dict[str, str]:
    """Keys that meet across languages (skeletons of names and surnames, ``align.names``), each
    with the words that made it, for the evidence people read.

    Skeletons of two letters are dropped: too many unrelated names share them.
    """
    from translate.align.names import english_spellings, korean_spellings

    found = korean_spellings(nouns, text) if lang == "ko" else english_spellings(text)
    return {k: v for k, v in found.items() if len(k.lstrip("=")) >= 3}


def number_values(text: str, lang: str) -> tuple[frozenset[float], frozenset[tuple[float, str]]]:
    """Distinctive numbers of a text (not idioms, not one-digit counts), and every number with
    what it counts (its role: person, percent, won, …)."""
    from translate.align.numerals import extract

    values, counted = set(), set()
    for n in extract(text, lang):
        if n.soft or n.kind == "rel-year":
            continue
        if n.value >= 10 or n.value != int(n.value):
            values.add(round(n.value, 6))
        if n.role and n.role not in _CLOCK_ROLES:
            counted.add((round(n.value, 6), n.role))
    return frozenset(values), frozenset(counted)


# Times of day differ between two reports of one event (filed at different hours): not a count.
_CLOCK_ROLES = frozenset({"hour", "minute", "month", "day", "year"})
KO_CHAR = 2.19  # English characters per Korean character in linked sentences (benchmarks/fit_align.py)


@dataclass
class Parsed:
    """An article read from disk: its profile and the sentences its vector comes from."""

    article: Article
    sentences: list[tuple[str, float]]  # (text, weight)


def read_article(path: Path, shown: str | None = None) -> Parsed:
    """Read one file and detect its language; raises InputError (unreadable, empty, not EN/KO)."""
    from translate.langid import detect_document, language_problem
    from translate.segment import segment

    doc = load_document(path)
    guess = detect_document(doc.text)
    problem = language_problem(None, guess)
    if problem:
        raise InputError(problem)
    lang = guess.lang
    published = text_date(doc.text)
    if published is None and path.suffix.lower() in (".html", ".htm"):
        published = html_date(path.read_bytes())
    sents = [s.text for s in segment(doc.text, lang)]
    title = (doc.title or (sents[0] if sents else "")).strip()
    body = sents[1:] if sents and sents[0].strip() == title else sents
    weighted = [(title, HEAD_WEIGHT)] if title else []
    weighted += [(s, LEAD_WEIGHT) for s in body[:LEAD_SENTENCES]]
    weighted += [(s, BODY_WEIGHT) for s in body[LEAD_SENTENCES : LEAD_SENTENCES + BODY_SENTENCES]]
    head = "\n".join(t for t, _ in weighted)
    numbers, counted = number_values(head, lang)
    article = Article(
        path=shown or str(path),
        lang=lang,
        content_hash=doc.content_hash,
        title=title[:200],
        published=published,
        names=frozenset(),  # filled by ``profile``, which tags the Korean heads in one Kiwi pass
        numbers=numbers,
        days=day_mentions(head, lang),
        counted=counted,
        chars=round(len(doc.text) * (KO_CHAR if lang == "ko" else 1.0)),
    )
    return Parsed(article, weighted)


@dataclass
class Vectors:
    """Per article: its document vector (a row) and its sentences' vectors (float16 to save memory)."""

    docs: np.ndarray
    sentences: list[np.ndarray]
    # The sentences' texts and the encoder: the aligner scores a candidate pair's sentences.
    texts: list[list[str]] = field(default_factory=list)
    encode: Callable[[list[str]], np.ndarray] | None = None


def profile(parsed: Sequence[Parsed], encode: Callable[[list[str]], np.ndarray]) -> Vectors:
    """Fill in each article's names and return its document and sentence vectors.

    ``encode`` maps texts to L2-normalised rows (``translate.embed.embed`` with a cache).
    """
    heads = ["\n".join(t for t, _ in p.sentences) for p in parsed]
    ko = [k for k, p in enumerate(parsed) if p.article.lang == "ko"]
    from translate.align.lexicon import english_stems

    analysed = dict(zip(ko, _korean_analysis([heads[k] for k in ko]), strict=True)) if ko else {}
    for k, p in enumerate(parsed):
        nouns, glosses = analysed.get(k, ([], frozenset()))
        p.article.spelled = name_spellings(heads[k], p.article.lang, nouns)
        p.article.names = frozenset(p.article.spelled)
        p.article.terms = glosses if p.article.lang == "ko" else frozenset(english_stems(heads[k]))
    texts = [t for p in parsed for t, _ in p.sentences]
    vecs = encode(texts) if texts else np.zeros((0, 1), np.float32)
    dim = vecs.shape[1] if len(vecs) else 1
    out = np.zeros((len(parsed), dim), np.float32)
    sentences = []
    row = 0
    for k, p in enumerate(parsed):
        w = np.asarray([w for _, w in p.sentences], np.float32)
        rows = vecs[row : row + len(w)]
        if len(w):
            out[k] = w @ rows / w.sum()
        sentences.append(rows.astype(np.float16))
        row += len(w)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    texts_of = [[t for t, _ in p.sentences] for p in parsed]
    return Vectors(out / np.maximum(norms, 1e-12), sentences, texts_of, encode)


# ---------------------------------------------------------------- scoring


@dataclass(frozen=True)
class PairEvidence:
    score: float  # the model's log-odds that the two report one event
    cosine: float
    facts: float
    names: tuple[str, ...]
    numbers: tuple[float, ...]
    veto: str | None
    links: float = 0.0  # the aligner's best link probabilities (an English and a Korean article only)
    same_day: bool = False
    features: tuple[float, ...] = ()  # the model's input, in ``FEATURES`` order


class Scorer:
    """Pair scores over one inbox: the idf of names and numbers is the inbox's own."""

    def __init__(self, articles: Sequence[Article], vectors: Vectors, weights: Weights) -> None:
        self.articles, self.vectors, self.w = articles, vectors.docs, weights
        self.sentences, self.texts, self.encode = vectors.sentences, vectors.texts, vectors.encode
        n = max(len(articles), 1)
        name_df = Counter(k for a in articles for k in a.names)
        num_df = Counter(v for a in articles for v in a.numbers)
        count_df = Counter(c for a in articles for c in a.counted)
        # idf scaled to 0..1: a key every article has is worth nothing, a key of two articles the most.
        top = np.log(n / 2) if n > 2 else 1.0
        self.name_idf = {k: max(0.0, float(np.log(n / c)) / top) for k, c in name_df.items()}
        self.num_idf = {k: max(0.0, float(np.log(n / c)) / top) for k, c in num_df.items()}
        self.count_idf = {k: max(0.0, float(np.log(n / c)) / top) for k, c in count_df.items()}
        term_df = Counter(t for a in articles for t in a.terms)
        self.term_w = {t: float(np.log(n / c)) ** 2 for t, c in term_df.items()}
        self.term_norm = [float(np.sqrt(sum(self.term_w[t] for t in a.terms))) for a in articles]
        self.link_at = FEATURES.index("links")
        self._cheap: dict[tuple[int, int], tuple[float, ...]] = {}
        # Per article, its two best other-language candidates by cheap score: (score, partner).
        self.best: dict[int, list[tuple[float, int]]] = {}

    def rank(self, candidates: Iterable[tuple[int, int]]) -> None:
        """Note each article's two best other-language candidates (linear: candidates only)."""
        for i, j in candidates:
            if self.articles[i].lang == self.articles[j].lang:
                continue
            s = self.cheap(i, j)[0]
            for a, b in ((i, j), (j, i)):
                top = self.best.setdefault(a, [])
                top.append((s, b))
                top.sort(reverse=True)
                del top[2:]

    def lead(self, i: int, j: int, s: float) -> float:
        """The larger of the two ends' leads: an event with two reports in one language leaves
        each of them behind the other at the far end, so the smaller lead would keep them apart."""
        out = -LEAD_CLIP
        for a, b in ((i, j), (j, i)):
            other = next((t for t, k in self.best.get(a, []) if k != b), None)
            out = max(out, s - other if other is not None else LEAD_CLIP)
        return min(LEAD_CLIP, out)

    def cheap(self, i: int, j: int) -> tuple[float, ...]:
        """The pair's inexpensive evidence: (hand score, cosine, facts, words, names, numbers).

        The hand score (cosine + facts/2 + words + names/20 + numbers/10, the first design's
        weights) only ranks an article's candidates for ``lead``; the model weighs the parts.
        """
        key = (min(i, j), max(i, j))
        if key not in self._cheap:
            a, b = self.articles[i], self.articles[j]
            cos = float(self.vectors[i] @ self.vectors[j])
            facts = self.facts(i, j)
            name_w = min(CAP, sum(self.name_idf.get(k, 0.0) for k in a.names & b.names))
            num_w = min(CAP, sum(self.num_idf.get(v, 0.0) for v in a.numbers & b.numbers))
            shared = a.terms & b.terms
            lex = sum(self.term_w[t] for t in shared) / (self.term_norm[i] * self.term_norm[j] + 1e-9)
            hand = cos + 0.5 * facts + lex + 0.05 * name_w + 0.1 * num_w
            self._cheap[key] = (hand, cos, facts, lex, name_w, num_w)
        return self._cheap[key]

    def veto(self, a: Article, b: Article) -> str | None:
        da, db = a.day(), b.day()
        if da and db and abs((da - db).days) > DATE_GAP:
            return f"published {abs((da - db).days)} days apart"
        return None

    def pair(self, i: int, j: int, always_link: bool = False) -> PairEvidence:
        """The evidence and score of one pair. The aligner (the costly part) runs only when the
        pair could reach the cross-language threshold with it, or with ``always_link`` (fitting)."""
        a, b = self.articles[i], self.articles[j]
        hand, cos, facts, lex, name_w, num_w = self.cheap(i, j)
        names = tuple(sorted(a.names & b.names))
        numbers = tuple(sorted(a.numbers & b.numbers))
        count_w = min(CAP, sum(self.count_idf.get(c, 0.0) for c in a.counted & b.counted))
        cross = a.lang != b.lang
        length = abs(float(np.log(max(a.chars, 1) / max(b.chars, 1))))
        x = [
            cos, facts, lex, name_w, num_w, count_w, min(CAP, conflicts(a.counted, b.counted)),
            0.0, float(same_day(a.days, b.days)), float(cross), length,
            self.lead(i, j, hand) if cross else 0.0,
        ]  # fmt: skip
        links = 0.0
        if cross:
            best = self.w.logit(x) + max(0.0, self.w.coef[self.link_at])
            if always_link or best >= self.w.cross_threshold:
                links = self.links(i, j)
                x[self.link_at] = links
        score = self.w.logit(x)
        rounded = (round(score, 4), round(cos, 4), round(facts, 4))
        return PairEvidence(*rounded, names, numbers, self.veto(a, b), round(links, 4), bool(x[8]), tuple(x))

    def facts(self, i: int, j: int) -> float:
        """Share of each article's sentences with a close counterpart in the other, averaged.

        Only for a candidate pair, and at most a few dozen sentences each: a small block.
        """
        a, b = self.sentences[i], self.sentences[j]
        if not len(a) or not len(b):
            return 0.0
        sims = a.astype(np.float32) @ b.astype(np.float32).T
        close = sims > FACT_COSINE
        return float((close.any(axis=1).mean() + close.any(axis=0).mean()) / 2)

    def links(self, i: int, j: int) -> float:
        """The mean of the ``ALIGN_TOP`` best link probabilities of the project's comparable aligner.

        Two reports of one event state a few facts in near-translation (the aligner's links are
        confident), same-topic reports of two events mostly paraphrase the topic. The aligner sees
        only the headline, lead and next sentences the vectors were made from: a small block.
        """
        from translate.align import align

        if not self.texts or self.encode is None:
            return 0.0
        en, ko = (i, j) if self.articles[i].lang == "en" else (j, i)
        if not self.texts[en] or not self.texts[ko]:
            return 0.0
        emb = (self.sentences[en].astype(np.float32), self.sentences[ko].astype(np.float32))
        found = align(self.texts[en], self.texts[ko], embeddings=emb, encode=self.encode)
        if found.candidates is None or not len(found.candidates[2]):
            return 0.0
        best = np.sort(found.candidates[2])[::-1][:ALIGN_TOP]
        return float(best.mean())

    def threshold(self, i: int, j: int) -> float:
        same = self.articles[i].lang == self.articles[j].lang
        return self.w.same_threshold if same else self.w.cross_threshold


def conflicts(a: frozenset[tuple[float, str]], b: frozenset[tuple[float, str]]) -> float:
    """Kinds of count both articles give with no value in common ("5 dead" against "12 dead").

    One report gives a toll as it stood in the morning, another a later one: a soft signal,
    weighed by the fitted model, never a veto.
    """
    roles_a: dict[str, set[float]] = {}
    roles_b: dict[str, set[float]] = {}
    for v, r in a:
        roles_a.setdefault(r, set()).add(v)
    for v, r in b:
        roles_b.setdefault(r, set()).add(v)
    return float(sum(1 for r in roles_a.keys() & roles_b.keys() if not roles_a[r] & roles_b[r]))


def neighbours(
    vectors: np.ndarray, k: int = NEIGHBOURS, langs: Sequence[str] | None = None
) -> list[tuple[int, int]]:
    """Each article's ``k`` nearest others (i < j, deduplicated), a block of rows at a time.

    With ``langs``, only articles of another language count as neighbours.
    """
    n = len(vectors)
    found: set[tuple[int, int]] = set()
    k = min(k, n - 1)
    if k <= 0:
        return []
    lang_of = np.asarray(langs) if langs is not None else None
    for lo in range(0, n, _BLOCK):
        sims = vectors[lo : lo + _BLOCK] @ vectors.T
        for r in range(sims.shape[0]):
            sims[r, lo + r] = -np.inf
            if lang_of is not None:
                sims[r, lang_of == lang_of[lo + r]] = -np.inf
        idx = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        for r, row in enumerate(idx):
            for j in row:
                i = lo + r
                if np.isfinite(sims[r, j]):
                    found.add((min(i, int(j)), max(i, int(j))))
    return sorted(found)


def assign(pairs: Sequence[tuple[int, int, float]], threshold: float) -> set[tuple[int, int]]:
    """The one-to-one choice of (en, ko) pairs that maximises the sum of ``score - threshold``.

    Each story usually has one counterpart: a one-to-one choice over the whole inbox lets a
    strong pair take its articles away from their lookalikes, which a per-article best cannot.
    Sparse (only the candidate pairs): each English article also gets a private "no partner"
    column, so a full matching of the English side always exists and a pair below the
    threshold is never worth taking.
    """
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    kept = [(e, k, s - threshold) for e, k, s in pairs if s > threshold]
    if not kept:
        return set()
    ens = sorted({e for e, _, _ in kept})
    kos = sorted({k for _, k, _ in kept})
    row = {e: r for r, e in enumerate(ens)}
    col = {k: c for c, k in enumerate(kos)}
    big = 1.0 + max(gain for _, _, gain in kept)  # costs stay positive: a zero would be no edge
    rows = [row[e] for e, _, _ in kept] + list(range(len(ens)))
    cols = [col[k] for _, k, _ in kept] + [len(kos) + r for r in range(len(ens))]
    costs = [big - gain for _, _, gain in kept] + [big] * len(ens)
    graph = csr_matrix((costs, (rows, cols)), shape=(len(ens), len(kos) + len(ens)))
    _, match = min_weight_full_bipartite_matching(graph)
    return {(ens[r], kos[c]) for r, c in enumerate(match) if c < len(kos)}


# ---------------------------------------------------------------- grouping


def event_id_for(articles: Sequence[Article], taken: set[str]) -> str:
    """A readable id from the first members: date, English headline words, a short content hash.

    Derived once, when the event is made; it is then stored, so later members never rename it.
    """
    from translate.pipeline import slug

    first = next((a for a in articles if a.lang == "en"), articles[0])
    words = re.findall(r"[^\W_]+", first.title.lower())[:6]
    stem = slug("-".join(words))[:48].rstrip("-._") or "event"
    day = next((a.published for a in articles if a.published), None)
    digest = hashlib.sha256("".join(sorted(a.content_hash for a in articles)).encode()).hexdigest()
    base = f"{day}-{stem}" if day else stem
    for cut in range(6, 65, 2):
        candidate = f"{base}-{digest[:cut]}"
        if candidate not in taken:
            return candidate
    raise AssertionError("a sha256 collision in 64 hex digits")  # pragma: no cover


def group(
    articles: Sequence[Article],
    vectors: Vectors,
    known: Iterable[Event] = (),
    weights: Weights | None = None,
    *,
    scorer: Scorer | None = None,
    candidates: Sequence[tuple[int, int]] | None = None,
) -> list[Event]:
    """Group articles into events; ``known`` events keep their id and members.

    Articles already in a known event stay there; a new article joins a known event
    or other new articles when the evidence says so; two known events never merge
    (only the user joins events). Returns every event, known ones first.
    ``scorer`` and ``candidates`` replace the inbox's own (the fit replays stored pair evidence).
    """
    w = weights or Weights.load()
    scorer = scorer or Scorer(articles, vectors, w)
    w = scorer.w
    index = {a.content_hash: k for k, a in enumerate(articles)}
    groups: dict[int, list[int]] = {}  # root article index → member indices
    owner: dict[int, int] = {}  # article index → root
    fixed: dict[int, Event] = {}  # root → the known event it continues
    for ev in known:
        members = [index[h] for h in ev.members if h in index]
        if not members:
            continue
        root = members[0]
        groups[root] = members
        fixed[root] = ev
        for m in members:
            owner[m] = root
    for k in range(len(articles)):
        if k not in owner:
            groups[k], owner[k] = [k], k
    cache: dict[tuple[int, int], PairEvidence] = {}

    def evidence(i: int, j: int) -> PairEvidence:
        key = (min(i, j), max(i, j))
        if key not in cache:
            cache[key] = scorer.pair(*key)
        return cache[key]

    langs = [a.lang for a in articles]
    if candidates is None:
        nearest = set(neighbours(vectors.docs)) | set(neighbours(vectors.docs, CROSS_NEIGHBOURS, langs))
        candidates = sorted(nearest)
    scorer.rank(candidates)
    # One partner per article first (the assignment), among pairs not already together and not
    # both in stored events; further articles join only on clearly stronger evidence.
    cross: list[tuple[int, int, float]] = []
    edges = []
    for i, j in candidates:
        e = evidence(i, j)
        if e.veto is not None:
            continue
        if langs[i] == langs[j]:
            if e.score >= w.same_threshold:
                edges.append((e.score, i, j))
            continue
        if e.score >= w.cross_threshold + w.extra_margin:
            edges.append((e.score, i, j))
        elif owner[i] != owner[j] and not (owner[i] in fixed and owner[j] in fixed):
            en, ko = (i, j) if langs[i] == "en" else (j, i)
            cross.append((en, ko, e.score))
    for en, ko in assign(cross, w.cross_threshold):
        edges.append((evidence(en, ko).score, min(en, ko), max(en, ko)))
    edges.sort(key=lambda t: (-t[0], t[1], t[2]))
    for _, i, j in edges:
        ri, rj = owner[i], owner[j]
        if ri == rj or (ri in fixed and rj in fixed):
            continue
        a, b = groups[ri], groups[rj]
        if len(a) * len(b) > 400:  # a pathological inbox: no quadratic work on giant groups
            continue
        pairs = [evidence(x, y) for x, y in product(a, b)]
        if any(p.veto for p in pairs):
            continue
        margins = [p.score - scorer.threshold(x, y) for p, (x, y) in zip(pairs, product(a, b), strict=True)]
        if float(np.mean(margins)) < 0:  # average linkage, each pair against its own bar
            continue
        if ri in fixed or (rj not in fixed and ri < rj):
            keep, gone = ri, rj
        else:
            keep, gone = rj, ri
        groups[keep] = groups[keep] + groups.pop(gone)
        for m in groups[keep]:
            owner[m] = keep
        if gone in fixed:
            fixed[keep] = fixed.pop(gone)
    taken = {e.event_id for e in fixed.values()}
    out: list[Event] = []
    for root in sorted(groups, key=lambda r: (r not in fixed, r)):
        members = groups[root]
        pair_ev = [evidence(x, y) for n, x in enumerate(members) for y in members[n + 1 :]]
        names = _spelled({k for p in pair_ev for k in p.names}, [articles[m] for m in members])
        numbers = sorted({v for p in pair_ev for v in p.numbers})
        score = round(float(np.mean([p.score for p in pair_ev])), 4) if pair_ev else None
        if root in fixed:
            old = fixed[root]
            event_id, explicit = old.event_id, old.explicit
            hashes = list(old.members) + [
                articles[m].content_hash for m in members if articles[m].content_hash not in old.members
            ]
        else:
            event_id = event_id_for([articles[m] for m in members], taken)
            explicit = False
            hashes = [articles[m].content_hash for m in members]
        taken.add(event_id)
        out.append(Event(event_id, hashes, score, names[:20], [_num(v) for v in numbers][:20], explicit))
    return out


def _spelled(keys: set[str], members: Sequence[Article]) -> list[str]:
    """Shared name keys as the articles write them, English spellings first ("Park", not "=park")."""
    order = sorted(members, key=lambda a: a.lang != "en")
    out: dict[str, None] = {}
    for key in sorted(keys):
        word = next((a.spelled[key] for a in order if key in a.spelled), None)
        if word is not None:
            out.setdefault(word, None)
    return sorted(out, key=str.lower)


def _num(v: float) -> str:
    if v != int(v):
        return f"{v:g}"
    return f"{int(v)}" if 1800 <= v <= 2100 else f"{int(v):,}"  # a year reads 1998, not 1,998


def is_article(path: Path) -> bool:
    return path.suffix.lower() in SUFFIXES
