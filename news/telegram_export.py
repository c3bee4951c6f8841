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
them, which opens for its members. A time is the post's Unix time
(``date_unixtime``); an export old enough to give only ``date`` wrote the exporting computer's
clock, read as Tehran's, as a zone-less time of a Persian source is everywhere in Pasokh.
A whole account's export (``chats.list``, ``left_chats.list``) gives every channel in it; chats that are not channels
(people, groups) hold no news and are passed over.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from corpus.errors import InputFileError
from corpus.read import RawArticle
from news.channels import Post, channel_name, shown_text, signature, to_raw
from news.times import stated_time

CHANNEL_TYPES = frozenset(("public_channel", "private_channel"))
MAX_EXPORT_BYTES = 1024 * 1024 * 1024  # a channel's years fit; the file is read whole
_HANDLE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{3,31}$")  # what Telegram allows as a public username


def read_export(path: Path, handle: str | None = None) -> Iterator[RawArticle | InputFileError]:
    """The posts with text of every channel in the export at ``path``, and one error line for a
    file that is no export, a chat that is no channel, or a post that cannot be read. ``handle``
    names the channel's public address; it is refused for an export of several channels."""
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
    if handle is not None and not _HANDLE.match(handle.lstrip("@")):
        yield InputFileError(path, f"--channel {handle!r} is no Telegram handle (5 to 32 letters, digits and _, as in t.me/NAME)")
        return
    for chat in channels:
        yield from _channel_posts(path, chat, handle.lstrip("@") if handle else None)


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
