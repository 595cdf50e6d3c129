"""Sentence segmentation for English and Korean news text, with source offsets.

Rule-based and regex-driven, because it has to be fast (10,000 sentences in
well under a second) and exact about offsets. pysbd was measured first (about
640 sentences/s); kiwipiepy and kss were measured against these rules on the
gold set and the reported failure cases (docs/segmentation.md): neither is more
accurate on news text, and both are slower by orders of magnitude.

Lines. A hard line break (``\\n``, ``\\r``, U+2029) ends a line; a manual
line break (``\\v``, U+2028) does not. A line joins the one before it when
that line does not end a sentence and there is evidence of a wrap: the next
line starts lowercase, the line ends in a word that cannot end a sentence
(``the``, ``of``; Korean particles and connective endings such as 을, 는, 며,
다고), or the paragraph is fixed-width wrapped (three or more lines, the others
about as wide as the widest). A blank line or a bullet always ends a sentence.

Units. A news dateline (``SEOUL (Yonhap) --``, ``(서울=연합뉴스)``) and a
byline (``홍길동 기자 =``, ``By Hannah Cho``) are units of their own, with
``kind`` "dateline" or "byline": :func:`segment` leaves them out,
:func:`segment_units` keeps them. An inline bullet (``▶``) starts a new unit.

Boundaries, within a unit:

* a run of ``.!?…`` plus closing quotes/brackets, followed by whitespace;
* a period, ``?`` or ``!`` glued to the next sentence (``늘렸다.이에``,
  ``fast.Total``), but not inside a URL, domain, decimal, version, initialism
  or abbreviation;
* English: not after a known abbreviation (Mr., Gen., Jan. + number, No. +
  number), a single initial, or when the next word starts lowercase; after an
  initialism (U.S.) or ``et al.``/``etc.`` only when a typical sentence opener
  follows;
* Korean: not inside an open quotation, not before a particle that binds a
  quote to its verb (…했다"고 밝혔다), and an ellipsis only after a final
  ending (…했다… but not 망설이더니…); periods after Latin letters follow the
  English rules;
* a list marker (``1.``, ``a)``) belongs to the item it opens.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "CONTENT",
    "MAX_SENTENCE_CHARS",
    "Sentence",
    "furniture_kind",
    "segment",
    "segment_units",
    "split_long",
]

CONTENT = "sentence"  # the kind of every unit that is article text


@dataclass(frozen=True)
class Sentence:
    """A unit and its [start, end) character span in the source text.

    ``kind`` is ``"sentence"`` for article text, ``"dateline"`` or ``"byline"``
    for the agency and author lines that precede a lede, ``"caption"`` for a
    photo or video caption or credit, ``"furniture"`` for time stamps, share
    and subscribe lines, reporter e-mail lines and copyright lines.
    """

    text: str
    start: int
    end: int
    kind: str = CONTENT


_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof gen lt col maj sgt capt cmdr adm brig cpl pvt gov sen rep rev hon pres
    supt insp st jr sr no nos vol vols fig figs vs cf viz approx dept est p pp para art sec ch
    ft mt ave blvd rd univ assn jan feb mar apr jun jul aug sep sept oct nov dec""".split()
)
# Before a number these never end a sentence (Jan. 31, p. 55, No. 3); before a word some do.
_NUMBER_ABBREVIATIONS = frozenset(
    """no nos vol vols fig figs p pp para art sec ch jan feb mar apr jun jul aug sep sept oct nov
    dec""".split()
)
# Abbreviations that also end sentences: a boundary only before a typical opener.
# Company suffixes end a sentence as often as they sit inside one ("… & Co. It closed").
_OPENER_ABBREVIATIONS = frozenset({"al", "etc", "co", "inc", "corp", "ltd", "bros"})
_OPENERS = frozenset(
    """the a an he she it they we i you his her its their our this that these those
    there but and so yet in on at for from by with after before when while as if
    how what why where who did do does
    officials some many most mr mrs ms dr""".split()
)
_CLOSERS = "\"'”’)\\]」』>›》〉"
# A match starts only at the first mark of a run, and the quantifiers are possessive: a run
# of N marks not followed by whitespace is then rejected once in O(N). Without both,
# the engine retried the run from each of its N positions (quadratic: 41 s at 20,000).
# A footnote mark may follow (…거절하였다.[2] 법에…): the boundary is after it.
# A short note in brackets may follow too (…한다."(요한 3:13) / …하다. (6회 우승)): the
# boundary moves after it (Korean; see _NOTE_AFTER).
_FOOTNOTE_MARK = r"\[(?:참고|주|각주)?\s?\d{1,3}\]"
_CANDIDATE = re.compile(
    rf"(?:(?<![.!?])(?:\.{{2,}}+|[.!?]++)|…)[{_CLOSERS}]*+(?:{_FOOTNOTE_MARK})*+"
    r"(?=\s|\([^().!?\n]{1,20}\)(?:\s|$))"
)
_FOOTNOTE = re.compile(rf"(?:{_FOOTNOTE_MARK})+$")
_NOTE_AFTER = re.compile(r"\s?\([^().!?\n=]{1,20}\)(?=\s|$)")  # not (사진=…), a credit
# A period (or ?/!) with no space before the next sentence: 늘렸다.이에, fast.Total.
# Not an ellipsis: "성공...자력" in a headline is a pause, not a boundary.
_GLUED = re.compile(
    rf"(?<=[a-z\uac00-\ud7a3%)\]])(?:\.|[!?]+)(?:{_FOOTNOTE_MARK})*(?=[A-Z][a-z]|[\uac00-\ud7a3])"
    r"|(?<=[다요까죠])\.(?=\d)"  # Korean: 넣었다.2월 10일
    r"|(?<=[a-z])\.\d{1,3}(?=\s+[A-Z\"“])"  # a glued footnote number: two counties.17 The
)
_URLISH = re.compile(r"://|www\.|@|/|\.(?:com|net|org|kr|io|gov|edu)\b", re.IGNORECASE)
_WORD_BEFORE = re.compile(r"([A-Za-z]+(?:\.[A-Za-z]+)*)\.$")
_QUOTE_PARTICLE = re.compile(rf"\s*[{_CLOSERS}]?(?:고|라고|이라고|며|라며|이라며|면서|는|란|라는)\b")
# A quotation closed and then bound to its verb across a space: …거야." 하며 어깨를…
_QUOTE_VERB = re.compile(
    r"\s+(?:하며|하면서|하고|하자|하니|하더니|하는|하던|하고는|라며|라고|라는|이라며|이라고)(?=\s|[,.!?]|$)"
)
_QUOTE_CLOSERS = "\"'”’>›」』》〉"
_KO_FINAL = frozenset("다요까죠네라")  # endings that close a Korean sentence
_LINE_ENDS_SENTENCE = re.compile(rf"(?:[.!?…:{_CLOSERS}>]|[다요까죠])\s*$")
_BULLET = re.compile(r"^\s*(?:[-*•⁃▲△▶▷►■□◆◇○●※☞]|\d{1,3}\.?\)|\d{1,3}\.|\(\d{1,3}\)|[①-⑳])\s")
_INLINE_BULLET = re.compile(r"(?<=\s)[▶▷►■□◆◇●○•⁃※☞](?=\s*\S)")
# A piece that is only a list marker, or ends with one after a colon ("Steps: 1.") or a
# bullet ("• 9."): it opens the item that follows.
_LIST_MARKER = re.compile(
    r"(?:^|[:：]\s+|^[•⁃]\s*)(?:(?:\d{1,3}|[A-Za-z]|[ivxIVX]{2,4})(?:\.\)|[.)])|\(\d{1,3}\)|[①-⑳])$"
)
# The marker that opens a list item ("1.", "2)", "3.)", "a."), after an optional bullet.
_ITEM_START = re.compile(r"\s*(?:[•⁃]\s*)?(\d{1,3}|[a-z])(\.\)|[.)])\s")
# A spaced ellipsis (". . ." or ". . . ."): an omission, or with four dots a sentence end.
_SPACED_ELLIPSIS = re.compile(rf"(?<![.!?] )(?<![.!?])\.(?: \.){{2,}}+[{_CLOSERS}]*+")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_MARKDOWN_PREFIX = re.compile(r"(?:#{1,6}|>)[ \t]+")
_HARD_BREAK = re.compile(r"\r\n|[\n\r\x0c\x1c-\x1e\x85\u2029]")
# A line that ends in one of these cannot end a sentence, so a wrap follows.
_EN_CONTINUES = frozenset(
    """the a an of to and or but nor in on at for with by from that which who whose as than
    into onto over under after before between against during about its their his her our
    your my is are was were be been has have had will would shall could should may might
    must not said says very also""".split()
)
_KO_CONTINUES = re.compile(
    r"(?:을|를|은|는|와|및|며|면|지만|는데|에서|으로|에게|에는|에도|다고|라고|하고|했고|되고|이고"
    r"|았고|었고|겠고|하여|되어|위해|통해|대해|의해|인해|따라|해서|돼서|아서|어서|면서|거나|도록)$"
)
_FIRST_WORD = re.compile(r"\S+")
# Datelines and bylines. Korean: (서울=연합뉴스) 홍길동 기자 = / [서울=뉴시스]홍길동 기자 =.
# (사진=연합뉴스) is a photo credit, not a dateline: it stays where it is.
_KO_DATELINE = re.compile(
    r"[(\[【]\s*(?!사진|그래픽|자료|영상|출처)[가-힣A-Za-z·\s]{1,20}=\s*[가-힣A-Za-z0-9·\s]{1,20}[)\]】]"
)
# [이데일리 박민수 기자] opening a lede: outlet and reporter in brackets.
_KO_BRACKET_BYLINE = re.compile(
    r"[\[【]\s*(?:[가-힣A-Za-z0-9]+\s+)?[가-힣]{2,4}\s*(?:기자|특파원|통신원)\s*[\]】]"
)
_KO_BYLINE = re.compile(
    r"(?:[가-힣]{2,4}\s*[·,]?\s*){1,4}(?:객원|선임|수습|인턴)?(?:기자|특파원|통신원|기자들)\s*=(?=\s|$)"
)
_KO_BYLINE_LINE = re.compile(r"(?:기자|글|취재)\s*=\s*[가-힣]{2,4}(?:\s*기자)?\s*$")
# English: SEOUL, Nov. 30 (Yonhap) -- / BUSAN, South Korea (AP) — / SEOUL -
_EN_DATELINE = re.compile(
    r"[A-Z][A-Z'’-]{2,}(?: [A-Z][A-Z'’-]+)*(?: (?:and|AND|&) [A-Z][A-Z'’-]+(?: [A-Z][A-Z'’-]+)*)?"
    r"(?:, [A-Z][a-z]+\.?(?: [A-Z][a-z]+\.?)*(?: \d{1,2})?)?"
    r"(?: ?\([A-Za-z][\w.&'’-]*(?: [A-Za-z][\w.&'’-]*){0,3}\))?"
    r"(?: ?\([A-Z][a-z]{2,8}\.? \d{1,2}, \d{4}\))?"  # SEOUL and BUSAN (Dec. 7, 2026) —
    r" ?(?:--|—|–|-)(?= [A-Z0-9\"“‘'(])"  # "NATO - the alliance said" is a sentence
)
_EN_BYLINE_LINE = re.compile(r"By [A-Z][\w.'’-]*(?:,? (?:and )?[A-Z][\w.'’-]*){0,6}(?: ?[|,/] ?[^.!?]*)?$")
# Page furniture: a block that is wholly one of these is set aside, like a dateline.
# Photo and video captions: ▲/△ opening a one-item line that reads as a caption (a
# full stop or a credit; "▲ 첫째 항목" lines are a list), a credit on its own or closing
# a short line, English caption labels.
_CAPTION = re.compile(
    r"[▲△](?:[^▲△]*[.。]|[^▲△]*(?:사진|제공|=)[^▲△]*)"
    r"|[(\[]?\s*(?:사진|영상|그래픽|자료사진|사진제공)\s*=\s*[^)\]\n]{1,40}[)\]]?"
    r"|.{0,150}[(\[/]\s*(?:사진|영상|사진제공)\s*=\s*[^)\]\n]{1,40}[)\]]?"
    r"|(?:PHOTO|Photo|IMAGE|Image|VIDEO|Video|CAPTION|Caption|GRAPHIC|Graphic)\s*:.*"
    r"|(?:File photo|FILE PHOTO|Photo courtesy of|Photo by|Image courtesy of)\b.{0,150}"
    r"|.{0,150}\((?:Yonhap|AP|AFP|Reuters|EPA|Getty Images|News1|Newsis|Xinhua) (?:Photo|photo)\)",
    re.DOTALL,
)
_STAMP_WORD = r"(?:Published|Updated|Posted|Last updated|Modified|Created|Date)"
# A date and time in figures and month names only ("26 Aug. 2025, 03:51 KST"): a headline
# after "date" is not a stamp.
_STAMP = (
    r"(?:\s*(?:\d[\d.:/-]*|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
    r"|at|[ap]\.?m\.?|kst|gmt|utc|edt|est|et|,))+"
)
_FURNITURE = re.compile(
    # time stamps: Published: 26 Aug. 2025, 03:51 Updated: … / 입력 2025.08.26 03:51 수정 …
    rf"(?:{_STAMP_WORD}\s*:?\s*(?:on\s+)?{_STAMP}\s*(?:\||·)?\s*)+"
    r"|(?:(?:입력|수정|업데이트|최종수정|승인|기사입력|등록|송고|발행)\s*:?\s*"
    r"[\d.\-/: 년월일오전후]{6,30}\s*(?:\||·)?\s*)+"
    # share and subscribe lines
    r"|(?:(?:share(?: this)?(?: article| story)?|subscribe|follow us|sign up|tweet|facebook|twitter|linkedin"
    r"|whatsapp|e-?mail|print|copy link|공유(?:하기)?|구독(?:하기)?|좋아요|페이스북|트위터"
    r"|카카오톡|카카오스토리"
    r"|(?:URL|링크) ?복사|인쇄|프린트|(?:기사 ?)?스크랩|글자 ?크기)\s*[|/·,]?\s*)+"
    # copyright lines
    r"|(?:ⓒ|©|\(c\)|copyright|저작권자).{0,150}"
    r"|.{0,100}(?:무단 ?전재|재배포 ?금지|all rights reserved).{0,60}"
    # a Markdown table row or rule: | Item | Count |, |---|---|
    r"|\|[^\n]*\|",
    re.IGNORECASE | re.DOTALL,
)
# A reporter's e-mail line: a name and a title at most, then the address.
_EMAIL_LINE = re.compile(r"[^.!?@]{0,30}?[<(\[]?[\w.+-]+@[\w-]+(?:\.[\w-]+)+[>)\]]?")
_MAX_FURNITURE = 200  # a longer block is text, whatever it starts with


