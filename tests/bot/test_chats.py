"""What Telegram's users and chats do to a running bot: a user blocks it, a group removes it, takes
its right to write or becomes a supergroup, a forum keeps its questions in topics, a news
channel's photo post is forwarded to ask about it, a tap arrives after Telegram stopped waiting
for its answer, a button is tapped twice, the bot is added to a group. Each against the stand-in,
which answers as Telegram does, word for word."""

from __future__ import annotations

import dataclasses
import json
import logging
import time

import pytest

from bot import metrics
from tests.bot.harness import ANSWER, QUESTION, ask, buttons, chat_ids, slow_answers
from tests.bot.standin import BOT, DEACTIVATED, NOT_MODIFIED, QUERY_TOO_OLD, plain_text

MENTION = f"@{BOT['username']}"


def undelivered(reason: str) -> float:
    return metrics.UNDELIVERED.labels(reason)._value.get()


def errors(kind: str) -> float:
    return metrics.ERRORS.labels(kind)._value.get()


def addressed(chat_type: str) -> dict:
    """What asks the bot in ``chat_type``: in a group, a mention of it."""
    if chat_type == "private":
        return {"text": QUESTION}
    return {
        "text": f"{MENTION} {QUESTION}",
        "chat_type": chat_type,
        "entities": [{"type": "mention", "offset": 0, "length": len(MENTION)}],
    }


def wait_counted(reason: str, seen: float) -> None:
    deadline = time.monotonic() + 60
    while undelivered(reason) < seen + 1:
        assert time.monotonic() < deadline, f"no reply counted as undelivered ({reason})"
        time.sleep(0.05)


def refused_in(standin, chat: int) -> list:
    return [c for c in standin.calls if c.error is not None and int(c.params.get("chat_id") or 0) == chat]


def quiet(caplog) -> None:
    """Nothing an operator would read as the bot's fault: no traceback, no error line."""
    assert not [r for r in caplog.records if r.exc_info], "no traceback"
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], [r.getMessage() for r in caplog.records]


@pytest.mark.parametrize(
    ("refuse", "chat_type", "reason", "said"),
    [
        ("block", "private", "blocked", "blocked"),
        ("deactivate", "private", "blocked", "deactivated"),
        ("kick", "group", "removed", "kicked"),
        ("kick", "supergroup", "removed", "kicked"),
        ("mute", "group", "muted", "not enough rights"),
    ],
)
def test_a_chat_that_no_longer_takes_the_bots_messages_is_one_line_and_nothing_more(
    open_bot, caplog, refuse, chat_type, reason, said
):
    """A user who blocked the bot (or deleted their account) while it answered, a group that
    removed it or took its right to write: each was a traceback, «error while handling an update»,
    counted as an error of the bot's, and then a second message, «an error occurred», sent to
    the chat that had just refused the first."""
    standin, _ = open_bot
    chat = next(chat_ids) * (1 if chat_type == "private" else -1)
    standin._chat_types[chat] = chat_type
    if refuse == "deactivate":
        standin.refusing[chat] = DEACTIVATED
    else:
        getattr(standin, refuse)(chat)
    seen, other = undelivered(reason), errors("other")
    with caplog.at_level(logging.INFO):
        standin.send_text(chat_id=chat, user_id=abs(chat), **addressed(chat_type))
        wait_counted(reason, seen)
        assert ANSWER in plain_text(ask(standin, QUESTION)[0].params["text"]), "other chats are answered meanwhile"
    assert len(refused_in(standin, chat)) == 1, "one refused reply, and no «an error occurred» after it"
    lines = [r.getMessage() for r in caplog.records if r.name.startswith("bot") and said in r.getMessage().lower()]
    assert len(lines) == 1, [r.getMessage() for r in caplog.records]
    assert str(abs(chat)) not in lines[0], "the log names no chat: the bot keeps no raw chat ids"
    assert errors("other") == other, "a user's choice is not the bot's error"
    quiet(caplog)


