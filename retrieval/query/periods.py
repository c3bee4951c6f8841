"""Time in questions and answers: which period a question names («امروز», «دیروز», «این هفته»,
«امسال», «۲۸ خرداد»), and how fresh an article is. Pure functions over timestamps, so the
ranking stays testable without a clock."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

import jdatetime

from corpus.dates import MONTHS, TEHRAN, ascii_digits
from retrieval.rank.fusion import best_first
from retrieval.records import Hit

_MONTH = {name: n for n, name in enumerate(MONTHS, start=1)} | {"امرداد": 5}
_MONTH_NAMES = "|".join(sorted(_MONTH, key=len, reverse=True))
_DATE = re.compile(r"(?<!\d)(\d{1,2})\s*(?:ام|م)?\s+(" + _MONTH_NAMES + r")(?:\s+(?:ماه\s+)?(\d{4}))?")
_WORDS = (
    (re.compile(r"\bامروز\b|\bامشب\b"), "today"),
    (re.compile(r"\bدیروز\b|\bدیشب\b"), "yesterday"),
    (re.compile(r"\bپریروز\b"), "day_before"),
    (re.compile(r"\b(?:این|همین)\s*هفته\b"), "this_week"),
    (re.compile(r"\bهفته\s*(?:گذشته|پیش|قبل)\b"), "last_week"),
    (re.compile(r"\b(?:این|همین)\s*ماه\b"), "this_month"),
    (re.compile(r"\bامسال\b"), "this_year"),
    (re.compile(r"\bپارسال\b|\bسال\s*(?:گذشته|قبل)\b"), "last_year"),
)


@dataclass(frozen=True)
class Window:
    """A period in epoch seconds, start inclusive, end exclusive."""

    start: float
    end: float
    label: str

    def holds(self, stamp: float | None) -> bool:
        return stamp is not None and self.start <= stamp < self.end


def window(question: str, now: datetime) -> Window | None:
    """The period a question names, in Tehran days; None when it names none."""
    text = ascii_digits(question).replace("\u200c", " ")
    local = now.astimezone(TEHRAN)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if m := _DATE.search(text):
        day, month = int(m.group(1)), _MONTH[m.group(2)]
        today = jdatetime.date.fromgregorian(date=local.date())
        year = int(m.group(3)) if m.group(3) else today.year
        try:
            if not m.group(3) and (month, day) > (today.month, today.day):
                year -= 1  # «۲۸ خرداد» asked in آذر means the last one
            start = datetime.combine(jdatetime.date(year, month, day).togregorian(), datetime.min.time(), TEHRAN)
        except ValueError:
            return None
        return Window(start.timestamp(), (start + timedelta(days=1)).timestamp(), m.group(0))
    for pattern, name in _WORDS:
        if pattern.search(text):
            return _named(name, midnight)
    return None


def _named(name: str, midnight: datetime) -> Window:
    day = timedelta(days=1)
    jtoday = jdatetime.date.fromgregorian(date=midnight.date())
    week_start = midnight - day * jtoday.weekday()  # the Persian week starts on Saturday
    month_start = midnight - day * (jtoday.day - 1)
    year_start = datetime.combine(jdatetime.date(jtoday.year, 1, 1).togregorian(), datetime.min.time(), TEHRAN)
    last_year = datetime.combine(jdatetime.date(jtoday.year - 1, 1, 1).togregorian(), datetime.min.time(), TEHRAN)
    spans = {
        "today": (midnight, midnight + day),
        "yesterday": (midnight - day, midnight),
        "day_before": (midnight - 2 * day, midnight - day),
        "this_week": (week_start, week_start + 7 * day),
        "last_week": (week_start - 7 * day, week_start),
        "this_month": (month_start, midnight + day),
        "this_year": (year_start, midnight + day),
        "last_year": (last_year, year_start),
    }
    start, end = spans[name]
    return Window(start.timestamp(), end.timestamp(), name)


def freshness(stamp: float | None, now: float, half_life_days: float) -> float:
    """1 for an article published now, halving every ``half_life_days``; 0 for undated ones."""
    if stamp is None or half_life_days <= 0:
        return 0.0
    age_days = max(0.0, now - stamp) / 86400
    return math.pow(0.5, age_days / half_life_days)


def prefer(
    hits: list[Hit],
    stamps: dict[int, float | None],
    now: float,
    half_life_days: float,
    weight: float,
    period: Window | None = None,
    period_weight: float = 0.0,
) -> list[Hit]:
    """Re-rank so that, among near-equal matches, newer articles come first, and articles from the
    period a question names come before others. Scores are min-max scaled over the ranking, so
    ``weight`` is the share of the score range freshness may overturn; undated articles (an
    encyclopedia, an archive without dates) keep their order exactly."""
    if not hits or (weight <= 0 and (period is None or period_weight <= 0)):
        return hits
    def bonus(hit: Hit) -> float:
        stamp = stamps.get(hit.sentence_id)
        extra = weight * freshness(stamp, now, half_life_days)
        if period is not None and period.holds(stamp):
            extra += period_weight
        return extra

    bonuses = [bonus(h) for h in hits]
    if not any(bonuses):
        return hits
    top, low = max(h.score for h in hits), min(h.score for h in hits)
    spread = (top - low) or 1.0
    return best_first([Hit(h.sentence_id, (h.score - low) / spread + b) for h, b in zip(hits, bonuses, strict=True)])