def furniture_kind(block: str) -> str | None:
    """``"caption"`` or ``"furniture"`` when the whole block is page furniture, else None."""
    line = block.strip()
    if not line or len(line) > _MAX_FURNITURE:
        return None
    if _CAPTION.fullmatch(line):
        return "caption"
    if _FURNITURE.fullmatch(line) or _EMAIL_LINE.fullmatch(line):
        return "furniture"
    return None


MAX_SENTENCE_CHARS = 500  # far above a real news sentence (~250 en, ~150 ko chars)
_CLAUSE_END = re.compile(r"[,;:，、)]+[\"'”’]*(?=\s)|\s[-–—]+(?=\s)")


_WINDOW = 200  # characters of context a rule looks at: bounded, so a huge block stays linear


def _before(block: str, end: int) -> str:
    return block[max(0, end - _WINDOW) : end]


def _width(s: str) -> int:
    """Display columns: Hangul and other wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _lines(text: str) -> list[tuple[int, int]]:
    """[start, end) of each line, without its break; manual breaks (\\v, U+2028) stay inside."""
    out, pos = [], 0
    for m in _HARD_BREAK.finditer(text):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(text)))
    return out


def _wrap_evidence(prev: str, nxt: str, full: bool) -> bool:
    """Whether ``nxt`` continues the sentence that ``prev`` (a line without a final mark) left open."""
    head = nxt.lstrip()
    if not head or _BULLET.match(nxt):
        return False
    if head[0].islower():
        return True  # a hard-wrapped English line continues
    if not (head[0].isalnum() or head[0] in "\"'“‘(["):
        return False
    words = prev.split()
    last = words[-1] if words else ""
    if last.lower().strip(",;") in _EN_CONTINUES or _KO_CONTINUES.search(last.rstrip(",;")):
        return True
    return full


def _full_lines(text: str, run: list[tuple[int, int]]) -> set[int]:
    """Lines of a paragraph that look fixed-width wrapped: three or more lines, most about as wide."""
    if len(run) < 3:
        return set()
    widths = [_width(text[s:e].rstrip()) for s, e in run]
    top = max(widths)
    full = {k for k, w in enumerate(widths[:-1]) if w >= 0.8 * top}
    # Wrapping widths are 40-100 columns; lines of hundreds are paragraphs, one per line.
    return full if 30 <= top <= 160 and len(full) >= 2 else set()


def _blocks(text: str) -> list[tuple[int, int]]:
    """Spans that no sentence may cross: paragraphs, headlines, bullets; wrapped lines joined."""
    runs: list[list[tuple[int, int]]] = [[]]
    for s, e in _lines(text):
        if text[s:e].strip():
            runs[-1].append((s, e))
        elif runs[-1]:
            runs.append([])
    blocks: list[tuple[int, int]] = []
    for run in runs:
        full = _full_lines(text, run)
        cur: tuple[int, int] | None = None
        for k, (s, e) in enumerate(run):
            line = text[s:e]
            if cur is not None:
                prev = text[run[k - 1][0] : run[k - 1][1]]  # the block so far ends with this line
                if not _LINE_ENDS_SENTENCE.search(prev) and _wrap_evidence(prev, line, k - 1 in full):
                    cur = (cur[0], e)
                    continue
                blocks.append(cur)
            cur = (s, e)
        if cur is not None:
            blocks.append(cur)
    return blocks


def _is_boundary_en(block: str, mark_start: int, mark_end: int, after: str) -> bool:
    mark = block[mark_start:mark_end]
    if mark_start and block[mark_start - 1] in "[(":
        return False  # "[...]" marks an omission inside a quotation
    next_word = re.match(r"\s*[\"'“‘(\[]*([^\s]*)", after)
    nxt = next_word.group(1) if next_word else ""
    if not nxt:
        return True
    if nxt[:1].islower():
        return False
    if mark == "." and nxt[:1].isdigit() and block[max(0, mark_start - 2) : mark_start] in ("N°", "Nº"):
        return False  # N°. 1026
    if mark.startswith(".") and not mark.startswith(".."):
        m = _WORD_BEFORE.search(_before(block, mark_start + 1))
        if m:
            word = m.group(1)
            low = word.lower()
            opener = nxt.lower().strip("\"'“‘") in _OPENERS
            # An initialism has short parts (U.S., E.U., a.m., Ph.D.); a file or
            # domain name (content.html, example.com) ends a sentence like a word.
            initialism = "." in word and all(len(part) <= 2 for part in word.split("."))
            if initialism or (len(word) == 1 and word.isupper()):
                # Initialism (U.S.) or an initial (J.): a boundary only when a typical
                # sentence opener follows; "I" is also the pronoun ("you and I. Did").
                return opener and (len(word) > 1 or word == "I")
            if low in _OPENER_ABBREVIATIONS:
                return opener  # "Kim et al. [2004] analysed" vs "… et al. They found"
            if low in _ABBREVIATIONS:
                if low in _NUMBER_ABBREVIATIONS:
                    return not nxt[:1].isdigit() and low not in ("no", "nos")
                return False
    return True


def _is_boundary_ko(block: str, mark_start: int, mark_end: int, after: str, quote_depth: int) -> bool:
    if quote_depth > 0:
        return False
    if _QUOTE_PARTICLE.match(after) and after[:1] in _CLOSERS:
        return False
    full = _FOOTNOTE.sub("", block[mark_start:mark_end])
    if full[-1:] in _QUOTE_CLOSERS and _QUOTE_VERB.match(after):
        return False
    before = block[mark_start - 1 : mark_start]
    mark = full.rstrip(_CLOSERS)
    if mark in ("…",) or mark.startswith(".."):
        # An ellipsis ends a sentence only after a final ending (했다…), not after
        # a connective (망설이더니… 결국).
        if _HANGUL.match(before) and before not in _KO_FINAL:
            return False
    elif before.isascii() and before.isalpha():
        return _is_boundary_en(block, mark_start, mark_end, after)  # Mr. 김, U.S. 정부, et al.
    # The English "next word is lower-case" rule stays out of Korean: 안녕? iphone6안녕?
    return True


def _glued_ok(block: str, m: re.Match[str]) -> bool:
    """A period glued to the next word is a boundary unless it sits in a URL, domain or abbreviation."""
    lo, hi = max(0, m.start() - _WINDOW), min(len(block), m.end() + _WINDOW)
    left, right = block.rfind(" ", lo, m.start()), block.find(" ", m.end(), hi)
    token = block[lo if left < 0 else left + 1 : hi if right < 0 else right]
    if _URLISH.search(token):
        return False
    before = block[m.start() - 1]
    if _HANGUL.match(before):
        return True
    w = _WORD_BEFORE.search(_before(block, m.start() + 1)) if block[m.start()] == "." else None
    if w:
        word = w.group(1)
        if "." in word or len(word) < 2 or word.lower() in _ABBREVIATIONS | _OPENER_ABBREVIATIONS:
            return False
    return True


def _carve(block: str, korean: bool) -> list[tuple[int, int, str]]:
    """The block cut into datelines, bylines and the text between them: (start, end, kind)."""
    lead = len(block) - len(block.lstrip())
    out: list[tuple[int, int, str]] = []
    pos = 0
    furniture = furniture_kind(block)
    if furniture:
        return [(lead, len(block.rstrip()), furniture)]
    if korean:
        if _KO_BYLINE_LINE.fullmatch(block.strip()):
            return [(lead, len(block.rstrip()), "byline")]
        for m in _KO_DATELINE.finditer(block):
            if m.start() > 0 and not block[m.start() - 1].isspace():
                continue
            gap = block[m.end() : m.end() + _WINDOW]
            b = _KO_BYLINE.match(block, m.end() + len(gap) - len(gap.lstrip()))
            if m.start() > pos:
                out.append((pos, m.start(), CONTENT))
            out.append((m.start(), m.end(), "dateline"))
            pos = m.end()
            if b:
                out.append((b.start(), b.end(), "byline"))
                pos = b.end()
        if not out:
            b = _KO_BYLINE.match(block, lead) or _KO_BRACKET_BYLINE.match(block, lead)
            if b:
                out.append((b.start(), b.end(), "byline"))
                pos = b.end()
    else:
        if _EN_BYLINE_LINE.fullmatch(block.strip()) and len(block.strip()) <= 80:
            return [(lead, len(block.rstrip()), "byline")]
        d = _EN_DATELINE.match(block, lead)
        if d:
            out.append((d.start(), d.end(), "dateline"))
            pos = d.end()
    if pos < len(block):
        out.append((pos, len(block), CONTENT))
    return out


def _split_text(block: str, korean: bool) -> list[int]:
    """Cut positions inside a stretch of article text."""
    cuts: set[int] = set()
    depth_at = _quote_depths(block) if korean else []
    spaced = list(_SPACED_ELLIPSIS.finditer(block))  # its single periods are not marks
    for e in spaced:
        cut = _spaced_ellipsis_cut(block, e)
        if cut is not None and (not korean or depth_at[e.start()] == 0):
            cuts.add(cut)
    k = 0
    for m in _CANDIDATE.finditer(block):
        while k < len(spaced) and spaced[k].end() <= m.start():
            k += 1
        if k < len(spaced) and spaced[k].start() <= m.start():
            continue
        after = block[m.end() : m.end() + _WINDOW]
        if korean:
            if _is_boundary_ko(block, m.start(), m.end(), after, depth_at[m.end() - 1]):
                note = _NOTE_AFTER.match(block, m.end())
                if not note:
                    cuts.add(m.end())
                elif not (block[m.end() - 1] in _QUOTE_CLOSERS and _QUOTE_VERB.match(block, note.end())):
                    cuts.add(note.end())  # …."(창세기 1:3) 하고 읽었다 holds together
        elif after[:1].isspace() and _is_boundary_en(block, m.start(), m.end(), after):
            cuts.add(m.end())
    for m in _GLUED.finditer(block):
        if (not korean or depth_at[m.start()] == 0) and _glued_ok(block, m):
            cuts.add(m.end())
    cuts.update(m.start() for m in _INLINE_BULLET.finditer(block))
    return sorted(cuts | _item_cuts(block, sorted(cuts)))


def _spaced_ellipsis_cut(block: str, m: re.Match[str]) -> int | None:
    """Where a spaced ellipsis ends a sentence, if it does.

    Three dots after a space are an omission (``weakened . . . was``, ``is . . . I``).
    Four dots end a sentence when a capital follows: after a space, the period
    closes the ellipsis (``period . . . . Next``); glued to the word, the period
    is the word's and the ellipsis opens the next sentence (``compounds. . . . The``).
    """
    if m.end() < len(block) and not block[m.end()].isspace():
        return None
    nxt = block[m.end() : m.end() + _WINDOW].lstrip()[:1]
    if m.group().count(".") < 4 or not nxt or nxt.islower():
        return None
    glued = m.start() > 0 and not block[m.start() - 1].isspace()
    return m.start() + 1 if glued else m.end()


def _next_marker(value: str) -> str:
    return str(int(value) + 1) if value.isdigit() else chr(ord(value) + 1)


def _item_cuts(block: str, cuts: list[int]) -> set[int]:
    """Cuts before the next marker of a list that runs on one line (``1) The first 2) The second``).

    Only the marker that follows the last one seen (2 after 1, b after a, in the
    same style) opens an item, so a number in the text does not. Each piece is
    searched once: linear.
    """
    extra: set[int] = set()
    value, style = "", ""  # the marker expected next: value + style ("2" + ".)")
    prev = 0
    for cut in [*cuts, len(block)]:
        m = _ITEM_START.match(block, prev)
        if m and m.start(1) < cut:
            value, style = _next_marker(m.group(1)), m.group(2)
        pos = prev
        while value:
            at = block.find(value + style, pos, cut)
            if at < 0:
                break
            end = at + len(value) + len(style)
            if at > 0 and block[at - 1].isspace() and (end == len(block) or block[end].isspace()):
                extra.add(at)
                value = _next_marker(value)
            pos = end
        prev = cut
    return extra


def _split_block(text: str, start: int, end: int, lang: str) -> list[Sentence]:
    block = text[start:end]
    korean = lang == "ko" or (lang == "auto" and _HANGUL.search(block) is not None)
    out: list[Sentence] = []
    for a, b, kind in _carve(block, korean):
        piece_text = block[a:b]
        if kind != CONTENT:
            out.append(Sentence(piece_text, start + a, start + b, kind))
            continue
        prev = 0
        for cut in [*_split_text(piece_text, korean), len(piece_text)]:
            piece = piece_text[prev:cut]
            lead = len(piece) - len(piece.lstrip())
            markup = _MARKDOWN_PREFIX.match(piece, lead)
            if markup:  # "## Headline" or "> quoted": the sentence starts after the markup
                lead = markup.end()
            trail = len(piece.rstrip())
            if cut < len(piece_text) and _LIST_MARKER.search(piece[lead:trail]):
                continue  # "1." opens the item that follows: keep it with that item
            if trail > lead:
                s = start + a + prev + lead
                out.append(Sentence(text[s : s + trail - lead], s, s + trail - lead))
            prev = cut
    return out


# Quotation marks and brackets a Korean sentence boundary cannot fall inside. Web copy
# mixes its marks (“…", ‘…', ‹…>), so each opener accepts its own closer and the
# straight one; « » and 〈 〉 too.
_PAIRS = {
    "“": '”"',
    "‘": "’'",
    '"': '"”',
    "'": "'’",
    "「": "」",
    "『": "』",
    "《": "》",
    "〈": "〉",
    "<": ">",
    "‹": "›>",
    "«": "»",
    "(": ")",
}
_CLOSING = frozenset("”’」』》〉>›»)")
# An opener left open longer than this is a stray mark (a typo, a list's "1)"-less
# opener), not a quotation: it stops blocking boundaries.
_MAX_QUOTE_SPAN = 400


def _quote_depths(block: str) -> list[int]:
    """How many quotations and brackets are open after each character, for Korean text."""
    stack: list[tuple[str, int]] = []  # (opener, its offset)
    out = []
    for i, ch in enumerate(block):
        if stack and i - stack[0][1] > _MAX_QUOTE_SPAN:
            stack.clear()
        if ch in "\"'":
            if stack and ch in _PAIRS[stack[-1][0]]:
                stack.pop()
            elif ch == '"' or _opens_single_quote(block, i):
                stack.append((ch, i))
        elif ch in _CLOSING:
            for k in range(len(stack) - 1, max(-1, len(stack) - 4), -1):
                if ch in _PAIRS[stack[k][0]]:
                    del stack[k:]
                    break
        elif ch in _PAIRS:
            stack.append((ch, i))
        out.append(len(stack))
    return out


def _opens_single_quote(block: str, i: int) -> bool:
    """A straight ' opens a quotation after a space, a bracket or the start; else it is an apostrophe."""
    return i == 0 or block[i - 1].isspace() or block[i - 1] in '([{“‘"<‹「『'


