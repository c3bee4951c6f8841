"""The real PTB Application, long-polling the Bot API stand-in over HTTP, answering from a real index."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import re
import time
import urllib.error
import urllib.request

import pytest
from tornado.httpserver import HTTPServer

from bot import metrics, webhook
from bot.telegram import build_application
from corpus import dates
from retrieval import RetrievalSettings, StorageSettings, connect, ingest
from tests.bot.harness import (
    ANSWER,
    OVERSIZED,
    QUESTION,
    RLM,
    Runner,
    ask,
    bot_config,
    buttons,
    free_port,
    message,
    post_update,
    raw_request,
    slow_answers,
    start_bot,
)
from tests.bot.harness import chat_ids as _chat_ids
from tests.bot.standin import BOT, StandIn, plain_text
from tests.conftest import DEMO, seed_questions
from tests.retrieval.test_ingest import NEW_ARTICLE

ADMIN = 1


@pytest.fixture(scope="module")
def world(nano, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("bot") / "data"
    engine = connect(StorageSettings(), data_dir, nano, RetrievalSettings())
    ingest(engine, [DEMO])
    engine.load()
    standin = StandIn().start()
    config = bot_config(engine, standin, admin_ids=(ADMIN,))
    runner = start_bot(config, engine)
    yield standin, runner, config
    runner.stop()
    standin.stop()


def test_a_persian_question_gets_the_verbatim_quote_with_its_citation(world):
    standin, _, _ = world
    chat = next(_chat_ids)
    reply = ask(standin, QUESTION, chat_id=chat)[0]
    shown = plain_text(reply.params["text"])
    assert reply.params["parse_mode"] == "HTML"
    assert ANSWER in shown
    assert "خوزستان، یکی از استانهای پایلوت در طرح کودکان بازمانده از تحصیل · موج" in shown
    assert not _typing_shown(standin, chat), "an answer that comes at once needs no typing… (it costs a send)"
    labels = [b["text"] for b in buttons(reply)]
    assert any(label.startswith("📄 خوزستان") for label in labels)
    assert "نتایج بیشتر" in labels and "👍" in labels and "👎" in labels
    assert standin.rejected() == []


def _typing_shown(standin, chat: int) -> bool:
    return any(
        c.method == "sendChatAction" and c.params["action"] == "typing" and int(c.params["chat_id"]) == chat
        for c in standin.calls
    )


def test_a_slow_answer_shows_typing_before_it_arrives(world):
    standin, runner, _ = world
    chat = next(_chat_ids)
    with slow_answers(runner.pasokh.engine):
        reply = ask(standin, QUESTION, chat_id=chat)[0]
    assert ANSWER in plain_text(reply.params["text"])
    typing = next(
        n for n, c in enumerate(standin.calls)
        if c.method == "sendChatAction" and int(c.params["chat_id"]) == chat and c.params["action"] == "typing"
    )  # fmt: skip
    assert typing < standin.calls.index(reply), "typing… is shown while the answer is being found"


def test_every_line_is_right_to_left_and_bold_never_alters_a_quote(world):
    standin, _, _ = world
    for item in seed_questions()[:10]:
        reply = ask(standin, item["question"])[0]
        text = reply.params["text"]
        assert all(line.startswith(RLM) for line in text.split("\n") if line)
        assert "<b>" in text
        shown = plain_text(text)
        for quote in re.findall(r"«([^»]+)»", shown):
            article = world[1].pasokh.engine
            assert any(quote in a.text for a in article.articles(0, 100))


def test_off_topic_question_gets_a_polite_no_answer_and_no_quotes(world):
    standin, _, _ = world
    reply = ask(standin, "نتیجه بازی استقلال و پرسپولیس چه شد؟")[0]
    assert "پاسخی برای این پرسش پیدا نکردم" in plain_text(reply.params["text"])
    assert "«" not in reply.params["text"] and buttons(reply) == []


def test_source_button_shows_the_article(world):
    standin, _, _ = world
    chat = next(_chat_ids)
    reply = ask(standin, QUESTION, chat_id=chat)[0]
    data = next(b["callback_data"] for b in buttons(reply) if b["text"].startswith("📄"))
    before = len(standin.sent_to(chat))
    edited = {**reply.result, "edit_date": reply.result["date"] + 5}  # its buttons changed since (a vote)
    query_id = standin.tap(edited, data, user_id=chat)
    standin.wait_for(lambda calls: len(standin.sent_to(chat)) > before)
    assert "reply_parameters" not in standin.sent_to(chat)[before].params, "the bot's own edited message is no edited question"
    article = plain_text(standin.sent_to(chat)[before].params["text"])
    assert "خوزستان، یکی از استانهای پایلوت در طرح کودکان بازمانده از تحصیل" in article
    assert "موج" in article and "روزبه کردونی" in article
    assert [c for c in standin.calls if c.method == "answerCallbackQuery" and c.params["callback_query_id"] == query_id]


def test_more_results_pages_on_with_new_quotes_until_there_are_none(world):
    standin, _, _ = world
    chat = next(_chat_ids)
    first = ask(standin, QUESTION, chat_id=chat)[0]
    seen = set(re.findall(r"«([^»]+)»", plain_text(first.params["text"])))
    current = first
    for page in range(1, 20):
        data = next(b["callback_data"] for b in buttons(current) if b["text"] == "نتایج بیشتر")
        before = len(standin.sent_to(chat))
        query_id = standin.tap(current.result, data, user_id=chat)
        standin.wait_for(lambda calls, q=query_id: any(c.params.get("callback_query_id") == q for c in calls))
        time.sleep(0.3)
        new = standin.sent_to(chat)[before:]
        if not new:
            answered = next(c for c in standin.calls if c.params.get("callback_query_id") == query_id)
            assert answered.params.get("text") == "نتیجهٔ دیگری پیدا نشد."
            break
        text = plain_text(new[0].params["text"])
        assert f"[{dates.persian_digits(str(3 * page + 1))}]" in text
        quotes = set(re.findall(r"«([^»]+)»", text))
        assert quotes and not quotes & seen
        seen |= quotes
        current = new[-1]
    else:
        pytest.fail("paging never ended")
    assert page > 1


def test_feedback_is_stored_with_the_question_and_the_quotes_shown(world):
    standin, runner, _ = world
    chat = next(_chat_ids)
    reply = ask(standin, "طرح بشیر چه تأثیری بر آمار طلاق داشته است؟", chat_id=chat)[0]
    up = next(b["callback_data"] for b in buttons(reply) if b["text"] == "👍")
    before = runner.pasokh.log.usage().thumbs_up
    query_id = standin.tap(reply.result, up, user_id=chat)
    standin.wait_for(lambda calls: any(c.params.get("callback_query_id") == query_id for c in calls))
    assert runner.pasokh.log.usage().thumbs_up == before + 1
    _question, vote, quotes = next(r for r in runner.pasokh.log.feedback() if r[0].startswith("طرح بشیر"))
    assert vote == 1 and "۵۶ درصدی" in quotes


def test_groups_are_silent_unless_the_bot_is_addressed(world):
    standin, _, _ = world
    group = -next(_chat_ids)
    standin.send_text(QUESTION, chat_id=group, user_id=5, chat_type="group")
    mention = f"@{BOT['username']} {QUESTION}"
    reply = ask(
        standin,
        mention,
        chat_id=group,
        user_id=5,
        chat_type="group",
        entities=[{"type": "mention", "offset": 0, "length": len(BOT["username"]) + 1}],
    )
    assert len(standin.sent_to(group)) == 1, "the unaddressed message must get no reply"
    assert ANSWER in plain_text(reply[0].params["text"])
    reply = ask(standin, "/ask طرح بشیر چه تأثیری بر آمار طلاق داشته است؟", chat_id=group, user_id=5, chat_type="group")
    assert "۵۶ درصدی" in plain_text(reply[0].params["text"])
    bot_message = {"message_id": 1, "date": 0, "chat": {"id": group, "type": "group"}, "from": BOT, "text": "x"}
    reply = ask(standin, QUESTION, chat_id=group, user_id=5, chat_type="group", reply_to=bot_message)
    assert ANSWER in plain_text(reply[0].params["text"])


def test_in_a_group_a_mention_under_someones_message_asks_about_that_message(world):
    """Someone shares a story in a group; another member replies to it «@bot درسته؟». The
    question is about the message replied to, not the two words."""
    standin, _, _ = world
    group = -next(_chat_ids)
    story = "میگن استانای خوزستان و تهران و کرمان پایلوت طرح کودکان بازمانده از تحصیل شدن"
    shared = standin.send_text(story, chat_id=group, user_id=6, chat_type="group")
    mention = f"@{BOT['username']}"
    entities = [{"type": "mention", "offset": 0, "length": len(mention)}]
    asked = ask(standin, f"{mention} درسته؟", chat_id=group, user_id=5, chat_type="group", entities=entities, reply_to=shared)
    assert ANSWER in plain_text(asked[0].params["text"])
    bare = ask(standin, mention, chat_id=group, user_id=5, chat_type="group", entities=entities, reply_to=shared)
    assert ANSWER in plain_text(bare[0].params["text"]), "the mention alone asks about the message too"


def test_inline_query_offers_the_top_quotes(world):
    standin, _, _ = world
    standin.inline(QUESTION)
    calls = standin.wait_for(lambda calls: any(c.method == "answerInlineQuery" for c in calls))
    results = json.loads(next(c for c in calls if c.method == "answerInlineQuery").params["results"])
    assert results and ANSWER in plain_text(results[0]["input_message_content"]["message_text"])


@pytest.mark.parametrize(
    "send, expected",
    [
        (lambda s, chat: s.send_sticker(chat_id=chat, user_id=chat), "فقط پرسش‌های متنی"),
        (lambda s, chat: s.send_text("   \n\t ", chat_id=chat, user_id=chat), "لطفاً پرسش خود را بنویسید"),
        (lambda s, chat: s.send_text("سلام " * 300, chat_id=chat, user_id=chat), "بیش از حد مجاز"),
        (lambda s, chat: s.send_text("؟؟؟ !!! 😀😀", chat_id=chat, user_id=chat), "واژه‌ای برای جستجو ندارد"),
        (lambda s, chat: s.send_text("https://www.isna.ir/news/1/", chat_id=chat, user_id=chat), "پیوند به‌تنهایی پرسش نیست"),
    ],
    ids=["sticker", "whitespace", "too-long", "no-words", "a-link"],
)
def test_bad_input_gets_a_short_helpful_reply(world, send, expected):
    standin, _, _ = world
    chat = next(_chat_ids)
    send(standin, chat)
    standin.wait_for(lambda calls: standin.sent_to(chat))
    assert expected in plain_text(standin.sent_to(chat)[0].params["text"])


def test_a_photo_sent_with_a_question_as_its_caption_is_answered(world):
    """People send a screenshot of a story with their question under it; a photo alone still
    gets the pointer to what works."""
    standin, _, _ = world
    asked, bare = next(_chat_ids), next(_chat_ids)
    standin.send_photo(caption=QUESTION, chat_id=asked, user_id=asked)
    standin.send_photo(chat_id=bare, user_id=bare)
    standin.wait_for(lambda calls: standin.sent_to(asked) and standin.sent_to(bare))
    assert ANSWER in plain_text(standin.sent_to(asked)[0].params["text"])
    assert "فقط پرسش‌های متنی" in plain_text(standin.sent_to(bare)[0].params["text"])


def test_an_edited_question_is_answered_again_under_the_version_it_answers(world):
    """People fix a typo by editing what they sent. The corrected question is answered, and the
    answer quotes it, so the chat shows which version each answer is for; in a group an edit
    that does not address the bot stays unanswered, as the message would."""
    standin, _, _ = world
    chat, group = next(_chat_ids), -next(_chat_ids)
    first = standin.send_text("کدام استانها پایلوت طرح کودکان بازمانده از تحصلی هستن", chat_id=chat, user_id=chat)
    standin.wait_for(lambda calls: standin.sent_to(chat))
    standin.edit_text(first, QUESTION)
    standin.wait_for(lambda calls: len(standin.sent_to(chat)) >= 2)
    before, after = standin.sent_to(chat)[:2]
    assert "reply_parameters" not in before.params, "a question asked once is answered without quoting it"
    assert json.loads(after.params["reply_parameters"])["message_id"] == first["message_id"]
    assert after.result["reply_to_message"]["text"] == QUESTION and ANSWER in plain_text(after.params["text"])
    said = standin.send_text("سلام به همه", chat_id=group, user_id=chat, chat_type="group")
    standin.edit_text(said, "سلام به همه، " + QUESTION)
    standin.send_text("/start", chat_id=group, user_id=chat, chat_type="group")
    standin.wait_for(lambda calls: standin.sent_to(group))
    assert len(standin.sent_to(group)) == 1 and "پاسخ" in plain_text(standin.sent_to(group)[0].params["text"])
    assert standin.rejected() == []


def test_a_forwarded_channel_post_longer_than_a_question_is_asked_by_its_opening(world):
    """People forward a channel's post to ask whether it is true; a long one is not theirs to
    shorten, so it is searched by its opening. A message typed that long is still told its limit."""
    standin, _, _ = world
    forwarded, typed = next(_chat_ids), next(_chat_ids)
    post = (
        "🔴 فوری | مدیر کل دفتر امور آسیب های اجتماعی وزارت تعاون گفت استان خوزستان، تهران، کرمان و سیستان و بلوچستان "
        "استانهای پایلوت در طرح کودکان بازمانده از تحصیل هستند. "
    )
    post += "این طرح با همکاری دستگاه‌های مختلف اجرا می‌شود و گزارش آن به زودی منتشر خواهد شد. " * 20 + "🆔 @news_channel"
    assert len(post) > 1000
    standin.send_text(post, chat_id=forwarded, user_id=forwarded, forwarded_from="کانال خبری")
    standin.send_text(post, chat_id=typed, user_id=typed)
    standin.wait_for(lambda calls: standin.sent_to(forwarded) and standin.sent_to(typed))
    assert ANSWER in plain_text(standin.sent_to(forwarded)[0].params["text"])
    assert "بیش از حد مجاز" in plain_text(standin.sent_to(typed)[0].params["text"])


def test_a_user_asking_too_fast_is_asked_to_wait(world):
    standin, _, _ = world
    chat = next(_chat_ids)
    for _ in range(11):
        standin.send_text("طرح بشیر چیست؟", chat_id=chat, user_id=chat)
    standin.wait_for(lambda calls: len(standin.sent_to(chat)) >= 11)
    texts = [plain_text(c.params["text"]) for c in standin.sent_to(chat)]
    assert sum("کمی زیاد شده است" in t for t in texts) == 1


def test_ten_chats_asking_at_once_all_get_answers(world):
    standin, _, _ = world
    chats = [next(_chat_ids) for _ in range(10)]
    items = [q for q in seed_questions() if q["article"]]
    for chat, item in zip(chats, items, strict=True):
        standin.send_text(item["question"], chat_id=chat, user_id=chat)
    standin.wait_for(lambda calls: all(standin.sent_to(c) for c in chats), timeout=60)
    for chat in chats:
        assert "«" in standin.sent_to(chat)[0].params["text"]


def test_start_help_sources_and_registered_commands(world):
    standin, _, _ = world
    commands = json.loads(next(c for c in standin.calls if c.method == "setMyCommands").params["commands"])
    assert [c["command"] for c in commands] == ["start", "help", "ask", "latest", "articles", "privacy", "forget", "about"]
    start = plain_text(ask(standin, "/start")[0].params["text"])
    assert "۵ خبر" in start or "5 خبر" in start
    assert start.count("• دربارهٔ") == 3
    assert "@pasokh_test_bot" in plain_text(ask(standin, "/help")[0].params["text"])
    sources = plain_text(ask(standin, "/articles")[0].params["text"])
    assert "طرح توانمند سازی محلات با مشارکت مردم اجرا شود · مهر" in sources


def test_example_questions_from_start_are_answered(world):
    standin, runner, _ = world
    for example in runner.pasokh.examples:
        reply = ask(standin, example)[0]
        assert "«" in reply.params["text"]


def test_admin_stats_and_reload_pick_up_new_articles(world, nano, tmp_path):
    standin, _runner, config = world
    assert "فقط برای مدیران" in plain_text(ask(standin, "/stats", user_id=2)[0].params["text"])
    stats = plain_text(ask(standin, "/stats", user_id=ADMIN)[0].params["text"])
    assert "پرسش‌ها:" in stats and "خبرها: ۵" in stats
    path = tmp_path / "yazd_library.txt"
    path.write_text(NEW_ARTICLE, encoding="utf-8")
    writer = connect(StorageSettings(), config.data_dir, nano, RetrievalSettings())
    ingest(writer, [path])
    reply = plain_text(ask(standin, "/reload", user_id=ADMIN)[0].params["text"])
    assert "خبرها: ۶" in reply
    answer = plain_text(ask(standin, "کتابخانه مرکزی یزد کی افتتاح می‌شود؟")[0].params["text"])
    assert "هفته آینده افتتاح می‌شود" in answer


def test_allowlist_refuses_other_chats_politely(world):
    standin, runner, _config = world
    pasokh = runner.pasokh
    original = pasokh.settings
    pasokh.settings = dataclasses.replace(original, allowed_chat_ids=(7,))
    try:
        refused = plain_text(ask(standin, QUESTION)[0].params["text"])
        allowed = plain_text(ask(standin, QUESTION, chat_id=7)[0].params["text"])
    finally:
        pasokh.settings = original
    assert "فعال نیست" in refused
    assert ANSWER in allowed


def fail_once(monkeypatch, engine, error: BaseException) -> None:  # type: ignore[no-untyped-def]
    """The engine's next question raises ``error``; the ones after it are answered."""
    real_ask = engine.ask
    failures = iter([True])

    def ask_once_broken(*args, **kw):
        if next(failures, False):
            raise error
        return real_ask(*args, **kw)

    monkeypatch.setattr(engine, "ask", ask_once_broken)


