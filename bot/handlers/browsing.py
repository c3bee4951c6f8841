"""Browsing: /start with example questions, /help, /about, /articles, /latest, and the article and page buttons."""

from __future__ import annotations

import html
import random
import time

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from bot import messages
from bot.buttons import ArticlesPage, OpenArticle
from bot.state import Pasokh, answer_tap, edit_in_place, pasokh_of, reply, tapped
from bot.texts import ALERTS, BUTTONS, LATEST_EMPTY, LATEST_HEADER, TEXTS
from corpus import dates
from retrieval import Engine, QuestionError

SOURCES_PAGE = 10
LIST_TITLE = 120  # a title in a list; 📄 shows it whole
_EXAMPLE_TITLE_CHARS = 80


def example_questions(engine: Engine, count: int = 3, seed: int = 0) -> list[str]:
    """Questions the corpus really answers, made from its headlines and checked by asking them."""
    articles = engine.articles(0, 200)
    random.Random(seed).shuffle(articles)
    out: list[str] = []
    for art in articles:
        title = art.title.rstrip("…. ")
        if len(title) > _EXAMPLE_TITLE_CHARS:
            continue
        question = TEXTS["example_question"].format(title=title)
        try:
            answer = engine.ask(question, 1)
        except QuestionError:
            continue
        if not answer.abstained and answer.quotes[0].article_id == art.id:
            out.append(question)
        if len(out) == count:
            break
    return out


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """What the bot knows, with example questions from the corpus."""
    pasokh = pasokh_of(context)
    if update.effective_message is None:
        return
    stats = await pasokh.run(pasokh.engine.stats)
    examples = "\n".join(f"• {html.escape(q)}" for q in pasokh.examples) or "• /help"
    await reply(update.effective_message, TEXTS["start"].format(articles=messages.number(stats.articles), examples=examples))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """How to ask, in private chats, groups and inline."""
    if update.effective_message is not None:
        await reply(update.effective_message, TEXTS["help"].format(username=html.escape(context.bot.username)))


async def about(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """What the bot is and what it promises."""
    if update.effective_message is not None:
        await reply(update.effective_message, TEXTS["about"])


def articles_page(pasokh: Pasokh, page: int, chat_id: int) -> tuple[str, InlineKeyboardMarkup | None]:
    engine = pasokh.engine
    total = engine.stats().articles
    pages = max(1, -(-total // SOURCES_PAGE))
    page = min(max(page, 0), pages - 1)
    fa = messages.number
    lines = [TEXTS["articles_head"].format(total=fa(total), page=fa(page + 1), pages=fa(pages))]
    for n, art in enumerate(engine.articles(page * SOURCES_PAGE, SOURCES_PAGE), start=page * SOURCES_PAGE + 1):
        cited = messages.citation(messages.short(art.title, LIST_TITLE), art.agency, art.published)
        lines.append(f"{fa(n)}. {cited}")
    nav = []
    if page > 0:
        nav.append(InlineKeyboardButton(BUTTONS["previous"], callback_data=pasokh.codec.encode(ArticlesPage(page - 1), chat_id)))
    if page < pages - 1:
        nav.append(InlineKeyboardButton(BUTTONS["next"], callback_data=pasokh.codec.encode(ArticlesPage(page + 1), chat_id)))
    return "\n".join(lines), InlineKeyboardMarkup([nav]) if nav else None


async def articles(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The articles the bot knows, ten to a page."""
    pasokh = pasokh_of(context)
    message = update.effective_message
    if message is not None:
        text, markup = await pasokh.run(articles_page, pasokh, 0, message.chat.id)
        await reply(message, text, markup)


LATEST_COUNT = 10
PER_SOURCE = 3


def latest_page(pasokh: Pasokh, chat_id: int) -> tuple[str, InlineKeyboardMarkup | None]:
    """The newest headlines of the last ``[bot] latest_days``, by publication time, grouped by
    agency (a few each, so one busy source cannot fill the list), each with a button that opens
    the article; dates in the one format citations use."""
    chosen: list = []
    per_source: dict[str, int] = {}
    since = time.time() - pasokh.settings.latest_days * 86400
    for art in pasokh.engine.latest(LATEST_COUNT * 4):
        stamp = dates.timestamp(art.published)
        if stamp is None or stamp < since:  # newest first: the rest are older still
            break
        name = art.agency or "—"
        if per_source.get(name, 0) >= PER_SOURCE:
            continue
        per_source[name] = per_source.get(name, 0) + 1
        chosen.append(art)
        if len(chosen) == LATEST_COUNT:
            break
    if not chosen:
        return LATEST_EMPTY.format(days=messages.number(round(pasokh.settings.latest_days))), None
    lines = [f"<b>{LATEST_HEADER}</b>"]
    rows = []
    for name in dict.fromkeys(a.agency or "—" for a in chosen):
        lines.append(f"\n<b>{html.escape(name)}</b>")
        for art in (a for a in chosen if (a.agency or "—") == name):
            when = html.escape(dates.shown(art.published) or "")
            lines.append(f"• {html.escape(messages.short(messages.shown_title(art.title), LIST_TITLE))} · {when}")
            key = pasokh.engine.article_key(art.id)
            if key is not None:
                label = messages.button_label(art.title)
                rows.append([InlineKeyboardButton(f"📄 {label}", callback_data=pasokh.codec.encode(OpenArticle(key), chat_id))])
    return "\n".join(lines), InlineKeyboardMarkup(rows) if rows else None


async def latest(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The newest headlines per source, with buttons to read them."""
    pasokh = pasokh_of(context)
    message = update.effective_message
    if message is not None:
        text, markup = await pasokh.run(latest_page, pasokh, message.chat.id)
        await reply(message, text, markup)


async def on_articles_page(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The ‹قبلی›/‹بعدی› buttons under /articles: the list is edited in place."""
    pasokh = pasokh_of(context)
    found = await tapped(update, context, ArticlesPage)
    if found is None or update.callback_query is None:
        return
    button, message = found
    text, markup = await pasokh.run(articles_page, pasokh, button.page, message.chat.id)
    await answer_tap(update.callback_query)
    page = messages.fit_messages(messages.rtl(text))[0]  # a page of a list: its titles are short, it fits
    await edit_in_place(message, page, markup)


async def on_article(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """📄 under an answer: the whole article, in as many messages as it takes."""
    pasokh = pasokh_of(context)
    found = await tapped(update, context, OpenArticle)
    if found is None or update.callback_query is None:
        return
    button, message = found
    article = await pasokh.run(pasokh.engine.article_by_key, button.key)
    await answer_tap(update.callback_query, None if article else ALERTS["gone"])
    if article is not None:
        for text in messages.article_messages(article):
            await reply(message, text)
