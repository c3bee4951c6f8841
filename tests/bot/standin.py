"""A Telegram Bot API stand-in on 127.0.0.1: real HTTP, the methods PTB uses, Telegram's limits enforced.

Tests inject updates (messages, button taps, inline queries) and read back every call
the bot made. What Telegram would reject is rejected here the same way (HTTP 400 with
``{"ok": false, "description": "Bad Request: …"}``), so a bot that passes here is not
relying on the stand-in being lenient.
"""

from __future__ import annotations

import html
import itertools
import json
import re
import threading
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

MAX_TEXT = 4096
MAX_CALLBACK = 64
MAX_INLINE_RESULTS = 50
BOT = {
    "id": 777000111,
    "is_bot": True,
    "first_name": "Pasokh",
    "username": "pasokh_test_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": True,
}
ALLOWED_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "a",
    "code",
    "pre",
    "tg-spoiler",
    "span",
    "blockquote",
    "tg-emoji",
}


class ApiError(Exception):
    def __init__(self, description: str, code: int = 400, retry_after: int | None = None, **parameters: int) -> None:
        super().__init__(description)
        self.description = description
        self.code = code
        self.retry_after = retry_after
        self.parameters = parameters  # ResponseParameters besides retry_after (migrate_to_chat_id)


# What Telegram answers a bot that writes to a chat it may no longer write to, word for word
BLOCKED = ApiError("Forbidden: bot was blocked by the user", 403)
KICKED = ApiError("Forbidden: bot was kicked from the group chat", 403)
KICKED_SUPERGROUP = ApiError("Forbidden: bot was kicked from the supergroup chat", 403)
DEACTIVATED = ApiError("Forbidden: user is deactivated", 403)
MUTED = ApiError("Bad Request: not enough rights to send text messages to the chat")
TOPIC_CLOSED = ApiError("Bad Request: TOPIC_CLOSED")
NOT_MODIFIED = ApiError(
    "Bad Request: message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
QUERY_TOO_OLD = ApiError("Bad Request: query is too old and response timeout expired or query ID is invalid")


class Bucket:
    """Telegram's flood control as a leaky bucket: ``size`` sends at once, then ``size`` a
    ``period``; the same shape as the rate limiter python-telegram-bot's AIORateLimiter uses,
    so a bot that keeps to its limit is never refused, and one that does not is."""

    def __init__(self, size: float, period: float) -> None:
        self.size, self.period = size, period
        self.level, self.at = 0.0, time.monotonic()

    def take(self) -> int | None:
        """None when one more send fits; else the seconds to wait, as Telegram's retry_after."""
        now = time.monotonic()
        self.level = max(0.0, self.level - (now - self.at) * self.size / self.period)
        self.at = now
        if self.level + 1 > self.size * (1 + FLOOD_SLACK):
            return max(1, round((self.level + 1 - self.size) * self.period / self.size))
        self.level += 1
        return None


# a second's worth more: sends the bot's limiter let out on time can arrive bunched after a stall
# of its event loop (a busy test machine); a bot with no limiter still meets the refusal at once
FLOOD_SLACK = 1.0
SENDS = ("sendMessage", "editMessageText")  # what Telegram's flood limits count
TO_A_CHAT = (*SENDS, "sendChatAction", "editMessageReplyMarkup")  # what a chat that refuses the bot refuses


class _TelegramHTML(HTMLParser):
    """Parses like Telegram: only its tags, balanced, no stray '<' or '&'; counts visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.length = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            raise ApiError(f'Bad Request: can\'t parse entities: unsupported start tag "{tag}"')
        if tag == "a" and not dict(attrs).get("href"):
            raise ApiError("Bad Request: can't parse entities: a tag needs href")
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            raise ApiError(f'Bad Request: can\'t parse entities: unexpected end tag "{tag}"')
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.length += len(data)

    def handle_entityref(self, name: str) -> None:
        if name not in {"lt", "gt", "amp", "quot"}:
            raise ApiError(f"Bad Request: can't parse entities: unsupported entity &{name};")
        self.length += 1

    def handle_charref(self, name: str) -> None:
        self.length += 1


def visible_length(text: str, parse_mode: str | None) -> int:
    if parse_mode != "HTML":
        return len(text)
    if "&" in text:
        for i, _ in enumerate(text):
            if text[i] == "&" and not any(text.startswith(e, i) for e in ("&lt;", "&gt;", "&amp;", "&quot;", "&#")):
                raise ApiError("Bad Request: can't parse entities: unescaped '&'")
    parser = _TelegramHTML()
    stripped = text.replace("<", "\x00<")
    for piece in stripped.split("\x00"):
        if piece.startswith("<") and not (len(piece) > 1 and (piece[1].isalpha() or piece[1] == "/")):
            raise ApiError("Bad Request: can't parse entities: unescaped '<'")
    parser.feed(text)
    parser.close()
    if parser.stack:
        raise ApiError(f"Bad Request: can't parse entities: can't find end tag for \"{parser.stack[-1]}\"")
    return parser.length


def plain_text(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", text))


# what a ChatMember of each status carries besides its status and user
_ADMIN_RIGHTS = ("manage_chat", "delete_messages", "manage_video_chats", "restrict_members", "promote_members")
_ADMIN_RIGHTS += ("change_info", "invite_users", "post_stories", "edit_stories", "delete_stories", "post_messages")
MEMBER_FIELDS: dict[str, dict[str, Any]] = {
    "kicked": {"until_date": 0},
    "administrator": {"can_be_edited": False, "is_anonymous": False, **{f"can_{r}": r == "post_messages" for r in _ADMIN_RIGHTS}},
}


def _from_channel(title: str) -> dict:
    """Where a post forwarded from a news channel says it came from."""
    channel = {"id": -1001234567890, "type": "channel", "title": title, "username": "news_channel"}
    return {"type": "channel", "chat": channel, "message_id": 77, "date": int(time.time()) - 3600}


class _QuietServer(ThreadingHTTPServer):
    # Telegram takes fifty bots' connections at once; socketserver's default backlog of five
    # resets them when a loaded machine is slow to accept, which no real Bot API does
    request_queue_size = 128

    def handle_error(self, request: object, client_address: object) -> None:
        """Connections dropped on purpose (``fail_next``) are not errors worth printing."""


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    result: Any = None
    error: str | None = None


@dataclass
class StandIn:
    """Start with :meth:`start`; ``base_url`` goes into the bot's config."""

    calls: list[Call] = field(default_factory=list)
    fail_next: int = 0  # drop this many requests (simulated network error) before serving again
    unreachable: dict[str, int] = field(default_factory=dict)  # method -> how many of its requests to drop
    # Telegram's flood limits (core.telegram.org/bots/faq): about 30 messages a second over all
    # chats, 20 a minute in one group; None: off (a bench measuring the bot's own ceiling)
    sends_per_second: float | None = 30.0
    group_sends_per_minute: float | None = 20.0
    flood_next: int = 0  # refuse this many sends with 429 Too Many Requests, retry after 1 s
    _overall: Bucket | None = None
    _groups: dict[int, Bucket] = field(default_factory=dict)
    tokens: frozenset[str] | None = None  # when set, any other token is refused as Telegram does (401)
    # chats the bot may no longer write to, and what Telegram answers when it does (:meth:`block`,
    # :meth:`kick`, :meth:`mute`, :meth:`migrate`)
    refusing: dict[int, ApiError] = field(default_factory=dict)
    _forums: dict[int, set[int]] = field(default_factory=dict)  # forum supergroups: their closed topics
    _expired: set[str] = field(default_factory=set)  # taps Telegram no longer takes an answer to
    webhook: dict | None = None
    _updates: list[dict] = field(default_factory=list)
    _answered_callbacks: set[str] = field(default_factory=set)
    _cond: threading.Condition = field(default_factory=threading.Condition)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _message_ids: itertools.count = field(default_factory=lambda: itertools.count(1000))
    _sent: dict[int, dict] = field(default_factory=dict)
    _received: dict[tuple[int, int], dict] = field(default_factory=dict)  # the users' messages, by (chat, id)
    _chat_types: dict[int, str] = field(default_factory=dict)
    _polls: int = 0  # getUpdates requests so far: one still waiting that is not the latest is ended

    def start(self) -> StandIn:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                return

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode("utf-8")
                method = self.path.rsplit("/", 1)[-1]
                token = self.path.split("/")[1].removeprefix("bot") if self.path.count("/") >= 2 else ""
                if standin.tokens is not None and token not in standin.tokens:
                    data = json.dumps({"ok": False, "error_code": 401, "description": "Unauthorized"}).encode()
                    self.send_response(401)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                    return
                if standin.fail_next > 0 or standin.unreachable.get(method, 0) > 0:
                    if standin.unreachable.get(method, 0) > 0:
                        standin.unreachable[method] -= 1
                    else:
                        standin.fail_next -= 1
                    self.close_connection = True
                    self.connection.close()
                    return
                params = dict(parse_qsl(body, keep_blank_values=True))
                try:
                    result = standin.dispatch(method, params)
                    status, payload = 200, {"ok": True, "result": result}
                except ApiError as exc:
                    status, payload = exc.code, {"ok": False, "error_code": exc.code, "description": exc.description}
                    parameters = {**exc.parameters, **({"retry_after": exc.retry_after} if exc.retry_after else {})}
                    if parameters:
                        payload["parameters"] = parameters
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST

        self.server = _QuietServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        with self._cond:
            self._cond.notify_all()
        self.server.shutdown()
        self.server.server_close()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/bot"

    # ---- the Bot API --------------------------------------------------------------
    def dispatch(self, method: str, params: dict[str, str]) -> Any:
        handler = getattr(self, f"api_{method}", None)
        if handler is None:
            raise ApiError(f"Not Found: method {method} not found", 404)
        if method == "getUpdates":
            return handler(params)
        call = Call(method, params)
        try:
            chat = int(params.get("chat_id") or 0)
            if method in TO_A_CHAT and chat in self.refusing:
                raise self.refusing[chat]
            if method in SENDS:
                self._flood_control(params)
            call.result = handler(params)
        except ApiError as exc:
            call.error = exc.description
            raise
        finally:
            with self._cond:
                self.calls.append(call)
                self._cond.notify_all()
        return call.result

    def _flood_control(self, p: dict) -> None:
        with self._cond:
            if self.flood_next > 0:
                self.flood_next -= 1
                raise ApiError("Too Many Requests: retry after 1", 429, retry_after=1)
            chat = int(p.get("chat_id") or 0)
            waits = []
            if self.sends_per_second:
                self._overall = self._overall or Bucket(self.sends_per_second, 1.0)
                waits.append(self._overall.take())
            if self.group_sends_per_minute and chat < 0:  # groups and channels have negative ids
                waits.append(self._groups.setdefault(chat, Bucket(self.group_sends_per_minute, 60.0)).take())
            wait = max((w for w in waits if w is not None), default=None)
            if wait is not None:
                raise ApiError(f"Too Many Requests: retry after {wait}", 429, retry_after=wait)

    def api_getMe(self, p: dict) -> dict:
        return BOT

    def api_deleteWebhook(self, p: dict) -> bool:
        self.webhook = None
        return True

    def api_setWebhook(self, p: dict) -> bool:
        secret = p.get("secret_token", "")
        if secret and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
            raise ApiError("Bad Request: secret token contains unallowed characters")
        if not p.get("url", "").startswith(("https://", "http://127.0.0.1")):
            raise ApiError("Bad Request: bad webhook: HTTPS url must be provided for webhook")
        self.webhook = {"url": p["url"], "secret_token": secret}
        return True

    def api_setMyCommands(self, p: dict) -> bool:
        commands = json.loads(p["commands"])
        for c in commands:
            if not (1 <= len(c["command"]) <= 32 and 1 <= len(c["description"]) <= 256):
                raise ApiError("Bad Request: command is invalid")
        return True

    def api_getUpdates(self, p: dict) -> list[dict]:
        """As Telegram: refused while a webhook is set, and a second reader's request ends the
        first one's with 409 Conflict (two bots polling with one token)."""
        offset = int(p.get("offset") or 0)
        timeout = float(p.get("timeout") or 0)
        deadline = time.monotonic() + timeout
        with self._cond:
            if self.webhook is not None:
                raise ApiError("Conflict: can't use getUpdates method while webhook is active", 409)
            self._polls += 1
            mine = self._polls
            self._cond.notify_all()
            while True:
                if self._polls != mine:
                    raise ApiError(
                        "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running", 409
                    )
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
                if self._updates or time.monotonic() >= deadline:
                    return list(self._updates)
                self._cond.wait(timeout=min(0.2, max(0.0, deadline - time.monotonic())))

    def _check_markup(self, p: dict) -> None:
        markup = p.get("reply_markup")
        if not markup:
            return
        for row in json.loads(markup).get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode()) <= MAX_CALLBACK:
                    raise ApiError("Bad Request: BUTTON_DATA_INVALID")

    def _check_text(self, p: dict) -> None:
        text = p.get("text", "")
        length = visible_length(text, p.get("parse_mode"))
        if not text.strip():
            raise ApiError("Bad Request: message text is empty")
        if length > MAX_TEXT:
            raise ApiError("Bad Request: message is too long")

    def _replied_to(self, p: dict, chat_id: int) -> dict | None:
        """The message a reply quotes; Telegram refuses one that is not in the chat unless told
        to send without it."""
        if "reply_parameters" not in p and "reply_to_message_id" not in p:
            return None
        params = json.loads(p["reply_parameters"]) if "reply_parameters" in p else {"message_id": p["reply_to_message_id"]}
        message_id = int(params["message_id"])
        found = self._received.get((chat_id, message_id)) or self._sent.get(message_id)
        if found is None or int(found["chat"]["id"]) != chat_id:
            if params.get("allow_sending_without_reply") or p.get("allow_sending_without_reply") in ("true", True):
                return None
            raise ApiError("Bad Request: message to be replied not found")
        return found

    def api_sendMessage(self, p: dict) -> dict:
        self._check_text(p)
        self._check_markup(p)
        chat_id = int(p["chat_id"])
        replied = self._replied_to(p, chat_id)
        message_id = next(self._message_ids)
        message = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": self._chat_types.get(chat_id, "private")},
            "from": BOT,
            "text": plain_text(p["text"]) if p.get("parse_mode") == "HTML" else p["text"],
        }
        if p.get("reply_markup"):
            message["reply_markup"] = json.loads(p["reply_markup"])
        if replied is not None:
            message["reply_to_message"] = replied
        thread = self._thread(p, chat_id)
        if thread is not None:
            message.update(message_thread_id=thread, is_topic_message=True)
        self._sent[message_id] = message
        return message

    def _thread(self, p: dict, chat_id: int) -> int | None:
        """The forum topic a send goes to; None is a forum's General topic, or a chat without topics."""
        thread = int(p["message_thread_id"]) if p.get("message_thread_id") else None
        if thread is None or thread == 1:  # General
            return None
        if chat_id not in self._forums:
            raise ApiError("Bad Request: message thread not found")
        if thread in self._forums[chat_id]:
            raise TOPIC_CLOSED
        return thread

    def api_editMessageText(self, p: dict) -> dict:
        self._check_text(p)
        self._check_markup(p)
        message = self._sent.get(int(p["message_id"]))
        if message is None:
            raise ApiError("Bad Request: message to edit not found")
        text = plain_text(p["text"]) if p.get("parse_mode") == "HTML" else p["text"]
        markup = json.loads(p.get("reply_markup") or "null")
        if message["text"] == text and message.get("reply_markup") == markup:
            raise NOT_MODIFIED
        message["reply_markup"] = markup
        message["text"] = text
        message["edit_date"] = int(time.time())  # as Telegram marks an edited message
        return message

    def api_editMessageReplyMarkup(self, p: dict) -> dict:
        self._check_markup(p)
        message = self._sent.get(int(p["message_id"]))
        if message is None:
            raise ApiError("Bad Request: message to edit not found")
        markup = json.loads(p.get("reply_markup") or "null")
        with self._cond:  # Telegram applies one edit of a message after another
            if message.get("reply_markup") == markup:
                raise NOT_MODIFIED
            message["reply_markup"] = markup
        return message

    def api_answerCallbackQuery(self, p: dict) -> bool:
        qid = p["callback_query_id"]
        if qid in self._answered_callbacks or qid in self._expired:
            raise QUERY_TOO_OLD
        if len(p.get("text", "")) > 200:
            raise ApiError("Bad Request: MESSAGE_TOO_LONG")
        self._answered_callbacks.add(qid)
        return True

    def api_sendChatAction(self, p: dict) -> bool:
        if p.get("action") not in {"typing", "upload_photo", "record_video", "upload_document"}:
            raise ApiError("Bad Request: wrong parameter action in request")
        self._thread(p, int(p["chat_id"]))
        return True

    def api_answerInlineQuery(self, p: dict) -> bool:
        if p["inline_query_id"] in self._expired:
            raise QUERY_TOO_OLD
        if "button" in p:
            button = json.loads(p["button"]) if isinstance(p["button"], str) else p["button"]
            if not str(button.get("text") or "").strip():
                raise ApiError("Bad Request: BUTTON_TEXT_INVALID")
            if ("start_parameter" in button) == ("web_app" in button):
                raise ApiError("Bad Request: exactly one of start_parameter and web_app must be given")
            if "start_parameter" in button and not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", button["start_parameter"]):
                raise ApiError("Bad Request: START_PARAM_INVALID")
        results = json.loads(p["results"])
        if len(results) > MAX_INLINE_RESULTS:
            raise ApiError("Bad Request: RESULTS_TOO_MUCH")
        if len({r["id"] for r in results}) != len(results):
            raise ApiError("Bad Request: RESULT_ID_DUPLICATE")
        for r in results:
            content = r["input_message_content"]
            if visible_length(content["message_text"], content.get("parse_mode")) > MAX_TEXT:
                raise ApiError("Bad Request: MESSAGE_TOO_LONG")
        return True

    # ---- what tests use -------------------------------------------------------------
    def _push(self, update: dict) -> int:
        update_id = next(self._ids)
        with self._cond:
            self._updates.append({"update_id": update_id, **update})
            self._cond.notify_all()
        return update_id

    def send_text(
        self,
        text: str,
        chat_id: int = 42,
        user_id: int = 42,
        chat_type: str = "private",
        entities: list[dict] | None = None,
        reply_to: dict | None = None,
        forwarded_from: str | None = None,
        topic: int | None = None,
    ) -> dict:
        """A user's text message; ``forwarded_from`` names the channel it was forwarded from;
        ``topic``, the forum topic it was sent in (see :meth:`forum`)."""
        self._chat_types[chat_id] = chat_type
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "text": text,
            "chat": self._chat(chat_id, chat_type),
            "from": {"id": user_id, "is_bot": False, "first_name": "کاربر"},
        }
        if topic is not None:
            message.update(message_thread_id=topic, is_topic_message=True)
        if entities:
            message["entities"] = entities
        if text.startswith("/"):
            command = text.split()[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}, *(entities or [])]
        if reply_to:
            message["reply_to_message"] = reply_to
        if forwarded_from:
            message["forward_origin"] = _from_channel(forwarded_from)
        self._received[(chat_id, message["message_id"])] = message
        self._push({"message": message})
        return message

    def _chat(self, chat_id: int, chat_type: str) -> dict:
        chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
        if chat_type != "private":
            chat["title"] = "گروه"
        if chat_id in self._forums:
            chat["is_forum"] = True
        return chat

    def forum(self, chat_id: int, closed: tuple[int, ...] = ()) -> None:
        """Make ``chat_id`` a supergroup with topics; the ``closed`` topics refuse new messages."""
        self._chat_types[chat_id] = "supergroup"
        self._forums[chat_id] = set(closed)

    def block(self, chat_id: int) -> None:
        """The user of this private chat blocks the bot (or deletes their account: :data:`DEACTIVATED`)."""
        self.refusing[chat_id] = BLOCKED

    def kick(self, chat_id: int) -> None:
        """The bot is removed from this group."""
        self.refusing[chat_id] = KICKED_SUPERGROUP if self._chat_types.get(chat_id) == "supergroup" else KICKED

    def mute(self, chat_id: int) -> None:
        """The group's admins take the bot's right to send messages."""
        self.refusing[chat_id] = MUTED

    def migrate(self, chat_id: int, to: int) -> None:
        """The group becomes a supergroup (``to``): Telegram tells the bot in both chats, and refuses
        the old id from then on, naming the new."""
        self._chat_types[to] = "supergroup"
        for chat, field_name, other in ((chat_id, "migrate_to_chat_id", to), (to, "migrate_from_chat_id", chat_id)):
            service = {
                "message_id": next(self._message_ids),
                "date": int(time.time()),
                "chat": self._chat(chat, self._chat_types.get(chat, "group")),
                "from": {"id": 5, "is_bot": False, "first_name": "کاربر"},
                field_name: other,
            }
            self._push({"message": service})
        self.refusing[chat_id] = ApiError("Bad Request: group chat was upgraded to a supergroup chat", migrate_to_chat_id=to)

    def edit_text(self, message: dict, text: str) -> None:
        """The user edits a message they sent: Telegram sends it again, whole, as ``edited_message``."""
        edited = {**message, "text": text, "edit_date": int(time.time())}
        self._received[(int(message["chat"]["id"]), int(message["message_id"]))] = edited
        self._push({"edited_message": edited})

    def send_sticker(self, chat_id: int = 42, user_id: int = 42) -> None:
        self._push(
            {
                "message": {
                    "message_id": next(self._message_ids),
                    "date": int(time.time()),
                    "chat": {"id": chat_id, "type": "private"},
                    "from": {"id": user_id, "is_bot": False, "first_name": "کاربر"},
                    "sticker": {
                        "file_id": "s1",
                        "file_unique_id": "u1",
                        "type": "regular",
                        "width": 512,
                        "height": 512,
                        "is_animated": False,
                        "is_video": False,
                    },
                }
            }
        )

    def send_photo(
        self,
        caption: str | None = None,
        chat_id: int = 42,
        user_id: int = 42,
        forwarded_from: str | None = None,
        chat_type: str = "private",
        caption_entities: list[dict] | None = None,
    ) -> None:
        """A photo (a screenshot of a story, say), with or without a caption; ``forwarded_from``
        names the channel it was forwarded from (a news channel's post: a photo and its story)."""
        self._chat_types[chat_id] = chat_type
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": self._chat(chat_id, chat_type),
            "from": {"id": user_id, "is_bot": False, "first_name": "کاربر"},
            "photo": [{"file_id": "p1", "file_unique_id": "pu1", "width": 640, "height": 480}],
        }
        if caption is not None:
            message["caption"] = caption
        if caption_entities:
            message["caption_entities"] = caption_entities
        if forwarded_from:
            message["forward_origin"] = _from_channel(forwarded_from)
        self._push({"message": message})

    def add_to_group(self, chat_id: int, user_id: int = 42, chat_type: str = "group", status: str = "member") -> None:
        """A member adds the bot to a group (``status``: what it became there; "left" or "kicked":
        it is removed); Telegram tells the bot with a ``my_chat_member`` update."""
        self._chat_types[chat_id] = chat_type
        before, now = ("left", status) if status not in ("left", "kicked") else ("member", status)
        self._push(
            {
                "my_chat_member": {
                    "chat": self._chat(chat_id, chat_type),
                    "from": {"id": user_id, "is_bot": False, "first_name": "کاربر"},
                    "date": int(time.time()),
                    "old_chat_member": {"status": before, "user": BOT},
                    "new_chat_member": {"status": now, "user": BOT, **MEMBER_FIELDS.get(now, {})},
                }
            }
        )

    def tap(self, message: dict | None, data: str, user_id: int = 42, expired: bool = False) -> str:
        """A button tap under ``message``; None taps a message sent in inline mode, which has no
        chat. ``expired``: Telegram no longer takes an answer to it (a tap made while the bot was
        down, or answered too late)."""
        query_id = f"cb{next(self._ids)}"
        if expired:
            self._expired.add(query_id)
        where = {"message": message} if message is not None else {"inline_message_id": f"im{query_id}"}
        self._push(
            {
                "callback_query": {
                    "id": query_id,
                    "chat_instance": "ci",
                    "data": data,
                    "from": {"id": user_id, "is_bot": False, "first_name": "کاربر"},
                    **where,
                }
            }
        )
        return query_id

    def inline(self, query: str, user_id: int = 42, expired: bool = False) -> str:
        """An inline query; ``expired``: Telegram stopped waiting for its answer (the user typed on)."""
        inline_id = f"iq{next(self._ids)}"
        if expired:
            self._expired.add(inline_id)
        self._push(
            {
                "inline_query": {
                    "id": inline_id,
                    "query": query,
                    "offset": "",
                    "from": {"id": user_id, "is_bot": False, "first_name": "کاربر"},
                }
            }
        )
        return inline_id

    def wait_for(self, predicate, timeout: float = 30.0) -> list[Call]:
        """Block until ``predicate(calls)`` is true; returns the calls so far."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while not predicate(self.calls):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"condition not met; calls so far: {[c.method for c in self.calls]}")
                self._cond.wait(timeout=remaining)
            return list(self.calls)

    def sent_to(self, chat_id: int) -> list[Call]:
        return [c for c in self.calls if c.method == "sendMessage" and c.error is None and int(c.params["chat_id"]) == chat_id]

    def replies_to_inline(self) -> list[Call]:
        return [c for c in self.calls if c.method == "answerInlineQuery"]

    def rejected(self) -> list[Call]:
        return [c for c in self.calls if c.error is not None]
