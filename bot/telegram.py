"""The Telegram bot (python-telegram-bot v22): module-level handlers, all wiring in :func:`build_application`.

Retrieval is CPU work, so every engine call runs in a thread pool; the event loop only
talks HTTP, and one slow question never holds up another chat.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import html
import logging
import random
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from telegram import (
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Message,
    Update,
)
from telegram.constants import ChatAction, ChatType, InlineKeyboardButtonLimit, MessageEntityType, ParseMode
from telegram.error import NetworkError, TimedOut
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot import messages
from bot.botlog import BotLog
from bot.config import Config
from bot.ratelimit import SlidingWindow
from retrieval import Answer, Engine, QuestionError

logger = logging.getLogger(__name__)
T = TypeVar("T")
MAX_CALLBACK = InlineKeyboardButtonLimit.MAX_CALLBACK_DATA
SOURCES_PAGE = 10

TEXTS = {
    "start": (
        "سلام! من <b>پاسخ</b> هستم. پرسش‌های فارسی شما را از روی {articles} خبری که در اختیار دارم پاسخ می‌دهم "
        "و جمله‌های پاسخ را عیناً، همراه با نام خبر، خبرگزاری و تاریخ، نقل می‌کنم.\n\n"
        "برای نمونه بپرسید:\n{examples}\n\nراهنما: /help"
    ),
    "help": (
        "پرسش خود را به فارسی بنویسید و بفرستید. پاسخ، نقل‌قول عین جمله‌های خبرهاست با شماره و منبع.\n\n"
        "• دکمهٔ هر خبر، متن کامل آن را نشان می‌دهد.\n• «نتایج بیشتر» نقل‌قول‌های بعدی را می‌آورد.\n"
        "• با 👍 و 👎 بگویید پاسخ به کارتان آمد یا نه.\n\n"
        "در گروه‌ها: مرا منشن کنید، به پیام من پاسخ دهید، یا از /ask استفاده کنید.\n"
        "در هر گفتگویی: @{username} و سپس پرسش.\n\n"
        "/sources فهرست خبرها · /about دربارهٔ من"
    ),
    "about": (
        "<b>پاسخ</b> پرسش‌ها را با جستجوی واژگانی و معنایی در خبرها پاسخ می‌دهد و هرگز متن خبر را تغییر نمی‌دهد: "
        "هر نقل‌قول عیناً از متن خبر است. اگر پاسخی در خبرها نباشد، همین را می‌گوید."
    ),
    "not_text": "من فقط پرسش‌های متنی را پاسخ می‌دهم. لطفاً پرسش خود را به صورت متن بنویسید.",
    "empty": "لطفاً پرسش خود را بنویسید؛ برای نمونه: /help",
    "no_words": "پرسش شما واژه‌ای برای جستجو ندارد. لطفاً پرسش را با چند واژه بنویسید.",
    "too_long": "پرسش شما {length} نویسه است و بیش از حد مجاز ({limit} نویسه). لطفاً کوتاه‌تر بپرسید.",
    "rate": "پرسش‌های شما کمی زیاد شده است. لطفاً {seconds} ثانیهٔ دیگر دوباره بپرسید.",
    "not_allowed": "متأسفم، این ربات در این گفتگو فعال نیست.",
    "admin_only": "این فرمان فقط برای مدیران ربات است.",
    "error": "متأسفانه هنگام پاسخ‌دادن خطایی رخ داد. لطفاً کمی بعد دوباره امتحان کنید.",
    "no_more": "نتیجهٔ دیگری پیدا نشد.",
    "thanks": "از بازخورد شما سپاسگزارم!",
    "gone": "این خبر دیگر در دسترس نیست.",
    "more": "نتایج بیشتر",
    "ask_usage": "پس از /ask پرسش خود را بنویسید؛ برای نمونه: /ask طرح بشیر چه تأثیری بر آمار طلاق داشته است؟",
}
COMMANDS = [
    ("start", "آغاز و نمونهٔ پرسش‌ها"),
    ("help", "راهنما"),
    ("ask", "پرسیدن (در گروه‌ها)"),
    ("sources", "فهرست خبرها"),
    ("about", "دربارهٔ ربات"),
]


@dataclass
class Pasokh:
    """What handlers share, kept in ``application.bot_data``."""

    engine: Engine
    config: Config
    log: BotLog
    limiter: SlidingWindow
    executor: ThreadPoolExecutor
    examples: list[str] = field(default_factory=list)
    tasks: list[asyncio.Task] = field(default_factory=list)

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self.executor, fn, *args)


def _app(context: ContextTypes.DEFAULT_TYPE) -> Pasokh:
    return context.bot_data["pasokh"]


async def _retry(send: Callable[[], Awaitable[T]], attempts: int = 3) -> T:
    """A network error to the Bot API is retried with backoff, not fatal."""
    for attempt in range(attempts):
        try:
            return await send()
        except (NetworkError, TimedOut) as exc:
            if attempt == attempts - 1 or "Bad Request" in str(exc):
                raise
            logger.warning("Bot API unreachable (%s); retrying", exc)
            await asyncio.sleep(0.5 * 2**attempt)
    raise AssertionError("unreachable")


async def _reply(message: Message, text: str, markup: InlineKeyboardMarkup | None = None) -> Message:
    return await _retry(
        lambda: message.reply_text(
            text, parse_mode=ParseMode.HTML, reply_markup=markup, disable_web_page_preview=True, do_quote=False
        )
    )


def _allowed(pasokh: Pasokh, update: Update) -> bool:
    allowed = pasokh.config.bot.allowed_chat_ids
    return not allowed or (update.effective_chat is not None and update.effective_chat.id in allowed)


def _is_admin(pasokh: Pasokh, update: Update) -> bool:
    return update.effective_user is not None and update.effective_user.id in pasokh.config.bot.admin_ids


def _keyboard(pasokh: Pasokh, answer: Answer, question_id: int, offset: int) -> InlineKeyboardMarkup:
    rows: list[list[InlineKeyboardButton]] = []
    seen: set[str] = set()
    for q in answer.quotes:
        if q.article_id in seen:
            continue
        seen.add(q.article_id)
        key = pasokh.engine.store.article_key(q.article_id)
        if key is not None:
            label = q.title if len(q.title) <= 40 else q.title[:39] + "…"
            rows.append([InlineKeyboardButton(f"📄 {label}", callback_data=f"a:{key}")])
    rows.append([InlineKeyboardButton(TEXTS["more"], callback_data=f"m:{question_id}:{offset}")])
    rows.append(
        [
            InlineKeyboardButton("👍", callback_data=f"f:{question_id}:1"),
            InlineKeyboardButton("👎", callback_data=f"f:{question_id}:0"),
        ]
    )
    for row in rows:
        for button in row:
            assert len(str(button.callback_data).encode()) <= MAX_CALLBACK
    return InlineKeyboardMarkup(rows)


async def _send_answer(message: Message, pasokh: Pasokh, answer: Answer, question_id: int, offset: int) -> None:
    texts = messages.answer_messages(answer, pasokh.engine.settings.analyzer, header=offset == 0)
    markup = None
    if not answer.abstained:  # article keys come from SQLite: off the event loop like every engine call
        markup = await pasokh.run(_keyboard, pasokh, answer, question_id, offset + len(answer.quotes))
    for i, text in enumerate(texts):
        await _reply(message, text, markup if i == len(texts) - 1 else None)


async def answer_question(update: Update, context: ContextTypes.DEFAULT_TYPE, question: str) -> None:
    """The one path every question takes, whichever handler received it."""
    pasokh = _app(context)
    message = update.effective_message
    assert message is not None
    if not _allowed(pasokh, update):
        await _reply(message, messages.rtl(TEXTS["not_allowed"]))
        return
    question = question.strip()
    limit = pasokh.config.bot.max_message_chars
    if not question:
        await _reply(message, messages.rtl(TEXTS["empty"]))
        return
    if len(question) > limit:
        await _reply(message, messages.rtl(TEXTS["too_long"].format(length=len(question), limit=limit)))
        return
    user_id = update.effective_user.id if update.effective_user else 0
    if not pasokh.limiter.allow(user_id):
        wait = max(1, round(pasokh.limiter.retry_after(user_id)))
        await _reply(message, messages.rtl(TEXTS["rate"].format(seconds=wait)))
        return
    with contextlib.suppress(NetworkError):
        await message.chat.send_action(ChatAction.TYPING)
    try:
        answer = await pasokh.run(pasokh.engine.ask, question, pasokh.config.bot.page_size)
    except QuestionError as exc:
        await _reply(message, messages.rtl(TEXTS.get(exc.code, TEXTS["empty"]).format(length=len(question), limit=limit)))
        return
    question_id = await pasokh.run(pasokh.log.record, message.chat.id, user_id, answer)
    await _send_answer(message, pasokh, answer, question_id, 0)


async def on_private_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any text in a private chat is a question."""
    assert update.effective_message is not None
    await answer_question(update, context, update.effective_message.text or "")


