"""One gate for every update: who may use the bot, which commands are admins', and how often.

Registered as a ``TypeHandler(Update, gate)`` in group -1, so it runs before any handler and
stops what it refuses with ``ApplicationHandlerStop`` (as python-telegram-bot's own rules-bot
does). Handlers can then assume the update is allowed and within its rate.

Access, when an allowlist is set (``allowed_chat_ids`` / ``allowed_user_ids``):
- an update in a chat (messages, commands, button taps under a message) needs the chat on
  ``allowed_chat_ids``, or a private chat with a user on ``allowed_user_ids``;
- an update with no chat (inline queries, taps on inline messages) comes from a user, who must
  be on ``allowed_user_ids``: with only chats listed, inline mode is off.
Admins are always allowed; blocked users never, silently.
"""

from __future__ import annotations

import contextlib
import html
import logging
from dataclasses import dataclass

from telegram import Message, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.addressing import addressed_text, command_of
from bot.messages import number
from bot.ratelimit import SharedWindow
from bot.settings import BotSettings
from bot.state import Pasokh, pasokh_of, reply
from bot.texts import ALERTS, TEXTS

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Refusal:
    """Why an update stops at the gate; ``key`` names the text (None: stop silently)."""

    key: str | None
    seconds: int = 0


def may_use(settings: BotSettings, user_id: int | None, chat_id: int | None, chat_type: str | None) -> bool:
    """The access rule, on ids alone (see the module docstring)."""
    if user_id is not None and user_id in settings.blocked_user_ids:
        return False
    if not settings.restricted or (user_id is not None and user_id in settings.admin_ids):
        return True
    if chat_id is None:
        return user_id is not None and user_id in settings.allowed_user_ids
    if chat_id in settings.allowed_chat_ids:
        return True
    return chat_type == ChatType.PRIVATE and user_id is not None and user_id in settings.allowed_user_ids


def _limit(window: SharedWindow, user_id: int) -> Refusal | None:
    if window.allow(user_id):
        return None
    if not window.first_refusal(user_id):
        return Refusal(None)  # told once already; more replies would only add to the flood
    return Refusal("rate", max(1, round(window.retry_after(user_id))))


def decide(pasokh: Pasokh, update: Update, bot_username: str, addressed: bool) -> Refusal | None:
    """None lets the update through; else why it stops. ``addressed``: a message meant for the bot."""
    settings = pasokh.settings
    user = update.effective_user
    user_id = user.id if user is not None else None
    chat = update.effective_chat
    if user is None and chat is None:
        return Refusal(None)
    if user_id is not None and user_id in settings.blocked_user_ids:
        return Refusal(None)
    message = update.effective_message if update.callback_query is None else None
    if message is not None and chat is not None and chat.type != ChatType.PRIVATE and not addressed:
        return Refusal(None) if not may_use(settings, user_id, chat.id, chat.type) else None
    if not may_use(settings, user_id, chat.id if chat else None, chat.type if chat else None):
        return Refusal("not_allowed")
    command = command_of(message, bot_username) if message is not None else None
    if command in pasokh.admin_commands and not pasokh.is_admin(user_id):
        return Refusal("admin_only")
    if user_id is None or pasokh.is_admin(user_id):
        return None
    if update.inline_query is not None:
        return _limit(pasokh.limits.inline, user_id)
    if update.callback_query is not None:
        return _limit(pasokh.limits.taps, user_id)
    if message is not None:
        return _limit(pasokh.limits.questions, user_id)
    return None


async def _tell(update: Update, refusal: Refusal) -> None:
    """Say why, once; a silent refusal still answers a tap or an inline query (else the client spins)."""
    if update.inline_query is not None:
        await update.inline_query.answer([], cache_time=0, is_personal=True)
    elif update.callback_query is not None:
        if refusal.key is None:
            await update.callback_query.answer()
        else:
            alert = ALERTS[refusal.key] if refusal.key in ALERTS else TEXTS[refusal.key]
            await update.callback_query.answer(alert.format(seconds=number(refusal.seconds)), show_alert=True)
    elif update.effective_message is not None and refusal.key is not None:
        await reply(update.effective_message, html.escape(TEXTS[refusal.key].format(seconds=number(refusal.seconds))))


async def gate(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Let allowed updates through; answer (at most once) and stop the rest."""
    if not isinstance(update, Update):
        return
    pasokh = pasokh_of(context)
    message = update.effective_message if update.callback_query is None else None
    addressed = isinstance(message, Message) and (
        addressed_text(message, context.bot) is not None or command_of(message, context.bot.username) is not None
    )
    refusal = await pasokh.run(decide, pasokh, update, context.bot.username, addressed)  # limits may ask the database
    if refusal is None:
        return
    logger.info("update %s stopped at the gate: %s", update.update_id, refusal.key or "silently")
    with contextlib.suppress(TelegramError):
        await _tell(update, refusal)
    raise ApplicationHandlerStop