def test_a_failing_handler_is_reported_to_the_user_and_the_bot_keeps_running(world, monkeypatch):
    standin, runner, _ = world
    fail_once(monkeypatch, runner.pasokh.engine, RuntimeError("disk on fire"))
    chat = next(_chat_ids)
    assert "خطایی رخ داد" in plain_text(ask(standin, QUESTION, chat_id=chat)[0].params["text"])
    assert ANSWER in plain_text(ask(standin, QUESTION, chat_id=chat)[0].params["text"])


def test_a_statement_the_database_server_refuses_mid_question_is_one_line_saying_what_to_do(world, monkeypatch, caplog):
    """A statement_timeout set for Pasokh's role cut a question's search short: a traceback in the
    log, counted as «other», with nothing naming the setting."""
    import psycopg

    standin, runner, _ = world
    fail_once(monkeypatch, runner.pasokh.engine, psycopg.errors.QueryCanceled("canceling statement due to statement timeout"))
    chat = next(_chat_ids)
    with caplog.at_level(logging.WARNING):
        assert "خطایی رخ داد" in plain_text(ask(standin, QUESTION, chat_id=chat)[0].params["text"])
    [said] = [r for r in caplog.records if r.name == "bot.telegram"]
    assert said.exc_info is None and "statement timeout" in said.getMessage() and "ALTER ROLE" in said.getMessage()
    assert ANSWER in plain_text(ask(standin, QUESTION, chat_id=chat)[0].params["text"])


