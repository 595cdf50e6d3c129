"""Reading article files into text, refusing what cannot be read safely.

UTF-8 (with or without BOM) is the norm, and UTF-16/32 are read when a BOM
says so. Korean outlets still publish in CP949/EUC-KR, so a file that is not
UTF-8 is read as CP949 only on strong evidence: it decodes strictly and its
non-ASCII characters are nearly all Hangul. Anything else (Latin-1, cp1252,
broken UTF-8) is refused with a line naming ``iconv`` and charset-normalizer's
guess at the encoding, rather than decoded into mojibake: no single-byte
encoding can be told from another with any certainty.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from translate.config import max_bytes
from translate.errors import InputError
from translate.segment import furniture_kind

__all__ = [
    "SUFFIXES",
    "Document",
    "content_hash",
    "decode_bytes",
    "doc_id",
    "extract_main_text",
    "load_document",
    "markdown_to_text",
    "read_text",
]

SUFFIXES = (".txt", ".md", ".html", ".htm")
_INVISIBLE = "\u200b\u2060\ufeff"  # zero-width space, word joiner, byte-order mark
_INVISIBLE_TO_SPACE = str.maketrans(dict.fromkeys(_INVISIBLE, " "))


def doc_id(lang: str | None, path: Path) -> str:
    """A document's id within its event: its side and file name (``en:yonhap.txt``)."""
    return f"{lang or 'xx'}:{Path(path).name}"


def content_hash(data: bytes) -> str:
    """The sha256 recorded for a file, used to tell changed inputs from unchanged ones."""
    return hashlib.sha256(data).hexdigest()


# What a script-only page (a JavaScript app shell) shows instead of an article.
_SCRIPT_NOTICE = re.compile(
    r"(?:enable|turn on|activate) javascript|javascript (?:is )?(?:required|disabled)", re.IGNORECASE
)


def extract_main_text(html: str) -> tuple[str, str | None]:
    """Article HTML reduced to (main text with paragraph breaks, title or None).

    trafilatura's precision mode first; an old-style page laid out in a ``<table>``
    with no article wrapper gives nothing there, so its baseline extractor (every
    paragraph-like element, in order) is the fallback. A page whose only text is a
    notice to enable JavaScript has no article: the text comes back empty.
    """
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True)
    if not (text or "").strip():
        text = trafilatura.baseline(html)[1]
    if text and len(text) < 300 and _SCRIPT_NOTICE.search(text):
        text = ""
    meta = trafilatura.extract_metadata(html)
    title = meta.title if meta is not None else None
    return text or "", title


_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\n(?:[^\n]*\n){0,200}?(?:---|\.\.\.)[ \t]*(?:\n|\Z)")


def markdown_to_text(markdown: str) -> str:
    """Markdown reduced to its prose: one paragraph per block (heading, paragraph, list
    item, quote), emphasis, link and list markup dropped, link and image text kept.

    Parsed by markdown-it-py (CommonMark), so ``*`` in ``3 * 4`` or a literal ``[x]``
    stays text. Raw HTML blocks are dropped; code blocks are kept as written.
    """
    from markdown_it import MarkdownIt

    blocks: list[str] = []
    in_table = False
    front = _FRONT_MATTER.match(markdown)
    if front:  # YAML front matter (title, date, tags) is metadata, not prose
        markdown = markdown[front.end() :]
    for token in MarkdownIt("commonmark").enable("table").parse(markdown):
        if token.type in ("table_open", "table_close"):
            in_table = token.type == "table_open"  # a table's cells are not sentences
        elif in_table:
            continue
        elif token.type in ("fence", "code_block"):
            blocks.append(token.content.rstrip("\n"))
        elif token.type == "inline":
            parts = []
            for child in token.children or []:
                if child.type in ("text", "code_inline"):
                    parts.append(child.content)
                elif child.type == "image":
                    parts.append(child.content)  # its alt text
                elif child.type in ("softbreak", "hardbreak"):
                    parts.append("\n")
            text = "".join(parts).strip()
            if text:
                blocks.append(text)
    return "\n\n".join(blocks)


@dataclass
class Document:
    """One article as loaded from disk."""

    doc_id: str
    path: str
    text: str
    declared_lang: str | None = None
    title: str | None = None
    encoding: str = "utf-8"
    content_hash: str = ""
    warnings: list[str] = field(default_factory=list)
    detected_lang: str | None = None
    lang_confidence: float | None = None
    n_sentences: int = 0


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))  # fmt: skip