def test_a_group_that_became_a_supergroup_gets_its_answer_there(open_bot, caplog):
    """Telegram moves a group to a new id when it becomes a supergroup (its admins make it
    public, or it grows). A question asked just before, or a button tapped under an answer in
    its history, was a traceback and no answer: Telegram refuses the old id, naming the new."""
    standin, _ = open_bot
    old, new = -next(chat_ids), -next(chat_ids)
    standin._chat_types[old] = "group"
    standin.migrate(old, new)
    with caplog.at_level(logging.INFO):
        standin.send_text(chat_id=old, user_id=5, **addressed("group"))
        standin.wait_for(lambda calls: standin.sent_to(new))
    answer = standin.sent_to(new)[0]
    assert ANSWER in plain_text(answer.params["text"])
    assert "reply_parameters" not in answer.params, "the question stayed in the old chat: nothing there to quote"
    assert [line for line in caplog.messages if "supergroup" in line]
    quiet(caplog)


def test_an_allowlisted_group_that_became_a_supergroup_is_named_for_the_operator(open_bot, caplog):
    """An allowlist names chats by id, and the supergroup a group becomes has a new one: from
    then on the group's questions were refused as «not active in this chat», and nothing told
    the operator why. The bot now logs the id to add."""
    standin, runner = open_bot
    old, new = -next(chat_ids), -next(chat_ids)
    pasokh = runner.pasokh
    original = pasokh.settings
    pasokh.settings = dataclasses.replace(original, allowed_chat_ids=(old,))
    try:
        with caplog.at_level(logging.INFO):
            standin._chat_types[old] = "group"
            standin.migrate(old, new)
            deadline = time.monotonic() + 30
            while not [m for m in caplog.messages if "allowed_chat_ids" in m] and time.monotonic() < deadline:
                time.sleep(0.05)
    finally:
        pasokh.settings = original
    [said] = [m for m in caplog.messages if "allowed_chat_ids" in m]
    assert f"add {new} to allowed_chat_ids" in said
    assert not standin.sent_to(old) and not standin.sent_to(new), "the service messages get no reply"


def test_a_forum_keeps_the_answer_its_typing_and_its_article_in_the_questions_topic(open_bot, caplog):
    """A supergroup with topics: the answer, the «typing…» before a slow one and the article a
    button opens belong in the topic the question was asked in, not in «General». A topic
    closed meanwhile refuses the answer: one line, as a chat that refuses the bot."""
    standin, runner = open_bot
    forum = -next(chat_ids)
    standin.forum(forum, closed=(9,))
    with slow_answers(runner.pasokh.engine):
        answer = ask(standin, chat_id=forum, user_id=5, topic=5, **addressed("supergroup"))[0]
    assert ANSWER in plain_text(answer.params["text"]) and answer.params.get("message_thread_id") == "5"
    typing = [c for c in standin.calls if c.method == "sendChatAction" and int(c.params["chat_id"]) == forum]
    assert typing and all(c.params.get("message_thread_id") == "5" for c in typing), "typing… shows in the topic"
    source = next(b["callback_data"] for b in buttons(answer) if b["text"].startswith("📄"))
    before = len(standin.sent_to(forum))
    standin.tap(answer.result, source, user_id=5)
    standin.wait_for(lambda calls: len(standin.sent_to(forum)) > before)
    assert all(c.params.get("message_thread_id") == "5" for c in standin.sent_to(forum)[before:])
    seen = undelivered("topic_closed")
    with caplog.at_level(logging.INFO):
        standin.send_text(chat_id=forum, user_id=5, topic=9, **addressed("supergroup"))
        wait_counted("topic_closed", seen)
    quiet(caplog)


