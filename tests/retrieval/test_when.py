"""Time in questions and rankings, as pure functions with a fixed clock."""

from __future__ import annotations

from datetime import datetime

import pytest

from corpus import dates
from retrieval.query.periods import freshness, prefer, window
from retrieval.records import Hit

NOW = datetime(2026, 11, 22, 15, 0, tzinfo=dates.TEHRAN)  # Sunday 1 Azar 1405; the week began on Saturday
DAY = 86400.0


def day_of(stamp: float) -> str:
    return dates.jalali(datetime.fromtimestamp(stamp, dates.TEHRAN))


@pytest.mark.parametrize(
    "question, first, last",
    [
        ("امروز در تهران چه خبر است؟", "۱ آذر ۱۴۰۵", "۱ آذر ۱۴۰۵"),
        ("دیروز چه شد", "۳۰ آبان ۱۴۰۵", "۳۰ آبان ۱۴۰۵"),
        ("خبرهای این هفته درباره باران", "۳۰ آبان ۱۴۰۵", "۶ آذر ۱۴۰۵"),
        ("هفته گذشته چه تصمیمی گرفتند", "۲۳ آبان ۱۴۰۵", "۲۹ آبان ۱۴۰۵"),
        ("امسال چند کتابخانه افتتاح شد", "۱ فروردین ۱۴۰۵", "۱ آذر ۱۴۰۵"),
        ("در ۲۸ خرداد چه اتفاقی افتاد", "۲۸ خرداد ۱۴۰۵", "۲۸ خرداد ۱۴۰۵"),
        ("۲۸ خرداد ۱۳۹۷ چه شد", "۲۸ خرداد ۱۳۹۷", "۲۸ خرداد ۱۳۹۷"),
        ("در ۵ دی چه می‌شود", "۵ دی ۱۴۰۴", "۵ دی ۱۴۰۴"),  # the last 5 Dey, not the coming one
    ],
)
def test_periods_named_in_questions(question, first, last):
    period = window(question, NOW)
    assert period is not None
    assert day_of(period.start) == first
    assert day_of(period.end - 1).startswith(last)


def test_a_question_naming_no_time_has_no_period():
    assert window("کتابخانه مرکزی یزد کی افتتاح می‌شود؟", NOW) is None


def test_freshness_halves_every_half_life_and_undated_is_zero():
    now = NOW.timestamp()
    assert freshness(now, now, 7) == 1.0
    assert freshness(now - 7 * DAY, now, 7) == pytest.approx(0.5)
    assert freshness(None, now, 7) == 0.0


def test_newer_wins_among_near_equals_but_not_against_a_clearly_better_match():
    now = NOW.timestamp()
    hits = [Hit(1, 10.0), Hit(2, 9.9), Hit(3, 5.0), Hit(4, 1.0)]
    stamps = {1: now - 300 * DAY, 2: now - DAY, 3: now, 4: None}
    order = [h.sentence_id for h in prefer(hits, stamps, now, 7, 0.05)]
    assert order[:3] == [2, 1, 3]


def test_undated_rankings_are_returned_untouched():
    hits = [Hit(1, 3.0), Hit(2, 2.0)]
    assert prefer(hits, {1: None, 2: None}, NOW.timestamp(), 7, 0.05) is hits


def test_articles_from_the_named_period_come_first():
    now = NOW.timestamp()
    period = window("دیروز چه شد", NOW)
    hits = [Hit(1, 10.0), Hit(2, 9.0), Hit(3, 2.0)]
    stamps = {1: now - 40 * DAY, 2: now - DAY, 3: now - DAY}
    assert [h.sentence_id for h in prefer(hits, stamps, now, 7, 0.0, period, 0.5)] == [2, 1, 3]
