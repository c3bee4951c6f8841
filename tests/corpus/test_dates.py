"""Publication times as real sources write them: each is read as the instant it names, in
Tehran's zone of its day when the source gives none; nothing else is taken for a date."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from corpus import dates

SUMMER_2019 = datetime(2019, 5, 29, 15, 20, 37, tzinfo=UTC)  # 19:50:37 in Tehran, then on summer time (+04:30)


@pytest.mark.parametrize(
    ("written", "instant"),
    [
        ("Wed, 29 May 2019 19:50:37", SUMMER_2019),  # RSS without a zone: Tehran's, not UTC
        ("Wed, 29 May 2019 19:50:37 IRDT", SUMMER_2019),
        ("Wed, 29 May 2019 18:50:37 IRST", SUMMER_2019),
        ("Wed, 29 May 2019 15:20:37 GMT", SUMMER_2019),
        ("Wednesday, 29-May-19 15:20:37 GMT", SUMMER_2019),
        ("2019-05-29 T 19:50:37 +0430", SUMMER_2019),  # stray spaces around T and before the offset
        ("2019-05-29T19:50:37+0430", SUMMER_2019),
        ("2019-05-29 19:50:37", SUMMER_2019),
        ("1398-03-08T19:50:37+04:30", SUMMER_2019),  # a Jalali date in ISO's shape, not the year 1398
        ("۱۳۹۸-۰۳-۰۸ ۱۹:۵۰:۳۷", SUMMER_2019),
        ("1398/03/08 19:50:37", SUMMER_2019.replace(second=0)),
        ("۸ خرداد ۱۳۹۸ - ۱۹:۵۰", SUMMER_2019.replace(second=0)),
        ("۱۹:۵۰ - ۸ خرداد ۱۳۹۸", SUMMER_2019.replace(second=0)),  # the time first, as some sites print it
        ("۸ جوزا ۱۳۹۸ - ۱۹:۵۰", SUMMER_2019.replace(second=0)),  # the same month as Afghanistan's press names it
        ("۱۳۹۸ خرداد ۸, چهارشنبه ۱۹:۵۰", SUMMER_2019.replace(second=0)),  # the year, month, day (Deutsche Welle)
        ("چهارشنبه هشتم خرداد ۱۳۹۸ ساعت ۱۹:۵۰", SUMMER_2019.replace(second=0)),  # the day as an ordinal word (Blogfa)
        ("بیست و هشتم اردیبهشت ماه ۱۳۹۸ - ۱۹:۵۰", datetime(2019, 5, 18, 15, 20, tzinfo=UTC)),
        ("تاریخ انتشار: ۱۹:۵۰ - چهارشنبه ۸ خرداد ۱۳۹۸", SUMMER_2019.replace(second=0)),
        ("2019/05/29 19:50", SUMMER_2019.replace(second=0)),
        ("29 May 2019", datetime(2019, 5, 28, 19, 30, tzinfo=UTC)),
        ("May 29, 2019", datetime(2019, 5, 28, 19, 30, tzinfo=UTC)),
        ("May 29, 2019 7:50 PM", SUMMER_2019.replace(second=0)),  # the clock read as after a Jalali date
        ("۲۹ مه ۲۰۱۹ - ۱۹:۵۰", SUMMER_2019.replace(second=0)),  # the Gregorian months as Persian writes them
        ("چهارشنبه ۸ خرداد ۱۳۹۸ - ۲۴ رمضان ۱۴۴۰ - ۲۹ مه ۲۰۱۹ - ۱۹:۵۰", SUMMER_2019.replace(second=0)),
        ("1402-10-20T10:30:00+03:30", datetime(2024, 1, 10, 7, 0, tzinfo=UTC)),
        ("2024-01-10 10:30", datetime(2024, 1, 10, 7, 0, tzinfo=UTC)),  # winter: +03:30
    ],
)
def test_a_time_as_sources_write_it_is_the_instant_it_names(written, instant):
    assert dates.parse(written) == instant


NOT_DATES = ["hello", "May", "Mar 5", "1398-13-40", "2019-02-30", "10:30", "عصر امروز", "Wed, 99 Foo 2019 25:61"]


@pytest.mark.parametrize("written", NOT_DATES)
def test_what_names_no_date_is_none(written):
    assert dates.parse(written) is None


def test_a_jalali_date_in_isos_shape_is_shown_as_the_day_it_names():
    assert dates.jalali(dates.parse("1398-03-09T00:20:00")) == "۹ خرداد ۱۳۹۸، ۰۰:۲۰"


@pytest.mark.parametrize(
    ("written", "clock"),
    [
        ("2019-05-29T19:50:37+04:30", True),
        ("Wed, 29 May 2019 19:50:37 GMT", True),
        ("۸ خرداد ۱۳۹۸ - ۱۹:۵۰", True),
        ("2019-05-29T00:00:00", True),
        ("2019-05-29", False),
        ("۸ خرداد ۱۳۹۸", False),
        ("1398/03/08", False),
        ("29 May 2019", False),
        (None, False),
    ],
)
def test_a_stated_time_is_told_from_a_stated_day(written, clock):
    assert dates.has_clock(written) is clock


def test_a_stated_day_is_shown_as_that_day_and_aged_in_days():
    """A source that gave only the day is not shown as «۸ ساعت پیش»: that claims a time it never stated."""
    now = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)  # 18:30 in Tehran
    assert dates.shown("2026-11-20", now) == "۲۹ آبان ۱۴۰۵ (امروز)"
    assert dates.shown("۲۸ آبان ۱۴۰۵", now) == "۲۸ آبان ۱۴۰۵ (دیروز)"
    assert dates.shown("2026-11-10", now) == "۱۹ آبان ۱۴۰۵ (۱۰ روز پیش)"
    assert dates.shown("2026-11-20T10:00:00+03:30", now) == "۲۹ آبان ۱۴۰۵، ۱۰:۰۰ (۸ ساعت پیش)"