def test_a_forwarded_photo_post_with_a_long_caption_is_asked_by_its_opening(open_bot):
    """News channels post a photo with the story as its caption (up to 1,024 characters); such a
    post forwarded to ask «is this true?» was told «your question is too long»: a forwarded
    text was asked by its opening, a forwarded caption was not."""
    standin, _ = open_bot
    chat = next(chat_ids)
    caption = (
        "🔴 مدیر کل دفتر امور آسیب های اجتماعی وزارت تعاون گفت استان خوزستان، تهران، کرمان و سیستان و بلوچستان "
        "استانهای پایلوت در طرح کودکان بازمانده از تحصیل هستند. "
    )
    caption += "این طرح با همکاری دستگاه‌های مختلف اجرا می‌شود و گزارش آن منتشر خواهد شد. " * 20
    caption = caption[:1020] + " 🆔"
    assert 1000 < len(caption) <= 1024
    standin.send_photo(caption=caption, chat_id=chat, user_id=chat, forwarded_from="کانال خبری")
    standin.wait_for(lambda calls: standin.sent_to(chat))
    assert ANSWER in plain_text(standin.sent_to(chat)[0].params["text"])


def test_in_a_group_a_photo_whose_caption_addresses_the_bot_is_asked_its_caption(open_bot):
    """«@bot …» as the caption of a screenshot shared in a group was not heard (only texts
    were read for a mention); a photo that does not address the bot still gets nothing."""
    standin, _ = open_bot
    group = -next(chat_ids)
    standin.send_photo(caption=QUESTION, chat_id=group, user_id=5, chat_type="group")
    caption = f"{MENTION} {QUESTION}"
    entities = [{"type": "mention", "offset": 0, "length": len(MENTION)}]
    standin.send_photo(caption=caption, chat_id=group, user_id=5, chat_type="group", caption_entities=entities)
    standin.wait_for(lambda calls: standin.sent_to(group))
    time.sleep(0.3)
    [answer] = standin.sent_to(group)
    assert ANSWER in plain_text(answer.params["text"])


def test_a_tap_telegram_stopped_waiting_for_still_does_what_it_asks(open_bot, caplog):
    """A tap made while the bot was restarting reaches it after Telegram stopped taking an answer
    to it (a spinner can no longer be stopped): «more results» and the article were lost to a
    traceback and «an error occurred». They arrive now; the answer to the tap is let go."""
    standin, _ = open_bot
    chat = next(chat_ids)
    first = ask(standin, QUESTION, chat_id=chat)[0]
    with caplog.at_level(logging.INFO):
        for label, shown in (("نتایج بیشتر", "[۴]"), ("📄", "روزبه کردونی")):  # the next quotes; the article
            data = next(b["callback_data"] for b in buttons(first) if b["text"].startswith(label))
            before = len(standin.sent_to(chat))
            standin.tap(first.result, data, user_id=chat, expired=True)
            standin.wait_for(lambda calls, before=before: len(standin.sent_to(chat)) > before)
            time.sleep(0.3)
            sent = [plain_text(c.params["text"]) for c in standin.sent_to(chat)[before:]]
            assert shown in sent[0] and not any("خطایی رخ داد" in text for text in sent)
    refused = [c.error for c in standin.calls if c.method == "answerCallbackQuery" and c.error]
    assert refused == [QUERY_TOO_OLD.description] * 2, "each tap's answer was tried once, and let go"
    quiet(caplog)


def test_a_page_button_tapped_twice_turns_the_page_once_and_says_nothing_more(open_bot, caplog, monkeypatch):
    """‹بعدی› tapped twice before the list changes: the second tap asks for the page already
    shown, and Telegram refuses an edit that changes nothing. That refusal was a traceback and
    «an error occurred» under the list."""
    import bot.handlers.browsing as browsing

    standin, _ = open_bot
    monkeypatch.setattr(browsing, "SOURCES_PAGE", 2)
    chat = next(chat_ids)
    listing = ask(standin, "/articles", chat_id=chat)[0]
    forward = next(b["callback_data"] for b in buttons(listing) if b["text"].startswith("بعدی"))
    with caplog.at_level(logging.INFO):
        taps = [standin.tap(listing.result, forward, user_id=chat) for _ in range(2)]
        standin.wait_for(
            lambda calls: (
                all(any(c.params.get("callback_query_id") == t for c in calls) for t in taps)
                and len([c for c in calls if c.method == "editMessageText" and int(c.params["chat_id"]) == chat]) == 2
            )
        )
        time.sleep(0.3)
    edits = [c for c in standin.calls if c.method == "editMessageText" and int(c.params["chat_id"]) == chat]
    assert [c.error for c in edits].count(NOT_MODIFIED.description) == 1
    assert "صفحهٔ ۲ از" in plain_text(edits[0].params["text"])
    assert len(standin.sent_to(chat)) == 1, "no «an error occurred» under the list"
    quiet(caplog)


