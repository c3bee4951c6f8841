"""The gate, through HTTP: a bot restricted to one group and one user refuses everyone else on every update type."""

from __future__ import annotations

import json
import time

import pytest

from bot.buttons import More, OpenArticle
from bot.gate import may_use
from bot.settings import BotSettings
from tests.bot.harness import ANSWER, QUESTION, ask, bot_config, buttons, callback_answer, start_bot, tap_and_wait
from tests.bot.standin import BOT, StandIn, plain_text

ADMIN = 1
ALLOWED_USER = 501
ALLOWED_GROUP = -500
BLOCKED = 502
STRANGER = 503
STRANGER_GROUP = -504
MENTION = [{"type": "mention", "offset": 0, "length": len(BOT["username"]) + 1}]


@pytest.fixture(scope="module")
def restricted(demo_engine, tmp_path_factory):
    standin = StandIn().start()
    config = bot_config(
        demo_engine,
        standin,
        data_dir=tmp_path_factory.mktemp("gate"),
        admin_ids=(ADMIN,),
        allowed_chat_ids=(ALLOWED_GROUP,),
        allowed_user_ids=(ALLOWED_USER,),
        blocked_user_ids=(BLOCKED,),
        questions_per_minute=50,
    )
    runner = start_bot(config, demo_engine)
    yield standin, runner
    runner.stop()
    standin.stop()


def _no_quote_reached(standin: StandIn, chat: int) -> None:
    for call in standin.sent_to(chat):
        text = plain_text(call.params["text"])
        assert "«" not in text and ANSWER not in text and "خبرها (" not in text
        assert buttons(call) == []


@pytest.mark.parametrize("text", ["/start", "/help", "/articles", "/about", "/privacy", "/stats", QUESTION])
def test_a_stranger_in_a_private_chat_gets_only_a_polite_refusal(restricted, text):
    standin, _ = restricted
    chat = STRANGER * 1000 + len(text)  # a fresh private chat per case
    reply = ask(standin, text, chat_id=chat, user_id=chat)
    assert "فعال نیست" in plain_text(reply[0].params["text"])
    _no_quote_reached(standin, chat)


def test_a_stranger_group_stays_silent_and_refuses_a_mention_or_command(restricted):
    standin, _ = restricted
    standin.send_text(QUESTION, chat_id=STRANGER_GROUP, user_id=STRANGER, chat_type="group")
    mention = f"@{BOT['username']} {QUESTION}"
    reply = ask(standin, mention, chat_id=STRANGER_GROUP, user_id=STRANGER, chat_type="group", entities=MENTION)
    assert len(standin.sent_to(STRANGER_GROUP)) == 1, "an unaddressed group message gets no reply at all"
    assert "فعال نیست" in plain_text(reply[0].params["text"])
    reply = ask(standin, f"/ask {QUESTION}", chat_id=STRANGER_GROUP, user_id=STRANGER, chat_type="group")
    assert "فعال نیست" in plain_text(reply[0].params["text"])
    _no_quote_reached(standin, STRANGER_GROUP)


def test_an_allowlisted_user_in_a_stranger_group_does_not_open_it(restricted):
    standin, _ = restricted
    group = STRANGER_GROUP - 1
    reply = ask(standin, f"/ask {QUESTION}", chat_id=group, user_id=ALLOWED_USER, chat_type="group")
    assert "فعال نیست" in plain_text(reply[0].params["text"])
    _no_quote_reached(standin, group)


def test_a_button_from_before_the_allowlist_is_refused(restricted):
    standin, runner = restricted
    codec = runner.pasokh.codec
    message = {"message_id": 9, "date": 0, "chat": {"id": STRANGER, "type": "private"}, "from": BOT, "text": "x"}
    for button in (OpenArticle(1), More(1, 3)):
        query = tap_and_wait(standin, message, codec.encode(button, STRANGER), user_id=STRANGER)
        answered = callback_answer(standin, query)
        assert answered.params.get("show_alert") == "true" and "فعال نیست" in answered.params["text"]
    time.sleep(0.2)
    assert standin.sent_to(STRANGER) == []


def test_inline_mode_answers_allowlisted_users_only(restricted):
    standin, _ = restricted

    def inline_results(user: int) -> list:
        inline_id = standin.inline(QUESTION, user_id=user)
        calls = standin.wait_for(lambda calls: any(c.params.get("inline_query_id") == inline_id for c in calls))
        call = next(c for c in calls if c.params.get("inline_query_id") == inline_id)
        return json.loads(call.params["results"])

    assert inline_results(STRANGER) == []
    allowed = inline_results(ALLOWED_USER)
    assert allowed and ANSWER in plain_text(allowed[0]["input_message_content"]["message_text"])
    assert inline_results(ADMIN)


