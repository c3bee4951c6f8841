"""An article page → a raw article: decode it whatever its charset, extract the main text with
trafilatura, keep only what the page shows verbatim (:mod:`news.visible`), and take title,
date, agency and canonical URL from what the page says about itself (:mod:`news.page_facts`).

trafilatura drops ZWNJ (U+200C) in its clean-up because Python calls it unprintable, which
would turn «می‌رسد» into «میرسد». Each ZWNJ (however the page writes it) is swapped for a
printable stand-in before extraction and put back after; the verbatim check then catches
anything else extraction changed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import charset_normalizer
import courlan
import htmldate
import trafilatura
from lxml.html import HtmlElement
from tld import get_fld

from corpus.errors import CorpusError
from corpus.language import GARBLED, REVERSED, not_persian
from corpus.metadata import agency_named_by, is_date_line, is_other_calendar
from corpus.outlets import outlet_of_host, zone_of_host
from corpus.read import RawArticle, cut_inside_a_character
from corpus.split import lead_in_start
from news import not_stories, read_more, visible
from news.page_facts import PageFacts, agreed_title, clean_site_name, read_facts
from news.times import first_time
from news.visible import PageText

logger = logging.getLogger(__name__)
ZWNJ = "\u200c"
UNREADABLE = "\ufffd"  # what a byte that is no character is read as
_STAND_INS = ("\U0001f700", "\U0001f701", "\U0001f702", "\U0001f703")  # alchemical symbols: printable, never in news
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)
_ZWNJ_FORMS = re.compile("\u200c|&zwnj;|&#0*8204;|&#x0*200c;", re.IGNORECASE)
_LOOSE_DATE_TAG = re.compile(r"""<meta\b[^>]*\b(?:name|property|itemprop)\s*=\s*["']?date["'\s/>][^>]*>""", re.IGNORECASE)
_HTMLDATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
HTML_TYPES = ("text/html", "application/xhtml+xml")


class PageError(CorpusError):
    """A page has no article in it we can use."""


class StoryNotFound(PageError):
    """The page says its story is not there (a «not found» page served as if it were the story,
    or its address now sends the reader to the site's home page): what a site does with a story
    it takes back. Before a story is stored it is only a failed page, tried again next pass."""


class NotAnArticle(PageError):
    """The page was read and holds no article (a home or section page, no text at all): it is not
    asked for again until its listing says it changed. A browser check or a «not found» page is
    not this: a story's page often answers so for a while (bot protection, a story listed before
    its page is out), and the next pass tries again."""


@dataclass(frozen=True)
class Page:
    url: str
    title: str
    text: str
    published: str | None
    author: str | None
    site: str | None
    agency: str | None = None  # from the table of outlets, by the page's domain
    lead: bool = False  # the summary paragraph above the body is in ``text``
    dropped: int = 0  # extracted lines the page does not show verbatim, left out


def decode_html(body: bytes, content_type_header: str = "") -> str:
    """Bytes → text, trusting no one's word for the charset.

    A body that is valid UTF-8 with non-ASCII in it is UTF-8 whatever the page or header says
    (chance byte runs are not valid UTF-8 a whole page long). Otherwise the HTTP charset, then a
    ``<meta>`` charset, each only if it decodes cleanly and gives Persian text where the bytes
    hold letters beyond ASCII; else detection among the encodings Persian pages use
    (windows-1256 often declared only in a meta tag, or nowhere, or wrongly as iso-8859-1)."""
    declared = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-:.]+)", content_type_header or "", re.IGNORECASE)
    candidates = [declared.group(1)] if declared else []
    meta = _META_CHARSET.search(body[:4096])
    if meta:
        candidates.append(meta.group(1).decode("ascii", errors="replace"))
    if body.startswith((b"\xff\xfe", b"\xfe\xff")):  # a byte-order mark outranks any label, as in a browser
        return body.decode("utf-16", errors="replace")
    raw = body[3:] if body.startswith(b"\xef\xbb\xbf") else body
    high = sum(b >= 0x80 for b in raw[:200_000])
    if (text := _utf8(raw)) is not None and (high or not candidates):
        _note_lie(candidates, "utf-8")
        return text
    for name in candidates:
        try:
            text = body.decode(_codec(name))
        except (LookupError, UnicodeDecodeError, ValueError):
            continue
        if high < 20 or _PERSIAN_LETTERS.search(text):
            return text
    best = charset_normalizer.from_bytes(body, cp_isolation=["windows_1256", "utf_8", "iso8859_6", "cp720"]).best()
    encoding = best.encoding if best is not None else "cp1256"
    _note_lie(candidates, encoding)
    return str(best) if best is not None else body.decode("windows-1256", errors="replace")


