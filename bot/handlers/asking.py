"""Asking: questions in private chats, in groups when addressed, /ask, follow-ups, «نتایج بیشتر» and inline mode."""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import re
from collections.abc import Awaitable
from typing import TypeVar

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    Message,
    Update,
)
from telegram.constants import ChatAction, ChatType, ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import ContextTypes

from bot import messages, metrics
from bot.addressing import addressed_text, replies_to_bot
from bot.api_failures import not_modified, too_late
from bot.buttons import More, OpenArticle, Vote
from bot.state import Pasokh, answer_tap, pasokh_of, reply, retry, tapped_question
from bot.texts import ALERTS, BUTTONS, TEXTS, UNSAID_SHORT
from retrieval import Answer, QuestionError
from retrieval.query.finglish import in_latin_letters
from retrieval.query.followup import combine
from retrieval.store.botstate import LoggedQuestion

logger = logging.getLogger(__name__)
T = TypeVar("T")
INLINE_RESULTS = 5
INLINE_PREVIEW_CHARS = 120  # an inline result's description: what fits its two lines
TYPING_AFTER = 1.0
"""Seconds an answer may take before the chat is shown "typing…". Most answers take a tenth of
that; each chat action is one of the sends a second the Bot API allows (``[bot]
sends_per_second``), and sending one with every answer halved how many questions a bot could
answer a second under load."""


def keyboard(pasokh: Pasokh, answer: Answer, question_id: int | None, next_offset: int, chat_id: int) -> InlineKeyboardMarkup:
    """A button per cited article, «نتایج بیشتر» and 👍/👎, each bound to this chat (reads SQLite:
    run in the pool). The last two are about the logged question: without it (the log refused the
    write) only the articles."""
    encode = pasokh.codec.encode
    rows: list[list[InlineKeyboardButton]] = []
    seen: set[str] = set()
    for q in answer.quotes:
        if q.article_id in seen:
            continue
        seen.add(q.article_id)
        key = pasokh.engine.article_key(q.article_id)
        if key is not None:
            label = messages.button_label(q.title)
            rows.append([InlineKeyboardButton(f"📄 {label}", callback_data=encode(OpenArticle(key), chat_id))])
    if question_id is None:
        return InlineKeyboardMarkup(rows)
    rows.append([InlineKeyboardButton(BUTTONS["more"], callback_data=encode(More(question_id, next_offset), chat_id))])
    rows.append(
        [
            InlineKeyboardButton("👍", callback_data=encode(Vote(question_id, True), chat_id)),
            InlineKeyboardButton("👎", callback_data=encode(Vote(question_id, False), chat_id)),
        ]
    )
    return InlineKeyboardMarkup(rows)


async def send_answer(
    message: Message, pasokh: Pasokh, answer: Answer, question_id: int | None, offset: int, earlier: str | None = None
) -> None:
    """Send the answer (in as many messages as it needs) and remember which messages answer the question."""
    texts = messages.answer_messages(answer, pasokh.engine.settings.analyzer, header=offset == 0, earlier=earlier)
    markup = None
    if not answer.abstained:
        markup = await pasokh.run(keyboard, pasokh, answer, question_id, offset + len(answer.quotes), message.chat.id)
    for i, text in enumerate(texts):
        sent = await reply(message, text, markup if i == len(texts) - 1 else None)
        if not answer.abstained and question_id is not None:
            await pasokh.write(pasokh.log.answered_by, sent.chat.id, sent.message_id, question_id)


async def _follow_up_of(pasokh: Pasokh, message: Message, bot_id: int) -> LoggedQuestion | None:
    """The answered question this message replies to, if it replies to one of our answers in this chat."""
    if not replies_to_bot(message, bot_id) or message.reply_to_message is None:
        return None
    earlier = await pasokh.run(pasokh.log.replied_to, message.chat.id, message.reply_to_message.message_id)
    return earlier if earlier is not None and not earlier.abstained else None


async def _typing_while(message: Message, work: Awaitable[T]) -> T:
    """``work``'s result; if it is not ready within :data:`TYPING_AFTER`, show "typing…" meanwhile."""
    task = asyncio.ensure_future(work)
    done, _ = await asyncio.wait({task}, timeout=TYPING_AFTER)
    if not done:
        # in the forum topic the question came from; a chat refusing it refuses the answer too,
        # which says so once (bot.telegram.on_error)
        with contextlib.suppress(TelegramError):
            await message.reply_chat_action(ChatAction.TYPING)
    return await task