def test_a_network_error_to_the_bot_api_is_retried(world):
    standin, _, _ = world
    chat = next(_chat_ids)
    standin.fail_next = 2
    reply = ask(standin, QUESTION, chat_id=chat)
    assert ANSWER in plain_text(reply[0].params["text"])


def test_a_second_bot_polling_with_the_token_is_one_warning_line_naming_it_and_answers_go_on(world, caplog):
    """Telegram ends one of two getUpdates readers of a token with 409 Conflict. Each was a
    traceback in the log, «error while handling an update», every few seconds, with nothing
    saying that another process (a second replica in polling mode) was the cause."""
    standin, _, _ = world
    seen = metrics.ERRORS.labels("telegram")._value.get()
    url = f"{standin.base_url}123:TEST/getUpdates"
    deadline = time.monotonic() + 60
    with caplog.at_level(logging.WARNING):
        while metrics.ERRORS.labels("telegram")._value.get() < seen + 2:  # the other process polls …
            assert time.monotonic() < deadline
            with contextlib.suppress(urllib.error.HTTPError):  # … ending the bot's waiting poll, or ended by its next
                urllib.request.urlopen(urllib.request.Request(url, data=b"timeout=1", method="POST"), timeout=10).read()
    said = [r for r in caplog.records if r.name == "bot.telegram" and "polling the Bot API" in r.getMessage()]
    assert said and all(r.exc_info is None and "\n" not in r.getMessage() for r in said)
    assert "another process is reading updates with this token" in said[0].getMessage()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], "no traceback, no error line"
    assert ANSWER in plain_text(ask(standin, QUESTION, chat_id=next(_chat_ids))[0].params["text"])


