"""Admin commands (``[bot] admin_ids``; the gate keeps everyone else out): /stats and /reload."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.messages import number
from bot.state import pasokh_of, reply
from bot.texts import TEXTS


async def stats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Usage, abstention rate, feedback and corpus size."""
    pasokh = pasokh_of(context)
    if update.effective_message is None:
        return
    usage = await pasokh.run(pasokh.log.usage)
    corpus = await pasokh.run(pasokh.engine.stats)
    text = TEXTS["stats"].format(
        questions=number(usage.questions),
        abstained=number(usage.abstained),
        rate=number(round(usage.abstention_rate * 100)) + "٪",
        up=number(usage.thumbs_up),
        down=number(usage.thumbs_down),
        articles=number(corpus.articles),
        sentences=number(corpus.sentences),
    )
    await reply(update.effective_message, text)


async def reload_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Pick up newly ingested or removed articles now."""
    pasokh = pasokh_of(context)
    if update.effective_message is None:
        return
    changed = await pasokh.run(pasokh.engine.refresh)
    corpus = await pasokh.run(pasokh.engine.stats)
    key = "reloaded" if changed else "not_reloaded"
    await reply(update.effective_message, TEXTS[key].format(articles=number(corpus.articles), sentences=number(corpus.sentences)))