async def answer_question(update: Update, context: ContextTypes.DEFAULT_TYPE, question: str, about: str | None = None) -> None:
    """The one path every question takes, whichever handler received it. ``about``: the message a
    group member asked the bot about by replying to it («@bot درسته؟» under a forwarded story)."""
    pasokh = pasokh_of(context)
    message = update.effective_message
    if message is None:
        return
    question = question.strip()
    limit = pasokh.settings.max_message_chars
    if about and about.strip():
        cap = _question_cap(pasokh)
        story = opening(about, cap)
        question = combine(question, story, pasokh.engine.settings.analyzer, cap) if question else story
    if not question:
        await reply(message, html.escape(TEXTS["empty"]))
        return
    if len(question) > limit:
        too_long = TEXTS["too_long"].format(length=messages.number(len(question)), limit=messages.number(limit))
        await reply(message, html.escape(too_long))
        return
    earlier = await _follow_up_of(pasokh, message, context.bot.id)
    search = question
    if earlier is not None:
        # either may be typed in Latin letters («key?» under «tarhe bashir koja ejra mishe?»): they
        # are joined as Persian, so the reply's question word meets the earlier question's names
        reply_fa, earlier_fa = [await _in_persian(pasokh, text) for text in (question, earlier.question)]
        search = combine(reply_fa, earlier_fa, pasokh.engine.settings.analyzer, pasokh.engine.settings.max_question_chars)
    metrics.QUESTIONS.inc()
    try:
        with metrics.LATENCY.time():
            answer = await _typing_while(message, pasokh.run(pasokh.engine.ask, search, pasokh.settings.page_size))
    except QuestionError as exc:
        text = TEXTS.get(exc.code, TEXTS["empty"]).format(length=messages.number(len(question)), limit=messages.number(limit))
        await reply(message, html.escape(text))
        return
    (metrics.ABSTENTIONS if answer.abstained else metrics.ANSWERS).inc()
    user_id = update.effective_user.id if update.effective_user else 0
    question_id = await pasokh.write(pasokh.log.record, message.chat.id, user_id, answer)
    await send_answer(message, pasokh, answer, question_id, 0, earlier.question if earlier else None)


async def on_private_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any text in a private chat is a question (a reply to one of our answers is a follow-up).
    A post forwarded from a channel («is this true?») is asked as it is; one longer than a
    question may be is asked by its opening, which names the story, rather than refused: the
    person did not write it, and cannot make it shorter (:func:`_asked`)."""
    message = update.effective_message
    if message is None:
        return
    await answer_question(update, context, _asked(message, _question_cap(pasokh_of(context))))


def _asked(message: Message, cap: int) -> str:
    """What a private message asks: its text, or a photo's or video's caption (a news channel's
    post is a photo with its story as the caption, up to 1,024 characters); forwarded and longer
    than ``cap``, its opening."""
    text = message.text or message.caption or ""
    return opening(text, cap) if message.forward_origin is not None and len(text) > cap else text


async def _in_persian(pasokh: Pasokh, text: str) -> str:
    """``text`` as Persian: read back when typed in Latin letters, else as it is."""
    if not in_latin_letters(text):
        return text
    understood = await pasokh.run(pasokh.engine.understand, text)
    return understood.read_as or text


def _question_cap(pasokh: Pasokh) -> int:
    """The longest question both the bot and the engine take: what a text the person did not
    write (a forwarded post, a message asked about) is cut to."""
    return min(pasokh.settings.max_message_chars, pasokh.engine.settings.max_question_chars)


def opening(text: str, limit: int) -> str:
    """The first ``limit`` characters of ``text`` at most, ending at a sentence's end if one falls
    in the second half of them, else at a word's."""
    cut = text[:limit]
    ends = [m.end() for m in re.finditer(r"[.!?؟\n]", cut)]
    if ends and ends[-1] > limit // 2:
        return cut[: ends[-1]].strip()
    return cut.rsplit(None, 1)[0].strip() if " " in cut.strip() else cut.strip()


async def on_group_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """In groups, speak only when spoken to: a mention, or a reply to one of our messages. A
    mention in a reply to someone else's message asks about that message."""
    message = update.effective_message
    if message is None:
        return
    question = addressed_text(message, context.bot)
    if question is not None:
        await answer_question(update, context, question, _asked_about(message, context.bot.id))


def _asked_about(message: Message, bot_id: int) -> str | None:
    """The text of someone's message that a mention of the bot replies to («@bot درسته؟» under a
    forwarded story): what is asked about. A reply to the bot's own answer is a follow-up instead."""
    replied = message.reply_to_message
    if replied is None or replies_to_bot(message, bot_id):
        return None
    return replied.text or replied.caption or None


