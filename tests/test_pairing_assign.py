"""The one-to-one choice of English–Korean pairs and the day-of-month evidence (translate.pairing)."""

from __future__ import annotations

from translate.pairing import assign, day_mentions, html_date, same_day


def test_assignment_lets_a_strong_pair_take_an_article_from_its_lookalike():
    # English 0's best is Korean 10 (0.9), but Korean 10 belongs with English 1 (1.5), whose
    # only other candidate is weak: per-article best would give 10 to both; the total says
    # 0–11 and 1–10. Korean 12 pairs with nobody: its only pair is below the threshold.
    pairs = [(0, 10, 0.9), (0, 11, 0.8), (1, 10, 1.5), (1, 12, 0.6)]
    assert assign(pairs, threshold=0.7) == {(0, 11), (1, 10)}


def test_assignment_takes_nothing_below_the_threshold_and_handles_an_empty_list():
    assert assign([(0, 10, 0.5), (1, 11, 0.69)], threshold=0.7) == set()
    assert assign([], threshold=0.7) == set()


def test_a_pair_worth_less_than_leaving_both_articles_free_is_not_forced():
    # Taking 0–10 and 1–11 sums to 0.25 over the bar; 0–11 alone is worth 0.5: one pair only.
    pairs = [(0, 10, 1.1), (1, 11, 1.15), (0, 11, 1.5)]
    assert assign(pairs, threshold=1.0) == {(0, 11)}


def test_days_meet_across_languages_and_a_bare_korean_day_meets_any_month():
    en = day_mentions("The court ruled on March 10 that the president be removed.", "en")
    assert en == {(3, 10)}
    assert same_day(en, day_mentions("헌법재판소는 10일 대통령 파면을 결정했다.", "ko"))
    assert same_day(en, day_mentions("헌재는 3월 10일 선고했다.", "ko"))
    assert not same_day(en, day_mentions("헌재는 3월 9일 선고했다.", "ko"))
    assert not same_day(en, frozenset())  # no day named: no evidence either way


def test_a_page_date_is_what_the_page_declares_never_a_year_in_its_story():
    # trafilatura's extensive search dated this page 1998-01-01 from "opened in 1998", and a
    # wrong date vetoes a true pair (dates more than three days apart never merge).
    story = "<p>The bridge, opened in 1998, was closed on Tuesday after a cable snapped.</p>"
    bare = f"<html><head><title>Cable snaps</title></head><body><article>{story}</article></body></html>"
    assert html_date(bare.encode()) is None
    meta = '<meta property="article:published_time" content="2026-10-15T09:00:00+09:00">'
    declared = bare.replace("<title>", meta + "<title>")
    assert html_date(declared.encode()) == "2026-10-15"
