"""The stand-in refuses what Telegram refuses; otherwise the bot tests would prove nothing."""

from __future__ import annotations

import asyncio

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, RetryAfter

from tests.bot.standin import StandIn


@pytest.fixture
def bot():
    standin = StandIn().start()
    yield Bot("123:TEST", base_url=standin.base_url), standin
    standin.stop()


def run(coro):
    return asyncio.run(coro)


def test_message_length_is_counted_like_telegram(bot):
    client, _ = bot

    async def go():
        async with client:
            await client.send_message(1, "ب" * 4096)
            await client.send_message(1, "<b>" + "ب" * 4096 + "</b>", parse_mode="HTML")
            with pytest.raises(BadRequest, match="too long"):
                await client.send_message(1, "ب" * 4097)
            with pytest.raises(BadRequest, match="too long"):
                await client.send_message(1, "&amp;" * 4097, parse_mode="HTML")

    run(go())


@pytest.mark.parametrize(
    "text, error",
    [
        ("<div>متن</div>", "unsupported start tag"),
        ("<b>متن", "end tag"),
        ("<b><i>متن</b></i>", "unexpected end tag"),
        ("۲ < ۳", "unescaped '<'"),
        ("این & آن", "unescaped '&'"),
        ("<a>پیوند</a>", "href"),
    ],
)
def test_malformed_html_is_rejected(bot, text, error):
    client, _ = bot

    async def go():
        async with client:
            with pytest.raises(BadRequest, match=error):
                await client.send_message(1, text, parse_mode="HTML")

    run(go())


def test_callback_data_over_64_bytes_is_rejected(bot):
    client, _ = bot
    fits = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="ب" * 32)]])
    too_long = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="ب" * 33)]])

    async def go():
        async with client:
            await client.send_message(1, "ok", reply_markup=fits)
            with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
                await client.send_message(1, "ok", reply_markup=too_long)

    run(go())


def test_a_callback_query_can_be_answered_only_once(bot):
    client, _ = bot

    async def go():
        async with client:
            await client.answer_callback_query("q1")
            with pytest.raises(BadRequest, match=r"(?i)query is too old"):
                await client.answer_callback_query("q1")

    run(go())


def test_flood_control_refuses_sends_beyond_telegrams_limits_with_a_time_to_wait():
    """About 30 messages a second over all chats, 20 a minute in one group (Telegram's bot FAQ):
    beyond them Telegram answers 429 with retry_after; a bot that keeps to them is never refused."""
    overall = StandIn(sends_per_second=5, group_sends_per_minute=None).start()
    group = StandIn(sends_per_second=None).start()

    async def go() -> None:
        async with Bot("123:TEST", base_url=overall.base_url) as client:
            for n in range(5):
                await client.send_message(1000 + n, "پیام")
            with pytest.raises(RetryAfter) as caught:
                for n in range(10):  # a second's worth of slack, then the refusal
                    await client.send_message(2000 + n, "پیام")
            assert "Retry in" in str(caught.value)  # retry_after, as Telegram gives it
            await asyncio.sleep(1.5)
            await client.send_message(3000, "پیام")  # later there is room again
        async with Bot("123:TEST", base_url=group.base_url) as client:
            for _ in range(20):
                await client.send_message(-100123, "پیام")
            await client.send_message(-100456, "پیام")  # another group has its own twenty
            with pytest.raises(RetryAfter):
                for _ in range(25):
                    await client.send_message(-100123, "پیام")

    try:
        run(go())
    finally:
        overall.stop()
        group.stop()
