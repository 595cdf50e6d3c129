"""Main-text extraction from article HTML (navigation, ads and footers removed)."""

from __future__ import annotations


def extract_main_text(html: str) -> tuple[str, str | None]:
    """Return (article text with paragraph breaks, title or None)."""
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True)
    meta = trafilatura.extract_metadata(html)
    title = meta.title if meta is not None else None
    return text or "", title
