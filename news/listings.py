"""What a source lists: the article links (with their times and titles) in an RSS/Atom/JSON feed
(feedparser) or a news or ordinary sitemap (lxml, without entities or network access)."""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from urllib.parse import urljoin, urlsplit

import feedparser
from lxml import etree
from lxml import html as lxml_html

from corpus import dates
from corpus.errors import CorpusError
from corpus.outlets import zone_of_host
from news.pages import canonical_url, decode_html
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


_XML_ENCODING = re.compile(rb"""^(\s*<\?xml[^>]*?\bencoding\s*=\s*)["']([A-Za-z0-9_\-:.]+)["']""")


def as_utf8(body: bytes, content_type: str = "") -> bytes:
    """A feed's or sitemap's bytes as UTF-8, whatever its declaration says.

    Feeds lie about their charset as pages do: Windows-1256 declared as UTF-8, or as nothing, or
    UTF-8 declared as Windows-1256. Read at their word, their titles and Persian links were
    mojibake (a link to a page that does not exist) or the whole sitemap was refused. Decoded as
    a page is (:func:`news.pages.decode_html`), re-encoded, and declared as what it now is."""
    said = _XML_ENCODING.match(body[:512])
    header = f"charset={said.group(2).decode('ascii')}" if said else content_type
    text = decode_html(body, header).lstrip("\ufeff").encode("utf-8")
    return _XML_ENCODING.sub(rb'\1"utf-8"', text, count=1)


def feed_items(body: bytes, url: str, content_type: str = "") -> list[Item]:
    """Items of an RSS 0.9x/1.0/2.0, Atom or JSON feed, newest first as the feed lists them."""
    body = as_utf8(body, content_type)
    with warnings.catch_warnings():  # feedparser warns about its updated/published fallback on every access
        warnings.simplefilter("ignore", DeprecationWarning)
        # the body decides, not the Content-Type: plenty of sites serve feeds as text/plain or text/html
        parsed = feedparser.parse(body, response_headers={"content-location": url, "content-type": "application/xml"})
        items, zone = [], zone_of_host(urlsplit(url).hostname)  # the clock the feed's site writes
        for entry in parsed.entries:
            link = entry.get("link") or next((lk.get("href") for lk in entry.get("links", []) if lk.get("href")), None)
            if not link or not _web(link := urljoin(url, link)):
                continue
            published = _entry_time(entry, "published", zone) or _entry_time(entry, "updated", zone)
            updated = _entry_time(entry, "updated", zone) or published
            items.append(Item(canonical_url(link), (entry.get("title") or "").strip() or None, published, updated))
    if not items and parsed.get("bozo"):
        problem = parsed.get("bozo_exception")
        reason = problem.getMessage() if hasattr(problem, "getMessage") else str(problem)
        raise ListingError(f"not a readable feed ({reason})")
    if not items and not parsed.get("version"):
        raise ListingError("not a readable feed (no RSS, Atom or JSON Feed in it)")
    return _without_one_time_for_all(items, url)


SAME_TIME_MIN_ITEMS = 3


def _without_one_time_for_all(items: list[Item], url: str) -> list[Item]:
    """Some feeds are generated on request and give every item the time of the request. That
    time says nothing of any article: believed, it would date every story "now" (the feed's time
    wins over the page's), and as a change stamp it would fetch every page again each pass. So
    when three or more items share one time to the second, that time is dropped: each article
    keeps its page's own time, and a page is fetched again only once it is gone (or, when only
    the change stamps are shared, when its publication time changes)."""
    if len(items) < SAME_TIME_MIN_ITEMS:
        return items
    one_time = _one_time(i.published for i in items)
    one_stamp = _one_time(i.stamp for i in items)
    if not (one_time or one_stamp):
        return items
    logger.info("%s gives all its %d items one time; the pages' own times are used", url, len(items))
    kept = []
    for item in items:
        published = None if one_time else item.published
        kept.append(Item(item.url, item.title, published, published if one_stamp else item.stamp))
    return kept


