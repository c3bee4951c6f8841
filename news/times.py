"""The time a fetched source states for an article, read and checked before it is believed.

A feed, a sitemap or a page may state any time: a content system's default (1970), a date years
ahead that would hold a story at the top of every "latest" answer, or a zone-less time that a
generic reader takes for UTC (four and a half hours off for a Tehran summer). A stated time is
read with :func:`corpus.dates.parse` (zone-less is Tehran's, Jalali and RFC 822 included) and
kept only if it falls between the first news sites and a day after now, the day being slack for
clocks and zones written wrong. Otherwise it is no time, and the next source of one is asked.

A stated day without a time of day («2019-05-29», «۸ خرداد ۱۳۹۸») stays a day: it is kept as the
date alone, shown without a clock, and gives way to a less trusted source's full time on that
same day (:func:`first_time`), so a feed's or a meta tag's bare date does not become midnight.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, datetime, tzinfo

from corpus import dates

logger = logging.getLogger(__name__)
EARLIEST = dates.NEWS_EARLIEST  # htmldate's own floor: no news page is older
SLACK = dates.NEWS_SLACK


def stated_time(stamp: str | None, now: datetime | None = None, zone: tzinfo = dates.TEHRAN) -> str | None:
    """An ISO timestamp with its zone for what a source states (the ISO date alone when it
    states only a day), or None if it states no believable publication time. A zone-less time
    is ``zone``'s: the clock the source's site writes (:func:`corpus.outlets.zone_of_host`)."""
    when = dates.parse(stamp, zone)
    if when is None:
        return None
    now = now or datetime.now(UTC)
    if when > now + SLACK:
        logger.info("a source states %r as a publication time, after now; not believed", stamp[:60])
        return None
    if when < EARLIEST:
        logger.info("a source states %r as a publication time, before any news site; not believed", stamp[:60])
        return None
    if not dates.has_clock(stamp):
        return when.date().isoformat()
    return when.isoformat(timespec="seconds")


def first_time(stamps: Iterable[str | None], now: datetime | None = None, zone: tzinfo = dates.TEHRAN) -> str | None:
    """The first believable time among ``stamps``, given in the caller's order of trust (a
    zone-less one is ``zone``'s). A stated day without a time of day is kept only until a later
    stamp gives a full time on that day (in the source's zone or in UTC, whichever calendar the
    day was written in); a full time on another day does not move it."""
    day: str | None = None
    for stamp in stamps:
        when = stated_time(stamp, now, zone)
        if when is None:
            continue
        if dates.has_clock(when):
            if day is None or _on_day(when, day, zone):
                return when
        elif day is None:
            day = when
    return day


def _on_day(when: str, day: str, local: tzinfo) -> bool:
    instant = dates.parse(when)
    if instant is None:
        return False
    return day in {instant.astimezone(zone).date().isoformat() for zone in (local, UTC)}
