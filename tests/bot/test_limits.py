"""Pathological articles (a 5,000-character word, URL and title, a 1 MB paragraph) through the
bot and the Bot API stand-in, which refuses what Telegram refuses: answers, /articles, inline
results and 📄 all arrive, every message within Telegram's limits, and the article read in chat
stops after a few messages with its link."""

from __future__ import annotations

import asyncio
import json
import time

import pytest

from bot.messages import ARTICLE_MESSAGES
from retrieval import RetrievalSettings, StorageSettings, connect, ingest
from tests.bot.harness import ask, bot_config, buttons, start_bot, tap_and_wait
from tests.bot.standin import StandIn, plain_text

WORD = "الف" * 1700  # one 5,100-character token
URL = "https://example.org/" + "a" * 5000
TITLE = "تیتر بسیار طولانی " * 300


@pytest.fixture(scope="module")
def odd_bot(nano, tmp_path_factory):
    root = tmp_path_factory.mktemp("limits")
    articles = root / "odd.jsonl"
    records = [
        {"id": "word", "title": "واژهٔ بلند", "text": f"خبرنگار گزارش داد که واژهٔ {WORD} در متن آمده است.", "url": URL},
        {"id": "title", "title": TITLE, "text": "مدیرکل راه و شهرسازی استان از پایان ساخت پل جدید شهر خبر داد."},
        {"id": "huge", "title": "گزارش بلند", "text": "گزارش مفصل درباره بودجه سالانه شهرداری. " * 25_000},
    ]
    articles.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    engine = connect(StorageSettings(), root / "data", nano, RetrievalSettings())
    assert ingest(engine, [articles]).ok
    engine.load()
    standin = StandIn().start()
    runner = start_bot(bot_config(engine, standin, data_dir=root / "bot", questions_per_minute=100), engine)
    yield standin, runner
    runner.stop()
    standin.stop()


def test_an_answer_quoting_a_five_thousand_character_word_arrives_whole_in_pieces(odd_bot):
    standin, _ = odd_bot
    replies = ask(standin, "خبرنگار درباره کدام واژه گزارش داد؟", chat_id=501)
    standin.wait_for(lambda calls: any(buttons(c) for c in standin.sent_to(501)))  # the buttons come with the last piece
    shown = "".join(plain_text(c.params["text"]) for c in standin.sent_to(501))
    assert WORD in shown.replace("\u200f", "").replace("\n", ""), "the text is divided between messages, never changed"
    assert replies and standin.rejected() == []


def test_the_article_list_with_a_huge_title_fits(odd_bot):
    standin, _ = odd_bot
    replies = ask(standin, "/articles", chat_id=502)
    assert standin.rejected() == [] and "تیتر بسیار طولانی" in plain_text(replies[0].params["text"])


def test_inline_results_fit(odd_bot):
    standin, _ = odd_bot
    standin.inline("خبرنگار درباره کدام واژه گزارش داد؟")
    standin.wait_for(lambda calls: standin.replies_to_inline())
    assert standin.rejected() == []
    assert json.loads(standin.replies_to_inline()[-1].params["results"]), "the quote is offered, cut to fit"


@pytest.mark.parametrize("question, chat", [("پل جدید شهر کی تمام شد؟", 503), ("بودجه سالانه شهرداری", 504)])
def test_reading_a_pathological_article_in_chat_is_capped_and_never_empty(odd_bot, question, chat):
    standin, _ = odd_bot
    answer = ask(standin, question, chat_id=chat)[0]
    read = next(b["callback_data"] for b in buttons(answer) if b["text"].startswith("📄"))
    before = len(standin.sent_to(chat))
    tap_and_wait(standin, answer.result, read, user_id=chat)
    standin.wait_for(lambda calls: len(standin.sent_to(chat)) > before)
    time.sleep(1.0)  # the rest of the article's messages
    shown = standin.sent_to(chat)[before:]
    assert 1 <= len(shown) <= ARTICLE_MESSAGES
    assert all(plain_text(c.params["text"]).strip() for c in shown)
    assert standin.rejected() == []


def test_a_request_the_bot_api_refused_is_not_sent_again():
    from telegram.error import BadRequest, NetworkError

    from bot.state import retry

    calls = []

    async def refused():
        calls.append(1)
        raise BadRequest("Message is too long")  # PTB strips «Bad Request: » from what it raises

    with pytest.raises(BadRequest):
        asyncio.run(retry(refused))
    assert len(calls) == 1

    async def flaky():
        calls.append(2)
        if calls.count(2) < 2:
            raise NetworkError("connection reset")
        return "sent"

    assert asyncio.run(retry(flaky)) == "sent" and calls.count(2) == 2, "a network error is retried"


def test_sends_per_second_spreads_answers_to_many_chats_over_time(demo_engine, tmp_path):
    """Telegram refuses a bot that sends faster than its limit over all chats together; with
    ``sends_per_second = 2``, six chats asking at once are answered, all of them, over at least
    two seconds (the first two at once, then two a second), where unthrottled they take a fraction."""
    from tests.bot.harness import ANSWER, QUESTION

    standin = StandIn(sends_per_second=2).start()  # Telegram's limit, lowered to the bot's: never exceeded
    runner = start_bot(bot_config(demo_engine, standin, data_dir=tmp_path / "bot", sends_per_second=2), demo_engine)
    try:
        chats = list(range(9101, 9107))
        started = time.monotonic()
        for chat in chats:
            standin.send_text(QUESTION, chat_id=chat, user_id=chat)
        standin.wait_for(lambda calls: all(standin.sent_to(c) for c in chats), timeout=60)
        took = time.monotonic() - started
    finally:
        runner.stop()
        standin.stop()
    assert all(ANSWER in plain_text(standin.sent_to(c)[0].params["text"]) for c in chats)
    assert took >= 1.9, f"six answers in {took:.2f} s at two sends a second"
    assert standin.rejected() == []
