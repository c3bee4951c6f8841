"""A channel's history as Telegram Desktop exports it (Export chat history → JSON: ``result.json``).

The web preview `pasokh fetch` follows pages back only so far; a channel's archive of years is
had from Telegram Desktop. Each post with text is read exactly as the preview's posts are
(:func:`news.channels.to_raw`): the same text (the preview's line breaks and spaces), the same
headline rule, sign-off and slogan left out, a forward credited to its origin. So a post read
from an export and fetched later is one article.

What the export does not say is not made up. It names a channel by its title and numeric id,
never its public handle, so a public channel's export is read only with the handle the operator
gives (``pasokh ingest --channel NAME``): its posts link to ``https://t.me/<handle>/<id>`` as
followed posts do, and a link made up from the id would not open for a reader outside the
channel, and would store each post a second time once the channel is followed. A private
channel has no handle: its posts link to ``https://t.me/c/<id>/<post>``, the link Telegram gives
them, which opens for its members. A time is the post's Unix time (``date_unixtime``); an
export old enough to give only ``date`` wrote the exporting computer's clock, read as Tehran's,
as a zone-less time of a Persian source is everywhere in Pasokh. A whole account's export
(``chats.list``, ``left_chats.list``) gives every channel in it; chats that are not channels
(people, groups) hold no news and are passed over.

A channel's web preview saved from a browser (``t.me/s/NAME``) is read as `pasokh fetch` reads
the preview it fetches, each post its own article with its own link and time, where as a news
page it was one article of every post under the channel's address.

Telegram Desktop exports HTML unless told JSON: pages of a chat (``messages.html``,
``messages2.html``, …) are read too. A page names the chat by its title alone (neither its
handle, nor its id, nor whether it is a channel), so it is read only with the handle given, and a
page whose posts come from several people (a group's) is refused. A page's time is the one the
exporting computer showed with its offset from UTC («20.11.2026 10:30:00 UTC+03:30»); an older
export's, without one, is read as Tehran's.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

from lxml import html

from corpus.errors import CorpusError, InputFileError
from corpus.read import PAGE_SUFFIXES, RawArticle
from news.channels import Post, channel_name, read_preview, shown_text, signature, text_of, to_raw
from news.pages import decode_html
from news.saved import read_saved
from news.times import stated_time

CHANNEL_TYPES = frozenset(("public_channel", "private_channel"))
MAX_EXPORT_BYTES = 1024 * 1024 * 1024  # a channel's years fit; the file is read whole
_HANDLE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{3,31}$")  # what Telegram allows as a public username
# the handle as an operator may paste it: «@name», or the channel's link «https://t.me/s/name»
_AS_GIVEN = re.compile(r"^(?:@|(?:https?://)?(?:www\.)?(?:t|telegram)\.me/(?:s/)?)?([^/?#\s]+)/?(?:[?#].*)?$", re.IGNORECASE)


def read_export(path: Path, handle: str | None = None) -> Iterator[RawArticle | InputFileError] | None:
    """The posts with text of every channel in the export at ``path``, and one error line for a
    file that is no export, a chat that is no channel, or a post that cannot be read. ``handle``
    names the channel's public address; it is refused for an export of several channels. None
    for an .html file that is no page of an export (a saved news page: read as a page)."""
    if path.suffix.lower() in PAGE_SUFFIXES:
        try:
            data = read_saved(path).html  # read once: what kind of page it is, and then its posts
        except (OSError, InputFileError):
            return None  # the page reader says why the file cannot be read
        found = telegram_page(data)
        if found is None:
            return None
        if found.channel is None:
            return _read_html(path, data, handle)
        return _read_saved_preview(path, data, found.channel)
    return _read_json(path, handle)


def _read_json(path: Path, handle: str | None) -> Iterator[RawArticle | InputFileError]:
    try:
        size = path.stat().st_size
        if size > MAX_EXPORT_BYTES:
            yield InputFileError(
                path,
                f"is {size // 2**20} MB, over the {MAX_EXPORT_BYTES // 2**20} MB an export may be; export fewer months at a time",
            )
            return
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except OSError as exc:
        yield InputFileError(path, f"cannot be read ({exc.strerror})")
        return
    except UnicodeDecodeError:
        yield InputFileError(path, "is not UTF-8 text, as Telegram Desktop writes its exports")
        return
    except json.JSONDecodeError as exc:
        yield InputFileError(path, f"is not valid JSON (line {exc.lineno}: {exc.msg}); a cut-off export: export it again")
        return
    except RecursionError:  # json's reader recurses per level: a hostile file nests a few thousand deep
        yield InputFileError(path, "nests its lists and objects deeper than any export does; it is no Telegram export")
        return
    chats = _chats(data)
    if chats is None:
        yield InputFileError(
            path,
            "is not a Telegram Desktop export (no 'messages'); articles go in .jsonl, one JSON object a line",
        )
        return
    channels = [c for c in chats if c.get("type") in CHANNEL_TYPES]
    if not channels:
        kinds = ", ".join(sorted({str(c.get("type")) for c in chats})) or "no chat"
        yield InputFileError(path, f"holds no channel ({kinds}); only a channel's posts are news")
        return
    if handle is not None and len(channels) > 1:
        yield InputFileError(
            path, f"holds {len(channels)} channels, so --channel {handle} cannot name them all; export one channel"
        )
        return
    own = _handle(handle) if handle is not None else None
    if handle is not None and own is None:
        yield InputFileError(path, _not_a_handle(handle))
        return
    for chat in channels:
        yield from _channel_posts(path, chat, own)


def _chats(data: object) -> list[dict] | None:
    """The chats of a one-chat export, or of a whole account's (``chats.list``, and the chats
    left since, ``left_chats.list``); None for anything else."""
    if not isinstance(data, dict):
        return None
    if isinstance(data.get("messages"), list):
        return [data]
    lists = [data[key].get("list") for key in ("chats", "left_chats") if isinstance(data.get(key), dict)]
    if not any(isinstance(listed, list) for listed in lists):
        return None
    chats = [c for listed in lists if isinstance(listed, list) for c in listed]
    return [c for c in chats if isinstance(c, dict) and isinstance(c.get("messages"), list)]


def _channel_posts(path: Path, chat: dict, handle: str | None) -> Iterator[RawArticle | InputFileError]:
    title = str(chat.get("name") or "").strip()
    shown = channel_name(title, "") if title else "(untitled)"
    if handle is None and chat.get("type") == "public_channel":
        yield InputFileError(
            path,
            f"is the public channel «{shown}», whose handle an export does not name: give it, "
            f"`pasokh ingest --channel NAME {path.name}`, so its posts link to t.me/NAME/… as when it is followed",
        )
        return
    if handle is None:
        number = chat.get("id")
        if not isinstance(number, int) or number <= 0:
            yield InputFileError(path, f"the channel «{shown}» has no id to link its posts by; give --channel NAME")
            return
        address = f"c/{number}"
    else:
        address = handle
    name = channel_name(title, handle or "") if title else None
    posts: list[Post] = []
    for message in chat["messages"]:
        if not isinstance(message, dict) or message.get("type") != "message":
            continue  # a service line: the channel created, a photo changed, a post pinned
        try:
            posts.append(_post(message, address))
        except ValueError as exc:
            yield InputFileError(path, f"message {message.get('id', '?')}: {exc}")
    boilerplate = signature(posts)
    for post in posts:
        raw = to_raw(post, name, boilerplate)
        if raw is not None:
            yield raw


def _post(message: dict, address: str) -> Post:
    number = message.get("id")
    if not isinstance(number, int) or number <= 0:
        raise ValueError("has no post number")
    forwarded = message.get("forwarded_from")
    return Post(
        channel=address,
        number=number,
        text=shown_text(_text(message.get("text"))),
        published=_when(message),
        edited="edited" in message or "edited_unixtime" in message,
        forwarded_from=forwarded.strip() if isinstance(forwarded, str) and forwarded.strip() else None,
    )


def _text(value: object) -> str:
    """A message's text: a string, or a list of strings and entities (bold, a link's label, a
    mention) each carrying its own ``text``, as the post shows them."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(
            part if isinstance(part, str) else str(part.get("text", "")) for part in value if isinstance(part, (str, dict))
        )
    if value is None:
        return ""
    raise ValueError(f"its 'text' is a {type(value).__name__}, not text")


