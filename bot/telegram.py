"""The Telegram bot's wiring (python-telegram-bot v22): which update reaches which handler, and start-up.

Adding a command: its texts in :mod:`bot.texts` (``COMMANDS`` for Telegram's menu), its
handler in the module of :mod:`bot.handlers` for what users do with it, and one line in
``COMMAND_HANDLERS`` here (``ADMIN_COMMANDS`` too if only admins may use it).
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from telegram import BotCommand, Update
from telegram.constants import ChatType
from telegram.error import ChatMigrated, Conflict, InvalidToken, NetworkError, TelegramError, TimedOut
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import metrics
from bot.api_failures import CONFLICT_HINT, connection_trouble, not_the_bot_api, out_of_reach, quiet_library_logs, said
from bot.buttons import PATTERNS, ArticlesPage, ButtonCodec, More, OpenArticle, Vote
from bot.gate import gate
from bot.handlers import admin, asking, browsing, chats, feedback
from bot.keys import derive, load_secret
from bot.ratelimit import SharedWindow
from bot.settings import BotSettings
from bot.state import Limits, Pasokh, answer_tap, pasokh_of, reply
from bot.texts import ALERTS, COMMANDS, TEXTS
from retrieval import Engine, StorageError
from retrieval.errors import REPAIR_HINT, damage_said, is_damage, store_said
from retrieval.store import Pseudonyms

logger = logging.getLogger(__name__)
PRUNE_SECONDS = 3600.0

COMMAND_HANDLERS = {
    "start": browsing.start,
    "help": browsing.help_command,
    "about": browsing.about,
    "articles": browsing.articles,
    "sources": browsing.articles,  # its name before /articles (pasokh sources lists feeds); not in the menu
    "latest": browsing.latest,
    "ask": asking.ask_command,
    "privacy": feedback.privacy,
    "forget": feedback.forget,
    "stats": admin.stats,
    "reload": admin.reload_command,
}
ADMIN_COMMANDS = frozenset({"stats", "reload"})
BUTTON_HANDLERS = {
    OpenArticle: browsing.on_article,
    ArticlesPage: browsing.on_articles_page,
    More: asking.on_more,
    Vote: feedback.on_vote,
}


async def on_unknown_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Callback data no pattern claims: never ours, so it changes nothing."""
    if update.callback_query is not None:
        await answer_tap(update.callback_query, ALERTS["invalid"], show_alert=True)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log first, then tell the user; the bot keeps running. A chat that no longer takes the bot's
    messages (blocked, removed, muted, a closed topic) is counted and noted, and nothing more is
    sent there; a group that became a supergroup as it asked is answered there. The store being away (a database
    restart) is a passing state: one line in the log and «try again shortly» to the user. A
    damaged database is not: one line naming `pasokh repair` for the operator. The Bot API out of
    reach is one line too, and the user is sent nothing more: the message that failed may
    have arrived late, and another would meet the same network."""
    if connection_trouble(context.error):  # the Bot API, not the update: one line, and no second message
        metrics.ERRORS.labels("telegram").inc()
        if update is None:  # while polling: retried by the library
            hint = f"; {CONFLICT_HINT}" if isinstance(context.error, Conflict) else ""
            logger.warning("polling the Bot API: %s%s", said(context.error), hint)
        else:  # a reply that failed after its retries (bot.state.retry); «an error occurred» would fail too
            logger.warning("the Bot API did not take a reply (%s); it was not sent", said(context.error))
        return
    if isinstance(context.error, ChatMigrated) and isinstance(update, Update):
        again = chats.moved(update, context.error.new_chat_id)
        if again is not None:  # asked as the group became a supergroup: answered there
            logger.info("a group became a supergroup while a question in it was answered; the answer goes there")
            await context.application.process_update(again)
            return
    if (gone := out_of_reach(context.error)) is not None:  # the user's doing, not a fault: nothing more to send
        reason, words = gone
        metrics.UNDELIVERED.labels(reason).inc()
        chat = update.effective_chat if isinstance(update, Update) else None
        where = "private chat" if chat is None or chat.type == ChatType.PRIVATE else chat.type
        logger.info("a reply to a %s was not delivered (%s): %s", where, reason, words)
        return
    away = isinstance(context.error, StorageError)
    damaged = is_damage(context.error)  # not passing: one line naming the repair, not a traceback a question
    # the PostgreSQL server refused a statement, SQLite or the disk under it did (full, read-only):
    # what to do, in one line
    refusal = store_said(context.error, pasokh_of(context).data_dir)
    metrics.ERRORS.labels("damaged" if damaged else "store" if away or refusal else "other").inc()
    if away:
        logger.warning("the store is unavailable: %s", context.error)
    elif damaged:
        logger.error("the database is damaged (%s): %s", damage_said(context.error), REPAIR_HINT)
    elif refusal:
        logger.error("while answering, %s", refusal)
    else:
        logger.error("error while handling an update", exc_info=context.error)
    if isinstance(update, Update) and update.effective_message is not None:
        with contextlib.suppress(Exception):
            await reply(update.effective_message, html.escape(TEXTS["unavailable" if away else "error"]))


async def _post_init(application: Application) -> None:
    pasokh: Pasokh = application.bot_data["pasokh"]
    await application.bot.set_my_commands([BotCommand(c, d) for c, d in COMMANDS])
    pasokh.examples = await pasokh.run(browsing.example_questions, pasokh.engine)
    pasokh.tasks.append(asyncio.create_task(pasokh.run(pasokh.engine.warm)))
    pasokh.tasks.append(asyncio.create_task(_upkeep(pasokh, application)))


async def _post_shutdown(application: Application) -> None:
    pasokh: Pasokh = application.bot_data["pasokh"]
    for task in pasokh.tasks:
        task.cancel()
    pasokh.executor.shutdown(wait=False, cancel_futures=True)
    pasokh.log.close()


async def _upkeep(pasokh: Pasokh, application: Application) -> None:
    """Pick up newly ingested or removed articles within reload_seconds; prune the question log
    hourly; stop the bot when the Bot API no longer takes its token (:func:`token_rejected`)."""
    pruned_at = checked_at = time.monotonic()
    failing: str | None = None
    while True:
        await asyncio.sleep(pasokh.settings.reload_seconds)
        probe = time.monotonic() - checked_at >= TOKEN_CHECK_SECONDS
        checked_at = time.monotonic() if probe else checked_at
        if (rejected := await token_rejected(application, probe)) is not None:
            logger.error("%s; stopping", rejected)
            application.bot_data[FATAL] = rejected
            if application.updater is not None and application.updater.running:
                # stopped here, where the polling loop's end is expected: stopping it re-raises the
                # rejection, which from run_polling's own stop skips the application's shutdown
                with contextlib.suppress(TelegramError):
                    await application.updater.stop()
            application.stop_running()
            return
        try:
            if await pasokh.run(pasokh.engine.refresh):
                logger.info("corpus changed on disk; reloaded")
            pasokh.refreshed_at = time.monotonic()
            if failing:
                logger.warning("the corpus can be reloaded again")
                failing = None
        except StorageError as exc:  # the database is away: said once, retried every reload_seconds
            if str(exc) != failing:
                logger.warning("could not reload the corpus (%s); still serving the previous one, retrying", exc)
                failing = str(exc)
        except Exception:
            logger.exception("could not reload the corpus; still serving the previous one")
        if time.monotonic() - pruned_at >= PRUNE_SECONDS:
            pruned_at = time.monotonic()
            try:
                await pasokh.write(pasokh.log.prune)  # a full disk: said once, with the questions' own writes
            except Exception:
                logger.exception("could not prune the question log")


TOKEN_CHECK_SECONDS = 300.0  # how often a bot asks the Bot API whether its token still holds
FATAL = "pasokh_fatal"  # bot_data key: why the bot stopped itself, for the command to say and exit 1
REVOKED = "the Bot API rejected the token while the bot ran (revoked or replaced with @BotFather?)"


async def token_rejected(application: Application, probe: bool) -> str | None:
    """Why the bot can no longer serve, or None. A token revoked with @BotFather while the bot
    runs ends python-telegram-bot's polling loop (it retries everything else) and leaves the
    process up, deaf, its /readyz still ready; with a webhook Telegram simply stops calling.
    Seen here by the polling task having ended on the rejection, or by a getMe every
    :data:`TOKEN_CHECK_SECONDS` (``probe``), whichever comes first."""
    updater = application.updater
    task = getattr(updater, "_Updater__polling_task", None) if updater is not None else None  # python-telegram-bot 22
    ended = isinstance(task, asyncio.Task) and task.done() and not task.cancelled()
    if ended and isinstance(task.exception(), InvalidToken):  # type: ignore[union-attr]
        return REVOKED
    if probe:
        try:
            await application.bot.get_me()
        except InvalidToken:
            return REVOKED
        except TelegramError:  # the network or the API away for a while: polling says so, and retries
            return None
    return None


def build_pasokh(bot: BotSettings, engine: Engine, data_dir: Path, secret: str | None = None) -> Pasokh:
    """The shared state: log (on disk in ``data_dir``, or in memory with logging off), keys
    (from ``secret``, else a key file in ``data_dir``), limits and the worker pool."""
    key = load_secret(secret, data_dir)
    ids = Pseudonyms(derive(key, "log ids"))
    state = engine.open_bot_state(data_dir if bot.log_questions else None, ids, bot.log_keep_days)
    return Pasokh(
        engine=engine,
        settings=bot,
        data_dir=data_dir,
        log=state,
        codec=ButtonCodec(derive(key, "buttons")),
        limits=Limits(
            questions=SharedWindow(state, "questions", bot.questions_per_minute, 60.0),
            inline=SharedWindow(state, "inline", bot.inline_per_minute, 60.0),
            taps=SharedWindow(state, "taps", bot.taps_per_minute, 60.0),
        ),
        executor=ThreadPoolExecutor(max_workers=bot.workers, thread_name_prefix="pasokh"),
        admin_commands=ADMIN_COMMANDS,
    )


def build_application(
    bot: BotSettings, engine: Engine, token: str, data_dir: Path, secret: str | None = None
) -> Application:
    """The whole bot, wired: every handler, the gate in front of them and the error handler."""
    quiet_library_logs()
    application = (
        ApplicationBuilder()
        .token(token)
        .base_url(bot.api_base_url)
        .rate_limiter(AIORateLimiter(overall_max_rate=bot.sends_per_second, max_retries=3))
        .concurrent_updates(True)
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        .build()
    )
    application.bot_data["pasokh"] = build_pasokh(bot, engine, data_dir, secret)
    application.add_handler(TypeHandler(Update, gate), group=-1)
    for name, handler in COMMAND_HANDLERS.items():
        application.add_handler(CommandHandler(name, handler))
    private, groups = filters.ChatType.PRIVATE, filters.ChatType.GROUPS
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND & private, asking.on_private_text))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND & groups, asking.on_group_text))
    application.add_handler(MessageHandler(~filters.TEXT & ~filters.StatusUpdate.ALL & ~filters.COMMAND, asking.on_not_text))
    for kind, handler in BUTTON_HANDLERS.items():
        application.add_handler(CallbackQueryHandler(handler, pattern=PATTERNS[kind]))
    application.add_handler(CallbackQueryHandler(on_unknown_button))
    application.add_handler(InlineQueryHandler(asking.on_inline))
    application.add_handler(ChatMemberHandler(chats.on_membership, ChatMemberHandler.MY_CHAT_MEMBER))
    application.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, chats.on_migrated))
    application.add_error_handler(on_error)
    return application


class BotApiError(Exception):
    """The Bot API cannot be used: unreachable after every attempt, or it rejected the token."""


def redact(text: str, token: str) -> str:
    """``text`` with the token (and its secret half) replaced: URLs carry it, messages repeat it."""
    for secret in {token, token.partition(":")[2]} - {""}:
        text = text.replace(secret, "<token>")
    return text


def reach_bot_api(application: Application, token: str, attempts: int, first_wait: float = 1.0) -> str:
    """Ask the Bot API who we are before serving, retrying an unreachable API with backoff (one
    line each attempt); returns the bot's username. The event loop it runs on stays current, so
    ``run_polling`` / ``run_webhook`` serve on it."""

    async def probe() -> str:
        bot, wait = application.bot, first_wait
        for attempt in range(1, attempts + 1):
            try:
                await bot.initialize()
                name = bot.username
                await bot.shutdown()
                return name
            except TelegramError as exc:
                if not (isinstance(exc, NetworkError | TimedOut) or not_the_bot_api(exc)):
                    if isinstance(exc, InvalidToken):
                        raise BotApiError(
                            "the Bot API rejected the token in TELEGRAM_BOT_TOKEN; check it with @BotFather"
                        ) from None
                    raise BotApiError(f"the Bot API refused getMe: {redact(said(exc), token)}") from None
                reason = redact(said(exc), token)
                if attempt == attempts:
                    raise BotApiError(f"cannot reach the Bot API after {attempts} attempts ({reason})") from None
                logger.warning(
                    "cannot reach the Bot API (attempt %d of %d: %s); trying again in %.0f s", attempt, attempts, reason, wait
                )
                await asyncio.sleep(wait)
                wait = min(wait * 2, 30.0)
        raise BotApiError("cannot reach the Bot API")

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    return loop.run_until_complete(probe())


__all__ = [
    "ADMIN_COMMANDS",
    "COMMAND_HANDLERS",
    "BotApiError",
    "build_application",
    "build_pasokh",
    "pasokh_of",
    "reach_bot_api",
    "redact",
]