def ask_unanswered(standin: StandIn, chat: int) -> None:
    """Ask in ``chat`` and wait until the bot has counted a reply the Bot API did not take."""
    seen = metrics.ERRORS.labels("telegram")._value.get()
    standin.send_text(QUESTION, chat_id=chat, user_id=chat)
    deadline = time.monotonic() + 60
    while metrics.ERRORS.labels("telegram")._value.get() < seen + 1:
        assert time.monotonic() < deadline
        time.sleep(0.05)


def test_a_reply_the_bot_api_never_takes_is_one_warning_line_and_no_second_message(world, caplog):
    """Telegram unreachable while a reply goes out (an outage, a proxy dropping connections):
    each question was a traceback, «error while handling an update», and a second message,
    «an error occurred», sent after the first had failed, or after it had arrived late."""
    standin, _, _ = world
    chat = next(_chat_ids)
    standin.unreachable["sendMessage"] = 50
    try:
        with caplog.at_level(logging.WARNING):
            ask_unanswered(standin, chat)
    finally:
        standin.unreachable.clear()
    said = [r for r in caplog.records if r.name == "bot.telegram" and r.levelno >= logging.WARNING]
    assert len(said) == 1 and said[0].exc_info is None and "the Bot API did not take a reply" in said[0].getMessage()
    assert not standin.sent_to(chat), "no «an error occurred» after a reply that could not be sent"
    assert ANSWER in plain_text(ask(standin, QUESTION, chat_id=chat)[0].params["text"]), "the next question is answered"


