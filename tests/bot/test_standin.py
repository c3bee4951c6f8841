"""The stand-in refuses what Telegram refuses; otherwise the bot tests would prove nothing."""

from __future__ import annotations

import asyncio

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest

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
