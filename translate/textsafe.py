"""Text from articles and files, made safe to print and to highlight.

Article text is untrusted: an ESC sequence in it could clear the screen, set
the window title or fake the tool's own output, on a terminal or through a
pipe into one. Control characters are therefore shown as ``\\x1b``-style
escapes in everything printed. Number highlighting finds spans in the raw text
(before any HTML escaping) and only where the number stands alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["number_spans", "one_line", "plural", "visible"]

# C0 except tab and newline, DEL, C1, and the bidi overrides that reorder what is shown.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _escape(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """``text`` with every control character but newline and tab made visible."""
    return _CONTROL.sub(_escape, text)


def one_line(text: str) -> str:
    """``visible`` and on one line: for error messages."""
    return visible(text).replace("\n", "\\n").replace("\t", " ")


def number_spans(text: str, tokens: Iterable[str]) -> list[tuple[int, int]]:
    """Non-overlapping [start, end) spans where a flagged number stands alone in ``text``.

    "3" matches in "3 people" and "rose 3." but not inside "3.25%", "13", "1,300" or "v3".
    """
    spans: list[tuple[int, int]] = []
    for token in sorted({t for t in tokens if t}, key=len, reverse=True):
        pattern = rf"(?<![\dA-Za-z])(?<!\d[.,]){re.escape(token)}(?![.,]?\d)"
        for m in re.finditer(pattern, text):
            if all(m.end() <= s or m.start() >= e for s, e in spans):
                spans.append((m.start(), m.end()))
    return sorted(spans)


def plural(n: int, noun: str) -> str:
    """``1 pair``, ``2 pairs``, ``1 number difference``: the count and its noun agreeing."""
    if n == 1:
        return f"{n} {noun}"
    return f"{n} {noun}es" if noun.endswith(("s", "x", "ch", "sh")) else f"{n} {noun}s"
