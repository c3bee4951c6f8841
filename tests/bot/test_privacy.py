"""The question log: keyed hashes instead of ids, retention, /forget, /privacy, and logging off."""

from __future__ import annotations

import sqlite3
import time

import pytest

from bot.keys import SecretError, derive, load_secret
from retrieval import Answer, Quote
from retrieval.store.backends.sqlite.botlog import BotLog
from retrieval.store.botstate import DAY, Pseudonyms
from tests.bot.harness import QUESTION, ask, bot_config, buttons, chat_ids, start_bot, tap_and_wait
from tests.bot.standin import StandIn, plain_text

IDS = Pseudonyms(b"k" * 32)
ALICE, BOB = 987654321, 123456789


def _answer(question: str, abstained: bool = False) -> Answer:
    quote = Quote(1, "جمله", "a1", "عنوان", "مهر", None, None, 1.0, 7, 0)
    return Answer(question, abstained, () if abstained else (quote,))


def _dump(path) -> str:
    with sqlite3.connect(path) as conn:
        return "\n".join(conn.iterdump())


def test_no_telegram_id_reaches_the_disk(tmp_path):
    log = BotLog(tmp_path / "bot.sqlite3", IDS)
    qid = log.record(ALICE, ALICE, _answer("پرسش آلیس"))
    log.vote(qid, ALICE, True)
    log.answered_by(-1009876543210, 55, qid)
    log.close()
    dump = _dump(tmp_path / "bot.sqlite3")
    assert "پرسش آلیس" in dump
    for raw in (str(ALICE), "1009876543210"):
        assert raw not in dump
    assert IDS.user(ALICE) in dump and IDS.user(ALICE) != Pseudonyms(b"x" * 32).user(ALICE)


def test_forget_removes_exactly_the_users_rows(tmp_path):
    log = BotLog(tmp_path / "bot.sqlite3", IDS)
    a1 = log.record(ALICE, ALICE, _answer("a1"))
    a2 = log.record(-5, ALICE, _answer("a2", abstained=True))
    b1 = log.record(-5, BOB, _answer("b1"))
    log.vote(a1, ALICE, True)
    log.vote(b1, BOB, False)
    log.vote(b1, ALICE, True)  # a vote on someone else's question goes too
    log.answered_by(ALICE, 10, a1)
    gone = log.forget(ALICE)
    assert (gone.questions, gone.votes) == (2, 2)
    assert log.get(a1) is None and log.get(a2) is None and log.replied_to(ALICE, 10) is None
    usage = log.usage()
    assert (usage.questions, usage.abstained, usage.thumbs_up, usage.thumbs_down) == (1, 0, 0, 1)
    assert [row[0] for row in log.feedback()] == ["b1"]
    assert log.forget(ALICE).questions == 0


def test_entries_older_than_keep_days_are_pruned(tmp_path):
    now = [1_000_000_000.0]
    log = BotLog(tmp_path / "bot.sqlite3", IDS, keep_days=90, clock=lambda: now[0])
    old = log.record(ALICE, ALICE, _answer("old"), at=now[0] - 91 * DAY)
    log.vote(old, ALICE, True)
    recent = log.record(ALICE, ALICE, _answer("recent"), at=now[0] - 89 * DAY)
    assert log.prune() == 1
    assert log.get(old) is None and log.get(recent) is not None and log.usage().thumbs_up == 0
    log.close()
    now[0] += 2 * DAY  # opening the log prunes too: a bot restarted after a long stop starts clean
    assert BotLog(tmp_path / "bot.sqlite3", IDS, keep_days=90, clock=lambda: now[0]).get(recent) is None


