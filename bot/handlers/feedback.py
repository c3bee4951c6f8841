"""Feedback and privacy: 👍/👎 on an answer, /privacy (what is kept, how long) and /forget."""

from __future__ import annotations

import html

from telegram import Update
from telegram.ext import ContextTypes

from bot.buttons import Vote
from bot.messages import number
from bot.state import answer_tap, pasokh_of, reply, tapped_question
from bot.texts import ALERTS, TEXTS


async def on_vote(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """👍/👎, from the person who asked only: a vote is their judgement of their answer."""
    pasokh = pasokh_of(context)
    query = update.callback_query
    found = await tapped_question(update, context, Vote)
    if query is None or found is None:
        return
    button, _message, logged = found
    if logged.user != pasokh.log.ids.user(query.from_user.id):
        await answer_tap(query, ALERTS["not_yours"], show_alert=True)
        return

    def vote() -> bool:  # True once stored: the log's vote itself returns nothing
        pasokh.log.vote(button.question_id, query.from_user.id, button.up)
        return True

    saved = await pasokh.write(vote)
    await answer_tap(query, ALERTS["thanks" if saved else "unsaved"])


async def privacy(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """What the bot keeps about questions, and for how long."""
    pasokh = pasokh_of(context)
    if update.effective_message is not None:
        key = "privacy_logged" if pasokh.log.persistent else "privacy_unlogged"
        await reply(update.effective_message, TEXTS[key].format(days=number(pasokh.settings.log_keep_days)))


async def forget(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Delete the asking user's logged questions and votes now, and say how many."""
    pasokh = pasokh_of(context)
    if update.effective_message is None or update.effective_user is None:
        return
    gone = await pasokh.write(pasokh.log.forget, update.effective_user.id)
    if gone is None:  # nothing was deleted: the user must know, and ask again
        text = TEXTS["forget_failed"]
    elif gone.questions or gone.votes:
        text = TEXTS["forgot"].format(questions=number(gone.questions), votes=number(gone.votes))
    else:
        text = TEXTS["forgot_nothing"]
    await reply(update.effective_message, html.escape(text))
