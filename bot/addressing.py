"""Whether a message is meant for the bot, and what it asks: private chats always, groups only when addressed."""

from __future__ import annotations

from telegram import Bot, Message
from telegram.constants import ChatType, MessageEntityType


def command_of(message: Message, username: str) -> str | None:
    """``start`` for «/start» or «/start@ourbot»; None for plain text or another bot's command."""
    text = message.text or ""
    if not text.startswith("/"):
        return None
    name, _, target = text.split(maxsplit=1)[0][1:].partition("@")
    if target and target.lower() != username.lower():
        return None
    return name.lower() or None


def replies_to_bot(message: Message, bot_id: int) -> bool:
    original = message.reply_to_message
    return original is not None and original.from_user is not None and original.from_user.id == bot_id


def addressed_text(message: Message, bot: Bot) -> str | None:
    """The question in a message meant for the bot (private, mention or reply in a group), else
    None. A photo's caption is read as a text is («@bot درسته؟» under a screenshot of a story)."""
    if message.text is None and message.caption is not None:
        text, entities, parse = message.caption, message.caption_entities, message.parse_caption_entity
    else:
        text, entities, parse = message.text or "", message.entities, message.parse_entity
    if message.chat.type == ChatType.PRIVATE:
        return text
    mention = f"@{bot.username}".lower()
    by_name = any(e.type == MessageEntityType.MENTION and parse(e).lower() == mention for e in entities or ())
    by_link = any(e.type == MessageEntityType.TEXT_MENTION and e.user is not None and e.user.id == bot.id for e in entities or ())
    if not (by_name or by_link or replies_to_bot(message, bot.id)):
        return None
    return " ".join(w for w in text.split() if w.lower() != mention)
