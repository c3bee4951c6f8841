"""The bot's place in chats: added to a group it says how to ask it there, removed or blocked it
notes it, and a group that becomes a supergroup (a new chat id) keeps its conversation.

With privacy mode on, a bot in a group hears only what is addressed to it: a member who asks
plainly is not heard, and nothing tells the group so unless the bot says it when it joins."""

from __future__ import annotations

import html
import logging

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType, ParseMode
from telegram.ext import ContextTypes

from bot.messages import rtl
from bot.state import pasokh_of, retry
from bot.texts import TEXTS

logger = logging.getLogger(__name__)

GONE = {ChatMemberStatus.LEFT, ChatMemberStatus.BANNED}
SPEAKS = {ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR}  # may send: restricted members may not
GROUPS = {ChatType.GROUP, ChatType.SUPERGROUP}


async def on_membership(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Telegram's word that the bot's membership changed (``my_chat_member``): joining a group it
    greets it once with how to ask; leaving a chat, or blocked in one, it notes it. A channel,
    where it could only post into someone's broadcast, is left alone."""
    change = update.my_chat_member
    if change is None:
        return
    chat, before, now = change.chat, change.old_chat_member.status, change.new_chat_member.status
    if now in GONE:
        logger.info("the bot was %s", "blocked by a user" if chat.type == ChatType.PRIVATE else f"removed from a {chat.type}")
        return
    if chat.type in GROUPS and before in GONE and now in SPEAKS:
        pasokh = pasokh_of(context)
        example = html.escape(pasokh.examples[0]) if pasokh.examples else "…"
        hello = TEXTS["group_hello"].format(username=context.bot.username, example=example)
        await retry(lambda: context.bot.send_message(chat.id, rtl(hello), parse_mode=ParseMode.HTML))


def moved(update: Update, new_chat_id: int) -> Update | None:
    """``update``, a message asked in a group as it became a supergroup, as if asked in the
    supergroup: Telegram refuses replies to the old id and names the new one, and everything the
    answer keeps (its buttons, the question log, follow-ups) is bound to the chat it is sent to.
    None for anything else: a tap under an answer in the old group's history is bound to the old
    chat, where no reply can go."""
    message = update.message or update.edited_message
    if message is None or update.callback_query is not None or message.chat.id == new_chat_id:
        return None
    old = message.chat.id
    data = update.to_dict()

    def rebase(node: object) -> None:
        if isinstance(node, dict):
            chat = node.get("chat")
            if isinstance(chat, dict) and chat.get("id") == old:
                node["chat"] = {**chat, "id": new_chat_id, "type": ChatType.SUPERGROUP}
            for value in node.values():
                rebase(value)
        elif isinstance(node, list):
            for value in node:
                rebase(value)

    rebase(data)
    return Update.de_json(data, update.get_bot())


async def on_migrated(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A group became a supergroup. On an allowlist that named the group, the supergroup is a
    chat the list does not name: the operator is told which id to add, or the group's questions
    would be refused from now on."""
    message = update.effective_message
    if message is None or message.migrate_to_chat_id is None:
        return
    allowed = pasokh_of(context).settings.allowed_chat_ids
    if message.chat.id in allowed and message.migrate_to_chat_id not in allowed:
        logger.warning(
            "the group %d on [bot] allowed_chat_ids became the supergroup %d, which the list does not name: "
            "add %d to allowed_chat_ids, or its questions are refused",
            message.chat.id,
            message.migrate_to_chat_id,
            message.migrate_to_chat_id,
        )