def _when(message: dict) -> str | None:
    """The post's time: its Unix time in UTC, or its zone-less local time as Tehran's; None when
    neither names a time a story was published at."""
    unix = message.get("date_unixtime")
    if isinstance(unix, str) and unix.isdigit():
        return stated_time(datetime.fromtimestamp(int(unix), UTC).isoformat(timespec="seconds"))
    local = message.get("date")
    return stated_time(local) if isinstance(local, str) else None


def _handle(given: str) -> str | None:
    """The channel's handle in what the operator gave: «name», «@name» or its link
    («https://t.me/name», «t.me/s/name»); None when that names no handle Telegram allows."""
    found = _AS_GIVEN.match(given.strip())
    return found.group(1) if found and _HANDLE.match(found.group(1)) else None


def _not_a_handle(given: str) -> str:
    return f"--channel {given!r} is no Telegram handle (5 to 32 letters, digits and _, as in t.me/NAME)"


# ---- the HTML export ---------------------------------------------------------------------
_HTML_MARK = "<title>Exported Data</title>"
_SNIFF_BYTES = 65536  # the head Telegram writes is short; a copy with its style inlined is not
_MESSAGE_ID = re.compile(r"^message(\d+)$")
_STAMP = re.compile(r"^(\d{2})\.(\d{2})\.(\d{4}) (\d{2}):(\d{2}):(\d{2})(?: UTC([+-]\d{2}):(\d{2}))?")