def segment_units(text: str, lang: str = "auto") -> list[Sentence]:
    """Every unit of ``text``: sentences, and datelines and bylines (``kind`` tells which).

    ``text[u.start:u.end] == u.text`` for each. ``lang`` is ``"en"``, ``"ko"``
    or ``"auto"`` (Korean rules for blocks that contain Hangul).
    """
    out = []
    for b_start, b_end in _blocks(text):
        out.extend(_split_block(text, b_start, b_end, lang))
    return out


def segment(text: str, lang: str = "auto") -> list[Sentence]:
    """The sentences of ``text`` (datelines and bylines left out), with exact offsets."""
    return [u for u in segment_units(text, lang) if u.kind == CONTENT]


def split_long(sentence: Sentence, max_chars: int = MAX_SENTENCE_CHARS) -> list[Sentence]:
    """Cut a sentence longer than ``max_chars`` into pieces at clause marks, else at spaces.

    Translation time grows faster than linearly with length: one 20,000-character
    line without punctuation never finished. Offsets stay exact.
    """
    text, out, pos = sentence.text, [], 0
    while len(text) - pos > max_chars:
        window = text[pos : pos + max_chars]
        floor = max_chars // 3  # never cut off a tiny first piece
        cut = max((m.end() for m in _CLAUSE_END.finditer(window) if m.end() > floor), default=0)
        if not cut:
            cut = max((m.start() for m in re.finditer(r"\s", window) if m.start() > floor), default=max_chars)
        out.append((pos, pos + cut))
        pos += cut
    out.append((pos, len(text)))
    pieces = []
    for a, b in out:
        piece = text[a:b]
        lead, trail = len(piece) - len(piece.lstrip()), len(piece.rstrip())
        if trail > lead:
            start = sentence.start + a + lead
            pieces.append(Sentence(piece[lead:trail], start, start + trail - lead, sentence.kind))
    return pieces
