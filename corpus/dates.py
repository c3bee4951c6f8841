"""Publication times: read whatever a source wrote (an ISO timestamp from a feed, «۱۲ مهر ۱۴۰۲،
۰۹:۱۵» or «2 تير 1399 - 12:09:08 ب.ظ» from a page, «1402/07/12»), and show them the Persian way
(Jalali date, «۲ روز پیش»).

What real sources write, besides ISO 8601: RFC 822 dates in feeds («Wed, 29 May 2019 19:50:37
IRDT», sometimes with no zone), ISO with stray spaces («2020-09-22 T 11:04:10 +0430»), Jalali
dates in ISO's shape («1398-03-09T00:20:00+04:30», which a Gregorian reader takes for the year
1398), «2019/05/29 19:50» and «29 May 2019».

Times without a zone are Tehran's, in the real zone (``Asia/Tehran``): Iran kept summer time
(+04:30) until September 2022, so a fixed +03:30 would put older times an hour off. A reader
that knows its source writes another clock (Afghanistan's press writes Kabul's) says so. A date
outside what can be shown (before 1900, after 2200) is no date: every reader of a stored time
goes through :func:`parse`, which never raises.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

import jdatetime

TEHRAN = ZoneInfo("Asia/Tehran")
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)
# when a story can have been published: not before the first news sites (htmldate's own floor),
# not after now by more than a day (the slack for clocks and zones written wrong). A source's
# stated time outside it is no time (news.times, a JSONL export's Unix time in corpus.read)
NEWS_EARLIEST = datetime(1995, 1, 1, tzinfo=UTC)
NEWS_SLACK = timedelta(days=1)
MONTHS = ("فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند")
# the same solar months as Afghanistan's Persian (Dari) press names them, by the zodiac
DARI_MONTHS = ("حمل", "ثور", "جوزا", "سرطان", "اسد", "سنبله", "میزان", "عقرب", "قوس", "جدی", "دلو", "حوت")
_MONTH_NUMBER = (
    {name: n for n, name in enumerate(MONTHS, start=1)}
    | {name: n for n, name in enumerate(DARI_MONTHS, start=1)}
    | {"امرداد": 5, "جوزاء": 3}
)
# every month name above, longest first, as one alternation for the date patterns below
_MONTH_WORDS = "|".join(sorted(_MONTH_NUMBER, key=len, reverse=True))
_TO_ASCII = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_TO_PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
# «۹ خرداد ۱۳۹۸», and with slashes or dashes between its parts as date bars print it: «۲۴ اسفند / ۱۴۰۳»
# «۹ خرداد ۱۳۹۸», «۹ - خرداد - ۱۳۹۸», «۷ آذر , ۱۴۰۴» (a comma before the year, Nimrooz)
_JALALI_WORDS = re.compile(r"(?<!\d)(\d{1,2})\s*[/\-–]?\s*(" + _MONTH_WORDS + r")\s*[/\-–,،]?\s*(\d{4})")
_JALALI_SLASHES = re.compile(r"\b(1[34]\d\d)/(\d{1,2})/(\d{1,2})\b")
# day first, as Asriran and others print it: «۱۳:۴۲ - ۲۴-۰۲-۱۴۰۴», «۲۴/۰۲/۱۴۰۴»
_JALALI_DAY_FIRST = re.compile(r"(?<!\d)(\d{1,2})\s*([-/])\s*(\d{1,2})\s*\2\s*(1[34]\d\d)(?!\d)")
# the year first, as some news systems print it: «1401 یکشنبه 10 مهر» (a weekday may sit between)
_JALALI_YEAR_FIRST = re.compile(
    r"(?<!\d)(1[34]\d\d)\s+(?:[^\d\s]+\s+){0,2}?(\d{1,2})\s+(" + _MONTH_WORDS + r")(?![^\s\d])(?!\s*\d{4})"
)
# the day as an ordinal word, as blogs and formal notices write it: «دوشنبه هجدهم آبان ۱۳۹۴»
_ORDINAL_UNITS = ("یکم", "دوم", "سوم", "چهارم", "پنجم", "ششم", "هفتم", "هشتم", "نهم")
ORDINAL_DAYS = (
    {word: n for n, word in enumerate(_ORDINAL_UNITS, start=1)}
    | {"اول": 1, "دهم": 10, "یازدهم": 11, "دوازدهم": 12, "سیزدهم": 13, "چهاردهم": 14, "پانزدهم": 15, "پونزدهم": 15}
    | {"شانزدهم": 16, "هفدهم": 17, "هفتدهم": 17, "هجدهم": 18, "هیجدهم": 18, "هژدهم": 18, "نوزدهم": 19, "بیستم": 20}
    | {f"بیست و {word}": 20 + n for n, word in enumerate(_ORDINAL_UNITS, start=1)}
    | {"سی\u200cام": 30, "سی ام": 30, "سیام": 30, "سی و یکم": 31}
)
# every ordinal day above, longest first, as one alternation (corpus/metadata.py reads date lines with it)
ORDINAL_WORDS = "|".join(sorted(ORDINAL_DAYS, key=len, reverse=True))
_JALALI_ORDINAL = re.compile(
    rf"(?<![\u0600-\u06ff\u200c])({ORDINAL_WORDS})\s+(" + _MONTH_WORDS + r")(?:[\s\u200c]*ماه)?\s+(1[34]\d\d)(?!\d)"
)
# the year, the month, then the day, as Deutsche Welle's Persian pages print it: «۱۳۹۷ شهریور ۳۱, شنبه»
_JALALI_YEAR_MONTH_DAY = re.compile(r"(?<!\d)(1[34]\d\d)\s+(" + _MONTH_WORDS + r")\s+(\d{1,2})(?!\d)(?!\s*[:/])")
# the month first and the day as an ordinal, as Persian WordPress themes print it: «پ٫ اردیبهشت ۶ام, ۱۴۰۳»
_JALALI_MONTH_FIRST = re.compile(r"(?<![^\s\d٫.,،])(" + _MONTH_WORDS + r")\s+(\d{1,2})(?:\s*ام)?\s*[,،]?\s+(1[34]\d\d)(?!\d)")
_OFFSET = r"\s*(Z|[+-]\d{2}:?\d{2})?$"
_CLOCK = r"\s*T?\s*(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?"
_ISO_SPACED = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})\s*T?\s*(\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)" + _OFFSET)
_JALALI_ISO = re.compile(r"^(1[34]\d\d)-(\d{1,2})-(\d{1,2})(?:" + _CLOCK + ")?" + _OFFSET)
_GREGORIAN_SLASHES = re.compile(r"\b((?:19|2[01])\d\d)/(\d{1,2})/(\d{1,2})\b")
_ENGLISH_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# the Gregorian months as Persian writes them («۲ دسامبر ۲۰۲۵»), with the spellings in use
PERSIAN_GREGORIAN = {
    name: number
    for number, names in enumerate(
        (
            ("ژانویه", "ژانویهٔ"),
            ("فوریه", "فوریهٔ"),
            ("مارس",),
            ("آوریل", "اوریل"),
            ("مه", "می"),
            ("ژوئن",),
            ("ژوئیه", "جولای", "ژوییه"),
            ("اوت", "آگوست", "اگوست"),
            ("سپتامبر",),
            ("اکتبر",),
            ("نوامبر",),
            ("دسامبر",),
        ),
        start=1,
    )
    for name in names
}
_PERSIAN_DAY_MONTH = re.compile(
    r"(?<!\d)(\d{1,2})\s+(" + "|".join(sorted(PERSIAN_GREGORIAN, key=len, reverse=True)) + r")\s+((?:19|2[01])\d\d)(?!\d)"
)
_MONTH_WORD = r"(" + "|".join(_ENGLISH_MONTHS) + r")[a-z]*\.?"
_ENGLISH_DAY_MONTH = re.compile(r"\b(\d{1,2})\s+" + _MONTH_WORD + r",?\s+(\d{4})\b", re.IGNORECASE)
_ENGLISH_MONTH_DAY = re.compile(r"\b" + _MONTH_WORD + r"\s+(\d{1,2}),?\s+(\d{4})\b", re.IGNORECASE)
# Iran's zone as feeds abbreviate it; email.utils knows only North American and UTC names
_ZONE_NAMES = {"IRST": "+0330", "IRDT": "+0430", "IRT": "+0330"}
_ZONE_NAME = re.compile(r"\b(" + "|".join(_ZONE_NAMES) + r")\b")
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::\d{2})?(?:\s*(ق\.?\s?ظ|ب\.?\s?ظ|AM|PM|am|pm))?")
_AFTERNOON = ("ب", "PM", "pm")
_UNITS = ((365 * 86400, "سال"), (30 * 86400, "ماه"), (7 * 86400, "هفته"), (86400, "روز"), (3600, "ساعت"), (60, "دقیقه"))


def ascii_digits(text: str) -> str:
    return text.translate(_TO_ASCII)


def persian_digits(text: str) -> str:
    return text.translate(_TO_PERSIAN)


def parse(published: str | None, zone: tzinfo = TEHRAN) -> datetime | None:
    """An aware datetime for a stored publication string, or None if it names no date we can
    show (nothing readable, or a year outside 1900–2200). Never raises. A time that names no zone
    is ``zone``'s: Tehran's, unless the caller knows the source writes another country's clock
    (Afghanistan's outlets write Kabul's, an hour ahead of Tehran's winter)."""
    if not published or not isinstance(published, str) or len(published) > 200:
        return None
    try:
        when = _parse(ascii_digits(published).strip(), zone)
    except (ValueError, OverflowError):
        return None
    if when is None:
        return None
    try:
        return when if EARLIEST <= when <= LATEST else None
    except (ValueError, OverflowError):
        return None


def _parse(text: str, zone: tzinfo) -> datetime | None:
    text = text.replace("ي", "ی").replace("ك", "ک")  # Arabic yeh and kaf, as many Persian sites write months
    if m := _JALALI_ISO.match(text):
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
        hour, minute, second = (int(g) if g else 0 for g in m.group(4, 5, 6))
        return _from_jalali(year, month, day, hour, minute, second, _zone(m.group(7), zone))
    if m := _ISO_SPACED.match(text):
        text = f"{m.group(1)}T{m.group(2)}{m.group(3) or ''}"
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
        return when if when.tzinfo else when.replace(tzinfo=zone)
    except ValueError:
        pass
    if when := _rfc822(text, zone):
        return when
    day = month = year = None
    if m := _JALALI_WORDS.search(text):
        day, month, year = int(m.group(1)), _MONTH_NUMBER[m.group(2)], int(m.group(3))
    elif m := _JALALI_SLASHES.search(text):
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    elif m := _JALALI_DAY_FIRST.search(text):
        day, month, year = int(m.group(1)), int(m.group(3)), int(m.group(4))
    elif m := _JALALI_YEAR_FIRST.search(text):
        year, day, month = int(m.group(1)), int(m.group(2)), _MONTH_NUMBER[m.group(3)]
    elif m := _JALALI_MONTH_FIRST.search(text):
        month, day, year = _MONTH_NUMBER[m.group(1)], int(m.group(2)), int(m.group(3))
    elif m := _JALALI_YEAR_MONTH_DAY.search(text):
        year, month, day = int(m.group(1)), _MONTH_NUMBER[m.group(2)], int(m.group(3))
    elif m := _JALALI_ORDINAL.search(text):
        day, month, year = ORDINAL_DAYS[m.group(1)], _MONTH_NUMBER[m.group(2)], int(m.group(3))
    if year is None:
        return _gregorian(text, zone)
    hour, minute = _clock(text[m.end() :], text[: m.start()])
    return _from_jalali(year, month, day, hour, minute, 0, zone)


def _clock(after_date: str, before_date: str = "") -> tuple[int, int]:
    """The time of day written after a date («۱۴:۰۵», «2:05 ب.ظ», «2:05 PM»), or before it as
    some sites write it («۱۲:۱۶ - ۱۲ اردیبهشت ۱۳۹۸»); midnight if none."""
    t = _TIME.search(after_date) or _TIME.search(before_date)
    if t is None:
        return 0, 0
    hour, minute = int(t.group(1)), int(t.group(2))
    half = t.group(3)
    if half and hour <= 12:
        hour = (hour % 12) + (12 if half.startswith(_AFTERNOON) else 0)
    return hour, minute


def _from_jalali(year: int, month: int, day: int, hour: int, minute: int, second: int, zone: tzinfo) -> datetime | None:
    try:
        gregorian = jdatetime.datetime(year, month, day, min(hour, 23), min(minute, 59), min(second, 59)).togregorian()
    except ValueError:
        return None
    return gregorian.replace(tzinfo=zone)


def _zone(offset: str | None, local: tzinfo) -> tzinfo:
    """«+0430», «+04:30», «Z» → that fixed offset; none → the source's own zone."""
    if not offset:
        return local
    if offset == "Z":
        return UTC
    sign = -1 if offset[0] == "-" else 1
    digits = offset[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _rfc822(text: str, zone: tzinfo) -> datetime | None:
    """RFC 822 / 1123, as RSS writes dates; an unknown or missing zone is the source's. Its clock has
    24 hours: a time with AM/PM is not RFC 822, and email.utils would drop the PM."""
    clock = _TIME.search(text)
    if clock is None or clock.group(3) or not re.search(_MONTH_WORD, text, re.IGNORECASE):
        return None
    try:
        when = parsedate_to_datetime(_ZONE_NAME.sub(lambda m: _ZONE_NAMES[m.group(1)], text))
    except (TypeError, ValueError, IndexError):
        return None
    return when if when.tzinfo else when.replace(tzinfo=zone)


def _gregorian(text: str, zone: tzinfo) -> datetime | None:
    """«2019/05/29 19:50», «29 May 2019», «May 29, 2019», «۲۹ مه ۲۰۱۹»: a Gregorian date with or
    without a time, in ``zone``."""
    if m := _GREGORIAN_SLASHES.search(text):
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    elif m := _ENGLISH_DAY_MONTH.search(text):
        day, month, year = int(m.group(1)), _ENGLISH_MONTHS.index(m.group(2).lower()) + 1, int(m.group(3))
    elif m := _ENGLISH_MONTH_DAY.search(text):
        month, day, year = _ENGLISH_MONTHS.index(m.group(1).lower()) + 1, int(m.group(2)), int(m.group(3))
    elif m := _PERSIAN_DAY_MONTH.search(text):
        day, month, year = int(m.group(1)), PERSIAN_GREGORIAN[m.group(2)], int(m.group(3))
    else:
        return None
    hour, minute = _clock(text[m.end() :])
    try:
        return datetime(year, month, day, min(hour, 23), min(minute, 59), tzinfo=zone)
    except ValueError:
        return None


def has_clock(published: str | None) -> bool:
    """Whether a stated time names a time of day («2019-05-29T19:50», «۸ خرداد ۱۳۹۸ - ۱۹:۵۰»)
    rather than only a day («2019-05-29», «۸ خرداد ۱۳۹۸»), which :func:`parse` reads as midnight."""
    return bool(published) and _TIME.search(ascii_digits(published)) is not None


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


def days_ago(when: datetime, now: datetime | None = None) -> str:
    """How long ago a day was, in days of Tehran's calendar: «امروز», «دیروز», «۵ روز پیش»; for a
    source that gave only the day, since hours would claim a time nobody stated."""
    now = now or datetime.now(UTC)
    days = (now.astimezone(TEHRAN).date() - when.astimezone(TEHRAN).date()).days
    if days <= 0:
        return "امروز"
    if days == 1:
        return "دیروز"
    if days < 30:
        return persian_digits(f"{days} روز پیش")
    return age(when, now)


def shown(published: str | None, now: datetime | None = None) -> str | None:
    """What a citation shows: the Jalali date and how old it is, or the source's own words if
    they name no date we can read. A day stated without a time is shown as that day, its age in
    days."""
    when = parse(published)
    if when is None:
        return published
    return f"{jalali(when)} ({age(when, now) if has_clock(published) else days_ago(when, now)})"
