"""Public Telegram channels as a source, through their web preview (``https://t.me/s/<name>``).

Each post with text is an article: its text as the channel wrote it, its time, its own link
(``https://t.me/<name>/<id>``, whatever mirror served the preview) and the channel's title as its
agency; a forwarded post's words are the origin's, so it is credited to the origin (an outlet by
its usual name), with the channel that passed it on. A media-only post has nothing to quote and
is passed over, as are a post in another language and Telegram's own service lines; a reply's
quote of the post it answers is not part of the reply's text, and the channel's sign-off («🆔
@channel», a line of hashtags) is not quoted. Older posts come by paging (``?before=<id>``)
until ``max_articles`` or a post already stored; an edited post has new text, so ingesting it
again replaces the old version.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import urlencode

from lxml import html

from corpus.clean import drop_chrome, paragraphs, story_lines
from corpus.errors import CorpusError
from corpus.language import not_persian
from corpus.metadata import agency_named_by, relayed, shorten, story_line
from corpus.read import RawArticle
from news import visible
from news.pages import article_id, decode_html
from news.times import stated_time

logger = logging.getLogger(__name__)
TITLE_MAX = 120
MAX_PAGES = 20


class ChannelError(CorpusError):
    """A channel preview that cannot be read."""


@dataclass(frozen=True)
class Post:
    channel: str
    number: int
    text: str
    published: str | None
    edited: bool
    forwarded_from: str | None

    @property
    def url(self) -> str:
        return f"https://t.me/{self.channel}/{self.number}"


@dataclass(frozen=True)
class PreviewPage:
    title: str | None
    posts: list[Post]
    before: int | None  # the id to page back from, when there are older posts


def preview_url(base: str, name: str, before: int | None = None) -> str:
    url = base.rstrip("/") + "/" + name
    return f"{url}?{urlencode({'before': before})}" if before else url


def text_of(el: html.HtmlElement) -> str:
    """A post's text as shown: entities decoded, ``<br>`` as line breaks, every character kept."""
    parts: list[str] = []

    def walk(node: html.HtmlElement) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag == "br":
            parts.append("\n")
        elif node.text and tag not in ("script", "style"):
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(el)
    return shown_text("".join(parts))