def decode_bytes(data: bytes, name: str = "input") -> tuple[str, str]:
    """Decode file content; return (text, encoding) or raise InputError.

    UTF-8 (BOM or not) first; UTF-16/32 only with a BOM, which Windows tools
    write; then an unambiguous legacy encoding. A NUL anywhere in the decoded
    text means binary data: it would otherwise be stored in the dataset.
    """
    text, encoding = _decode(data, name)
    if "\x00" in text:
        raise InputError(f"{name} looks binary (contains NUL bytes), not text")
    if not text.strip():
        raise InputError(f"{name} is empty")
    return text, encoding


# Leading bytes of the binary files most often saved under a text name: a PDF or a
# Word document renamed .txt is named as such, with what to do, not as "NUL bytes".
_MAGIC = (
    (b"%PDF-", "a PDF", "extract its text first, e.g. `pdftotext FILE FILE.txt`"),
    (b"PK\x03\x04", "a ZIP archive (a .docx, .odt or .zip?)", "save the article as plain text"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office file (.doc?)", "save the article as plain text"),
    (b"{\\rtf", "an RTF document", "save the article as plain text"),
    (b"\x1f\x8b", "gzip-compressed", "decompress it first (`gunzip`)"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image", "give the article's text"),
    (b"\xff\xd8\xff", "a JPEG image", "give the article's text"),
    (b"GIF8", "a GIF image", "give the article's text"),
)


def _binary_kind(data: bytes, name: str) -> None:
    for magic, kind, todo in _MAGIC:
        if data.startswith(magic):
            raise InputError(f"{name} is {kind}, not text: {todo}")


def _decode(data: bytes, name: str) -> tuple[str, str]:
    if not data.strip():
        raise InputError(f"{name} is empty")
    _binary_kind(data, name)
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError as exc:
                raise InputError(f"{name} starts with a {codec} byte-order mark but is not {codec}") from exc
    if b"\x00" in data:
        raise InputError(f"{name} looks binary (contains NUL bytes), not text")
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        bad_at = exc.start
    if _truncated_utf8(data):
        raise InputError(
            f"{name} is truncated UTF-8: it ends in the middle of a character (offset {bad_at:,} of "
            f"{len(data):,}); the copy or download was cut short: fetch the file again"
        )
    korean = _korean_legacy(data)
    if korean is not None:
        return korean, "cp949"
    guess = _guess(data)
    # The same name in the guess and in the command: iconv spells codecs its own way.
    perhaps = f"; perhaps {guess}" if guess else ""
    raise InputError(
        f"{name} is not UTF-8 (invalid byte at offset {bad_at:,}{perhaps}): convert it, "
        f"e.g. `iconv -f {guess or 'ENCODING'} -t UTF-8 FILE > FILE.utf8`, and try again"
    )


def _truncated_utf8(data: bytes) -> bool:
    """Valid UTF-8 but for an incomplete character at the very end (a cut-off copy)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(data, final=False)  # holds back an incomplete final sequence
    except UnicodeDecodeError:
        return False
    return decoder.getstate()[0] != b""


# Hangul syllables, jamo and compatibility jamo: what CP949 text is made of.
_HANGUL = ((0xAC00, 0xD7A3), (0x1100, 0x11FF), (0x3130, 0x318F))
KOREAN_SHARE = 0.9  # of non-ASCII letters; Latin-1 text read as CP949 almost never decodes at all


def _korean_legacy(data: bytes) -> str | None:
    """The text when ``data`` is strictly valid CP949 (a superset of EUC-KR) and reads as Korean."""
    try:
        text = data.decode("cp949")
    except UnicodeDecodeError:
        return None
    letters = [c for c in text if ord(c) > 0x7F and c.isalpha()]
    hangul = sum(1 for c in letters if any(lo <= ord(c) <= hi for lo, hi in _HANGUL))
    return text if letters and hangul >= KOREAN_SHARE * len(letters) else None


# Python codec names (charset-normalizer's) whose iconv name is not just the upper case.
_ICONV = {
    "latin_1": "ISO-8859-1", "mac_roman": "MACINTOSH", "mac_greek": "MACGREEK", "mac_iceland": "MAC-IS",
    "mac_latin2": "MAC-CENTRALEUROPE", "mac_turkish": "MACTURKISH", "big5hkscs": "BIG5-HKSCS",
}  # fmt: skip


def _guess(data: bytes) -> str:
    """charset-normalizer's guess as iconv names it, for the error message only: never used to decode."""
    from charset_normalizer import from_bytes

    best = from_bytes(data[: 1 << 16]).best()
    if best is None or best.encoding in ("utf_8", "ascii"):
        return ""
    name = best.encoding
    if name in _ICONV:
        return _ICONV[name]
    upper = name.upper().replace("_", "-").replace("ISO8859", "ISO-8859").replace("ISO2022", "ISO-2022")
    return re.sub(r"^(UTF-(?:16|32))-([BL]E)$", r"\1\2", upper)  # UTF-16-LE: iconv's UTF-16LE


def read_text(path: Path, limit: int | None = None) -> str:
    return load_document(path, limit=limit).text


def load_document(
    path: Path, declared_lang: str | None = None, limit: int | None = None, *, normalise_newlines: bool = True
) -> Document:
    """Read a .txt, .md or .html article; HTML is reduced to its main text.

    Text is normalised to NFC (recorded as a warning when that changed it):
    decomposed Hangul jamo (NFD, as macOS file names and some CMSs produce)
    would otherwise match nothing on the other side and align worse.
    """
    path = Path(path)
    limit = max_bytes() if limit is None else limit
    data = _read_bytes(path, limit)
    text, encoding = decode_bytes(data, str(path))
    title = None
    if path.suffix.lower() in (".html", ".htm"):
        text, title = extract_main_text(text)
        if not text.strip():
            raise InputError(f"{path}: no article text found in the HTML")
    elif path.suffix.lower() == ".md":
        text = markdown_to_text(text)  # offsets then refer to the plain text, as for HTML
        if not text.strip():
            raise InputError(f"{path}: no text found in the Markdown")
    if normalise_newlines:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    warnings = [] if encoding == "utf-8" else [f"decoded as {encoding}"]
    nfc = unicodedata.normalize("NFC", text)
    if nfc != text:
        text = nfc
        warnings.append("normalised to NFC (character offsets refer to the normalised text)")
    # A zero-width space hides a boundary (…Sunday.\u200b The fire), and a byte-order
    # mark inside the text (two files joined) would be exported: each becomes a space,
    # so every offset stays where it was.
    invisible = sum(text.count(c) for c in _INVISIBLE)
    if invisible:
        text = text.translate(_INVISIBLE_TO_SPACE)
        warnings.append(f"{invisible} zero-width character(s) or byte-order mark(s) read as spaces")
    return Document(
        doc_id=doc_id(declared_lang, path),
        path=str(path),
        text=text,
        declared_lang=declared_lang,
        title=title or _first_line(text),
        encoding=encoding,
        content_hash=content_hash(data),
        warnings=warnings,
    )


def _read_bytes(path: Path, limit: int) -> bytes:
    """The file's bytes, at most ``limit`` of them; any OS refusal is one InputError line."""
    try:
        if path.is_symlink() and not path.exists():
            raise InputError(f"{path}: a broken or looping symbolic link")
        if not path.exists():
            raise InputError(f"{path}: no such file")
        if not path.is_file():
            raise InputError(f"{path}: not a file")
        with path.open("rb") as f:
            size = os.fstat(f.fileno()).st_size
            # Never more than one byte past the limit, even from a file still growing.
            data = f.read(limit + 1) if size <= limit else b""
    except OSError as exc:
        raise InputError(f"{path}: cannot read it ({exc.strerror or exc})") from exc
    if size > limit or len(data) > limit:
        raise InputError(
            f"{path} is {max(size, len(data)):,} bytes, over the {limit:,}-byte limit "
            f"({limit / 1e6:g} MB; COVERAGE_ALIGN_MAX_BYTES)"
        )
    return data


def _first_line(text: str) -> str | None:
    """The first line of text that is not page furniture (a caption, a time stamp): the title."""
    for line in text.splitlines():
        if line.strip() and furniture_kind(line) is None:
            return line.strip().lstrip("#").strip()[:200]
    return None