def test_telegrams_flood_control_is_waited_out_and_past_the_limiters_retries_is_one_warning(world, caplog):
    """Telegram's «429 Too Many Requests: retry after N»: the rate limiter waits and sends again,
    so the answer arrives; refused past its retries, the reply was a traceback and a second
    message, itself refused."""
    _, runner, config = world
    standin = StandIn().start()  # its own: the refusals below stay out of the module's record of calls
    bot = start_bot(
        dataclasses.replace(config, bot=dataclasses.replace(config.bot, api_base_url=standin.base_url)), runner.pasokh.engine
    )
    try:
        standin.flood_next = 1
        assert ANSWER in plain_text(ask(standin, QUESTION, chat_id=next(_chat_ids))[0].params["text"])
        chat = next(_chat_ids)
        standin.flood_next = 10  # more than the limiter's three tries
        with caplog.at_level(logging.WARNING):
            ask_unanswered(standin, chat)
    finally:
        bot.stop()
        standin.stop()
    said = [r for r in caplog.records if r.name == "bot.telegram" and r.levelno >= logging.WARNING]
    assert len(said) == 1 and said[0].exc_info is None and "Flood control" in said[0].getMessage()
    assert not [r for r in caplog.records if r.exc_info], "no traceback, the rate limiter's included"
    assert not standin.sent_to(chat)


