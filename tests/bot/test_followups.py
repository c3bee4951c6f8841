"""Replying to an answer asks in its context; everything else is an ordinary question. And fifty chats at once."""

from __future__ import annotations

import threading
import time

from tests.bot.harness import ask, buttons, chat_ids, tap_and_wait
from tests.bot.standin import plain_text

ATLAS = "تدوین اطلس اجتماعی استان خوزستان به کجا رسیده است؟"
WHEN = "کی ارائه می‌شود؟"
WHEN_ANSWER = "تا یک ماه آینده"


def first_passage(text: str) -> str:
    """What an answer leads with: its text up to the first citation («— عنوان · خبرگزاری»)."""
    return text.split("— ", 1)[0]


def answered(runner, reply, timeout: float = 10.0):
    """Wait until the bot has noted which question ``reply`` answers (it does so right after sending)."""
    deadline = time.monotonic() + timeout
    while runner.pasokh.log.replied_to(reply.result["chat"]["id"], reply.result["message_id"]) is None:
        assert time.monotonic() < deadline, "the answer was never recorded"
        time.sleep(0.02)
    return reply.result


def test_a_reply_to_an_answer_is_asked_in_its_context(open_bot):
    standin, runner = open_bot
    chat = next(chat_ids)
    first = ask(standin, ATLAS, chat_id=chat)[0]
    alone = plain_text(ask(standin, WHEN, chat_id=next(chat_ids))[0].params["text"])
    # alone, «when will it be presented?» could be about anything presented: the atlas is not what it leads with
    assert WHEN_ANSWER not in first_passage(alone), "without its context the short question does not lead with the answer"
    follow = ask(standin, WHEN, chat_id=chat, reply_to=answered(runner, first))[0]
    text = plain_text(follow.params["text"])
    assert WHEN_ANSWER in first_passage(text) and "در ادامهٔ «تدوین اطلس" in text
    assert "— " in text and "موج" in text, "cited like any other answer"
    assert [b for b in buttons(follow) if b["text"] == "نتایج بیشتر"]


def test_a_follow_up_of_a_follow_up_keeps_the_thread(open_bot):
    standin, runner = open_bot
    chat = next(chat_ids)
    first = ask(standin, "طرح بشیر چه تأثیری بر آمار طلاق داشته است؟", chat_id=chat)[0]
    second = ask(standin, "کجا اجرا میشه؟", chat_id=chat, reply_to=answered(runner, first))[0]
    assert "بشیر" in plain_text(second.params["text"])
    third = ask(standin, "منبعش چیه؟", chat_id=chat, reply_to=answered(runner, second))[0]
    assert "بشیر" in plain_text(third.params["text"])


def test_replies_to_a_non_answer_or_to_someone_else_are_ordinary_questions(open_bot):
    standin, _ = open_bot
    chat = next(chat_ids)
    refusal = ask(standin, "نتیجه بازی استقلال و پرسپولیس چه شد؟", chat_id=chat)[0]
    after_refusal = plain_text(ask(standin, ATLAS, chat_id=chat, reply_to=refusal.result)[0].params["text"])
    assert "در ادامهٔ" not in after_refusal and "اطلس" in after_refusal
    own = {"message_id": 5, "date": 0, "chat": {"id": chat, "type": "private"}, "text": ATLAS,
           "from": {"id": chat, "is_bot": False, "first_name": "کاربر"}}
    after_own = plain_text(ask(standin, WHEN, chat_id=chat, reply_to=own)[0].params["text"])
    assert "در ادامهٔ" not in after_own and WHEN_ANSWER not in first_passage(after_own)


def test_in_a_group_a_reply_to_the_bot_addresses_it_and_follows_up(open_bot):
    standin, runner = open_bot
    group, user = -next(chat_ids), next(chat_ids)
    first = ask(standin, f"/ask {ATLAS}", chat_id=group, user_id=user, chat_type="group")[0]
    assert first.result["chat"]["type"] == "group"
    follow = ask(standin, WHEN, chat_id=group, user_id=next(chat_ids), chat_type="group", reply_to=answered(runner, first))[0]
    assert WHEN_ANSWER in plain_text(follow.params["text"])


def test_fifty_chats_with_follow_ups_and_taps_all_get_answers(open_bot):
    standin, runner = open_bot
    chats = [next(chat_ids) for _ in range(50)]
    results: dict[int, tuple[str, str, bool]] = {}
    errors: list[BaseException] = []

    def conversation(chat: int) -> None:
        try:
            first = ask(standin, ATLAS, chat_id=chat)[0]
            follow = ask(standin, WHEN, chat_id=chat, reply_to=answered(runner, first))[0]
            more = next(b["callback_data"] for b in buttons(follow) if b["text"] == "نتایج بیشتر")
            tap_and_wait(standin, follow.result, more, user_id=chat)
            results[chat] = (plain_text(first.params["text"]), plain_text(follow.params["text"]), True)
        except BaseException as exc:  # collected: a thread's failure must fail the test
            errors.append(exc)

    threads = [threading.Thread(target=conversation, args=(c,)) for c in chats]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors[:3]
    assert sorted(results) == sorted(chats)
    bad = {c: r for c, r in results.items() if not ("اطلس" in r[0] and WHEN_ANSWER in r[1])}
    assert not bad, list(bad.values())[:2]
    assert standin.rejected() == []


def test_a_follow_up_typed_in_latin_letters_is_asked_in_its_context(open_bot):
    """«key erae mishe?» («when will it be presented?») under an answer, typed with a Latin
    keyboard, asks when that was, as «کی ارائه میشه؟» does: its words are searched (and marked
    in the quote) beside the earlier question's names; the earlier question may be typed so too."""
    standin, runner = open_bot
    chat = next(chat_ids)
    for earlier in ("atlase ejtemaei khoozestan be koja resid?", ATLAS):
        first = ask(standin, earlier, chat_id=chat)[0]
        follow = ask(standin, "key erae mishe?", chat_id=chat, reply_to=answered(runner, first))[0]
        assert WHEN_ANSWER in first_passage(plain_text(follow.params["text"]))
        assert "<b>ارائه</b>" in follow.params["text"], "the reply's own words were searched"
