"""What a page says about itself outside its body: headlines (``<h1>``, OpenGraph, JSON-LD
``NewsArticle``, ``<title>``), its summary, publication time, publisher and canonical URL.

Read from the parsed page with lxml, so entities are decoded whatever their case. Nothing here
is trusted on its own: the title is the one several of these agree on (:func:`agreed_title`),
the publisher name is cleaned of slogans and separators (:func:`clean_site_name`), and the
canonical URL is checked by the caller against the page's own site.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import html

from news.visible import skeleton

# separators sites put between a headline and their own name: « - », «|», «::», «- »
_SEPARATORS = re.compile(r"(\s*(?:\||::)\s*|\s*[-–—]\s+|\s+[-–—]\s*)")
_ARTICLE_TYPES = ("NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle", "BlogPosting", "WebPage")
_COPYRIGHT = re.compile(r"©|&copy;|copyright|کلیه حقوق|تمامی حقوق|\b(19|20)\d\d\b", re.IGNORECASE)
# tags that name when an article was published, most specific first; a page's plain «date» tag
# is left to last (nastooh's sites fill it with the time of the request, ISNA's article pages too)
PUBLISHED_TAGS = (
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "datepublished",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "parsely-pub-date",
    "sailthru.date",
    "nastooh:publishdate",
)
_SITE_WORDS = ("خبرگزاری", "اخبار", "پایگاه خبری", "news", "agency", "صفحه اصلی", "home")


@dataclass
class PageFacts:
    h1: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)  # og:title, twitter:title, JSON-LD headline, <title>
    descriptions: list[str] = field(default_factory=list)
    published: list[str] = field(default_factory=list)  # in order of trust
    loose_dates: list[str] = field(default_factory=list)  # a bare «date» tag: often the request's time
    site_names: list[str] = field(default_factory=list)
    site_urls: list[str] = field(default_factory=list)  # the publisher's home, as JSON-LD states it
    canonical: str | None = None


def _text(el: html.HtmlElement) -> str:
    return re.sub(r"\s+", " ", el.text_content()).strip()


def _meta(doc: html.HtmlElement, *names: str) -> list[str]:
    """``<meta>`` values by property, name or itemprop; some sites write ``value=`` for ``content=``."""
    found = []
    wanted = {n.lower() for n in names}
    for el in doc.iter("meta"):
        keys = {(el.get(a) or "").strip().lower() for a in ("property", "name", "itemprop")}
        if keys & wanted:
            value = el.get("content") or el.get("value")
            if value and value.strip():
                found.append(re.sub(r"\s+", " ", value).strip())
    return found


def _json_ld(doc: html.HtmlElement) -> Iterator[dict]:
    for el in doc.iter("script"):
        if (el.get("type") or "").strip().lower() != "application/ld+json" or not el.text:
            continue
        try:
            data = json.loads(el.text, strict=False)
        except (ValueError, RecursionError):
            continue
        stack = [data]
        seen = 0
        while stack and seen < 200:
            item = stack.pop()
            seen += 1
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                if "@graph" in item:
                    stack.append(item["@graph"])
                kind = item.get("@type")
                kinds = kind if isinstance(kind, list) else [kind]
                if any(k in _ARTICLE_TYPES for k in kinds if isinstance(k, str)):
                    yield item


def _name_of(value: object) -> str | None:
    if isinstance(value, dict):
        value = value.get("name")
    if isinstance(value, list) and value:
        return _name_of(value[0])
    return value.strip() if isinstance(value, str) and value.strip() else None


def read_facts(doc: html.HtmlElement | None) -> PageFacts:
    facts = PageFacts()
    if doc is None:
        return facts
    facts.h1 = [t for t in (_text(h) for h in doc.iter("h1")) if t]
    for item in _json_ld(doc):
        for key in ("headline", "name"):
            if isinstance(item.get(key), str) and item[key].strip():
                facts.titles.append(item[key].strip())
                break
        if isinstance(item.get("description"), str):
            facts.descriptions.append(item["description"].strip())
        if isinstance(item.get("datePublished"), str):
            facts.published.append(item["datePublished"].strip())
        if name := _name_of(item.get("publisher")):
            facts.site_names.append(name)
        for key in ("publisher", "author"):
            if isinstance(found := item.get(key), dict) and isinstance(home := found.get("url"), str) and home.startswith("http"):
                facts.site_urls.append(home.strip())
    facts.titles += _meta(doc, "og:title", "twitter:title", "dc.title")
    title = doc.find(".//title")
    if title is not None and _text(title):
        facts.titles.append(_text(title))
    facts.descriptions += _meta(doc, "og:description", "description", "twitter:description", "dc.description")
    for name in PUBLISHED_TAGS:  # in this order, wherever the page puts them
        facts.published += _meta(doc, name)
    facts.loose_dates = _meta(doc, "date")
    facts.site_names += _meta(doc, "og:site_name", "application-name")
    for link in doc.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            facts.canonical = link.get("href").strip()
            break
    if facts.canonical is None and (og := _meta(doc, "og:url")):
        facts.canonical = og[0]
    return facts


def _pieces(title: str) -> list[str]:
    """Segments with the separators between them: «A - B - C» → [A, « - », B, « - », C]."""
    return _SEPARATORS.split(title.strip())


def _segments(title: str) -> list[str]:
    return [s.strip() for s in _pieces(title)[::2] if s.strip()]


def _same(a: str, b: str) -> bool:
    return skeleton(a) == skeleton(b)


def agreed_title(facts: PageFacts, feed_title: str | None = None, site_names: tuple[str, ...] = ()) -> str | None:
    """The headline the page's own signals agree on.

    The first ``<h1>`` that another signal (JSON-LD headline, og:title, ``<title>``, the feed's
    title) states too, whole or before a separator that starts the site's name; else the other
    signals with the site's name cut off. A site's name is a segment several titles share, one
    that names the site (its name, «خبرگزاری», «اخبار …») or that is Latin on a Persian page.
    """
    others = [t for t in [*facts.titles, feed_title] if t]
    names = {skeleton(n) for n in (*site_names, *facts.site_names) if n}
    headlines = [h1 for h1 in facts.h1 if not _is_site_name(h1, names)]  # not the logo in an <h1>
    for h1 in headlines:
        if any(_same(h1, o) or any(_same(h1, s) for s in _prefixes(o)) for o in others):
            return h1
    for candidate in others:
        cut = _without_site_name(candidate, names)
        if cut and not _is_site_name(cut, names):  # a generic og:title that is only the site's name
            return cut
    return headlines[0] if headlines else None


SITE_NAME_MAX_WORDS = 4


def _is_site_name(text: str, names: set[str]) -> bool:
    """The site's own name (a logo in an <h1>, a generic og:title) rather than a headline: one of
    its known names, or a few words that name a site («خبرگزاری نمونه», «Nemoone News»)."""
    if skeleton(text) in names:
        return True
    return len(text.split()) <= SITE_NAME_MAX_WORDS and all(_names_site(s, names) for s in _segments(text))


def _prefixes(title: str) -> list[str]:
    """The title's leading segments joined back: «A - B - C» → «A», «A - B» (what a site's suffix leaves)."""
    pieces = _pieces(title)
    return ["".join(pieces[: 2 * n - 1]).strip() for n in range(1, (len(pieces) + 1) // 2)]


def _without_site_name(title: str, names: set[str]) -> str | None:
    pieces = _pieces(title)
    segments = pieces[::2]
    keep = len(segments)
    while keep > 1 and _names_site(segments[keep - 1], names):
        keep -= 1
    return "".join(pieces[: 2 * keep - 1]).strip() or None


def _names_site(segment: str, names: set[str]) -> bool:
    key = skeleton(segment)
    low = segment.lower()
    if key in names or any(key and (key in n or n in key) for n in names if n):
        return True
    if any(w in low for w in _SITE_WORDS):
        return True
    return not re.search(r"[\u0600-\u06FF]", segment)  # Latin (or digits) on a Persian page: the site's own name


def clean_site_name(raw: str | None) -> str | None:
    """A publisher name as readers know it: the first segment that is not a slogan, a page
    name or a copyright line («خبرگزاری ایسنا | صفحه اصلی | Isna News Agency» → «خبرگزاری ایسنا»)."""
    if not raw:
        return None
    for segment in _segments(raw):
        if _COPYRIGHT.search(segment) or segment.lower() in ("صفحه اصلی", "home", "homepage"):
            continue
        if re.search(r"[\u0600-\u06FF]", segment):
            return segment
    return None