def test_sources_are_paged_with_buttons(world, monkeypatch):
    import bot.handlers.browsing as browsing

    standin, _, _ = world
    monkeypatch.setattr(browsing, "SOURCES_PAGE", 2)
    chat = next(_chat_ids)
    first = ask(standin, "/articles", chat_id=chat)[0]
    assert "صفحهٔ ۱ از" in plain_text(first.params["text"])
    next_page = next(b["callback_data"] for b in buttons(first) if b["text"].startswith("بعدی"))
    standin.tap(first.result, next_page, user_id=chat)
    edited = standin.wait_for(lambda calls: any(c.method == "editMessageText" and c.error is None for c in calls))
    edit = next(c for c in reversed(edited) if c.method == "editMessageText")
    assert "صفحهٔ ۲ از" in plain_text(edit.params["text"])


def test_the_running_bot_sees_removed_articles_without_restart_or_reload(world, nano):
    from retrieval import remove

    standin, _, config = world
    writer = connect(StorageSettings(), config.data_dir, nano, RetrievalSettings())
    writer.load()
    assert ANSWER in plain_text(ask(standin, QUESTION)[0].params["text"])
    remove(writer, ["003_89b941ca74b638ba"])
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        text = plain_text(ask(standin, QUESTION)[0].params["text"])
        if ANSWER not in text:
            break
        time.sleep(0.5)
    assert ANSWER not in text
    ingest(writer, [DEMO])  # put the world back: the bot finds the article again once it refreshes
    deadline = time.monotonic() + 10
    while ANSWER not in plain_text(ask(standin, QUESTION)[0].params["text"]) and time.monotonic() < deadline:
        time.sleep(0.5)


@contextlib.contextmanager
def hooked_bot(world, secret: str):  # type: ignore[no-untyped-def]
    """The world's bot on a webhook of its own on 127.0.0.1, as `pasokh bot --webhook-url` serves
    it; yields its Bot API stand-in and its port."""
    _, runner, config = world
    # a Bot API of its own: a webhook set on the polling bot's would end its polls (409, as Telegram does)
    standin = StandIn().start()
    port = free_port()
    bot = dataclasses.replace(config.bot, api_base_url=standin.base_url)
    hooked = Runner(build_application(bot, runner.pasokh.engine, "123:TEST", config.data_dir))
    hooked.thread.start()

    async def start():
        await hooked.app.initialize()
        await hooked.app.updater.start_webhook(
            listen="127.0.0.1",
            port=port,
            url_path="telegram",
            webhook_url=f"http://127.0.0.1:{port}/telegram",
            secret_token=secret,
        )
        await hooked.app.start()

    hooked._call(start())
    try:
        yield standin, port
    finally:

        async def stop():
            await hooked.app.updater.stop()
            await hooked.app.stop()
            await hooked.app.shutdown()

        hooked._call(stop())
        hooked.loop.call_soon_threadsafe(hooked.loop.stop)
        standin.stop()


def test_webhook_mode_checks_the_secret_token_and_answers(world):
    with hooked_bot(world, "s3cret-token") as (standin, port):
        assert standin.webhook == {"url": f"http://127.0.0.1:{port}/telegram", "secret_token": "s3cret-token"}
        chat = next(_chat_ids)
        assert post_update(port, message(chat, chat, QUESTION), "wrong") == 403
        assert post_update(port, message(chat, chat, QUESTION), "s3cret-token") == 200
        standin.wait_for(lambda calls: standin.sent_to(chat))
        assert len(standin.sent_to(chat)) == 1
        assert ANSWER in plain_text(standin.sent_to(chat)[0].params["text"])