_PERSIAN_LETTERS = re.compile("[\u0600-\u06ff]{3}")
STRAY_BYTES_MAX = 0.001  # invalid bytes per multi-byte character in a UTF-8 page damaged here and there


def _utf8(raw: bytes) -> str | None:
    """``raw`` as UTF-8 when it is UTF-8, else None.

    Two kinds of damage leave a page UTF-8: a body cut short (a download or a save stopped)
    ends inside a character, whose first bytes are dropped; a few stray bytes (an ad's snippet
    pasted in another encoding) among thousands of valid Persian characters are read as U+FFFD,
    as a browser shows them, and the lines holding one are never stored. Read as anything else,
    the whole page would be mojibake: text nobody wrote, under the source's name."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        if cut_inside_a_character(exc, len(raw)):
            try:
                return raw[: exc.start].decode("utf-8")
            except UnicodeDecodeError:
                pass
    text = raw.decode("utf-8", errors="replace")
    stray = text.count(UNREADABLE)
    characters = sum(ord(c) >= 0x80 for c in text) - stray
    return text if characters and stray <= STRAY_BYTES_MAX * characters and _PERSIAN_LETTERS.search(text) else None


def _note_lie(candidates: list[str], actual: str) -> None:
    said = [c for c in candidates if _codec(c).replace("_", "-") not in (_codec(actual).replace("_", "-"), "utf-8", "utf8")]
    if said:
        logger.warning("a page or listing declares its charset as %s but is %s; read as %s", said[0], actual, actual)


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


def extract(page: str, url: str, feed_title: str | None = None) -> Page:
    """The article in a decoded page; raises :class:`PageError` when there is none.

    trafilatura finds the article's blocks; each is then located in the page's visible text
    and the page's own slice is kept (:mod:`news.visible`), so what is stored is what the page
    shows, character for character. Lines the page does not show are dropped and counted. The
    summary paragraph sites put above the body is added when extraction missed it, the headline
    is the one the page's signals agree on, and headline furniture and list navigation (category
    links, a date line) stay out of the body.
    """
    page = _join_broken_sentences(page)
    doc = visible.parse(page)
    if doc is not None and (crowded := _crowded(doc)):
        raise NotAnArticle(crowded)
    shown = PageText(visible.visible_text(doc))
    if not_stories.is_browser_check(page, shown.text):
        raise PageError("the site answered with a browser check (bot protection), not the page; it is tried again next pass")
    facts = read_facts(doc)
    mark = _stand_in(page)
    extracted = trafilatura.bare_extraction(
        _ZWNJ_FORMS.sub(mark, page),
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_links=False,
        deduplicate=False,
    )
    if extracted is None or not (extracted.text or "").strip():
        raise NotAnArticle("no article text found in the page")
    outlet = outlet_of_host(urlsplit(url).hostname)
    title = agreed_title(facts, feed_title, (outlet.name, *outlet.aliases) if outlet else ())
    title = title or (extracted.title or "").replace(mark, ZWNJ).strip()
    links = {visible.skeleton(a.text_content()) for a in doc.iter("a")} if doc is not None else set()
    tables = tuple(visible.skeleton(t.text_content()) for t in doc.iter("table")) if doc is not None else ()
    lines, dropped, date_lines = _verbatim_lines(extracted.text.replace(mark, ZWNJ), shown, links, tables)
    lines = _after_headline(lines, title)
    if lines and cut_short(page) and _ends_the_page(lines[-1], shown) and not _ENDS_SENTENCE.search(lines[-1]):
        logger.warning("%s: the page stops before its end (cut short); its last line, cut mid-sentence, is left out", url)
        lines, dropped = lines[:-1], dropped + 1
    if not_stories.says_not_found(lines, (title or "", *facts.titles), links):
        raise StoryNotFound("the page says the story is not found (a missing page served as if it were one)")
    if lines and not not_stories.says_something(not_stories.own_lines(lines, links)):
        raise NotAnArticle("nothing but the text of links (menus) and short labels, no article")
    if linked := not_stories.links_to_stories(lines, links):
        what = "a page of links to other stories (a home, section or tag page), not an article"
        raise NotAnArticle(f"{what}: {linked} of {len(lines)} lines are links")
    lines, lead = _with_lead(lines, facts.descriptions, shown, title)
    if not lines:
        raise NotAnArticle("no article text the page shows verbatim")
    if (language := not_persian("\n".join(lines))) in (GARBLED, REVERSED):
        raise NotAnArticle(f"its text is {language}, not readable Persian")
    if language:
        raise NotAnArticle(f"written in {language}, not Persian (an edition or service in another language)")
    if dropped:
        logger.info("%s: %d extracted line(s) are not in the page as written; left out", url, dropped)
    return Page(
        url=_canonical_of(facts.canonical, url),
        title=title,
        text="\n".join(lines),
        published=_published(page, url, facts, _story_dates(shown, date_lines, title)),
        author=(extracted.author or "").replace(mark, ZWNJ).strip() or None,
        site=clean_site_name(next(iter(facts.site_names), None) or extracted.sitename),
        agency=outlet.name if outlet else None,
        lead=lead,
        dropped=dropped,
    )


_CLOSED = re.compile(r"</(?:html|body)\s*>", re.IGNORECASE)
CLOSE_WITHIN = 65_536  # characters from the end where a page's closing tag stands (scripts and comments may follow)
_ENDS_SENTENCE = re.compile(r"[.!?؟…»\")\]]\s*$")


def cut_short(page: str) -> bool:
    """The page stops before its end: a download or a save that was interrupted, whose last
    paragraph may end mid-word. Every page a CMS writes closes its ``<body>`` or ``<html>``."""
    return _CLOSED.search(page, max(0, len(page) - CLOSE_WITHIN)) is None


CUT_TAIL_CHARS = 100  # what a page cut inside its story shows after the story's last line: hardly anything


def _ends_the_page(line: str, shown: PageText) -> bool:
    """``line`` is where the page's text stops: a cut after the story leaves its footer and menus
    after the last line, and the line whole."""
    at = shown.text.rfind(line)
    return at >= 0 and len("".join(shown.text[at + len(line) :].split())) < CUT_TAIL_CHARS


_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
# what stands before a line break that falls inside a sentence: a run of text (no tag, no
# sentence's end, no colon or quotation: not a label, a credit or a heading's close) ending in a letter
_MID_SENTENCE = re.compile(r"[^<>.!?؟:：؛«»\"()\[\]{}|]*[\u0621-\u06cc\u200c]")
MID_SENTENCE_RUN = 40  # characters of plain text before the break: a label, byline or short heading is shorter
_LETTER_NEXT = re.compile(r"[\u0621-\u06cc]")


def _join_broken_sentences(page: str) -> str:
    """The page with a ``<br>`` that breaks a sentence in two shown as a space: «… و می‌تواند<br>
    با گسترش …» (an editor's line break inside a paragraph, Mehr) is one sentence, and quoting
    either half alone would show a reader half of what the source said. A break after a
    sentence's end, a label («منبع: …»), a tag (a bold heading), a number, or before another
    break or a list's number is the page's own line and stays one."""

    def join(found: re.Match[str]) -> str:
        before = page[max(0, found.start() - 4 * MID_SENTENCE_RUN) : found.start()].rstrip(" \t\r\n")[-MID_SENTENCE_RUN:]
        after = page[found.end() : found.end() + 4 * MID_SENTENCE_RUN].lstrip(" \t\r\n")[:1]
        if len(before) == MID_SENTENCE_RUN and _MID_SENTENCE.fullmatch(before) and _LETTER_NEXT.match(after):
            return " "
        return found.group(0)

    return _BR.sub(join, page)


MAX_ELEMENTS = 50_000  # a news page has a few thousand (the five real ones 650 to 2,000)
MAX_CHILDREN = 5_000  # elements directly in one element: a long list of links has hundreds


def _crowded(doc: HtmlElement) -> str | None:
    """Why a page has more markup than any article page, or None. The extractor's time grows with
    the square of the inline elements in one paragraph: 10,000 ``<b>`` took 3.6 s and 40,000 a
    minute, so one hostile page under the size limit could hold a fetch pass for the better part
    of an hour. Bounded here, a page's reading costs seconds at most."""
    for count, element in enumerate(doc.iter(), start=1):
        if count > MAX_ELEMENTS:
            return f"the page has more than {MAX_ELEMENTS:,} elements; no article page has that many"
        if len(element) > MAX_CHILDREN:
            return f"one <{element.tag}> holds {len(element):,} elements (more than {MAX_CHILDREN:,}); no article page's does"
    return None


def _verbatim_lines(
    text: str, shown: PageText, links: set[str], tables: tuple[str, ...] = ()
) -> tuple[list[str], int, list[str]]:
    """(the page's own text for each extracted line, how many were not in the page, date lines).

    A list item that is all one link is navigation (categories, tags, the comments link, related
    news); a list item of plain text (a line-up, the points of a statement) is the story. A link
    to another story under a «بیشتر بخوانید» label, or with one, is navigation too
    (:mod:`news.read_more`). A line that is only a date is the page's date line, not its story.
    A lead-in to a table («… به شرح زیر است:») is left out with the table (``tables``: the
    skeletons of the page's tables), so that it does not open the paragraph after it."""
    kept: list[str] = []
    dropped = 0
    date_lines: list[str] = []
    labelled = False  # the line before was a «بیشتر بخوانید» label on its own
    kept_end = 0  # where the last kept line ends in the page (its skeleton's offset)
    for raw in text.split("\n"):
        raw = raw.strip()
        if not raw:
            continue
        marker = visible.LIST_MARKER.match(raw)
        line = raw[marker.end() :] if marker else raw
        found = shown.locate(line)
        if found is None and marker:
            found = shown.locate(raw)  # the page writes the marker itself
        if found is None or UNREADABLE in found:  # a byte the page's encoding could not give
            dropped += 1
            continue
        if kept and shown.last and _holds_table(shown.between(kept_end, shown.last[0]), tables):
            _cut_lead_in(kept)
        # the page's own lines: an extractor that falls back to its baseline joins a whole page
        # into one line, which the page shows as many (headline, date line, links and all)
        for part in (p.strip() for p in found.split("\n")):
            if not part:
                continue
            if is_date_line(part):
                date_lines.append(part)
                continue
            if (marker or labelled) and visible.skeleton(part) in links:
                continue  # a list of links, or the link under a «بیشتر بخوانید» line
            labelled = read_more.is_label(part)
            if labelled or read_more.points_elsewhere(part, links):
                continue
            kept.append(part)
            kept_end = shown.last[1] if shown.last else kept_end
    return kept, dropped, date_lines


TABLE_MIN_CHARS = 20  # a table's text shorter than this could be found in any gap by chance


def _holds_table(gap: str, tables: tuple[str, ...]) -> bool:
    """Whether one of the page's tables stands in ``gap`` (both skeletons). A table that holds
    the whole story (an old site's layout) is longer than any gap between its lines."""
    return any(len(table) >= TABLE_MIN_CHARS and table in gap for table in tables)


def _cut_lead_in(kept: list[str]) -> None:
    """Cut the lead-in that ends the last kept line, if it has one (the line with it, if it is
    all the line holds): it introduces what Pasokh does not carry, and alone says nothing."""
    at = lead_in_start(kept[-1])
    if at is None:
        return
    if rest := kept[-1][:at].rstrip():
        kept[-1] = rest
    else:
        kept.pop()


KICKER_MAX_WORDS = 15


def _after_headline(lines: list[str], title: str | None) -> list[str]:
    """The body without the headline and what a page prints above it (a kicker, a section name)."""
    if not title:
        return lines
    key = visible.skeleton(title)
    for i, line in enumerate(lines[:4]):
        if visible.skeleton(line) == key:
            before = lines[:i]
            if all(len(b.split()) <= KICKER_MAX_WORDS for b in before):
                return lines[i + 1 :]
            return lines[:i] + lines[i + 1 :]
    return lines


LEAD_MIN_CHARS = 20


def _with_lead(lines: list[str], descriptions: list[str], shown: PageText, title: str | None) -> tuple[list[str], bool]:
    """The body with its lead: the summary the page gives in its metadata, when the page also
    shows it above the body and extraction did not keep it. Returns (lines, whether a lead is
    there). A description shown only below the body is the site's own blurb in its footer (some
    sites give every page the site's description), not this story's lead."""
    body = visible.skeleton("".join(lines))
    title_key = visible.skeleton(title or "")
    body_at = shown.find(lines[0]) if lines else None
    for description in descriptions:
        key = visible.skeleton(description)
        if len(key) < LEAD_MIN_CHARS or key == title_key:
            continue
        if key in body:
            return _lead_first(lines, key, shown), True
        found = shown.find(description)
        if found and (body_at is None or found[0] < body_at[0]):
            return [found[1], *lines], True
    return lines, False


def _lead_first(lines: list[str], key: str, shown: PageText) -> list[str]:
    """``lines`` with the one holding the lead (``key``, its skeleton) first when the page shows
    it above the body: extraction may give a summary after the story (ISNA's, its dateline in a
    span of its own, «ایسنا/کرمان »), and then a trailer («انتهای پیام») cut it off."""
    at = next((i for i, line in enumerate(lines) if key in visible.skeleton(line)), 0)
    if at == 0:
        return lines
    lead, first = shown.find(lines[at]), shown.find(lines[0])
    if lead is None or first is None or lead[0] > first[0]:
        return lines
    return [lines[at], *lines[:at], *lines[at + 1 :]]


_SENTENCE_MARKS = re.compile(r"[.!?؟]+(?:\s|$)")


def capped(page: Page, max_sentences: int) -> tuple[Page, bool]:
    """The page cut after the paragraph that reaches about ``max_sentences`` sentences (a page of
    thousands costs minutes of embedding); (page, whether it was cut)."""
    count, kept = 0, []
    lines = page.text.split("\n")
    for line in lines:
        count += max(1, len(_SENTENCE_MARKS.findall(line)))
        kept.append(line)
        if count >= max_sentences:
            break
    if len(kept) == len(lines):
        return page, False
    return dataclasses.replace(page, text="\n".join(kept)), True


def _canonical_of(declared: str | None, url: str) -> str:
    """The page's canonical URL when it names one on the page's own site; an article's identity
    never moves to another site, nor to the site's home page, whatever the page declares."""
    if declared:
        candidate = urljoin(url, declared)
        if not same_site(candidate, url):
            logger.warning("%s declares %s as its canonical URL, on another site; ignored", url, candidate)
        elif _is_root(candidate) and not _is_root(url):
            # a content system that names its home page as every page's canonical URL would store
            # each story over the last one
            logger.warning("%s declares the site's home page %s as its canonical URL; ignored", url, candidate)
        else:
            return canonical_url(candidate)
    return canonical_url(url)


def _is_root(url: str) -> bool:
    parts = urlsplit(url)
    return parts.path.strip("/") == "" and not parts.query


def same_site(a: str, b: str) -> bool:
    """The same registrable domain (``www.isna.ir`` and ``isna.ir``); for an IP address or a
    name without a public suffix, the same host and port."""
    pa, pb = urlsplit(a), urlsplit(b)
    if pa.scheme not in ("http", "https") or pb.scheme not in ("http", "https"):
        return False
    fa, fb = get_fld(a, fail_silently=True), get_fld(b, fail_silently=True)
    if fa and fb:
        return fa.lower() == fb.lower()
    return (pa.hostname, pa.port) == (pb.hostname, pb.port)


HEADLINE_DATE_REACH = 4  # lines of the page's visible text between a headline and its date line


def _story_dates(shown: PageText, date_lines: list[str], title: str | None) -> list[str]:
    """The page's date lines that may date the story: those the extractor kept, then those the
    page shows beside its headline, nearest first (the one above before the one below at the
    same distance), where a site prints the story's date in its header, outside the body the
    extractor keeps (Mehr: breadcrumb, date, headline). A date bar (the site's clock: a date
    with the other calendars on the lines beside it) dates no story, wherever it stands."""
    lines = [line.strip() for line in shown.text.split("\n") if line.strip()]
    key = visible.skeleton(title) if title else None
    at = next((i for i, line in enumerate(lines) if key and visible.skeleton(line) == key), None)
    beside = []
    if at is not None:
        for distance in range(1, HEADLINE_DATE_REACH + 1):
            beside += [lines[i] for i in (at - distance, at + distance) if 0 <= i < len(lines) and is_date_line(lines[i])]
    wanted = {*date_lines, *beside}
    bars = {
        line
        for i, line in enumerate(lines)
        if line in wanted and any(is_other_calendar(n) for n in (*lines[max(0, i - 1) : i], *lines[i + 1 : i + 2]))
    }
    return [line for line in (*date_lines, *beside) if line not in bars]


def _published(page: str, url: str, facts: PageFacts, date_lines: list[str]) -> str | None:
    """The page's publication time: its JSON-LD or publication tags (ISO or Jalali; zone-less, the
    clock its site writes: Tehran's, or Kabul's for Afghanistan's press), else a date line it
    shows, else htmldate, else its bare «date» tag (which many content systems fill with the time
    of the request). A time no page could have been published
    at (after now, before the web's news sites) counts as none, and a day without a time of day
    takes the time of a later source that names that day (:func:`news.times.first_time`)."""

    def found_by_htmldate() -> Iterator[str | None]:
        try:  # htmldate reads the bare «date» tag too: it is shown the page without it
            found = htmldate.find_date(
                _LOOSE_DATE_TAG.sub("", page), url=url, outputformat=_HTMLDATE_FORMAT, extensive_search=False, original_date=True
            )
        except (ValueError, TypeError, OverflowError):
            return
        # the zone as the page gave it (without %z, a UTC time would be read as Tehran's); a
        # zone-less midnight is htmldate's way of saying it found only a day
        yield found.removesuffix("T00:00:00") if found else None

    stamps = itertools.chain(facts.published, date_lines, found_by_htmldate(), facts.loose_dates)
    return first_time(stamps, zone=zone_of_host(urlsplit(url).hostname))


def to_raw(page: Page, source_name: str | None, origin: str, published: str | None = None) -> RawArticle:
    """The page as a raw article: the same cleaning, normalization and splitting as a file gets.

    The title goes first so the metadata pass recognises (and never quotes) it; the feed's or
    sitemap's time wins over the page's, unless it states only a day and the page gives the time
    on that day. The agency is the one a line of the page states («منبع: مهر»: corpus.prepare);
    else the outlet that publishes on the page's domain; else the one the body credits («به
    گزارش …»); else the source's configured name, the page's cleaned site name, or its domain.
    """
    text = f"{page.title}\n\n{page.text}" if page.title else page.text
    return RawArticle(
        id=article_id(page.url),
        text=text,
        origin=origin,
        title=page.title or None,
        url=page.url,
        published=first_time((published, page.published), zone=zone_of_host(urlsplit(page.url).hostname)),
        agency=page.agency,
        fallback_agency=source_name or known_as(page.site) or _domain(page.url),
    )


def known_as(site: str | None) -> str | None:
    """A site's name as citations name its outlet: «خبرگزاری ایسنا», as ISNA's pages call
    themselves, is ایسنا, the name its articles get from its own domain; a copy of its story on
    a site Pasokh does not know is credited the same. A name of no known outlet stays as it is."""
    return (agency_named_by(site) or site) if site else None


def _domain(url: str) -> str | None:
    """«shahr-news.ir» for https://www.shahr-news.ir/news/1: a citation names where the page
    is when nothing names who published it."""
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.") or None
