"""What a source lists: the article links (with their times and titles) in an RSS/Atom/JSON feed
(feedparser) or a news or ordinary sitemap (lxml, without entities or network access)."""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urljoin

import feedparser
from lxml import etree

from corpus.errors import CorpusError
from news.pages import canonical_url
from news.times import stated_time

logger = logging.getLogger(__name__)
_SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
_NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


class ListingError(CorpusError):
    """A feed or sitemap that cannot be read; the message says what is wrong with it."""


@dataclass(frozen=True)
class Item:
    """One article a source points to. ``stamp`` changes when the source says the article changed."""

    url: str
    title: str | None = None
    published: str | None = None
    stamp: str | None = None


def feed_items(body: bytes, url: str, content_type: str = "") -> list[Item]:
    """Items of an RSS 0.9x/1.0/2.0, Atom or JSON feed, newest first as the feed lists them."""
    with warnings.catch_warnings():  # feedparser warns about its updated/published fallback on every access
        warnings.simplefilter("ignore", DeprecationWarning)
        # the body decides, not the Content-Type: plenty of sites serve feeds as text/plain or text/html
        parsed = feedparser.parse(body, response_headers={"content-location": url, "content-type": "application/xml"})
        items = []
        for entry in parsed.entries:
            link = entry.get("link") or next((lk.get("href") for lk in entry.get("links", []) if lk.get("href")), None)
            if not link:
                continue
            published = _entry_time(entry, "published") or _entry_time(entry, "updated")
            updated = _entry_time(entry, "updated") or published
            items.append(Item(canonical_url(urljoin(url, link)), (entry.get("title") or "").strip() or None, published, updated))
    if not items and parsed.get("bozo"):
        problem = parsed.get("bozo_exception")
        reason = problem.getMessage() if hasattr(problem, "getMessage") else str(problem)
        raise ListingError(f"not a readable feed ({reason})")
    if not items and not parsed.get("version"):
        raise ListingError("not a readable feed (no RSS, Atom or JSON Feed in it)")
    return items


def _entry_time(entry: feedparser.FeedParserDict, key: str) -> str | None:
    """An entry's time as the feed wrote it, read as a page's is: a zone-less time is Tehran's,
    «IRDT» is +04:30, a Jalali date is read as one (:mod:`news.times`). feedparser's own reading
    takes a zone-less time for UTC and a Jalali date for a Gregorian one, so it is asked only
    for what ours cannot read, and checked the same way."""
    raw = entry.get(key)
    if isinstance(raw, str) and (when := stated_time(raw)):
        return when
    parsed = entry.get(f"{key}_parsed")
    if not parsed:
        return None
    try:
        return stated_time(datetime(*parsed[:6], tzinfo=UTC).isoformat())
    except (TypeError, ValueError, OverflowError):
        return None


def sitemap_items(body: bytes, url: str) -> tuple[list[Item], list[str]]:
    """(article items, child sitemaps) of a sitemap or sitemap index; Google News tags give titles and times."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        raise ListingError(f"not a readable sitemap ({exc.msg})") from None
    if root.tag == f"{_SITEMAP}sitemapindex":
        return [], [urljoin(url, loc.text.strip()) for loc in root.iter(f"{_SITEMAP}loc") if loc.text]
    if root.tag != f"{_SITEMAP}urlset":
        raise ListingError(f"not a sitemap (root element {etree.QName(root).localname!r})")
    items = []
    for node in root.iter(f"{_SITEMAP}url"):
        loc = node.findtext(f"{_SITEMAP}loc")
        if not loc or not loc.strip():
            continue
        published = node.findtext(f"{_NEWS}news/{_NEWS}publication_date")
        lastmod = node.findtext(f"{_SITEMAP}lastmod")
        title = node.findtext(f"{_NEWS}news/{_NEWS}title")
        stamp = stated_time(lastmod)
        when = stated_time(published)
        items.append(Item(canonical_url(urljoin(url, loc.strip())), (title or "").strip() or None, when, stamp or when))
    return items, []
