from __future__ import annotations

import pytest

from benchmarks.eval_segment import langid_scores
from translate.langid import detect, detect_document, language_problem


def test_accuracy_on_gold():
    s = langid_scores()
    assert s["lines"] >= 300 and s["short_lines"] >= 60
    assert s["accuracy"] >= 0.99, s
    assert s["en_ko_accuracy"] == 1.0, s


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ('오스틴 장관은 "ironclad"라고 말했다.', "ko"),
        ("ICBM 발사", "ko"),
        ("UN Security Council 회의가 열렸다.", "ko"),
        ("He added.", "en"),
        ("PHOTO: EPA-EFE", "en"),
        ('The drama "오징어 게임" was a global hit.', "en"),
        ("Le ministre a déclaré que les exercices commenceront lundi prochain.", "fr"),
        ("大雨の影響で数千人が避難を余儀なくされた。", "ja"),
        ("28,500", "und"),
        ("2만8천500", "und"),
        ("...", "und"),
        ("", "und"),
    ],
)
def test_cases_from_the_brief(text, lang):
    assert detect(text).lang == lang


def test_detection_is_deterministic():
    text = "Die Regierung in Seoul hat die Manöver als rein defensiv bezeichnet."
    first = detect(text)
    assert first.method == "profiles"
    assert all(detect(text) == first for _ in range(20))


def test_short_latin_line_follows_the_document_hint():
    assert detect("Reuters").lang == "en"
    assert detect("Reuters", hint="en").method == "hint"


def test_document_level_gives_runner_up():
    text = " ".join(["The allies said the drills would run for 11 days."] * 10)
    guess = detect_document(text)
    assert guess.lang == "en" and guess.confidence > 0.9


def test_language_problems_are_reported():
    ko = detect_document("국방부는 훈련이 월요일에 시작된다고 밝혔다. " * 3)
    assert language_problem("ko", ko) is None
    assert "declared 'en' but detected 'ko'" in language_problem("en", ko)
    ja = detect_document("韓国と米国は来週月曜日から合同軍事演習を開始すると発表した。")
    assert "'ja'" in language_problem("ko", ja) and "not supported" in language_problem("ko", ja)
    assert "no language" in language_problem("en", detect("12,345 67.8"))


def test_mixed_document_gets_per_sentence_languages():
    from translate.segment import segment

    text = "The minister spoke in Seoul on Monday.\n\n장관은 월요일 서울에서 연설했다.\n\nHe left early."
    langs = [detect(s.text, hint="en").lang for s in segment(text)]
    assert langs == ["en", "ko", "en"]


# Issue 19: short English sentences came out Catalan or Danish, even with an "en" hint.
SHORT_ENGLISH = [
    "Every visitor deserves a quiet room.",
    "Lawmakers approve revised budget bill",
    "Samsung Electronics posts record profit",
    "Typhoon Hinnamnor batters southern coast",
    "Heavy snow grounds flights",
    "Court upholds impeachment",
    "Nuri rocket reaches orbit",
]


@pytest.mark.parametrize("hint", [None, "en", "ko"])
@pytest.mark.parametrize("text", SHORT_ENGLISH)
def test_short_english_is_english_with_any_pipeline_hint(text, hint):
    guess = detect(text, hint=hint)
    assert guess.lang == "en", guess


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Le ministre a déclaré que les exercices commenceront lundi prochain.", "fr"),
        ("Gracias a todos los presentes por venir hoy.", "es"),
        ("Die Regierung in Seoul hat die Manöver als rein defensiv bezeichnet.", "de"),
    ],
)
def test_a_real_foreign_sentence_still_overrules_the_prior(text, lang):
    assert detect(text, hint="en").lang == lang
    assert detect(text, hint="ko").lang == lang


def test_the_document_language_is_the_prior():
    # Near-even evidence: the hint decides, but never against strong evidence.
    text = "Every visitor deserves a quiet room."
    assert detect(text, hint="ca").lang == "ca"
    assert detect(text, hint="en").lang == "en"


def test_english_quote_in_a_korean_article_is_english():
    from translate.segment import segment

    text = "관광공사는 새 안내문을 붙였다. Every visitor deserves a quiet room. 반응은 좋았다."
    langs = [detect(s.text, hint="ko").lang for s in segment(text, "ko")]
    assert langs == ["ko", "en", "ko"]


