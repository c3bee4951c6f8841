"""`pasokh pages FOLDER`: what Pasokh would store from each saved page, one row a page.

For checking extraction on real pages without a corpus: title, agency, time, sentences that
would be stored, extracted lines dropped because the page does not show them, whether the lead
is there, and how many stored sentences are found verbatim in the page's visible text (all of
them, or it is a bug). Verbatim is character for character, ZWNJ included, whitespace aside: a
line break the page prints inside a sentence (a hard wrap) is a space in the quote, or nothing
before the stop it left alone on its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from lxml import html

from corpus import dates
from corpus.errors import CorpusError, InputFileError
from corpus.prepare import prepare
from corpus.read import MAX_FILE_BYTES, PAGE_SUFFIXES, RawArticle
from news import visible
from news.page_facts import read_facts
from news.pages import decode_html, extract, to_raw
from news.saved import read_saved
from news.telegram_export import telegram_page

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class PageRow:
    file: str
    url: str
    title: str
    agency: str | None
    published_utc: str | None
    published_shown: str | None
    sentences: int
    verbatim: int
    dropped: int
    lead: bool
    error: str | None = None


_FILE = re.compile(r"[\w.\-]+\.(?:html?|mht(?:ml)?)\b", re.IGNORECASE)
_URL = re.compile(r"https?://[^\s|)>\]]+")
_LINK = re.compile(r"https?://[^\s\"'<>]+")  # an absolute address in a page's markup


def read_url_list(path: Path) -> dict[str, str]:
    """File name → the URL it was saved from, from any text that names both on one line
    (``page.html https://…``, or a Markdown table row)."""
    found: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        name, url = _FILE.search(line), _URL.search(line)
        if name and url:
            found.setdefault(name.group(0), url.group(0))
    return found


def inspect_folder(folder: Path, urls: dict[str, str] | None = None) -> list[PageRow]:
    urls = urls or {}
    pages = [path for path in sorted(folder.iterdir()) if path.suffix.lower() in PAGE_SUFFIXES and path.is_file()]  # no pipe
    return [inspect_page(path, urls.get(path.name)) for path in pages]


def saved_page(path: Path) -> RawArticle:
    """A saved page as `pasokh ingest` stores it: read as `pasokh fetch` would read it at the
    address the page declares as its own (canonical, og:url), which is its id, so the page
    fetched later replaces it, and the link its citation gives. A page that declares none is
    refused: a citation's link is never made up."""
    if (size := path.stat().st_size) > MAX_FILE_BYTES:
        raise InputFileError(path, f"is {size // (1024 * 1024)} MB; pages over {MAX_FILE_BYTES // (1024 * 1024)} MB are refused")
    saved = read_saved(path)
    if telegram := _telegram_page(saved.html):
        raise InputFileError(path, telegram)
    page_html = decode_html(saved.html, saved.content_type)
    doc = visible.parse(page_html)
    url = _declared(doc, page_html) or saved.saved_from
    if url is None:
        raise InputFileError(
            path, "the page declares no address of its own (canonical or og:url); fetch it by its URL with `pasokh fetch URL`"
        )
    return to_raw(extract(page_html, url), None, origin=str(path))


def _telegram_page(data: bytes) -> str | None:
    """What a page of Telegram's is, when ``data`` is one (no news page: its posts are articles of
    their own, news/telegram_export.py), and how it is read; None for any other page."""
    found = telegram_page(data)
    if found is None:
        return None
    if found.channel is None:
        return (
            "is a page of Telegram Desktop's HTML export of a chat, not a news page: a channel's export is read by "
            "`pasokh ingest --channel NAME FOLDER` (or export it as JSON and ingest its result.json)"
        )
    return (
        f"is the web preview of the channel @{found.channel} (t.me/s/{found.channel}), not a news page: `pasokh ingest` "
        f"stores each of its posts with words as an article of its own ({found.posts} posts on the page)"
    )


def _declared(doc: html.HtmlElement | None, page_html: str = "") -> str | None:
    """The address a saved page declares as its own. A relative one («/news/1608590/…», as
    Varzesh3 and Tasnim write it) is made whole by the page's own links to that same path (its
    share buttons), its ``<base href>``, or the home its publisher states (JSON-LD); with none of
    them it stays unknown, never guessed."""
    facts = read_facts(doc)
    declared = facts.canonical
    if not declared:
        return None
    if urlsplit(declared).scheme in ("http", "https"):
        return declared
    path = unquote(urlsplit(declared).path)
    if not path.startswith("/"):
        return None
    for found in _LINK.finditer(page_html):
        whole = urlsplit(found.group(0))
        if whole.netloc and unquote(whole.path) == path:
            return urljoin(f"{whole.scheme}://{whole.netloc}/", declared)
    base = doc.find(".//base") if doc is not None else None
    homes = [(base.get("href") or "") if base is not None else "", *facts.site_urls]
    return next((urljoin(home, declared) for home in homes if urlsplit(home).scheme in ("http", "https")), None)


def inspect_page(path: Path, url: str | None = None) -> PageRow:
    """One saved page, read as `pasokh fetch` would read it at ``url`` (default: the URL the page
    declares as its own, so the agency table and canonical checks see the real site)."""
    try:
        saved = read_saved(path)
    except InputFileError as exc:
        return PageRow(path.name, url or "", "", None, None, None, 0, 0, 0, False, exc.reason)
    if telegram := _telegram_page(saved.html):
        return PageRow(path.name, url or "", "", None, None, None, 0, 0, 0, False, telegram)
    page_html = decode_html(saved.html, saved.content_type)
    doc = visible.parse(page_html)
    url = url or _declared(doc, page_html) or saved.saved_from or f"http://localhost/{path.name}"
    try:
        page = extract(page_html, url)
        article = prepare(to_raw(page, None, origin=str(path)))
    except CorpusError as exc:
        return PageRow(path.name, url, "", None, None, None, 0, 0, 0, False, str(exc))
    shown = _SPACE.sub("", visible.visible_text(doc))
    verbatim = sum(_SPACE.sub("", s.text) in shown for s in article.sentences)
    when = dates.parse(article.article.published)
    return PageRow(
        file=path.name,
        url=page.url,
        title=article.article.title,
        agency=article.article.agency,
        published_utc=_utc(article.article.published, when),
        published_shown=dates.jalali(when) if when else None,
        sentences=len(article.sentences),
        verbatim=verbatim,
        dropped=page.dropped,
        lead=page.lead,
    )


def _utc(published: str | None, when: datetime | None) -> str | None:
    """The instant in UTC; a stated day without a time of day stays that day (not a UTC evening)."""
    if when is None:
        return None
    if not dates.has_clock(published):
        return when.date().isoformat()
    return when.astimezone(dates.UTC).isoformat(timespec="minutes")