def _addressed_text(message: Message, bot_id: int, username: str) -> str | None:
    """The question in a group message meant for the bot (mention or reply), else None."""
    text = message.text or ""
    mention = f"@{username}".lower()
    by_name = any(
        e.type == MessageEntityType.MENTION and message.parse_entity(e).lower() == mention for e in message.entities or ()
    )
    by_link = any(
        e.type == MessageEntityType.TEXT_MENTION and e.user is not None and e.user.id == bot_id for e in message.entities or ()
    )
    original = message.reply_to_message
    by_reply = original is not None and original.from_user is not None and original.from_user.id == bot_id
    mentioned = by_name or by_link or by_reply
    if not mentioned:
        return None
    return " ".join(w for w in text.split() if w.lower() != mention)


async def on_group_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """In groups, speak only when spoken to."""
    message = update.effective_message
    assert message is not None
    question = _addressed_text(message, context.bot.id, context.bot.username)
    if question is not None:
        await answer_question(update, context, question)


async def ask_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/ask QUESTION, for groups with privacy mode on."""
    assert update.effective_message is not None
    question = " ".join(context.args or [])
    if not question.strip():
        await _reply(update.effective_message, messages.rtl(TEXTS["ask_usage"]))
        return
    await answer_question(update, context, question)


async def on_not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stickers, photos, voice and the like get a short pointer to what works."""
    message = update.effective_message
    assert message is not None
    if message.chat.type == ChatType.PRIVATE:
        await _reply(message, messages.rtl(TEXTS["not_text"]))


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """What the bot knows, with example questions from the corpus."""
    pasokh = _app(context)
    assert update.effective_message is not None
    if not _allowed(pasokh, update):
        await _reply(update.effective_message, messages.rtl(TEXTS["not_allowed"]))
        return
    stats = await pasokh.run(pasokh.engine.store.stats)
    examples = "\n".join(f"• {html.escape(q)}" for q in pasokh.examples) or "• /help"
    await _reply(update.effective_message, messages.rtl(TEXTS["start"].format(articles=stats.articles, examples=examples)))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """How to ask, in private chats, groups and inline."""
    assert update.effective_message is not None
    await _reply(update.effective_message, messages.rtl(TEXTS["help"].format(username=html.escape(context.bot.username))))