def test_allowlisted_chats_and_users_get_everything(restricted):
    standin, _ = restricted
    private = ask(standin, QUESTION, chat_id=ALLOWED_USER, user_id=ALLOWED_USER)[0]
    assert ANSWER in plain_text(private.params["text"])
    article = next(b["callback_data"] for b in buttons(private) if b["text"].startswith("📄"))
    before = len(standin.sent_to(ALLOWED_USER))
    tap_and_wait(standin, private.result, article, user_id=ALLOWED_USER)
    standin.wait_for(lambda calls: len(standin.sent_to(ALLOWED_USER)) > before)
    assert "روزبه کردونی" in plain_text(standin.sent_to(ALLOWED_USER)[before].params["text"])
    mention = f"@{BOT['username']} {QUESTION}"
    group = ask(standin, mention, chat_id=ALLOWED_GROUP, user_id=STRANGER, chat_type="group", entities=MENTION)[0]
    assert ANSWER in plain_text(group.params["text"])
    assert "خبرها (" in plain_text(ask(standin, "/articles", chat_id=ALLOWED_USER, user_id=ALLOWED_USER)[0].params["text"])
    assert standin.rejected() == []


def test_blocked_users_get_silence_even_in_an_allowed_group(restricted):
    standin, _ = restricted
    before = len(standin.sent_to(ALLOWED_GROUP))
    mention = f"@{BOT['username']} {QUESTION}"
    standin.send_text(mention, chat_id=ALLOWED_GROUP, user_id=BLOCKED, chat_type="group", entities=MENTION)
    standin.send_text("/start", chat_id=BLOCKED, user_id=BLOCKED)
    time.sleep(1.0)
    assert len(standin.sent_to(ALLOWED_GROUP)) == before
    assert standin.sent_to(BLOCKED) == []


def test_admin_commands_are_for_admins_only(restricted):
    standin, _ = restricted
    refused = plain_text(ask(standin, "/stats", chat_id=ALLOWED_USER, user_id=ALLOWED_USER)[0].params["text"])
    assert "فقط برای مدیران" in refused and "پرسش‌ها:" not in refused
    refused = plain_text(ask(standin, "/reload", chat_id=ALLOWED_GROUP, user_id=STRANGER, chat_type="group")[0].params["text"])
    assert "فقط برای مدیران" in refused
    assert "پرسش‌ها:" in plain_text(ask(standin, "/stats", chat_id=ADMIN, user_id=ADMIN)[0].params["text"])


def test_button_taps_and_inline_queries_are_rate_limited_too(demo_engine, tmp_path):
    standin = StandIn().start()
    config = bot_config(demo_engine, standin, data_dir=tmp_path, taps_per_minute=3, inline_per_minute=2)
    runner = start_bot(config, demo_engine)
    try:
        chat = 777
        reply = ask(standin, QUESTION, chat_id=chat, user_id=chat)[0]
        more = next(b["callback_data"] for b in buttons(reply) if b["text"] == "نتایج بیشتر")
        alerts = [callback_answer(standin, tap_and_wait(standin, reply.result, more, user_id=chat)) for _ in range(5)]
        assert ["ثانیهٔ دیگر" in a.params.get("text", "") for a in alerts] == [False, False, False, True, False]
        ids = [standin.inline(QUESTION, user_id=chat) for _ in range(3)]
        standin.wait_for(lambda calls: sum(c.params.get("inline_query_id") in ids for c in calls) == 3)
        results = [json.loads(c.params["results"]) for c in standin.replies_to_inline() if c.params["inline_query_id"] in ids]
        assert sorted(bool(r) for r in results) == [False, True, True], "two answered, the third over the limit"
    finally:
        runner.stop()
        standin.stop()


@pytest.mark.parametrize(
    "user, chat, chat_type, expected",
    [
        (STRANGER, STRANGER, "private", False),
        (ALLOWED_USER, ALLOWED_USER, "private", True),
        (ALLOWED_USER, STRANGER_GROUP, "group", False),
        (STRANGER, ALLOWED_GROUP, "supergroup", True),
        (ALLOWED_USER, None, None, True),
        (STRANGER, None, None, False),
        (ADMIN, STRANGER_GROUP, "group", True),
        (BLOCKED, ALLOWED_GROUP, "group", False),
    ],
)
def test_the_access_rule(user, chat, chat_type, expected):
    settings = BotSettings(
        admin_ids=(ADMIN,), allowed_chat_ids=(ALLOWED_GROUP,), allowed_user_ids=(ALLOWED_USER,), blocked_user_ids=(BLOCKED,)
    )
    assert may_use(settings, user, chat, chat_type) is expected


def test_only_chats_listed_turns_inline_mode_off():
    settings = BotSettings(allowed_chat_ids=(ALLOWED_GROUP,))
    assert not may_use(settings, ALLOWED_USER, None, None)
    assert may_use(BotSettings(), STRANGER, None, None), "no allowlist: everyone"