def _ranked_by_langdetect(factory, text: str, expected: str | None) -> list[tuple[str, float]]:
    """The scoring of ``langid._ranked`` on langdetect's own parsed profiles (``factory``)."""
    from collections import Counter

    import numpy as np

    from translate import langid

    langs = tuple(langid._normalise(c) for c in factory.get_lang_list())
    detector = factory.create()
    detector.append(text)
    counts = Counter(detector._extract_ngrams())
    table = factory.word_lang_prob_map
    probs = np.asarray([table[g] for g in counts], dtype=np.float64)
    weights = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
    score = weights @ np.log(probs + langid._SMOOTHING) / langid._NGRAM_OVERLAP
    if expected in langs:
        others = (1.0 - langid.EXPECTED_PRIOR) / (len(langs) - 1)
        score += np.where(np.asarray(langs) == expected, np.log(langid.EXPECTED_PRIOR), np.log(others))
    post = np.exp(score - score.max())
    post /= post.sum()
    order = np.argsort(-post, kind="stable")[:3]
    return [(langs[k], float(post[k])) for k in order]


def test_stored_profiles_score_exactly_as_langdetects_own(tmp_path, monkeypatch):
    from benchmarks.gold import langid_gold
    from translate import langid

    monkeypatch.setenv("COVERAGE_ALIGN_DATA", str(tmp_path))
    langid._profiles.cache_clear()
    try:
        langid._profiles()  # parses and stores
        langid._profiles.cache_clear()
        from langdetect import detector_factory
        from langdetect.detector_factory import DetectorFactory

        def refuse(self, directory):
            raise AssertionError("profiles parsed again although stored")

        with monkeypatch.context() as m:
            m.setattr(DetectorFactory, "load_profile", refuse)
            langid._profiles()  # from the stored arrays
        factory = DetectorFactory()
        factory.load_profile(detector_factory.PROFILES_DIRECTORY)
        texts = [t for _, t in langid_gold() if len(t) > 20][::4]
        assert len(texts) > 50
        for text in texts:
            for expected in (None, "en"):
                want = _ranked_by_langdetect(factory, text, expected)
                assert langid._ranked(text, expected) == want, text[:40]
    finally:
        langid._profiles.cache_clear()


def test_damaged_stored_profiles_are_one_warning_and_rebuilt(tmp_path, monkeypatch, caplog):
    import logging

    from translate import langid

    monkeypatch.setenv("COVERAGE_ALIGN_DATA", str(tmp_path))
    langid._profiles.cache_clear()
    try:
        path = langid._profiles_path()
        path.parent.mkdir(parents=True)
        path.write_bytes(b"PK\x03\x04 not really a zip")
        with caplog.at_level(logging.WARNING, logger="coverage_align"):
            assert (
                detect_document("Le gouvernement a annoncé mardi une nouvelle réforme des retraites.").lang
                == "fr"
            )
        msgs = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
        assert len(msgs) == 1 and "damaged" in msgs[0]
        langid._profiles.cache_clear()
        assert langid._load_profiles(path).raw_langs == langid._profiles()[0].raw_langs  # rewritten whole
    finally:
        langid._profiles.cache_clear()


# Issue 27: Latin-script lines of other languages that were called English (the short
# default, all capitals, function words shared with English), written for this project.
@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Der Fährverkehr ist eingestellt.", "de"),
        ("De veerboot is in de haven gezonken.", "nl"),
        ("Jokaisella matkustajalla on pelastusliivi.", "fi"),
        ("DICHIARAZIONE DEL MINISTERO DEI TRASPORTI", "it"),
        ("DECLARAȚIA GUVERNULUI DESPRE INCENDIU", "ro"),
    ],
)
def test_other_latin_languages_are_not_called_english(text, lang):
    assert detect(text, hint="en").lang == lang


@pytest.mark.parametrize(
    "text", ["He added.", "Officials said so.", "THE FERRY BURNED ON SUNDAY", "Crews came."]
)
def test_short_english_stays_english(text):
    assert detect(text, hint="en").lang == "en"


def test_an_english_brief_signed_with_a_hangul_name_is_english():
    brief = "The ferry resumed service on Monday.\nOfficials said all passengers were safe.\n김민수"
    guess = detect_document(brief)
    assert guess.lang == "en"
    assert language_problem("en", guess) is None


def test_a_french_article_given_as_english_is_refused_naming_the_language(tmp_path):
    from typer.testing import CliRunner

    from translate.cli import app

    fr = tmp_path / "fr.txt"
    fr.write_text(
        "Le ferry a repris son service lundi matin. Les autorités ont déclaré que tous les passagers "
        "étaient sains et saufs. Une enquête a été ouverte sur les causes de l'incendie qui a éclaté "
        "samedi soir dans la salle des machines.",
        encoding="utf-8",
    )
    ko = tmp_path / "ko.txt"
    ko.write_text("여객선이 월요일 운항을 재개했다. 당국은 승객이 모두 무사하다고 밝혔다.", encoding="utf-8")
    res = CliRunner().invoke(app, ["align", "--en", str(fr), "--ko", str(ko), "--out", str(tmp_path / "o")])
    assert res.exit_code == 2, res.output
    assert "'fr'" in res.output and "Traceback" not in res.output