def _one_time(stamps: Iterable[str | None]) -> bool:
    seen = {dates.timestamp(s) for s in stamps}
    return len(seen) == 1 and None not in seen


def _entry_time(entry: feedparser.FeedParserDict, key: str, zone: tzinfo) -> str | None:
    """An entry's time as the feed wrote it, read as a page's is: a zone-less time is the clock
    its site writes (Tehran's; Kabul's for Afghanistan's press), «IRDT» is +04:30, a Jalali
    date is read as one (:mod:`news.times`). feedparser's own reading
    takes a zone-less time for UTC and a Jalali date for a Gregorian one, so it is asked only
    for what ours cannot read, and checked the same way."""
    raw = entry.get(key)
    if isinstance(raw, str) and (when := stated_time(raw, zone=zone)):
        return when
    parsed = entry.get(f"{key}_parsed")
    if not parsed:
        return None
    try:
        return stated_time(datetime(*parsed[:6], tzinfo=UTC).isoformat())
    except (TypeError, ValueError, OverflowError):
        return None


FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json", "application/rdf+xml")
_COMMENTS = ("comment", "نظرات", "دیدگاه")


def advertised_feeds(body: bytes, url: str) -> list[str]:
    """The feeds a web page names in its head (``<link rel="alternate" type="application/rss+xml"
    href="…">``), site-wide ones before comment feeds, resolved against the page's URL: what an
    operator who gives a site's address as its feed means."""
    try:
        doc = lxml_html.document_fromstring(body)
    except (etree.ParserError, ValueError):
        return []
    found: list[tuple[bool, str]] = []
    for link in doc.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower().split(";")[0].strip()
        href = (link.get("href") or "").strip()
        if "alternate" in rel and kind in FEED_TYPES and href and _web(feed := urljoin(url, href)):
            comments = any(word in (link.get("title") or "").lower() for word in _COMMENTS)
            found.append((comments, feed))
    return list(dict.fromkeys(feed for _, feed in sorted(found, key=lambda f: f[0])))


def _web(link: str) -> bool:
    """An http(s) link; ``javascript:``, ``mailto:``, ``data:`` and ``file:`` links lead to no article."""
    if urlsplit(link).scheme.lower() in ("http", "https"):
        return True
    logger.info("a listing links %r, which is no web page; skipped", link[:80])
    return False


def sitemap_items(body: bytes, url: str) -> tuple[list[Item], list[str]]:
    """(article items, child sitemaps) of a sitemap or sitemap index; Google News tags give titles and times."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)
    try:
        root = etree.fromstring(as_utf8(body), parser)
    except etree.XMLSyntaxError as exc:
        raise ListingError(f"not a readable sitemap ({exc.msg})") from None
    if root.tag == f"{_SITEMAP}sitemapindex":
        return [], [urljoin(url, loc.text.strip()) for loc in root.iter(f"{_SITEMAP}loc") if loc.text]
    if root.tag != f"{_SITEMAP}urlset":
        raise ListingError(f"not a sitemap (root element {etree.QName(root).localname!r})")
    items, zone = [], zone_of_host(urlsplit(url).hostname)
    for node in root.iter(f"{_SITEMAP}url"):
        loc = node.findtext(f"{_SITEMAP}loc")
        if not loc or not loc.strip() or not _web(loc := urljoin(url, loc.strip())):
            continue
        published = node.findtext(f"{_NEWS}news/{_NEWS}publication_date")
        lastmod = node.findtext(f"{_SITEMAP}lastmod")
        title = node.findtext(f"{_NEWS}news/{_NEWS}title")
        stamp = stated_time(lastmod, zone=zone)
        when = stated_time(published, zone=zone)
        items.append(Item(canonical_url(loc), (title or "").strip() or None, when, stamp or when))
    return items, []