def test_a_strangers_request_to_the_webhook_is_refused_before_its_body_and_a_stalled_one_let_go(world):
    """Anyone who finds the webhook's address may connect, and the secret is read only once a
    request has arrived: a request announcing a body no update comes near is refused as its
    headers arrive, and a connection that stops sending is closed, not held."""
    webhook.guard(wait_seconds=1.0)
    try:
        with hooked_bot(world, "s3cret-token") as (standin, port):
            answer, took = raw_request(port, OVERSIZED)
            assert answer.startswith(b"HTTP/1.1 400") and took < 4, (answer, took)
            answer, took = raw_request(port, b"")
            assert answer == b"" and took < 4, "a connection that sends nothing is closed"
            stalled = OVERSIZED.replace(b"52428800", b"400") + b'"update_id": 1'
            answer, took = raw_request(port, stalled)
            assert answer in (b"", b"HTTP/1.1 400 Bad Request\r\n\r\n") and took < 4, "a body that stops coming is let go"
            chat = next(_chat_ids)
            assert post_update(port, message(chat, chat, QUESTION), "s3cret-token") == 200, "Telegram's updates still come in"
            standin.wait_for(lambda calls: standin.sent_to(chat))
            assert ANSWER in plain_text(standin.sent_to(chat)[0].params["text"])
    finally:
        HTTPServer.configure(None)  # tornado's own defaults again for the tests after this one


def test_the_bot_loads_the_spelling_word_list_at_start_not_on_a_users_question(demo_engine, monkeypatch):
    """hazm's word list (half a second to load) is what spelling repairs consult; a running bot
    loads it as it starts, so the first user whose question has a typo does not wait for it,
    even on a corpus none of whose example questions (asked at start) needed a repair."""
    from bot.handlers import browsing
    from retrieval.query.understand import lexicon

    monkeypatch.setattr(browsing, "example_questions", lambda engine: [])
    lexicon.cache_clear()
    standin = StandIn().start()
    runner = start_bot(bot_config(demo_engine, standin), demo_engine)
    try:
        deadline = time.monotonic() + 30
        while lexicon.cache_info().currsize == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert lexicon.cache_info().currsize == 1, "no question was asked, yet the bot should have loaded the word list"
    finally:
        runner.stop()
        standin.stop()


def test_a_question_typed_in_latin_letters_is_answered_saying_how_it_was_read(world):
    """Many people type Persian with a Latin keyboard; the answer is the Persian question's,
    with the reading above it, so a misreading shows."""
    standin, _, _ = world
    reply = ask(standin, "chand ta tarh emza shodan?", chat_id=next(_chat_ids))[0]
    shown = plain_text(reply.params["text"])
    assert "پرسش شما را این‌طور خواندم: «چند تا طرح امضا شدند؟»" in shown
    assert "چهار طرح" in shown and shown.index("خواندم") < shown.index("چهار طرح")
    refused = ask(standin, "gheymate dolar emrooz chande?", chat_id=next(_chat_ids))[0]
    text = plain_text(refused.params["text"])
    assert "«قیمت دلار امروز چند؟»" in text and "پاسخی برای این پرسش پیدا نکردم" in text and buttons(refused) == []
    assert standin.rejected() == []


def test_inline_mode_shows_how_a_latin_letter_question_was_read_above_its_results(world):
    """Inline results have no message of their own: the reading is the button above them,
    there even when nothing answers, so a misreading still shows."""
    standin, _, _ = world

    def inline_answer(question: str) -> dict:
        inline_id = standin.inline(question)
        calls = standin.wait_for(lambda calls: any(c.params.get("inline_query_id") == inline_id for c in calls))
        return next(c for c in calls if c.params.get("inline_query_id") == inline_id).params

    read = inline_answer("chand ta tarh emza shodan?")
    assert json.loads(read["button"])["text"] == "خواندم: «چند تا طرح امضا شدند؟»"
    assert "چهار طرح" in plain_text(json.loads(read["results"])[0]["input_message_content"]["message_text"])
    refused = inline_answer("gheymate dolar emrooz chande?")
    assert json.loads(refused["results"]) == [] and "قیمت دلار امروز" in json.loads(refused["button"])["text"]
    assert "button" not in inline_answer(QUESTION), "a Persian question needs no reading"
    assert standin.rejected() == []


def test_inline_results_that_do_not_say_the_age_asked_for_say_so_above_them(demo_engine):
    """An inline result has no message of its own to carry «در این خبرها سنی گفته نشده است…»: the
    button above the results says it, as it says how a Latin-letter question was read (which
    comes first when both apply). Over the demo as the fixture builds it, the social-affairs
    deputy is named and his age is not."""
    from bot.handlers.asking import INLINE_RESULTS, _above_results
    from bot.texts import UNSAID_SHORT

    answer = demo_engine.ask("معاون اجتماعی بهزیستی چند سال دارد؟", INLINE_RESULTS)
    assert answer.quotes and answer.unsaid == "age"
    assert _above_results(answer).text == UNSAID_SHORT["age"] == "سنی گفته نشده؛ نزدیک‌ترین جمله‌ها:"
    assert _above_results(dataclasses.replace(answer, read_as="معاون …")).text.startswith("خواندم:")
    assert _above_results(demo_engine.ask(QUESTION, INLINE_RESULTS)) is None