def shown_text(text: str) -> str:
    """A post's text as the preview shows it: a run of spaces as one, each line trimmed, no
    empty line. A post read elsewhere (an export) is made the same, so it is the same article."""
    lines = (re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _classes(el: html.HtmlElement) -> set[str]:
    return set((el.get("class") or "").split())


def _inside_reply(el: html.HtmlElement, message: html.HtmlElement) -> bool:
    for parent in el.iterancestors():
        if parent is message:
            return False
        if "tgme_widget_message_reply" in _classes(parent):
            return True
    return False


def _own_text(message: html.HtmlElement) -> html.HtmlElement | None:
    """The post's own text. A reply shows the start of the post it answers above its own text,
    in an element that carries the same ``tgme_widget_message_text`` class in some versions of
    the preview (with ``js-message_reply_text``): quoting that would put another post's words
    under this post's link."""
    for el in message.find_class("tgme_widget_message_text"):
        if "js-message_reply_text" not in _classes(el) and not _inside_reply(el, message):
            return el
    return None


def _post_time(message: html.HtmlElement) -> html.HtmlElement | None:
    """The post's own ``<time datetime>`` (in its date link); a video's duration is a ``<time>``
    too, without a datetime, and comes first."""
    stamped = [t for t in message.iter("time") if t.get("datetime") and not _inside_reply(t, message)]
    for el in stamped:
        if any("tgme_widget_message_date" in _classes(p) for p in el.iterancestors()):
            return el
    return stamped[0] if stamped else None


def read_preview(body: bytes, content_type: str, name: str) -> PreviewPage:
    doc = visible.parse(decode_html(body, content_type))
    if doc is None:
        raise ChannelError(f"the preview of {name} is not a readable page")
    title_el = doc.find_class("tgme_channel_info_header_title")
    title = text_of(title_el[0]) if title_el else None
    if not title:
        og = [m.get("content") for m in doc.iter("meta") if m.get("property") == "og:title" and m.get("content")]
        title = og[0].strip() if og else None
    title = channel_name(title, name) if title else None
    if not doc.find_class("tgme_channel_history") and not doc.find_class("tgme_widget_message"):
        # t.me sends a channel without a public preview (private, preview turned off, or no such
        # channel) to its contact page: there is nothing to follow, and saying so beats silence
        raise ChannelError(f"@{name} has no public preview (a private channel, preview turned off, or no such channel)")
    posts: list[Post] = []
    for message in doc.find_class("tgme_widget_message"):
        key = message.get("data-post") or ""
        channel, _, number = key.partition("/")
        if not number.isdigit() or channel.lower() != name.lower() or "service_message" in _classes(message):
            continue  # another channel's post, or Telegram's own line («Channel photo updated»)
        text_el = _own_text(message)
        text = text_of(text_el) if text_el is not None else ""
        time_el = _post_time(message)
        meta = message.find_class("tgme_widget_message_meta")
        edited = bool(meta) and "edited" in meta[0].text_content()
        forwarded = message.find_class("tgme_widget_message_forwarded_from_name")
        posts.append(
            Post(
                channel=channel,
                number=int(number),
                text=text,
                published=stated_time(time_el.get("datetime")) if time_el is not None else None,
                edited=edited,
                forwarded_from=text_of(forwarded[0]) if forwarded else None,
            )
        )
    more = doc.find_class("tme_messages_more")
    before = next((int(m.get("data-before")) for m in more if (m.get("data-before") or "").isdigit()), None)
    return PreviewPage(title, posts, before)


class Timeline(NamedTuple):
    title: str | None
    posts: list[Post]  # the newest, up to the limit asked for
    shown: set[int]  # the number of every post the pages showed, media-only ones too
    signature: frozenset[str]  # the lines the channel puts on post after post (:func:`signature`)


_DECORATION = frozenset(("So", "Sk", "Mn", "Me", "Cf", "Zs", "Cs"))  # emoji, their joiners and selectors, spaces


def channel_name(title: str, handle: str) -> str:
    """A channel's name as a citation gives it: the title without the emoji around it
    («🚩سرخ تایمز🚩» is «سرخ تایمز»), and of a title in parts split by a bar, the part that the
    channel's handle spells («📡 IRCF | اینترنت آزاد برای همه» of @ircfspace is «IRCF», «جام جهانی
    2026 | فوتبال 180» of @Futball180TV «فوتبال 180»): the other part is a slogan or the topic of
    the day. A title with no part the handle spells is kept whole."""
    parts = [_undecorated(part) for part in re.split(r"\s*[|｜]\s*", title)]
    parts = [part for part in parts if any(ch.isalpha() for ch in part)]
    if len(parts) > 1:
        key = handle.casefold()
        spelled = [p for p in parts if any(len(run) >= 3 and run in key for run in re.findall(r"[a-z0-9]+", p.casefold()))]
        return spelled[0] if len(spelled) == 1 else _undecorated(title)
    return parts[0] if parts else title


def _undecorated(text: str) -> str:
    """``text`` without the emoji, their joiners and selectors, and the spaces around it."""
    start, end = 0, len(text)
    while start < end and unicodedata.category(text[start]) in _DECORATION:
        start += 1
    while end > start and unicodedata.category(text[end - 1]) in _DECORATION:
        end -= 1
    return text[start:end]


def posts_of(get: Callable[[str], tuple[bytes, str]], base: str, name: str, limit: int, known: Callable[[str], bool]) -> Timeline:
    """The channel's newest posts, paging back until ``limit`` posts or one already stored, and
    the number of every post the pages showed (media-only ones too): a stored post whose number
    lies among them and is not one of them was deleted by the channel. The channel's signature
    is read off every post the pages showed, stored ones too, so a pass that finds one new post
    still knows it."""
    title, found, before = None, {}, None
    for _ in range(MAX_PAGES):
        body, content_type = get(preview_url(base, name, before))
        page = read_preview(body, content_type, name)
        title = title or page.title
        fresh = [p for p in page.posts if p.number not in found]
        for post in fresh:
            found[post.number] = post
        older_known = any(known(p.url) for p in page.posts)
        before = page.before or (min((p.number for p in page.posts), default=0) or None)
        if not fresh or older_known or len(found) >= limit or before is None or before <= 1:
            break
    newest = sorted(found.values(), key=lambda p: p.number, reverse=True)[:limit]
    return Timeline(title, newest, set(found), signature(found.values()))


SIGNATURE_POSTS = 3


def signature(posts: Iterable[Post]) -> frozenset[str]:
    """The lines a channel signs post after post with besides its handle: its slogan (««سرخ
    تایمز» دریچه ای تازه به اخبار موثق و اختصاصی پرسپولیس», under every post of SorkhTimes), a
    call to follow it. A line is one when it closes at least ``SIGNATURE_POSTS`` posts under
    different news: a report the channel posted three times over has nothing else over it, and
    a headline repeated over updates opens its posts; both stay news."""
    above: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for post in posts:
        if len(lines := drop_chrome(paragraphs(post.text))) > 1:
            above[lines[-1]].add(tuple(lines[:-1]))
    return frozenset(line for line, news in above.items() if len(news) >= SIGNATURE_POSTS)


def to_raw(post: Post, channel_title: str | None, boilerplate: frozenset[str] = frozenset()) -> RawArticle | None:
    """A post with text as an article; None for a media-only post.

    A post that opens with a short line not ending in a stop and goes on with a story (a sentence,
    or a line too long for a label) has a headline, as a news page does (it is the title and not
    quoted); another post is titled by its opening words, or, when they are short, by the channel,
    so that every line stays quotable: its only line, or each of a list of bulletins
    («چندین انفجار در بندرعباس» / «چندین انفجار در اهواز» / …), the first of which is no headline
    over the others."""
    if not post.text.strip():
        return None
    if language := not_persian(post.text):  # a Persian channel's notice in English, say
        logger.info("%s is written in %s, not Persian; passed over", post.url, language)
        return None
    # not the sign-off («🆔 @channel»), a byline or a link's label: the lines a reader would quote
    lines = story_lines(post.text, boilerplate=boilerplate)
    if not lines:
        return None
    first = lines[0]
    if len(first) <= TITLE_MAX and not _STATEMENT_END.search(first) and any(map(story_line, lines[1:])):
        title = first
    elif len(first) > TITLE_WORDS_CUT:
        title = shorten(first, TITLE_WORDS_CUT)
    else:
        title = own_name(channel_title or post.channel)  # as its own posts are credited: the citation names it once
    agency = credit(post, channel_title or post.channel)
    return RawArticle(
        id=article_id(post.url),
        text=post.text,
        origin=post.url,
        title=title,
        url=post.url,
        agency=agency,
        published=post.published,
        structured=True,
        relayed_by=None if post.forwarded_from else agency,  # a forward is credited to its origin already
        boilerplate=boilerplate,
    )


def credit(post: Post, channel: str) -> str:
    """Who a citation names. A forward is a verbatim copy of another channel's (or person's)
    post, so its words are the origin's: credited to the channel that forwarded them, a quote
    from ISNA's channel would read as the forwarding channel's own reporting. The link stays the
    forwarding post's, the page the words were read from, so the channel is named beside it.
    A channel or origin whose title names an outlet is named as readers know the outlet, the
    same as its web pages are: «BBCPersian» is «بی‌بی‌سی فارسی»."""
    origin = (post.forwarded_from or "").strip()
    own = own_name(channel)
    if not origin or origin.casefold() == channel.casefold():
        return own
    return relayed(agency_named_by(origin) or origin, own)


def own_name(channel: str) -> str:
    """A channel as its own posts are credited: an outlet's channel («BBCPersian», «ISNA») by
    the outlet's name, another by its own."""
    return agency_named_by(channel) or channel


# a post's opening line ending so is a sentence of it, or the words leading into a quote («… توی متن
# خبر می‌بینی نوشته:», VahidOnline's), not its headline; a headline may ask or exclaim («پشت دیوار
# سکوت بانک سپه چه گذشت؟», Akhbar-e Fori's), as a page's may
_STATEMENT_END = re.compile(r"[.…:：]\s*$")
TITLE_WORDS_CUT = 60