def test_an_old_log_with_raw_ids_is_upgraded_in_place(tmp_path):
    path = tmp_path / "bot.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.executescript(
            """CREATE TABLE questions(id INTEGER PRIMARY KEY AUTOINCREMENT, chat_id INTEGER NOT NULL, user_id INTEGER,
            question TEXT NOT NULL, abstained INTEGER NOT NULL, quotes TEXT NOT NULL, asked_at REAL NOT NULL);
            CREATE TABLE feedback(question_id INTEGER NOT NULL REFERENCES questions(id), user_id INTEGER NOT NULL,
            vote INTEGER NOT NULL, at REAL NOT NULL, PRIMARY KEY(question_id, user_id));"""
        )
        conn.execute("INSERT INTO questions VALUES(1, ?, ?, 'قدیمی', 0, '[]', ?)", (ALICE, ALICE, time.time()))
        conn.execute("INSERT INTO questions VALUES(2, ?, ?, 'دیگری', 0, '[]', ?)", (BOB, BOB, time.time()))
        conn.execute("INSERT INTO feedback VALUES(1, ?, 1, ?)", (ALICE, time.time()))
    log = BotLog(path, IDS)
    assert log.usage().questions == 2 and log.usage().thumbs_up == 1
    assert log.get(1).user == IDS.user(ALICE)
    assert log.forget(ALICE).questions == 1 and log.get(2) is not None
    log.close()
    assert str(ALICE) not in _dump(path) and str(BOB) not in _dump(path)


def test_the_secret_comes_from_the_environment_or_is_made_once_privately(tmp_path):
    assert load_secret("from-the-environment", tmp_path) == b"from-the-environment"
    assert not (tmp_path / "bot.secret").exists()
    made = load_secret(None, tmp_path)
    assert load_secret(None, tmp_path) == made and len(made) == 32
    assert (tmp_path / "bot.secret").stat().st_mode & 0o077 == 0
    assert derive(made, "buttons") != derive(made, "log ids")


def test_forget_and_privacy_through_the_bot(open_bot):
    standin, runner = open_bot
    alice, bob = next(chat_ids), next(chat_ids)
    log = runner.pasokh.log
    before = log.usage()
    for user, question in ((alice, QUESTION), (alice, "طرح بشیر چه تأثیری بر آمار طلاق داشته است؟"), (bob, QUESTION)):
        reply = ask(standin, question, chat_id=user)[0]
        up = next(b["callback_data"] for b in buttons(reply) if b["text"] == "👍")
        tap_and_wait(standin, reply.result, up, user_id=user)
    assert log.usage().questions == before.questions + 3
    privacy = plain_text(ask(standin, "/privacy", chat_id=alice)[0].params["text"])
    assert "۹۰ روز" in privacy and "/forget" in privacy
    said = plain_text(ask(standin, "/forget", chat_id=alice)[0].params["text"])
    assert "۲ پرسش و ۲ رأی" in said
    after = log.usage()
    assert (after.questions, after.thumbs_up) == (before.questions + 1, before.thumbs_up + 1), "bob's rows are untouched"
    assert "ذخیره نشده" in plain_text(ask(standin, "/forget", chat_id=alice)[0].params["text"])


def test_with_logging_off_nothing_is_written_and_paging_still_works(demo_engine, tmp_path):
    standin = StandIn().start()
    runner = start_bot(bot_config(demo_engine, standin, data_dir=tmp_path, log_questions=False), demo_engine)
    try:
        chat = next(chat_ids)
        reply = ask(standin, QUESTION, chat_id=chat)[0]
        more = next(b["callback_data"] for b in buttons(reply) if b["text"] == "نتایج بیشتر")
        before = len(standin.sent_to(chat))
        tap_and_wait(standin, reply.result, more, user_id=chat)
        standin.wait_for(lambda calls: len(standin.sent_to(chat)) > before)
        assert "[۴]" in plain_text(standin.sent_to(chat)[before].params["text"])
        assert "ذخیره نمی‌شوند" in plain_text(ask(standin, "/privacy", chat_id=chat)[0].params["text"])
        assert not (tmp_path / "bot.sqlite3").exists()
    finally:
        runner.stop()
        standin.stop()


@pytest.mark.parametrize(
    ("held", "said"),
    [(b"", "0 bytes"), (b"abcd", "2 bytes"), (b"zz" * 32, "not hex"), ("کلید".encode(), "not hex"), (b"\xff\xfe" * 8, "not hex")],
)
def test_a_damaged_secret_is_refused_naming_the_file_and_kept_as_it_is(tmp_path, held, said):
    """An emptied or cut secret was taken as the key (an empty HMAC key: anyone could forge a
    button, and the log's hashed ids, of small numbers, could be undone); not hex was a traceback."""
    (tmp_path / "bot.secret").write_bytes(held)
    with pytest.raises(SecretError, match=rf"bot\.secret is damaged \({said}.*delete it"):
        load_secret(None, tmp_path)
    assert (tmp_path / "bot.secret").read_bytes() == held
