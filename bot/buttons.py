"""Button data (Telegram's ``callback_data``): one codec that builds and reads every kind.

A client can send any callback data it likes, so each payload carries a short keyed MAC over
the chat it was sent to: a button copied to another chat, or made up, fails to decode and
changes nothing. Everything fits Telegram's 64-byte limit (checked on encode).

    >>> codec = ButtonCodec(b"k" * 32)
    >>> data = codec.encode(More(question_id=7, offset=3), chat_id=42)
    >>> codec.decode(data, chat_id=42)
    More(question_id=7, offset=3)
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass

from telegram.constants import InlineKeyboardButtonLimit

MAX_CALLBACK = InlineKeyboardButtonLimit.MAX_CALLBACK_DATA
_TAG_CHARS = 10  # 60 bits of base64url: guessing one takes about 10^18 tries


@dataclass(frozen=True)
class OpenArticle:
    """Show the whole article (``key`` is the store's short integer key for it)."""

    key: int


@dataclass(frozen=True)
class More:
    """The next page of quotes for a logged question."""

    question_id: int
    offset: int


@dataclass(frozen=True)
class Vote:
    """👍 (``up``) or 👎 on a logged question's answer."""

    question_id: int
    up: bool


@dataclass(frozen=True)
class ArticlesPage:
    """A page of the /articles list."""

    page: int


Button = OpenArticle | More | Vote | ArticlesPage
_PREFIX: dict[type, str] = {OpenArticle: "a", More: "m", Vote: "f", ArticlesPage: "s"}
# Regular expressions for CallbackQueryHandler(pattern=...): one handler per kind.
PATTERNS: dict[type, str] = {cls: rf"^{p}:" for cls, p in _PREFIX.items()}
_SHAPE = re.compile(rf"^([amfs]):([0-9:]{{1,40}}):([A-Za-z0-9_-]{{{_TAG_CHARS}}})$")


class InvalidButton(ValueError):
    """Callback data that this bot did not issue to this chat (forged, copied, malformed)."""


def _fields(button: Button) -> tuple[int, ...]:
    if isinstance(button, OpenArticle):
        return (button.key,)
    if isinstance(button, More):
        return (button.question_id, button.offset)
    if isinstance(button, Vote):
        return (button.question_id, int(button.up))
    return (button.page,)


def _build(prefix: str, values: list[int]) -> Button:
    if prefix == "a" and len(values) == 1:
        return OpenArticle(values[0])
    if prefix == "m" and len(values) == 2:
        return More(values[0], values[1])
    if prefix == "f" and len(values) == 2 and values[1] in (0, 1):
        return Vote(values[0], bool(values[1]))
    if prefix == "s" and len(values) == 1:
        return ArticlesPage(values[0])
    raise InvalidButton(f"malformed {prefix!r} button")


class ButtonCodec:
    def __init__(self, key: bytes) -> None:
        self._key = key

    def _tag(self, body: str, chat_id: int) -> str:
        mac = hmac.new(self._key, f"{chat_id}|{body}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(mac).decode()[:_TAG_CHARS]

    def encode(self, button: Button, chat_id: int) -> str:
        values = _fields(button)
        if any(v < 0 for v in values):
            raise ValueError(f"button fields must not be negative: {button}")
        body = f"{_PREFIX[type(button)]}:{':'.join(map(str, values))}"
        data = f"{body}:{self._tag(body, chat_id)}"
        if len(data.encode()) > MAX_CALLBACK:
            raise ValueError(f"callback data over {MAX_CALLBACK} bytes: {data!r}")
        return data

    def decode(self, data: str | None, chat_id: int | None) -> Button:
        """The button, if this bot issued exactly this data to this chat; else :class:`InvalidButton`."""
        match = _SHAPE.match(data or "")
        if match is None or chat_id is None:
            raise InvalidButton("not a button of this bot")
        prefix, payload, tag = match.groups()
        body = f"{prefix}:{payload}"
        if not hmac.compare_digest(tag, self._tag(body, chat_id)):
            raise InvalidButton("button was not issued to this chat")
        try:
            values = [int(v) for v in payload.split(":")]
        except ValueError:
            raise InvalidButton("malformed button") from None
        return _build(prefix, values)