# a post of a channel's web preview (t.me/s/NAME), as a browser saves the page
_PREVIEW_POST = re.compile(rb'data-post="([A-Za-z][A-Za-z0-9_]{3,31})/\d+"')
_EXPORTED_MESSAGE = re.compile(rb'"type":\s*"message"')  # a message of a JSON export, as Telegram writes it


class TelegramPage(NamedTuple):
    """A page of Telegram's, which is no news page: its posts are articles of their own."""

    channel: str | None  # the channel of a saved web preview (t.me/s/NAME); None for an export's page
    posts: int  # the messages on it, media-only ones too


def telegram_page(data: bytes) -> TelegramPage | None:
    """What Telegram page ``data`` is, or None: a page of Telegram Desktop's HTML export (its head
    says so), or a channel's web preview saved from a browser, which read as a news page was one
    article of every post on it under the channel's address, none cited to its post or its time."""
    head = data[:_SNIFF_BYTES].decode("utf-8", "ignore")
    if _HTML_MARK in head and "page_wrap" in head:
        return TelegramPage(None, data.count(b'class="message default'))
    if b"tgme_channel_history" not in data and b"tgme_widget_message_wrap" not in data:
        return None
    names = Counter(found.group(1).decode("ascii") for found in _PREVIEW_POST.finditer(data))
    return TelegramPage(names.most_common(1)[0][0], sum(names.values())) if names else None


def messages_in(path: Path) -> int:
    """How many messages an export (JSON, or a page of HTML) or a saved web preview holds, 0 for
    any other file: a count for a progress bar, made without parsing."""
    try:
        data = path.read_bytes()
        if path.suffix.lower() not in PAGE_SUFFIXES:
            return len(_EXPORTED_MESSAGE.findall(data))
        found = telegram_page(read_saved(path, data).html)
    except (OSError, InputFileError):
        return 0
    return found.posts if found is not None else 0


