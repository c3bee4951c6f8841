"""What every handler shares (kept in ``application.bot_data``), and the ways they talk back.

Retrieval is CPU work and SQLite is blocking, so handlers pass that work to :meth:`Pasokh.run`
(a thread pool); the event loop only talks HTTP.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, NetworkError, TimedOut
from telegram.ext import ContextTypes

from bot import metrics
from bot.api_failures import not_modified, too_late
from bot.buttons import ButtonCodec, InvalidButton, More, Vote
from bot.messages import fit_messages, rtl
from bot.ratelimit import SharedWindow
from bot.settings import BotSettings
from bot.texts import ALERTS
from retrieval import Engine
from retrieval.errors import store_said
from retrieval.store.botstate import BotState, LoggedQuestion

logger = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass
class Limits:
    """Per-user budgets: questions (messages and commands), inline queries, button taps."""

    questions: SharedWindow
    inline: SharedWindow
    taps: SharedWindow


@dataclass
class Pasokh:
    engine: Engine
    settings: BotSettings
    data_dir: Path
    log: BotState
    codec: ButtonCodec
    limits: Limits
    executor: ThreadPoolExecutor
    admin_commands: frozenset[str] = frozenset()
    examples: list[str] = field(default_factory=list)
    refreshed_at: float = field(default_factory=time.monotonic)  # when the corpus was last checked for changes
    tasks: list[asyncio.Task] = field(default_factory=list)
    unwritten: str | None = None  # why the bot's log last refused a write, until it takes one again

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self.executor, fn, *args)

    async def write(self, fn: Callable[..., T], *args: Any) -> T | None:
        """A write to the bot's log (``fn``), or None when the log's store refused it (a full
        disk, a damaged ``bot.sqlite3``, a database away): the log serves the answer's buttons and
        the operator's counts, and losing a row of it must not lose the user an answer already
        found. Said in one line when it starts failing (a question a second would bury the
        log), and again when it takes writes; counted each time."""
        try:
            result = await self.run(fn, *args)
        except Exception as exc:
            why = store_said(exc)
            if why is None:
                raise
            metrics.UNWRITTEN.inc()
            if why != self.unwritten:
                said = store_said(exc, self.data_dir)
                logger.warning("the bot's log takes no writes (%s); answers go on without their buttons and votes", said)
                self.unwritten = why
            return None
        if self.unwritten is not None:
            logger.warning("the bot's log is written again")
            self.unwritten = None
        return result

    def is_admin(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.settings.admin_ids


def pasokh_of(context: ContextTypes.DEFAULT_TYPE) -> Pasokh:
    return context.bot_data["pasokh"]


async def retry(send: Callable[[], Awaitable[T]], attempts: int = 3) -> T:
    """A network error to the Bot API is retried with backoff, not fatal. A request the API
    refused (400 Bad Request: PTB raises it as a NetworkError, with «Bad Request: » stripped from
    its message) would be refused again, so it is raised at once."""
    for attempt in range(attempts - 1):
        try:
            return await send()
        except BadRequest:
            raise
        except (NetworkError, TimedOut) as exc:
            logger.warning("Bot API unreachable (%s); retrying", exc)
            await asyncio.sleep(0.5 * 2**attempt)
    return await send()


async def reply(message: Message, text: str, markup: InlineKeyboardMarkup | None = None) -> Message:
    """An HTML message in the same chat, right-to-left on every line (callers escape what they
    insert), in as many messages as Telegram's limit needs (the buttons go under the last).

    What answers an edited message quotes it: the question asked again, corrected, gets its
    answer under the version it answers, not as a second answer nobody asked for a second time
    (the first stays above it, answering what was first asked)."""
    pieces = fit_messages(rtl(text))
    # a person's edited message; the bot's own messages are edited too (a list paged in place),
    # and what a button under one of them opens is no answer to an edit
    edited = message.edit_date is not None and not (message.from_user is not None and message.from_user.is_bot)
    sent: Message | None = None
    for n, piece in enumerate(pieces, start=1):
        buttons = markup if n == len(pieces) else None
        quote = edited and n == 1
        sent = await retry(
            lambda piece=piece, buttons=buttons, quote=quote: message.reply_text(
                piece,
                parse_mode=ParseMode.HTML,
                reply_markup=buttons,
                disable_web_page_preview=True,
                do_quote=quote,
                allow_sending_without_reply=True,  # the question deleted meanwhile: the answer still goes
            )
        )
    assert sent is not None  # fit_messages returns at least one piece
    return sent


async def edit_in_place(message: Message, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """Show ``text`` in the bot's ``message`` instead of what it shows. The same text and buttons
    again (a page button tapped twice before the list changed) is what Telegram refuses as «message
    is not modified»: the message already shows it, so there is nothing to do."""
    try:
        await retry(lambda: message.edit_text(text, parse_mode=ParseMode.HTML, reply_markup=markup))
    except BadRequest as exc:
        if not not_modified(exc):
            raise


async def answer_tap(query: CallbackQuery, text: str | None = None, show_alert: bool = False) -> None:
    """Answer a tap (stop its spinner, show ``text``). Telegram takes the answer only for a while
    after the tap: one that reached the bot late (made while it restarted) is refused as «query is
    too old», and what the tap asked for is still done."""
    try:
        await query.answer(text, show_alert=show_alert)
    except BadRequest as exc:
        if not too_late(exc):
            raise
        logger.info("a tap reached the bot after Telegram stopped waiting for its answer; what it asks is done")


B = TypeVar("B")


async def tapped(update: Update, context: ContextTypes.DEFAULT_TYPE, kind: type[B]) -> tuple[B, Message] | None:
    """The button of ``kind`` that was tapped and the message it sits under, if this bot issued it to
    this chat; anything else (forged, copied from another chat, malformed, an inline message)
    gets a short alert and None."""
    query = update.callback_query
    if query is None:
        return None
    message = query.message if isinstance(query.message, Message) else None
    try:
        button = pasokh_of(context).codec.decode(query.data, message.chat.id if message is not None else None)
    except InvalidButton as exc:
        logger.info("refused button %r: %s", (query.data or "")[:64], exc)
        button = None
    metrics.TAPS.inc()
    if not isinstance(button, kind) or message is None:
        await answer_tap(query, ALERTS["invalid"], show_alert=True)
        return None
    return button, message


Q = TypeVar("Q", More, Vote)


async def tapped_question(
    update: Update, context: ContextTypes.DEFAULT_TYPE, kind: type[Q]
) -> tuple[Q, Message, LoggedQuestion] | None:
    """:func:`tapped` for a button about a logged question (``question_id``), with the question; a
    question since forgotten or pruned gets the "stale" alert and None."""
    found = await tapped(update, context, kind)
    if found is None or update.callback_query is None:
        return None
    button, message = found
    pasokh = pasokh_of(context)
    logged = await pasokh.run(pasokh.log.get, button.question_id)
    if logged is None or logged.chat != pasokh.log.ids.chat(message.chat.id):
        await answer_tap(update.callback_query, ALERTS["stale"], show_alert=True)
        return None
    return button, message, logged