async def ask_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/ask QUESTION, for groups with privacy mode on."""
    if update.effective_message is None:
        return
    question = " ".join(context.args or [])
    if not question.strip():
        await reply(update.effective_message, html.escape(TEXTS["ask_usage"]))
        return
    await answer_question(update, context, question)


async def on_not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stickers, photos, voice and the like get a short pointer to what works. A photo or video
    sent with a caption (a screenshot of a story and «این خبر درسته؟») is asked its caption; in
    a group, when the caption addresses the bot."""
    message = update.effective_message
    if message is None:
        return
    if message.chat.type != ChatType.PRIVATE:
        if message.caption:
            await on_group_text(update, context)
        return
    if message.caption and message.caption.strip():
        await answer_question(update, context, _asked(message, _question_cap(pasokh_of(context))))
        return
    await reply(message, html.escape(TEXTS["not_text"]))


async def on_more(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """«نتایج بیشتر»: the next page of quotes for a question asked in this chat."""
    pasokh = pasokh_of(context)
    query = update.callback_query
    found = await tapped_question(update, context, More)
    if query is None or found is None:
        return
    button, message, logged = found
    if not await _took_button(message, query.data):
        await answer_tap(query)  # the same «more» tapped again: its page is on its way, or above
        return
    answer = await pasokh.run(pasokh.engine.ask, logged.question, pasokh.settings.page_size, button.offset)
    if answer.abstained or not answer.quotes:
        await answer_tap(query, ALERTS["no_more"])
        return
    await answer_tap(query)
    await pasokh.write(pasokh.log.shown_more, button.question_id, answer)
    await send_answer(message, pasokh, answer, button.question_id, button.offset)


async def _took_button(message: Message, data: str | None) -> bool:
    """Take the tapped button off the bot's ``message`` (the next page carries its own): whether
    this tap took it. A second tap of the same button (a slow network, an impatient thumb) finds it
    gone, or loses the race to take it, which Telegram settles by refusing the second identical
    edit as «message is not modified»: one page for both taps, whichever replica each reached."""
    markup = message.reply_markup
    if markup is None:
        return True
    rows = [row for row in markup.inline_keyboard if not any(b.callback_data == data for b in row)]
    if len(rows) == len(markup.inline_keyboard):
        return False
    try:
        await retry(lambda: message.edit_reply_markup(InlineKeyboardMarkup(rows)))
    except BadRequest as exc:
        if not_modified(exc):
            return False
        logger.info("could not take «more» off an answer (%s); the next page is sent anyway", exc)
    return True


def _above_results(answer: Answer | None) -> InlineQueryResultsButton | None:
    """The button above inline results, which have no message of their own to say it in: how a
    question typed in Latin letters was read (there even when nothing answers), else that the
    quotes do not say what was asked for exactly (an age, a share)."""
    if answer is None:
        return None
    if answer.read_as:
        return InlineQueryResultsButton(messages.reading_label(answer.read_as), start_parameter="inline")
    if not answer.abstained and answer.unsaid in UNSAID_SHORT:
        return InlineQueryResultsButton(UNSAID_SHORT[answer.unsaid], start_parameter="inline")
    return None


async def on_inline(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """@bot question in any chat: the top quotes, each ready to send with its source."""
    pasokh = pasokh_of(context)
    query = update.inline_query
    if query is None:
        return
    text = query.query.strip()
    results: list[InlineQueryResultArticle] = []
    answer = None
    if text and len(text) <= pasokh.settings.max_message_chars:
        try:
            answer = await pasokh.run(pasokh.engine.ask, text, INLINE_RESULTS)
        except QuestionError:
            answer = None
        if answer is not None and not answer.abstained:
            for q in answer.quotes:
                body = messages.fit_messages(messages.quote_block(q, answer.terms, pasokh.engine.settings.analyzer))[0]
                results.append(
                    InlineQueryResultArticle(
                        id=str(q.sentence_id),
                        title=messages.shown_title(q.title)[:64],
                        description=messages.preview_line(q.text, INLINE_PREVIEW_CHARS),
                        input_message_content=InputTextMessageContent(body, parse_mode=ParseMode.HTML),
                    )
                )
    button = _above_results(answer)
    try:
        await query.answer(results, cache_time=30, is_personal=pasokh.settings.restricted, button=button)
    except BadRequest as exc:  # typed on meanwhile: the client asked again and shows that answer instead
        if not too_late(exc):
            raise
        logger.debug("an inline query was answered after Telegram stopped waiting for it")
