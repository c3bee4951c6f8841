"""Stored stories read again for a while after they are first read, a few each pass: a site
corrects a story without saying so in its feed (the new words replace the old), and takes
back one that proved false (it is removed, as `pasokh remove` would). Quoting on a story its
source withdrew would cite the source for what it no longer says.

A story counts as taken back only on what its own page says, twice, in two passes: a 404 or a
410, a «not found» page served as the story, or its address now sending the reader to the
site's home page. A timeout, a server error or a browser check says nothing about the story
and changes nothing. A pass in which every story read again looks gone is the site failing
(a maintenance page for every address), not stories withdrawn, and counts for none of them.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from corpus.read import RawArticle
from news.client import FetchError
from news.pages import PageError, StoryNotFound

logger = logging.getLogger(__name__)
GONE_STATUSES = (404, 410)
FIRST_GAP_SECONDS = 900.0  # a story is read again no sooner than this after it was first read
_HOME_PATH = re.compile(r"^/?(?:[a-z]{2}(?:-[a-z]{2})?/?)?$", re.IGNORECASE)  # "/", "/fa/", "/en-us"


def is_home(url: str) -> bool:
    """Whether ``url`` is a site's home page (its root, or a language's root such as ``/fa/``)."""
    return _HOME_PATH.match(urlsplit(url).path) is not None


def gone_reason(exc: Exception) -> str | None:
    """Why a failed read means the story was taken back, or None for a failure that may pass."""
    if isinstance(exc, FetchError) and exc.status in GONE_STATUSES:
        return f"HTTP {exc.status}"
    if isinstance(exc, StoryNotFound):
        return str(exc)
    return None


def due(
    read_at: Mapping[str, list[float]],
    published: Mapping[str, float | None],
    pending: Iterable[str],
    now: float,
    hours: float,
    limit: int,
) -> list[str]:
    """Which stored stories to read again this pass, at most ``limit``: those first read (else
    published) within the last ``hours`` whose turn has come, a story already found gone once
    first (its second look decides), then the one read longest ago. ``published`` holds the
    stored stories only.

    A story's turn comes when it has gone unread as long as it had been stored when last read
    (at least :data:`FIRST_GAP_SECONDS`): read again at about 15 minutes, 30, an hour, two …,
    so a story is asked for about eight times in two days, most often while it is new, when
    sites correct and withdraw."""
    if hours <= 0 or limit <= 0:
        return []
    since = now - hours * 3600
    first_pending = set(pending)

    def began(url: str) -> float | None:
        times = read_at.get(url)
        return times[0] if times else published.get(url)

    def turn(url: str) -> bool:
        times = read_at.get(url)
        if url in first_pending or not times:
            return True
        first, last = times[0], times[-1]
        return now - last >= max(FIRST_GAP_SECONDS, last - first)

    fresh = [url for url in published if (start := began(url)) is not None and start >= since and turn(url)]
    fresh.sort(key=lambda url: (url not in first_pending, (read_at.get(url) or [0.0, 0.0])[-1]))
    return fresh[:limit]


@dataclass
class Outcome:
    """What reading stories again found."""

    read: dict[str, RawArticle] = field(default_factory=dict)  # listed URL → the story as it is now
    gone: dict[str, str] = field(default_factory=dict)  # listed URL → why it looks taken back
    failed: dict[str, str] = field(default_factory=dict)  # listed URL → a failure that says nothing of the story


def read_again(urls: Iterable[str], read: Callable[[str], RawArticle], out_of_time: Callable[[], bool]) -> Outcome:
    """Each story's page read again; a failure is kept as what it says about the story."""
    outcome = Outcome()
    for url in urls:
        if out_of_time():
            break
        try:
            outcome.read[url] = read(url)
        except (FetchError, PageError) as exc:
            if (why := gone_reason(exc)) is not None:
                outcome.gone[url] = why
            else:
                outcome.failed[url] = str(exc)
        except Exception as exc:  # one hostile page never stops the pass
            logger.debug("reading %s again failed", url, exc_info=True)
            outcome.failed[url] = f"{url}: {type(exc).__name__}: {exc}"[:300]
    if len(outcome.gone) >= 2 and not outcome.read:
        why = next(iter(outcome.gone.values()))
        logger.warning("every story read again looks gone (%s); read as the site failing, not stories taken back", why)
        outcome.failed.update({url: f"{url}: {why}" for url, why in outcome.gone.items()})
        outcome.gone = {}
    return outcome
