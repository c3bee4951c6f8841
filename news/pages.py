"""An article page → a raw article: decode it whatever its charset, extract the main text, title,
date and author with trafilatura (htmldate when it finds no date), and keep the page's own
characters.

trafilatura drops ZWNJ (U+200C) in its clean-up because Python calls it unprintable, which
would turn «می‌رسد» into «میرسد». Each ZWNJ is swapped for a printable stand-in before
extraction and put back after, so the stored text, and every quote cut from it, is the page's.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from urllib.parse import urljoin

import charset_normalizer
import courlan
import htmldate
import trafilatura

from corpus import dates
from corpus.errors import CorpusError
from corpus.read import RawArticle

logger = logging.getLogger(__name__)
ZWNJ = "\u200c"
_STAND_INS = ("\U0001f700", "\U0001f701", "\U0001f702", "\U0001f703")  # alchemical symbols: printable, never in news
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)
_CANONICAL = re.compile(r"""<link[^>]+rel\s*=\s*["']?canonical["']?[^>]*>""", re.IGNORECASE)
_HREF = re.compile(r"""href\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
HTML_TYPES = ("text/html", "application/xhtml+xml")


class PageError(CorpusError):
    """A page has no article in it we can use."""


@dataclass(frozen=True)
class Page:
    url: str
    title: str
    text: str
    published: str | None
    author: str | None
    site: str | None


def decode_html(body: bytes, content_type_header: str = "") -> str:
    """Bytes → text: the HTTP charset, else a ``<meta>`` charset, else detection (Persian pages
    in windows-1256 often declare it only in a meta tag, or nowhere)."""
    declared = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-:.]+)", content_type_header or "", re.IGNORECASE)
    candidates = [declared.group(1)] if declared else []
    meta = _META_CHARSET.search(body[:4096])
    if meta:
        candidates.append(meta.group(1).decode("ascii", errors="replace"))
    for name in candidates:
        try:
            return body.decode(_codec(name))
        except (LookupError, UnicodeDecodeError):
            continue
    if body.startswith(b"\xef\xbb\xbf"):
        return body.decode("utf-8-sig", errors="replace")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(body, cp_isolation=["windows_1256", "utf_8", "iso8859_6", "cp720"]).best()
    return str(best) if best is not None else body.decode("windows-1256", errors="replace")


def _codec(name: str) -> str:
    name = name.strip().lower()
    return {"windows-1256": "cp1256", "x-windows-1256": "cp1256", "arabic": "iso8859_6"}.get(name, name)


def canonical_url(url: str) -> str:
    """The URL that names an article: tracking parameters (utm_*, fbclid, …) and fragments
    dropped, host lower-cased, so the same story linked from several feeds is one article."""
    try:
        return courlan.normalize_url(url, strict=True)
    except ValueError:
        return url


def article_id(url: str) -> str:
    """A stable id from the canonical URL: the same page always replaces itself."""
    return "web_" + hashlib.sha256(canonical_url(url).encode("utf-8")).hexdigest()[:20]


def _stand_in(html: str) -> str:
    for mark in _STAND_INS:
        if mark not in html:
            return mark
    raise PageError("the page uses every stand-in character for ZWNJ")


def extract(html: str, url: str) -> Page:
    """The article in a decoded page; raises :class:`PageError` when there is none."""
    mark = _stand_in(html)
    guarded = html.replace(ZWNJ, mark).replace("&zwnj;", mark).replace("&#8204;", mark).replace("&#x200c;", mark)
    doc = trafilatura.bare_extraction(
        guarded,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_links=False,
        deduplicate=False,
    )
    if doc is None or not (doc.text or "").strip():
        raise PageError("no article text found in the page")
    text = doc.text.replace(mark, ZWNJ)
    title = (doc.title or "").replace(mark, ZWNJ).strip()
    published = _published(html, url)
    return Page(
        url=_canonical_of(html, url),
        title=title,
        text=text,
        published=published,
        author=(doc.author or "").replace(mark, ZWNJ).strip() or None,
        site=(doc.sitename or "").replace(mark, ZWNJ).strip() or None,
    )


def _canonical_of(html: str, url: str) -> str:
    tag = _CANONICAL.search(html)
    href = _HREF.search(tag.group(0)) if tag else None
    return canonical_url(urljoin(url, href.group(1)) if href else url)


def _published(html: str, url: str) -> str | None:
    """An aware ISO timestamp from the page's own metadata (htmldate), Tehran time when it has no zone."""
    try:
        found = htmldate.find_date(html, url=url, outputformat="%Y-%m-%dT%H:%M:%S%z", extensive_search=False, original_date=True)
    except (ValueError, TypeError):
        found = None
    if not found:
        return None
    return aware(found)


def aware(stamp: str) -> str | None:
    """An ISO timestamp with its zone (Tehran's when none is given)."""
    when = dates.parse(stamp)
    return when.isoformat(timespec="seconds") if when else None


def to_raw(page: Page, source_name: str | None, origin: str, published: str | None = None) -> RawArticle:
    """The page as a raw article: the same cleaning, normalization and splitting as a file gets.

    The title goes first so the metadata pass recognises (and never quotes) it; the feed's or
    sitemap's time wins over the page's, which is often only a date; the agency the page names
    wins over the source's configured name.
    """
    text = f"{page.title}\n\n{page.text}" if page.title else page.text
    return RawArticle(
        id=article_id(page.url),
        text=text,
        origin=origin,
        title=page.title or None,
        url=page.url,
        published=published or page.published,
        fallback_agency=source_name or page.site,
    )