async def about(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """What the bot is and what it promises."""
    assert update.effective_message is not None
    await _reply(update.effective_message, messages.rtl(TEXTS["about"]))


def _sources_page(pasokh: Pasokh, page: int) -> tuple[str, InlineKeyboardMarkup | None]:
    store = pasokh.engine.store
    total = store.stats().articles
    pages = max(1, -(-total // SOURCES_PAGE))
    page = min(max(page, 0), pages - 1)
    lines = [f"<b>خبرها ({total})</b> — صفحهٔ {page + 1} از {pages}"]
    for n, art in enumerate(store.articles(page * SOURCES_PAGE, SOURCES_PAGE), start=page * SOURCES_PAGE + 1):
        lines.append(f"{n}. {messages.citation(art.title, art.source, art.published)}")
    nav = []
    if page > 0:
        nav.append(InlineKeyboardButton("→ قبلی", callback_data=f"s:{page - 1}"))
    if page < pages - 1:
        nav.append(InlineKeyboardButton("بعدی ←", callback_data=f"s:{page + 1}"))
    return messages.rtl("\n".join(lines)), InlineKeyboardMarkup([nav]) if nav else None


async def sources(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The articles the bot knows, ten to a page."""
    pasokh = _app(context)
    assert update.effective_message is not None
    text, markup = await pasokh.run(_sources_page, pasokh, 0)
    await _reply(update.effective_message, text, markup)


Handler = Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[None]]


def admin_only(handler: Handler) -> Handler:
    """Commands for the ids in ``[bot] admin_ids``; everyone else is told so, politely."""

    @functools.wraps(handler)
    async def guarded(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        if not _is_admin(_app(context), update):
            await _reply(update.effective_message, messages.rtl(TEXTS["admin_only"]))
            return
        await handler(update, context)

    return guarded


@admin_only
async def stats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Admins: usage, abstention rate, feedback and corpus size."""
    pasokh = _app(context)
    assert update.effective_message is not None
    usage = await pasokh.run(pasokh.log.usage)
    corpus = await pasokh.run(pasokh.engine.store.stats)
    text = (
        f"پرسش‌ها: {usage.questions}\nبی‌پاسخ: {usage.abstained} ({usage.abstention_rate:.0%})\n"
        f"👍 {usage.thumbs_up} · 👎 {usage.thumbs_down}\nخبرها: {corpus.articles} · جمله‌ها: {corpus.sentences}"
    )
    await _reply(update.effective_message, messages.rtl(text))


@admin_only
async def reload_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Admins: pick up newly ingested or removed articles now."""
    pasokh = _app(context)
    assert update.effective_message is not None
    changed = await pasokh.run(pasokh.engine.refresh)
    corpus = await pasokh.run(pasokh.engine.store.stats)
    status = "به‌روز شد" if changed else "تغییری نبود"
    await _reply(update.effective_message, messages.rtl(f"{status}. خبرها: {corpus.articles} · جمله‌ها: {corpus.sentences}"))


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Buttons: a: article, m: more results, f: feedback, s: sources page."""
    pasokh = _app(context)
    query = update.callback_query
    assert query is not None
    kind, _, rest = (query.data or "").partition(":")
    message = query.message if isinstance(query.message, Message) else None
    if kind == "a" and message is not None:
        article = await pasokh.run(pasokh.engine.store.article_by_key, int(rest))
        await query.answer(None if article else TEXTS["gone"])
        if article:
            for text in messages.article_messages(article):
                await _reply(message, text)
    elif kind == "m" and message is not None:
        question_id, offset = (int(x) for x in rest.split(":"))
        logged = await pasokh.run(pasokh.log.get, question_id)
        answer = None
        if logged is not None:
            answer = await pasokh.run(pasokh.engine.ask, logged.question, pasokh.config.bot.page_size, offset)
        if answer is None or answer.abstained or not answer.quotes:
            await query.answer(TEXTS["no_more"])
            return
        await query.answer()
        await pasokh.run(pasokh.log.shown_more, question_id, answer)
        await _send_answer(message, pasokh, answer, question_id, offset)
    elif kind == "f":
        question_id, vote = (int(x) for x in rest.split(":"))
        await pasokh.run(pasokh.log.vote, question_id, query.from_user.id, vote == 1)
        await query.answer(TEXTS["thanks"])
    elif kind == "s" and message is not None:
        text, markup = await pasokh.run(_sources_page, pasokh, int(rest))
        await query.answer()
        await _retry(lambda: message.edit_text(text, parse_mode=ParseMode.HTML, reply_markup=markup))
    else:
        await query.answer()


async def on_inline(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """@bot question in any chat: the top quotes, each ready to send with its source."""
    pasokh = _app(context)
    query = update.inline_query
    assert query is not None
    text = query.query.strip()
    results: list[InlineQueryResultArticle] = []
    if text and len(text) <= pasokh.config.bot.max_message_chars and pasokh.limiter.allow(query.from_user.id):
        try:
            answer = await pasokh.run(pasokh.engine.ask, text, 5)
        except QuestionError:
            answer = None
        if answer is not None and not answer.abstained:
            for q in answer.quotes:
                body = messages.quote_block(q, answer.terms, pasokh.engine.settings.analyzer)
                results.append(
                    InlineQueryResultArticle(
                        id=str(q.sentence_id),
                        title=q.title[:64],
                        description=q.text[:120],
                        input_message_content=InputTextMessageContent(body, parse_mode=ParseMode.HTML),
                    )
                )
    await query.answer(results, cache_time=30, is_personal=False)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log first, then tell the user; the bot keeps running."""
    logger.error("error while handling an update", exc_info=context.error)
    if isinstance(update, Update) and update.effective_message is not None:
        with contextlib.suppress(Exception):
            await update.effective_message.reply_text(messages.rtl(TEXTS["error"]), do_quote=False)


def _examples(engine: Engine, count: int = 3, seed: int = 0) -> list[str]:
    """Questions the corpus really answers, made from its headlines and checked by asking them."""
    articles = engine.store.articles(0, 200)
    random.Random(seed).shuffle(articles)
    out: list[str] = []
    for art in articles:
        title = art.title.rstrip("…. ")
        if len(title) > 80:
            continue
        question = f"دربارهٔ «{title}» چه می‌دانی؟"
        try:
            answer = engine.ask(question, 1)
        except QuestionError:
            continue
        if not answer.abstained and answer.quotes[0].article_id == art.id:
            out.append(question)
        if len(out) == count:
            break
    return out


async def _post_init(application: Application) -> None:
    pasokh: Pasokh = application.bot_data["pasokh"]
    await application.bot.set_my_commands([BotCommand(c, d) for c, d in COMMANDS])
    pasokh.examples = await pasokh.run(_examples, pasokh.engine)
    pasokh.tasks.append(asyncio.create_task(_watch_corpus(pasokh)))


async def _post_shutdown(application: Application) -> None:
    pasokh: Pasokh = application.bot_data["pasokh"]
    for task in pasokh.tasks:
        task.cancel()
    pasokh.executor.shutdown(wait=False, cancel_futures=True)
    pasokh.log.close()


async def _watch_corpus(pasokh: Pasokh) -> None:
    """Newly ingested or removed articles show up within reload_seconds, without a restart."""
    while True:
        await asyncio.sleep(pasokh.config.bot.reload_seconds)
        try:
            if await pasokh.run(pasokh.engine.refresh):
                logger.info("corpus changed on disk; reloaded")
        except Exception:
            logger.exception("could not reload the corpus; still serving the previous one")


def build_application(config: Config, engine: Engine, token: str) -> Application:
    pasokh = Pasokh(
        engine=engine,
        config=config,
        log=BotLog(config.data_dir / "bot.sqlite3"),
        limiter=SlidingWindow(config.bot.questions_per_minute, 60.0),
        executor=ThreadPoolExecutor(max_workers=config.bot.workers, thread_name_prefix="pasokh"),
    )
    application = (
        ApplicationBuilder()
        .token(token)
        .base_url(config.bot.api_base_url)
        .rate_limiter(AIORateLimiter(max_retries=3))
        .concurrent_updates(True)
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        .build()
    )
    application.bot_data["pasokh"] = pasokh
    private = filters.ChatType.PRIVATE
    groups = filters.ChatType.GROUPS
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CommandHandler("help", help_command))
    application.add_handler(CommandHandler("about", about))
    application.add_handler(CommandHandler("ask", ask_command))
    application.add_handler(CommandHandler("sources", sources))
    application.add_handler(CommandHandler("stats", stats))
    application.add_handler(CommandHandler("reload", reload_command))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND & private, on_private_text))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND & groups, on_group_text))
    application.add_handler(MessageHandler(~filters.TEXT & ~filters.StatusUpdate.ALL & ~filters.COMMAND, on_not_text))
    application.add_handler(CallbackQueryHandler(on_button))
    application.add_handler(InlineQueryHandler(on_inline))
    application.add_error_handler(on_error)
    return application