def _read_saved_preview(path: Path, data: bytes, channel: str) -> Iterator[RawArticle | InputFileError]:
    """A saved web preview's posts, each its own article, read as `pasokh fetch` reads the preview
    it fetches: its own link and time, and the channel's title as its agency."""
    try:
        page = read_preview(data, "text/html", channel)
    except CorpusError as exc:
        yield InputFileError(path, str(exc))
        return
    boilerplate = signature(page.posts)
    for post in page.posts:
        raw = to_raw(post, page.title, boilerplate)
        if raw is not None:
            yield raw


def _read_html(path: Path, data: bytes, handle: str | None) -> Iterator[RawArticle | InputFileError]:
    if handle is None:
        yield InputFileError(
            path,
            "is a page of Telegram Desktop's HTML export, which names neither the channel's handle nor its id: give the "
            f"handle, `pasokh ingest --channel NAME {path.parent.name or '.'}/`, or export as JSON (a private channel's "
            "posts then link by its id)",
        )
        return
    own = _handle(handle)
    if own is None:
        yield InputFileError(path, _not_a_handle(handle))
        return
    if len(data) > MAX_EXPORT_BYTES:
        yield InputFileError(path, f"is {len(data) // 2**20} MB, over the {MAX_EXPORT_BYTES // 2**20} MB an export may be")
        return
    try:
        doc = html.fromstring(decode_html(data))
    except (ValueError, html.etree.ParserError) as exc:
        yield InputFileError(path, f"is not a readable page ({exc})")
        return
    header = next((text_of(el) for el in doc.find_class("page_header")), "")
    posts: list[Post] = []
    senders: set[str] = set()
    sender = None
    for message in doc.find_class("message"):
        number = _MESSAGE_ID.match(message.get("id") or "")
        body = _child(message, "body")
        if "default" not in (message.get("class") or "").split() or number is None or body is None:
            continue  # a day's heading, a service line
        sender = _own_text(_child(body, "from_name")) or sender  # a joined message: the one above's
        forwarded = _child(body, "forwarded", "body")
        if forwarded is None and sender:
            senders.add(sender)
        text = _child(forwarded if forwarded is not None else body, "text")
        stamp = _child(body, "date")
        posts.append(
            Post(
                channel=own,
                number=int(number.group(1)),
                text=text_of(text) if text is not None else "",
                published=_stamped(stamp.get("title") if stamp is not None else None),
                edited=False,
                forwarded_from=_own_text(_child(forwarded, "from_name")) if forwarded is not None else None,
            )
        )
    if others := sorted(senders - {header}):
        named = "، ".join(f"«{other}»" for other in others[:3])
        yield InputFileError(
            path, f"is a page of a group's export (messages from {named}), not a channel's: only a channel's posts are news"
        )
        return
    name = channel_name(header, own) if header else None
    boilerplate = signature(posts)
    for post in posts:
        raw = to_raw(post, name, boilerplate)
        if raw is not None:
            yield raw


def _child(el: html.HtmlElement | None, *wanted: str) -> html.HtmlElement | None:
    """The first ``div`` child of ``el`` carrying every class ``wanted``: a forward's text is in
    its «forwarded body», not in the «forwarded userpic_wrap» beside it."""
    if el is None:
        return None
    return next((c for c in el if c.tag == "div" and set(wanted) <= set((c.get("class") or "").split())), None)


def _own_text(el: html.HtmlElement | None) -> str | None:
    """An element's own words, without the date a forward's origin carries in a span."""
    if el is None:
        return None
    words = " ".join(part.strip() for part in [el.text or "", *(c.tail or "" for c in el)] if part.strip())
    return words or None


def _stamped(title: str | None) -> str | None:
    """A page's time («20.11.2026 10:30:00 UTC+03:30») as ISO; one with no offset is Tehran's."""
    found = _STAMP.match((title or "").strip())
    if found is None:
        return None
    day, month, year, hour, minute, second, zone_hours, zone_minutes = found.groups()
    stamp = f"{year}-{month}-{day}T{hour}:{minute}:{second}"
    if zone_hours is not None:
        stamp += f"{zone_hours}:{zone_minutes}"
    return stated_time(stamp)
