"""Plain rows for dataset tests (a module, so writer subprocesses can import it)."""

from __future__ import annotations

import datetime as dt


def make_rows(event_id: str, n_pairs: int = 3, tag: str = "v1") -> dict:
    documents = [
        {
            "doc_id": f"en:{event_id}",
            "lang_declared": "en",
            "lang_detected": "en",
            "lang_confidence": 0.97,
            "source": "Wire",
            "title": f"Title {tag}",
            "path": "a.txt",
            "url": None,
            "published": dt.date(2026, 3, 4),
            "content_hash": "ab" * 32,
            "encoding": "utf-8",
            "n_sentences": n_pairs,
            "warnings": [],
        },
        {
            "doc_id": f"ko:{event_id}",
            "lang_declared": "ko",
            "lang_detected": "ko",
            "lang_confidence": 1.0,
            "source": "신문",
            "title": "제목 👍",
            "path": "b.txt",
            "url": "https://example.org/기사",
            "published": None,
            "content_hash": "cd" * 32,
            "encoding": "cp949",
            "n_sentences": n_pairs,
            "warnings": ["decoded as cp949"],
        },
    ]
    sentences, pairs = [], []
    for k in range(n_pairs):
        sentences.append(
            {
                "doc_id": f"en:{event_id}",
                "side": "en",
                "sentence_index": k,
                "text": f"Sentence {k} {tag}.",
                "char_start": 10 * k,
                "char_end": 10 * k + 9,
                "lang": "en",
                "lang_confidence": 0.9,
                "translation": f"문장 {k}.",
                "translation_lang": "ko",
                "translation_package": "translate-en_ko",
                "translation_package_version": "1.1",
                "verdict": ("linked", "probably", "only")[k % 3],
                "verdict_p": 0.25 + 0.125 * k,
                "candidates": [{"index": k, "score": 0.5}, {"index": k + 1, "score": 0.25}]
                if k % 3 == 1
                else [],
            }
        )
        sentences.append(
            {
                "doc_id": f"ko:{event_id}",
                "side": "ko",
                "sentence_index": k,
                "text": f"한국어 문장 {k} 🇰🇷 e\u0301 {tag}.",
                "char_start": 0,
                "char_end": 5,
                "lang": "ko",
                "lang_confidence": 1.0,
                "translation": None,
                "translation_lang": None,
                "translation_package": None,
                "translation_package_version": None,
                "verdict": None,  # as a sentence of a dataset written before verdicts
                "verdict_p": None,
                "candidates": None,
            }
        )
        pairs.append(
            {
                "row_index": k,
                "type": "1-1",
                "score": 0.5 + k / (2 * n_pairs),
                "mode": "comparable",
                "en_indices": [k],
                "ko_indices": [k],
                "en_text": f"Sentence {k} {tag}.",
                "ko_text": f"한국어 문장 {k} 🇰🇷 e\u0301 {tag}.",
                "en_to_ko": f"문장 {k}.",
                "ko_to_en": None,
                "translation": {
                    "en": f"Sentence {k} {tag}.",
                    "ko": f"한국어 문장 {k} 🇰🇷 e\u0301 {tag}.",
                },
                "numbers_only_en": [str(k)] if k % 2 else [],
                "numbers_only_ko": [],
                "numbers_conflict_en": [],
                "numbers_conflict_ko": [],
                "possible_index": None,
                "possible_text": None,
                "possible_score": None,
                "names_only_en": [],
                "names_only_ko": [],
                "group_id": k,  # every pair row a group of its own
                "also_row": None,
                "also_index": None,
            }
        )
    pairs.append(
        {
            "row_index": n_pairs,
            "type": "ko-only",
            "score": 0.01,
            "mode": "comparable",
            "en_indices": [],
            "ko_indices": [n_pairs],
            "en_text": None,
            "ko_text": "혼자 😀.",
            "en_to_ko": None,
            "ko_to_en": "Alone.",
            "translation": {"en": None, "ko": "혼자 😀."},
            "numbers_only_en": [],
            "numbers_only_ko": [],
            "numbers_conflict_en": [],
            "numbers_conflict_ko": [],
            # Its best candidate on the English side, shown faintly as a possible counterpart.
            "possible_index": 0,
            "possible_text": f"Sentence 0 {tag}.",
            "possible_score": 0.25,
            "names_only_en": [],
            "names_only_ko": [],
            "group_id": n_pairs,
            "also_row": None,
            "also_index": None,
        }
    )
    # Many-to-many: the first English sentence also links to the second Korean one.
    links = [
        {"en_index": k, "ko_index": k, "score": 0.9, "row_index": k, "en_text": None, "ko_text": None}
        for k in range(n_pairs)
    ]
    if n_pairs > 1:
        links.append(
            {"en_index": 0, "ko_index": 1, "score": 0.4, "row_index": None, "en_text": "a", "ko_text": "나"}
        )
    return {
        "documents": documents,
        "sentences": sentences,
        "pairs": pairs,
        "links": links,
        "provenance": {"pipeline_version": "test", "tag": tag},
    }
