"""Publication times: read whatever a source wrote (an ISO timestamp from a feed, «۱۲ مهر ۱۴۰۲،
۰۹:۱۵» from a page, «1402/07/12»), and show them the Persian way (Jalali date, «۲ روز پیش»)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

import jdatetime

TEHRAN = timezone(timedelta(hours=3, minutes=30))
MONTHS = ("فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند")
_MONTH_NUMBER = {name: n for n, name in enumerate(MONTHS, start=1)} | {"امرداد": 5}
_TO_ASCII = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_TO_PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
_JALALI_WORDS = re.compile(r"(\d{1,2})\s+(" + "|".join(sorted(_MONTH_NUMBER, key=len, reverse=True)) + r")\s+(\d{4})")
_JALALI_SLASHES = re.compile(r"\b(1[34]\d\d)/(\d{1,2})/(\d{1,2})\b")
_TIME = re.compile(r"(\d{1,2}):(\d{2})")
_UNITS = ((365 * 86400, "سال"), (30 * 86400, "ماه"), (7 * 86400, "هفته"), (86400, "روز"), (3600, "ساعت"), (60, "دقیقه"))


def ascii_digits(text: str) -> str:
    return text.translate(_TO_ASCII)


def persian_digits(text: str) -> str:
    return text.translate(_TO_PERSIAN)


def parse(published: str | None) -> datetime | None:
    """An aware datetime for a stored publication string, or None if it names no date."""
    if not published:
        return None
    text = ascii_digits(published).strip()
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
        return when if when.tzinfo else when.replace(tzinfo=TEHRAN)
    except ValueError:
        pass
    day = month = year = None
    if m := _JALALI_WORDS.search(text):
        day, month, year = int(m.group(1)), _MONTH_NUMBER[m.group(2)], int(m.group(3))
    elif m := _JALALI_SLASHES.search(text):
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if year is None:
        return None
    hour = minute = 0
    if t := _TIME.search(text[m.end() :] if m else text):
        hour, minute = int(t.group(1)), int(t.group(2))
    try:
        gregorian = jdatetime.datetime(year, month, day, min(hour, 23), min(minute, 59)).togregorian()  # type: ignore[arg-type]
    except ValueError:
        return None
    return gregorian.replace(tzinfo=TEHRAN)


def timestamp(published: str | None) -> float | None:
    """Seconds since the epoch, for sorting and windows; None when undated."""
    when = parse(published)
    return when.timestamp() if when else None


def jalali(when: datetime) -> str:
    """«۱ آذر ۱۴۰۵، ۰۹:۱۵» in Tehran time."""
    local = jdatetime.datetime.fromgregorian(datetime=when.astimezone(TEHRAN))
    text = f"{local.day} {MONTHS[local.month - 1]} {local.year}"
    if (local.hour, local.minute) != (0, 0):
        text += f"، {local.hour:02d}:{local.minute:02d}"
    return persian_digits(text)


def age(when: datetime, now: datetime | None = None) -> str:
    """How long ago, the way a Persian news site says it: «۵ دقیقه پیش», «۲ روز پیش»."""
    now = now or datetime.now(UTC)
    seconds = (now - when).total_seconds()
    if seconds < 60:
        return "همین حالا"
    for size, unit in _UNITS:
        if seconds >= size:
            return persian_digits(f"{int(seconds // size)} {unit} پیش")
    return "همین حالا"


def shown(published: str | None, now: datetime | None = None) -> str | None:
    """What a citation shows: the Jalali date and how old it is, or the source's own words if
    they name no date we can read."""
    when = parse(published)
    if when is None:
        return published
    return f"{jalali(when)} ({age(when, now)})"