def test_a_bot_on_a_webhook_learns_its_token_was_revoked_from_its_periodic_getme(world):
    """With a webhook Telegram simply stops calling a revoked token's bot: nothing fails in the
    bot, so only asking the Bot API tells (every TOKEN_CHECK_SECONDS); a network error is not
    taken for a revocation."""
    import asyncio

    from bot.telegram import REVOKED, token_rejected

    _, runner, config = world
    standin = StandIn(tokens=frozenset({"123:TEST"})).start()
    try:
        bot = dataclasses.replace(config.bot, api_base_url=standin.base_url)
        application = build_application(bot, runner.pasokh.engine, "123:TEST", config.data_dir)

        async def probe() -> tuple[str | None, str | None, str | None]:
            await application.bot.initialize()
            held = await token_rejected(application, probe=True)
            standin.fail_next = 3  # the network away for a moment
            away = await token_rejected(application, probe=True)
            standin.fail_next = 0
            standin.tokens = frozenset()  # revoked with @BotFather
            revoked = await token_rejected(application, probe=True)
            return held, away, revoked

        assert asyncio.run(probe()) == (None, None, REVOKED)
    finally:
        standin.stop()


def test_a_full_disk_under_the_bots_log_still_answers_says_so_once_and_recovers(world, tmp_path, caplog):
    """The disk under the bot's data directory filled up (logs, an archive import): every question
    was found, then lost, because recording it failed, and the user got «an error occurred» with
    a traceback in the log each time; a 👍 was the same. Now the answer is sent (without the buttons
    that need the log: more results, votes), one line says the disk is full, a vote says it was
    not saved, and when there is room again all of it comes back. On a real small disk, where this
    machine lets the tests mount one."""
    import os
    import subprocess

    _, runner, _ = world
    engine = runner.pasokh.engine
    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(disk)], capture_output=True).returncode:
        pytest.skip("cannot mount a small disk here")
    own = StandIn().start()
    bot = None
    try:
        bot = start_bot(bot_config(engine, own, data_dir=disk / "bot", questions_per_minute=100), engine)
        chat = next(_chat_ids)
        earlier = ask(own, QUESTION, chat_id=chat)[0]
        up = next(b["callback_data"] for b in buttons(earlier) if b["text"] == "👍")
        room = os.statvfs(disk)
        (disk / "filler").write_bytes(b"\0" * (room.f_bavail * room.f_frsize))
        with caplog.at_level(logging.INFO):
            for question in (QUESTION, "طرح بشیر چه تأثیری بر آمار طلاق داشته است؟", QUESTION):
                reply = ask(own, question, chat_id=chat)[0]
                assert "خطایی رخ داد" not in plain_text(reply.params["text"])
                labels = [b["text"] for b in buttons(reply)]
                assert any(label.startswith("📄") for label in labels) and "👍" not in labels, labels
            assert ANSWER in plain_text(reply.params["text"])
            query_id = own.tap(earlier.result, up, user_id=chat)
            own.wait_for(lambda calls: any(c.params.get("callback_query_id") == query_id for c in calls))
            tapped = next(c for c in own.calls if c.params.get("callback_query_id") == query_id)
            assert "ذخیره نشد" in tapped.params["text"], tapped.params
            assert "پاک نشد" in plain_text(ask(own, "/forget", chat_id=chat)[0].params["text"]), "not told it was forgotten"
            said = [r for r in caplog.records if r.name.startswith("bot") and r.levelno >= logging.WARNING]
            assert len(said) == 1 and said[0].exc_info is None, [r.getMessage() for r in said]
            assert f"the disk holding {disk / 'bot'} is full" in said[0].getMessage(), said[0].getMessage()
            (disk / "filler").unlink()
            reply = ask(own, QUESTION, chat_id=chat)[0]
            assert "👍" in [b["text"] for b in buttons(reply)], "room again: the answer's buttons are back"
            assert any("written again" in r.getMessage() for r in caplog.records if r.name.startswith("bot"))
            forgot = plain_text(ask(own, "/forget", chat_id=chat)[0].params["text"])
            assert "۲ پرسش و ۰ رأی" in forgot, "the questions logged before and after: forgotten once there is room"
        assert not [c for c in own.sent_to(chat) if "خطایی رخ داد" in plain_text(c.params.get("text", ""))]
    finally:
        if bot is not None:
            bot.stop()
        own.stop()
        subprocess.run(["umount", str(disk)], capture_output=True)
