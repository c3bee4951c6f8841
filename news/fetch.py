"""Following news sources: one pass over each due source, from its feed or sitemap to ingested
articles, with its state (validators, errors, schedule) kept in the store so every worker and
`pasokh sources` see the same thing.

A failing source is recorded and logged once (until its error changes), and never stops the
others; nothing already stored is lost when a source or one of its pages fails.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import unescape as html_unescape
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from corpus import dates
from corpus.dates import TEHRAN
from corpus.errors import CorpusError
from corpus.read import RawArticle
from news import metrics, recheck
from news.channels import ChannelError, posts_of, preview_url
from news.channels import to_raw as channel_raw
from news.client import Client, FetchError, Response, origin_of
from news.listings import Item, ListingError, advertised_feeds, feed_items, sitemap_items
from news.pages import (
    HTML_TYPES,
    NotAnArticle,
    PageError,
    StoryNotFound,
    article_id,
    canonical_url,
    capped,
    decode_html,
    extract,
    same_site,
    to_raw,
)
from news.report import ReportError, WatchReport, read_report
from news.sources import Source, SourceError, telegram_path
from retrieval.engine import Engine
from retrieval.errors import store_said
from retrieval.index.ingest import IngestReport, ingest_raw, remove
from retrieval.store.state import StateKind

logger = logging.getLogger(__name__)
FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
HTML_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"
MAX_CHILD_SITEMAPS = 5
KEPT_ITEMS = 2000
MAX_ITEM_ERRORS = 20
STORE_RETRY_SECONDS = 5
LOOK_SECONDS = 15  # between sources' due times the watcher still looks at the store this often


@dataclass
class SourceState:
    """What is remembered about one source between passes (typed state, keyed by the source's URL)."""

    etag: str | None = None
    last_modified: str | None = None
    last_fetch: float | None = None
    last_error: str | None = None
    next_fetch: float = 0.0
    items: dict[str, str] = field(default_factory=dict)  # page URL → the stamp it was fetched at
    # listed URL → the id its article was stored under, where the page named another URL (a
    # redirect, a short link, a canonical URL): without it, such a page is fetched every pass
    stored_as: dict[str, str] = field(default_factory=dict)
    # listed URL → the stamp at which its page held no article (a home or section page, no text,
    # not HTML): not fetched again until the listing gives it another stamp
    not_articles: dict[str, str] = field(default_factory=dict)
    # listed URL → [when its page was first read, when last]: a story is read again for a while
    read_at: dict[str, list[float]] = field(default_factory=dict)
    gone: dict[str, float] = field(default_factory=dict)  # listed URL → when its page first said the story is gone
    taken_back: int = 0  # stored stories removed, in all, because the source took them back
    item_errors: list[str] = field(default_factory=list)  # the last pass's failed items, one line each
    dropped: int = 0  # extracted lines left out, in all, because the pages did not show them verbatim

    @classmethod
    def load(cls, engine: Engine, source: Source) -> SourceState:
        return SOURCE_STATE.load(engine.storage.state, source.url) or cls()

    def save(self, engine: Engine, source: Source) -> None:
        if len(self.items) > KEPT_ITEMS:
            self.items = dict(list(self.items.items())[-KEPT_ITEMS:])
        self.stored_as = {url: key for url, key in self.stored_as.items() if url in self.items}
        self.read_at = {url: times for url, times in self.read_at.items() if url in self.items}
        self.gone = {url: when for url, when in self.gone.items() if url in self.items}
        if len(self.not_articles) > KEPT_ITEMS:
            self.not_articles = dict(list(self.not_articles.items())[-KEPT_ITEMS:])
        SOURCE_STATE.save(engine.storage.state, self, source.url)

    def articles(self, engine: Engine) -> int:
        """How many of this source's articles are still in the corpus."""
        return sum(engine.storage.documents.article(key) is not None for key in {self.article_of(url) for url in self.items})

    def article_of(self, url: str) -> str:
        """The id of the article a listed URL was stored as."""
        return self.stored_as.get(url) or article_id(url)


SOURCE_STATE = StateKind("source", SourceState, legacy=lambda url: f"source:{url}")


@dataclass
class SourceReport:
    source: Source
    listed: int = 0
    fetched: int = 0
    not_modified: bool = False
    ingest: IngestReport | None = None
    page_errors: list[str] = field(default_factory=list)
    error: str | None = None
    dropped: int = 0  # extracted lines left out because the page does not show them verbatim
    tried: int = 0  # new or changed items this pass
    removed: list[str] = field(default_factory=list)  # stored articles the source has taken back

    @property
    def added(self) -> int:
        return len(self.ingest.added) if self.ingest else 0

    @property
    def updated(self) -> int:
        return len(self.ingest.updated) if self.ingest else 0


Tick = Callable[[int], None]


def due(engine: Engine, sources: Sequence[Source], now: float | None = None) -> list[Source]:
    now = time.time() if now is None else now
    return [s for s in sources if SourceState.load(engine, s).next_fetch <= now]


def fetch_all(engine: Engine, sources: Sequence[Source], client: Client, tick: Tick | None = None) -> list[SourceReport]:
    """One pass over ``sources``; each gets a report, failures included. The sources are the
    operator's, so their own hosts are trusted; a page two sources list is fetched once."""
    for source in sources:
        client.trust(preview_url(client.settings.telegram_preview_url, "x") if source.kind == "channel" else source.url)
    reports = []
    seen: set[str] = set()
    for source in sources:
        reports.append(fetch_source(engine, source, client, seen))
        if tick:
            tick(1)
    return reports


def fetch_source(engine: Engine, source: Source, client: Client, seen: set[str] | None = None) -> SourceReport:
    """One source: its listing, then each new or changed item. Anything wrong with one item is
    recorded and the rest go on; the source's time budget leaves what it cannot reach for the
    next pass."""
    report = SourceReport(source)
    state = SourceState.load(engine, source)
    started = time.time()
    retry_after = None
    try:
        if source.kind == "channel":
            _channel(engine, source, state, client, report)
        else:
            _listed(engine, source, state, client, report, set() if seen is None else seen)
        if report.page_errors:
            what = "posts" if source.kind == "channel" else "article pages"
            report.error = f"{len(report.page_errors)} of {max(report.tried, 1)} {what} failed; first: {report.page_errors[0]}"
    except (FetchError, ListingError, ChannelError) as exc:
        report.error = str(exc) if isinstance(exc, FetchError) else f"{source.url}: {exc}"
        retry_after = getattr(exc, "retry_after", None)
    except CorpusError as exc:  # a page the corpus layer refuses outright
        report.error = str(exc)
    except Exception as exc:  # a listing no parser expected: recorded, and the other sources go on
        if store_said(exc) is not None:
            raise  # the store failing (a full disk) is no fault of the source's, and every source would fail alike
        logger.debug("source %s failed", source.url, exc_info=True)
        report.error = f"{source.url}: {type(exc).__name__}: {exc}"[:300]
    if report.error and report.error != state.last_error:
        logger.warning("source %s: %s", source.label, report.error)
    elif not report.error and state.last_error:
        logger.warning("source %s works again", source.label)
    metrics.FETCHES.labels(source.label, "error" if report.error else "ok").inc()
    metrics.ADDED.labels(source.label).inc(report.added)
    metrics.REMOVED.labels(source.label).inc(len(report.removed))
    if not report.error:
        metrics.LAST_SUCCESS.labels(source.label).set(time.time())
    state.last_error = report.error
    state.item_errors = report.page_errors[:MAX_ITEM_ERRORS]
    state.dropped += report.dropped
    state.last_fetch = started
    state.next_fetch = started + max(source.every_minutes * 60, retry_after or 0)
    state.save(engine, source)
    return report


def _listed(engine: Engine, source: Source, state: SourceState, client: Client, report: SourceReport, seen: set[str]) -> None:
    """A feed, sitemap or page: the new or changed items of its listing, each page isolated."""
    budget_ends = time.monotonic() + client.settings.source_budget_seconds
    items = _listing(source, state, client, report)
    unique: dict[str, Item] = {}
    for item in items:  # tracking variants were made one URL by the listing: the first listed stands
        unique.setdefault(item.url, item)
    items = list(unique.values())[: source.max_articles]
    report.listed = len(items)
    todo = [
        i
        for i in items
        if (_changed(state.items.get(i.url), i.stamp) or not _stored(engine, state.article_of(i.url)))
        and state.not_articles.get(i.url) != (i.stamp or "")
    ]
    report.tried = len(todo)
    raws: list[RawArticle] = []
    done: dict[str, str] = {}
    stored_as: dict[str, str] = {}
    for n, item in enumerate(todo):
        if time.monotonic() > budget_ends:
            budget = client.settings.source_budget_seconds
            report.page_errors.append(f"time budget of {budget:g} s reached; {len(todo) - n} pages left for the next pass")
            break
        if item.url in seen:
            continue
        seen.add(item.url)
        try:
            raws.append(_page(item, source, client, report))
            done[item.url] = item.stamp or ""
            stored_as[item.url] = raws[-1].id
            state.not_articles.pop(item.url, None)
        except (FetchError, PageError) as exc:
            report.page_errors.append(str(exc) if str(exc).startswith(item.url) else f"{item.url}: {exc}")
            if isinstance(exc, NotAnArticle):
                state.not_articles[item.url] = item.stamp or ""
        except Exception as exc:  # one hostile page must never stop the pass
            logger.debug("page %s failed", item.url, exc_info=True)
            report.page_errors.append(f"{item.url}: {type(exc).__name__}: {exc}"[:300])
    report.fetched = len(raws)
    if raws:
        report.ingest = ingest_raw(engine, raws)
        errors = report.ingest.errors
        report.page_errors += errors + report.ingest.skipped  # recorded per item, as a page that failed to read is
        done = {url: stamp for url, stamp in done.items() if not any(e.startswith(url) for e in errors)}
    state.items.update(done)
    state.stored_as.update({url: key for url, key in stored_as.items() if url in done and key != article_id(url)})
    now = time.time()
    for url in done:
        state.read_at[url] = [(state.read_at.get(url) or [now])[0], now]
        state.gone.pop(url, None)
    _read_again(engine, source, state, client, report, seen, lambda: time.monotonic() > budget_ends)


def _read_again(
    engine: Engine,
    source: Source,
    state: SourceState,
    client: Client,
    report: SourceReport,
    seen: set[str],
    out_of_time: Callable[[], bool],
) -> None:
    """Stories stored lately, read again (news.recheck): an edit replaces the old words, a story
    the source took back is removed when its page says so a second time, in a later pass."""
    settings = client.settings
    if settings.recheck_hours <= 0 or settings.rechecks_per_pass <= 0 or out_of_time():
        return
    stored = {url: state.article_of(url) for url in state.items if url not in seen}
    published = engine.storage.documents.published_times(stored.values())
    published = {url: published[key] for url, key in stored.items() if key in published}
    urls = recheck.due(state.read_at, published, state.gone, time.time(), settings.recheck_hours, settings.rechecks_per_pass)
    if not urls:
        return
    seen.update(urls)
    kept = engine.storage.documents.articles_by_id(stored[url] for url in urls)
    aside = SourceReport(source)  # lines a page leaves out were counted when it was first read

    def read(url: str) -> RawArticle:
        """The page as it is now, under the id, title and time it was stored with."""
        was = kept.get(stored[url])
        item = Item(url, title=was.title if was else None, published=was.published if was else None)
        return dataclasses.replace(_page(item, source, client, aside), id=stored[url])

    outcome = recheck.read_again(urls, read, out_of_time)
    now = time.time()
    for url in [*outcome.read, *outcome.gone, *outcome.failed]:  # a page that keeps failing waits its turn too
        state.read_at[url] = [(state.read_at.get(url) or [now])[0], now]
    for line in outcome.failed.values():
        logger.info("%s: reading a stored story again failed: %s", source.label, line)
    if outcome.read:
        again = ingest_raw(engine, list(outcome.read.values()))
        if again.updated:
            changed = len(again.updated)
            logger.info("%s: %d stored story(ies) changed at the source; the new text replaces the old", source.label, changed)
        report.ingest = _merged(report.ingest, again)
        for url in outcome.read:
            state.gone.pop(url, None)
    confirmed = [url for url in outcome.gone if url in state.gone]
    for url, why in outcome.gone.items():
        if url not in state.gone:
            state.gone[url] = now
            logger.info("%s: %s looks taken back (%s); removed if it still does next pass", source.label, url, why)
    if confirmed:
        removed = remove(engine, [stored[url] for url in confirmed]).removed
        for url in confirmed:
            del state.items[url]
        state.taken_back += len(removed)
        report.removed += removed
        urls = ", ".join(confirmed)[:300]
        logger.warning("%s took back %d stored story(ies) (%s); removed from the corpus", source.label, len(confirmed), urls)


def _merged(first: IngestReport | None, second: IngestReport) -> IngestReport:
    """One pass's ingest report from the new stories' and the ones read again: every field (a
    list or a count) of the two, added up."""
    if first is None:
        return second
    return IngestReport(**{f.name: getattr(first, f.name) + getattr(second, f.name) for f in dataclasses.fields(IngestReport)})


def _changed(fetched_at: str | None, stamp: str | None) -> bool:
    """Whether a listed item changed since it was fetched. Stamps are compared as instants, so
    one time written with another offset (as an older release wrote feed times, in UTC) is no
    change; a stamp that reads as no time is compared as written."""
    if fetched_at is None:
        return True
    was, now = dates.timestamp(fetched_at), dates.timestamp(stamp)
    if was is not None and now is not None:
        return was != now
    return fetched_at != (stamp or "")


def _channel(engine: Engine, source: Source, state: SourceState, client: Client, report: SourceReport) -> None:
    """A Telegram channel: every new or edited post with text, through the preview pages."""
    name = str(source.channel).lstrip("@")
    base = client.settings.telegram_preview_url

    def get(url: str) -> tuple[bytes, str]:
        response = client.get(url, accept=HTML_ACCEPT)
        return response.body, response.headers.get("content-type", "")

    title, posts, shown, signature = posts_of(get, base, name, source.max_articles, lambda url: state.items.get(url) is not None)
    report.listed = report.tried = len(posts)
    _deleted_posts(engine, name, shown, state, report)
    raws, done = [], {}
    for post in posts:
        try:
            raw = channel_raw(post, source.name or title, signature)
        except Exception as exc:  # one odd post never stops the channel
            report.page_errors.append(f"{post.url}: {type(exc).__name__}: {exc}"[:300])
            continue
        stamp = hashlib.sha256(post.text.encode("utf-8")).hexdigest()[:16]
        if raw is None or (state.items.get(post.url) == stamp and _stored(engine, article_id(post.url))):
            continue
        raws.append(raw)
        done[post.url] = stamp
    report.fetched = len(raws)
    if raws:
        report.ingest = ingest_raw(engine, raws)
        report.page_errors += report.ingest.errors + report.ingest.skipped
        done = {url: stamp for url, stamp in done.items() if not any(e.startswith(url) for e in report.ingest.errors)}
    state.items.update(done)  # a post that failed is tried again next pass


def _deleted_posts(engine: Engine, name: str, shown: set[int], state: SourceState, report: SourceReport) -> None:
    """Remove the stored posts the channel has deleted: a number between the oldest and the
    newest post the preview just showed that it no longer shows. Channels delete a report
    that proved false; quoting it on would cite a source for what the source took back."""
    if not shown:
        return
    low, high = min(shown), max(shown)
    gone = []
    for url in list(state.items):
        path = telegram_path(url)
        if path and len(path) == 2 and path[0].lower() == name.lower() and path[1].isdigit():
            number = int(path[1])
            if low < number < high and number not in shown:
                gone.append(url)
    if not gone:
        return
    removed = remove(engine, [article_id(url) for url in gone]).removed
    for url in gone:
        del state.items[url]
    state.taken_back += len(removed)
    report.removed += removed
    logger.info("@%s deleted %d stored post(s) (%s); removed from the corpus", name, len(gone), ", ".join(gone)[:300])


def _stored(engine: Engine, key: str) -> bool:
    return engine.storage.documents.article(key) is not None


def _listing(source: Source, state: SourceState, client: Client, report: SourceReport) -> list[Item]:
    if source.kind == "page":
        return [Item(canonical_url(source.url))]
    response = client.get(source.url, state.etag, state.last_modified, accept=FEED_ACCEPT)
    if response.not_modified:
        report.not_modified = True
        return []
    state.etag = response.headers.get("etag") or None
    state.last_modified = response.headers.get("last-modified") or None
    if source.kind == "feed":
        if _looks_like_html(response.body):
            # the site's address given as its feed: follow the feed its pages name. The page's
            # validators say nothing of the feed, so they are not kept (a 304 for the home page
            # would hide the feed's new items)
            if not (feeds := advertised_feeds(response.body, response.url)):
                raise ListingError("a web page, not a feed, and it names no feed: give the feed's or the sitemap's address")
            logger.info("%s is a web page; following the feed it names, %s", source.url, feeds[0])
            state.etag = state.last_modified = None
            response = client.get(feeds[0], accept=FEED_ACCEPT)
        return feed_items(response.body, response.url, response.content_type)
    return _sitemap(response, client, report)


def _sitemap(response: Response, client: Client, report: SourceReport) -> list[Item]:
    """A sitemap's items, or its index's children's: a child that cannot be read is skipped."""
    items, children = sitemap_items(response.body, response.url)
    for child in children[:MAX_CHILD_SITEMAPS]:
        try:
            nested, _ = sitemap_items(client.get(child, accept="application/xml").body, child)
        except (FetchError, ListingError) as exc:
            report.page_errors.append(f"{child}: {exc}" if isinstance(exc, ListingError) else str(exc))
            continue
        items += nested
    return sorted(items, key=lambda i: dates.timestamp(i.published or i.stamp) or 0.0, reverse=True)


def _page(item: Item, source: Source, client: Client, report: SourceReport) -> RawArticle:
    response = client.get(item.url, accept=HTML_ACCEPT)
    for _ in range(MAX_REFRESHES):  # a page that only sends the reader on (old addresses, short links)
        if (target := refresh_target(response)) is None:
            break
        response = client.get(target, accept=HTML_ACCEPT)  # guarded as any redirect is
    if response.url != item.url and recheck.is_home(response.url) and not recheck.is_home(item.url):
        raise StoryNotFound(f"{item.url}: its address now leads to the site's home page, {response.url}")
    if response.content_type and response.content_type not in HTML_TYPES and not _looks_like_html(response.body):
        raise NotAnArticle(f"{item.url}: not an HTML page ({response.content_type})")
    page = extract(decode_html(response.body, response.headers.get("content-type", "")), response.url, item.title)
    if not page.title and item.title:
        page = dataclasses.replace(page, title=item.title)
    if not same_site(page.url, item.url):  # extract keeps a canonical on the page's own site only
        page = dataclasses.replace(page, url=canonical_url(item.url))
    page, cut = capped(page, client.settings.max_sentences)
    if cut:
        report.page_errors.append(f"{item.url}: longer than {client.settings.max_sentences} sentences; the rest was left out")
    report.dropped += page.dropped
    return to_raw(page, source.name, origin=item.url, published=item.published)


MAX_REFRESHES = 3
REFRESH_MAX_BYTES = 4096  # a page that only redirects is a few lines; a story with a refresh tag is read as the story
_REFRESH = re.compile(rb"""<meta[^>]+http-equiv\s*=\s*["']?refresh["']?[^>]*>""", re.IGNORECASE)
_REFRESH_URL = re.compile(r"""^\s*\d*\s*[;,]?\s*url\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)


def refresh_target(response: Response) -> str | None:
    """Where a short page that only redirects by ``<meta http-equiv="refresh" content="0;
    url=…">`` sends its reader, resolved against its URL; None for any other page (a long story
    page that refreshes itself every few minutes is read as the story)."""
    if len(response.body) > REFRESH_MAX_BYTES or not (tag := _REFRESH.search(response.body)):
        return None
    content = re.search(rb"""content\s*=\s*(["'])(.*?)\1""", tag.group(0), re.IGNORECASE | re.DOTALL)
    found = _REFRESH_URL.match(content.group(2).decode("utf-8", "replace")) if content else None
    if found is None:
        return None
    target = urljoin(response.url, html_unescape(found.group(1)))
    return target if urlsplit(target).scheme in ("http", "https") and target != response.url else None


_HTML_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)[\s>]", re.IGNORECASE | re.DOTALL)


def _looks_like_html(body: bytes) -> bool:
    """An HTML page served under another type (servers send pages as text/plain or
    application/octet-stream): it opens as one."""
    return _HTML_START.match(body.lstrip(b"\xef\xbb\xbf")[:4096]) is not None


def fetch_urls(engine: Engine, urls: Sequence[str], client: Client, tick: Tick | None = None) -> list[SourceReport]:
    """`pasokh fetch URL…`: each URL is read as what it turns out to be (feed, sitemap or page;
    a t.me address is a channel, read through its preview, never one page of all its posts)."""
    sources = []
    for url in urls:
        if (name := telegram_channel(url)) is not None:
            sources.append(Source(channel=name))
            continue
        client.trust(url)  # named by the operator: may be on any host
        kind, where = _guess(url, client)
        sources.append(Source(**{kind: where}))
    return fetch_all(engine, sources, client, tick)


def telegram_channel(url: str) -> str | None:
    """The channel a t.me address names (``https://t.me/isna94``, ``https://t.me/s/isna94``), or
    None for any other address; a single post's address is refused, naming its channel."""
    path = telegram_path(url)
    if path is None:
        return None
    if len(path) == 2 and path[1].isdigit():
        raise SourceError(f"{url} is one post; Pasokh follows the whole channel: https://t.me/s/{path[0]}")
    if len(path) != 1:
        raise SourceError(f"{url} names no Telegram channel (https://t.me/s/NAME)")
    return path[0]


def _guess(url: str, client: Client) -> tuple[str, str]:
    """What ``url`` serves, and the address to follow for it: a site's home page stands for the
    feed it names, else for the sitemap its robots.txt names."""
    try:
        response = client.get(url, accept=FEED_ACCEPT + ", text/html;q=0.8")
    except FetchError:
        return "page", url  # fetching it again as a page reports the error
    head = response.body[:2048].lower()  # the body decides: servers send feeds as text/html and pages as text/plain
    if b"<urlset" in head or b"<sitemapindex" in head:
        return "sitemap", url
    if _looks_like_html(response.body):
        # a site's home page is no story: the feed it names (or its sitemap) is what its address
        # is given for; an article's page names the site's feed too, and is still that article
        if urlsplit(url).path not in ("", "/"):  # wherever it redirects (tasnimnews.com to /fa/)
            return "page", url
        if feeds := advertised_feeds(response.body, response.url):
            # followed at once when on the site's own origin (the home page is not fetched again
            # to find it); one elsewhere is followed through the page, guarded as any link is
            return "feed", feeds[0] if origin_of(feeds[0]) == origin_of(response.url) else url
        if sitemaps := robots_sitemaps(response.url, client):
            logger.info("%s names no feed; following the sitemap its robots.txt names, %s", url, sitemaps[0])
            return "sitemap", sitemaps[0]
        return "page", url
    if response.content_type in HTML_TYPES and not any(tag in head for tag in (b"<rss", b"<feed", b"<rdf:rdf")):
        return "page", url
    return "feed", url


def robots_sitemaps(url: str, client: Client) -> list[str]:
    """The sitemaps a site's robots.txt names (``Sitemap: …`` lines) on the site's own origin.
    The sitemap becomes a source, and sources are trusted to be on any host: one the robots.txt
    points elsewhere (an internal address) would otherwise be read as the operator's own."""
    parts = urlsplit(url)
    try:
        body = client.get(f"{parts.scheme}://{parts.netloc}/robots.txt", accept="text/plain").body
    except FetchError:
        return []
    found = []
    for line in body.decode("utf-8", errors="replace").splitlines()[:2000]:
        key, _, value = line.partition(":")
        if key.strip().lower() != "sitemap" or not value.strip():
            continue
        link = urljoin(url, value.strip())
        if origin_of(link) != origin_of(url):
            logger.warning("%s/robots.txt names a sitemap on another origin, %s; not followed", url.rstrip("/"), link[:120])
            continue
        found.append(link)
    return list(dict.fromkeys(found))


def retire(engine: Engine, keep_days: float, now: float | None = None) -> list[str]:
    """Remove articles published more than ``keep_days`` ago (0: keep everything), through the
    same path as `pasokh remove`."""
    if keep_days <= 0:
        return []
    now = time.time() if now is None else now
    old = engine.storage.documents.published_before(now - keep_days * 86400)
    if not old:
        return []
    return remove(engine, old).removed


def watch(
    engine: Engine,
    sources: Sequence[Source],
    client: Client,
    stop: threading.Event,
    keep_days: float = 0,
    report_path: Path | None = None,
    reload: Callable[[], Sequence[Source]] | None = None,
    wake: threading.Event | None = None,
) -> Iterator[list[SourceReport]]:
    """Fetch each source when it is due until ``stop`` is set; yields each pass's reports. A pass
    that raises (the store went away) is logged and retried a few seconds later; between passes
    the watcher looks at the store every ``LOOK_SECONDS``, so an outage is noticed (and
    reported) while nothing is due. With
    ``report_path`` the watcher's view (last check, the store's outage, each source) is kept there
    for `pasokh sources` to show while the store cannot be asked (news.report).

    ``wake`` cuts a wait short (set with ``stop``, or to ask for ``reload``: the sources read
    again, as SIGHUP does, so a source added to config.toml is followed without a restart; a
    config that no longer reads keeps the sources as they were, and says why)."""
    report = _last_report(report_path)
    away: str | None = None
    wake = wake or stop
    while not stop.is_set():
        if reload is not None and wake is not stop and wake.is_set():
            wake.clear()
            sources = _reloaded(reload, sources)
        try:
            ready = due(engine, sources)
            if ready:
                reports = fetch_all(engine, ready, client)
                retire(engine, keep_days)
                yield reports
            until = min(SourceState.load(engine, s).next_fetch for s in sources)
            if report_path:  # each source's row changes with a pass; the check's time with every look
                report.got_through(status(engine, sources) if ready or away or not report.sources else report.sources)
                _keep(report, report_path)
            if away:
                logger.warning("the store answers again; fetching resumes")
                away = None
        except Exception as exc:
            failure = store_said(exc)  # the same failure, however much room its disk has at each try
            if failure is None:
                logger.exception("the fetch pass failed; trying again in a minute")
                until = time.time() + 60
            else:  # the database is away, damaged or its disk full: said once, tried again every few seconds
                if failure != away:
                    said = store_said(exc, report_path.parent if report_path else None) or failure
                    logger.warning("the store is unavailable (%s); trying again every %d s", said, STORE_RETRY_SECONDS)
                    away = failure
                    if report_path:
                        report.store_away(said)
                        _keep(report, report_path)
                until = time.time() + STORE_RETRY_SECONDS
        wake.wait(max(1.0, min(until - time.time(), LOOK_SECONDS)))


def _reloaded(reload: Callable[[], Sequence[Source]], sources: Sequence[Source]) -> Sequence[Source]:
    try:
        fresh = list(reload())
    except Exception as exc:  # a config being edited: the watcher goes on with what it had
        logger.error("the sources were not reloaded, the old ones are kept: %s", exc)
        return sources
    if not fresh:
        logger.error("the reloaded config names no sources; the old ones are kept")
        return sources
    logger.warning("sources reloaded: %d (were %d)", len(fresh), len(sources))
    return fresh


def _last_report(path: Path | None) -> WatchReport:
    """The report a previous watcher left (its per-source rows carry over), or a new one."""
    if path is None:
        return WatchReport()
    try:
        return read_report(path) or WatchReport()
    except ReportError as exc:
        logger.warning("%s", exc)
        return WatchReport()


def _keep(report: WatchReport, path: Path) -> None:
    try:
        report.write(path)
    except OSError as exc:  # a full disk must not stop the fetching; the report is a convenience
        logger.warning("could not write the watcher's report %s: %s", path, exc.strerror or exc)


def status(engine: Engine, sources: Sequence[Source]) -> list[dict[str, object]]:
    """What `pasokh sources` shows for each configured source."""
    rows = []
    for source in sources:
        state = SourceState.load(engine, source)
        rows.append(
            {
                "name": source.label,
                "kind": source.kind,
                "url": source.url,
                "last_fetch": tehran_time(state.last_fetch),
                "last_error": state.last_error,
                "articles": state.articles(engine),
                "next_fetch": tehran_time(state.next_fetch) if state.next_fetch else "now",
                "item_errors": state.item_errors,
                "dropped_lines": state.dropped,
                "taken_back": state.taken_back,
            }
        )
    return rows


def tehran_time(stamp: float | None) -> str | None:
    """A moment as `pasokh sources` shows it: Tehran time, to the second (None for never)."""
    if not stamp:
        return None
    return datetime.fromtimestamp(stamp, UTC).astimezone(TEHRAN).isoformat(timespec="seconds")