def test_more_results_tapped_twice_sends_the_next_page_once_and_moves_the_button_onto_it(open_bot, caplog):
    """«نتایج بیشتر» tapped twice before the next page arrived (a slow network, an impatient
    thumb) sent the same quotes twice; and every page kept its own «more», so an old one tapped
    later sent a page already shown. The button now moves to the page it brought."""
    standin, _ = open_bot
    chat = next(chat_ids)
    first = ask(standin, QUESTION, chat_id=chat)[0]
    more = next(b["callback_data"] for b in buttons(first) if b["text"] == "نتایج بیشتر")
    with caplog.at_level(logging.INFO):
        taps = [standin.tap(first.result, more, user_id=chat) for _ in range(2)]
        standin.wait_for(lambda calls: all(any(c.params.get("callback_query_id") == t for c in calls) for t in taps))
        time.sleep(0.5)
    pages = standin.sent_to(chat)[1:]
    assert len(pages) == 1 and "[۴]" in plain_text(pages[0].params["text"]), "one next page for two taps"
    assert "نتایج بیشتر" in [b["text"] for b in buttons(pages[0])]
    kept = [b["text"] for row in first.result["reply_markup"]["inline_keyboard"] for b in row]
    assert "نتایج بیشتر" not in kept and "👍" in kept, "the first answer keeps its sources and votes, not «more»"
    quiet(caplog)


def test_added_to_a_group_the_bot_says_how_to_ask_it_there(open_bot, caplog):
    """With privacy mode on, a bot in a group hears only what is addressed to it; the members
    who added it were told nothing, and a question asked plainly went unanswered. Now it says
    once how to ask it there. In a channel, where it may only post, and when removed, it says
    nothing."""
    standin, _ = open_bot
    group, channel, left = -next(chat_ids), -next(chat_ids), -next(chat_ids)
    with caplog.at_level(logging.INFO):
        standin.add_to_group(group)
        standin.wait_for(lambda calls: standin.sent_to(group))
        standin.add_to_group(channel, chat_type="channel", status="administrator")
        standin.add_to_group(left, status="kicked")
        ask(standin, QUESTION)  # both later updates handled by the time this is answered
        time.sleep(0.3)
    [hello] = standin.sent_to(group)
    text = plain_text(hello.params["text"])
    assert MENTION in text and "/ask" in text
    assert not standin.sent_to(channel) and not standin.sent_to(left)
    quiet(caplog)


def test_an_inline_query_typed_on_before_its_answer_is_let_go_and_the_next_answered(open_bot, caplog):
    """Inline mode asks at every pause in typing; the answer to a query the user has typed past
    is refused as «query is too old». That was a traceback per keystroke pause."""
    standin, _ = open_bot
    with caplog.at_level(logging.INFO):
        old = standin.inline("کدام استان‌ها پایلوت", expired=True)
        new = standin.inline(QUESTION)
        standin.wait_for(lambda calls: {old, new} <= {c.params["inline_query_id"] for c in standin.replies_to_inline()})
    answers = {c.params["inline_query_id"]: c for c in standin.replies_to_inline()}
    assert answers[old].error == QUERY_TOO_OLD.description and answers[new].error is None
    assert "خوزستان" in json.dumps(json.loads(answers[new].params["results"]), ensure_ascii=False)
    quiet(caplog)
