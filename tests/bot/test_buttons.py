"""Button data: the codec on its own, then forged and copied callbacks against the running bot."""

from __future__ import annotations

import sqlite3
import time

import pytest

from bot.buttons import MAX_CALLBACK, ArticlesPage, ButtonCodec, InvalidButton, More, OpenArticle, Vote
from bot.texts import ALERTS
from tests.bot.harness import QUESTION, ask, buttons, callback_answer, chat_ids, tap_and_wait
from tests.bot.standin import BOT

KEY = b"0123456789abcdef0123456789abcdef"


@pytest.mark.parametrize("button", [OpenArticle(2**40), More(2**31, 9999), Vote(7, True), Vote(7, False), ArticlesPage(0)])
def test_every_kind_round_trips_within_telegrams_limit(button):
    codec = ButtonCodec(KEY)
    data = codec.encode(button, chat_id=-1001234567890)
    assert len(data.encode()) <= MAX_CALLBACK
    assert codec.decode(data, chat_id=-1001234567890) == button


def test_a_button_decodes_only_in_the_chat_and_under_the_key_it_was_made_for():
    data = ButtonCodec(KEY).encode(More(5, 3), chat_id=42)
    with pytest.raises(InvalidButton):
        ButtonCodec(KEY).decode(data, chat_id=43)
    with pytest.raises(InvalidButton):
        ButtonCodec(b"another key entirely, 32 bytes!!").decode(data, chat_id=42)
    with pytest.raises(InvalidButton):
        ButtonCodec(KEY).decode(data, chat_id=None)


@pytest.mark.parametrize(
    "tamper",
    [
        lambda d: d.replace("m:5:", "m:6:"),  # another question
        lambda d: d.replace(":3:", ":30:"),  # another page
        lambda d: "f" + d[1:],  # another kind
        lambda d: d[:-1] + ("A" if d[-1] != "A" else "B"),  # a guessed tag
        lambda d: d + "x",
        lambda d: "m:abc",
        lambda d: "z" * 64,
        lambda d: "",
    ],
)
def test_tampered_or_made_up_data_is_refused(tamper):
    codec = ButtonCodec(KEY)
    with pytest.raises(InvalidButton):
        codec.decode(tamper(codec.encode(More(5, 3), chat_id=42)), chat_id=42)


def test_encoding_refuses_what_cannot_be_sent():
    with pytest.raises(ValueError):
        ButtonCodec(KEY).encode(More(-1, 0), chat_id=1)
    with pytest.raises(ValueError):
        ButtonCodec(KEY).encode(OpenArticle(10**60), chat_id=1)


def _log_rows(runner) -> list:
    path = runner.pasokh.data_dir / "bot.sqlite3"
    with sqlite3.connect(path) as conn:
        return [conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in ("questions", "feedback", "replies")]


def _message_in(chat: int) -> dict:
    return {"message_id": 1, "date": 0, "chat": {"id": chat, "type": "private"}, "from": BOT, "text": "x"}


def test_forged_or_copied_callbacks_get_an_alert_and_change_nothing(open_bot):
    standin, runner = open_bot
    owner, other = next(chat_ids), next(chat_ids)
    theirs = ask(standin, QUESTION, chat_id=owner)[0]
    mine = ask(standin, "طرح بشیر چه تأثیری بر آمار طلاق داشته است؟", chat_id=other)[0]
    their_data = {b["text"]: b["callback_data"] for b in buttons(theirs)}
    my_more = next(b["callback_data"] for b in buttons(mine) if b["text"] == "نتایج بیشتر")
    their_id = their_data["نتایج بیشتر"].split(":")[1]
    my_id = my_more.split(":")[1]
    time.sleep(0.3)
    before_log = _log_rows(runner)
    before_sent = len([c for c in standin.calls if c.method in ("sendMessage", "editMessageText")])
    forged = [
        (_message_in(other), their_data["نتایج بیشتر"]),  # another chat's button, copied
        (_message_in(other), their_data["👍"]),
        (_message_in(other), next(v for k, v in their_data.items() if k.startswith("📄"))),
        (mine.result, my_more.replace(f"m:{my_id}:", f"m:{their_id}:")),  # another chat's question id
        (mine.result, "m:999999:3:AAAAAAAAAA"),  # a made-up id
        (mine.result, "m:abc"),  # malformed
        (mine.result, "f:1:1"),
        (mine.result, "☃" * 21 + "x"),  # 64 bytes of junk
        (mine.result, "q" * 64),
        (None, their_data["نتایج بیشتر"]),  # under a message sent in inline mode: no chat to check
    ]
    for message, data in forged:
        answered = callback_answer(standin, tap_and_wait(standin, message, data, user_id=other))
        assert answered.params.get("text") == ALERTS["invalid"] and answered.params.get("show_alert") == "true", data
    time.sleep(0.3)
    assert _log_rows(runner) == before_log
    assert len([c for c in standin.calls if c.method in ("sendMessage", "editMessageText")]) == before_sent
    assert standin.rejected() == []


def test_only_the_asker_can_vote_and_a_forgotten_question_is_stale(open_bot):
    standin, runner = open_bot
    group, asker, neighbour = -next(chat_ids), next(chat_ids), next(chat_ids)
    reply = ask(standin, f"/ask {QUESTION}", chat_id=group, user_id=asker, chat_type="group")[0]
    up = next(b["callback_data"] for b in buttons(reply) if b["text"] == "👍")
    more = next(b["callback_data"] for b in buttons(reply) if b["text"] == "نتایج بیشتر")
    before = runner.pasokh.log.usage()
    answered = callback_answer(standin, tap_and_wait(standin, reply.result, up, user_id=neighbour))
    assert answered.params["text"] == ALERTS["not_yours"]
    assert runner.pasokh.log.usage() == before
    answered = callback_answer(standin, tap_and_wait(standin, reply.result, up, user_id=asker))
    assert answered.params["text"] == ALERTS["thanks"]
    assert runner.pasokh.log.usage().thumbs_up == before.thumbs_up + 1
    ask(standin, "/forget", chat_id=asker, user_id=asker)
    for data in (more, up):
        answered = callback_answer(standin, tap_and_wait(standin, reply.result, data, user_id=asker))
        assert answered.params["text"] == ALERTS["stale"]
