"""The time a fetched source states for an article, read and checked before it is believed.

A feed, a sitemap or a page may state any time: a content system's default (1970), a date years
ahead that would hold a story at the top of every "latest" answer, or a zone-less time that a
generic reader takes for UTC (four and a half hours off for a Tehran summer). A stated time is
read with :func:`corpus.dates.parse` (zone-less is Tehran's, Jalali and RFC 822 included) and
kept only if it falls between the first news sites and a day after now, the day being slack for
clocks and zones written wrong. Otherwise it is no time, and the next source of one is asked.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from corpus import dates

logger = logging.getLogger(__name__)
EARLIEST = datetime(1995, 1, 1, tzinfo=UTC)  # htmldate's own floor: no news page is older
SLACK = timedelta(days=1)


def stated_time(stamp: str | None, now: datetime | None = None) -> str | None:
    """An ISO timestamp with its zone for what a source states, or None if it states no
    believable publication time."""
    when = dates.parse(stamp)
    if when is None:
        return None
    now = now or datetime.now(UTC)
    if when > now + SLACK:
        logger.info("a source states %r as a publication time, after now; not believed", stamp[:60])
        return None
    if when < EARLIEST:
        logger.info("a source states %r as a publication time, before any news site; not believed", stamp[:60])
        return None
    return when.isoformat(timespec="seconds")
