"""The bot's state in SQLite (:class:`retrieval.store.botstate.BotState`): its own file beside
the corpus database, so the corpus stays the corpus. With logging off the same tables live in
memory only, so paging and follow-ups still work while the bot runs and nothing is written.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

from retrieval.errors import REPAIR_HINT, StorageError, damage_said, is_damage
from retrieval.records import Answer
from retrieval.store.backends.sqlite.transactions import atomically
from retrieval.store.botstate import DAY, BotState, Forgotten, LocalWindows, LoggedQuestion, Pseudonyms, Usage

logger = logging.getLogger(__name__)
SCHEMA_VERSION = 2
BOT_LOG = "bot.sqlite3"  # its file in the data directory
SCHEMA = """
CREATE TABLE IF NOT EXISTS questions(
    id INTEGER PRIMARY KEY AUTOINCREMENT, chat TEXT NOT NULL, user TEXT NOT NULL, question TEXT NOT NULL,
    abstained INTEGER NOT NULL, quotes TEXT NOT NULL, asked_at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS questions_by_user ON questions(user);
CREATE INDEX IF NOT EXISTS questions_by_time ON questions(asked_at);
CREATE TABLE IF NOT EXISTS feedback(
    question_id INTEGER NOT NULL REFERENCES questions(id) ON DELETE CASCADE, user TEXT NOT NULL, vote INTEGER NOT NULL,
    at REAL NOT NULL, PRIMARY KEY(question_id, user));
CREATE TABLE IF NOT EXISTS replies(
    chat TEXT NOT NULL, message_id INTEGER NOT NULL,
    question_id INTEGER NOT NULL REFERENCES questions(id) ON DELETE CASCADE, PRIMARY KEY(chat, message_id));
CREATE INDEX IF NOT EXISTS replies_by_question ON replies(question_id);
"""


def _quotes_json(answer: Answer) -> list[dict]:
    return [q.to_json() | {"sentence_id": q.sentence_id} for q in answer.quotes]


class BotLog(BotState):
    """Thread-safe; the bot calls it from its worker pool."""

    def __init__(
        self,
        path: Path | None,
        pseudonyms: Pseudonyms,
        keep_days: float = 90,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """``path`` None keeps everything in memory (``[bot] log_questions = false``)."""
        self.ids = pseudonyms
        self.keep_days = keep_days
        self.clock = clock
        self.persistent = path is not None
        self._windows = LocalWindows()  # one box, one bot: its rate windows need no store
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._conn = sqlite3.connect(
                path if path is not None else ":memory:", check_same_thread=False, isolation_level=None, timeout=30
            )
            if path is not None:
                self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA foreign_keys=ON")
            self._lock = threading.Lock()
            with self._lock:
                self._upgrade()
            self.prune()
        except sqlite3.DatabaseError as exc:
            if not is_damage(exc):
                raise
            raise StorageError(f"the bot's log {path} is damaged ({damage_said(exc)}): {REPAIR_HINT}") from exc

    # ---- schema ------------------------------------------------------------------
    def _upgrade(self) -> None:
        version = self._conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise sqlite3.DatabaseError(f"bot log schema {version} is newer than this Pasokh reads ({SCHEMA_VERSION})")
        old = self._conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='questions'").fetchone()
        with atomically(self._conn):
            if old and version < 2:
                self._from_raw_ids()
            self._create_tables()
            self._conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _create_tables(self) -> None:
        """Statement by statement: ``executescript`` would commit the open transaction first."""
        for statement in SCHEMA.split(";"):
            if statement.strip():
                self._conn.execute(statement)

    def _from_raw_ids(self) -> None:
        """Version 1 kept raw Telegram ids; hash them in place, keeping every row."""
        conn = self._conn
        conn.execute("ALTER TABLE questions RENAME TO questions_v1")
        conn.execute("ALTER TABLE feedback RENAME TO feedback_v1")
        self._create_tables()
        for qid, chat_id, user_id, question, abstained, quotes, asked_at in conn.execute(
            "SELECT id, chat_id, user_id, question, abstained, quotes, asked_at FROM questions_v1"
        ).fetchall():
            conn.execute(
                "INSERT INTO questions(id, chat, user, question, abstained, quotes, asked_at) VALUES(?,?,?,?,?,?,?)",
                (qid, self.ids.chat(chat_id), self.ids.user(user_id or 0), question, abstained, quotes, asked_at),
            )
        for qid, user_id, vote, at in conn.execute("SELECT question_id, user_id, vote, at FROM feedback_v1").fetchall():
            conn.execute(
                "INSERT OR REPLACE INTO feedback(question_id, user, vote, at) VALUES(?,?,?,?)",
                (qid, self.ids.user(user_id), vote, at),
            )
        conn.execute("DROP TABLE feedback_v1")
        conn.execute("DROP TABLE questions_v1")
        logger.info("bot log upgraded: Telegram ids replaced by keyed hashes")

    # ---- writing -----------------------------------------------------------------
    def record(self, chat_id: int, user_id: int, answer: Answer, at: float | None = None) -> int:
        with self._lock:
            cur = self._conn.execute(
                "INSERT INTO questions(chat, user, question, abstained, quotes, asked_at) VALUES(?,?,?,?,?,?)",
                (
                    self.ids.chat(chat_id),
                    self.ids.user(user_id),
                    answer.question,
                    int(answer.abstained),
                    json.dumps(_quotes_json(answer), ensure_ascii=False),
                    self.clock() if at is None else at,
                ),
            )
        return int(cur.lastrowid or 0)

    def answered_by(self, chat_id: int, message_id: int, question_id: int) -> None:
        """The bot's message ``message_id`` answers ``question_id``: a reply to it is a follow-up."""
        with self._lock:
            self._conn.execute(
                "INSERT OR REPLACE INTO replies(chat, message_id, question_id) VALUES(?,?,?)",
                (self.ids.chat(chat_id), message_id, question_id),
            )

    def shown_more(self, question_id: int, answer: Answer) -> None:
        """Add quotes shown on a later page to what the question's row says the user saw."""
        with self._lock:
            row = self._conn.execute("SELECT quotes FROM questions WHERE id = ?", (question_id,)).fetchone()
            if row is None:
                return
            quotes = json.loads(row[0]) + _quotes_json(answer)
            self._conn.execute(
                "UPDATE questions SET quotes = ? WHERE id = ?", (json.dumps(quotes, ensure_ascii=False), question_id)
            )

    def vote(self, question_id: int, user_id: int, up: bool) -> None:
        with self._lock:
            self._conn.execute(
                "INSERT INTO feedback(question_id, user, vote, at) VALUES(?,?,?,?) "
                "ON CONFLICT(question_id, user) DO UPDATE SET vote = excluded.vote, at = excluded.at",
                (question_id, self.ids.user(user_id), 1 if up else -1, self.clock()),
            )

    def forget(self, user_id: int) -> Forgotten:
        """Delete every question the user asked and every vote they gave, in one transaction."""
        user = self.ids.user(user_id)
        with self._lock, atomically(self._conn):
            votes = self._conn.execute(
                "SELECT COUNT(*) FROM feedback WHERE user = ? OR question_id IN (SELECT id FROM questions WHERE user = ?)",
                (user, user),
            ).fetchone()[0]
            questions = self._conn.execute("DELETE FROM questions WHERE user = ?", (user,)).rowcount
            self._conn.execute("DELETE FROM feedback WHERE user = ?", (user,))
        return Forgotten(questions=questions, votes=int(votes))

    def prune(self) -> int:
        """Delete questions (with their votes and reply links) older than ``keep_days``."""
        cutoff = self.clock() - self.keep_days * DAY
        with self._lock:
            gone = self._conn.execute("DELETE FROM questions WHERE asked_at < ?", (cutoff,)).rowcount
        if gone:
            logger.info("pruned %d logged questions older than %s days", gone, self.keep_days)
        return gone

    # ---- reading -----------------------------------------------------------------
    def get(self, question_id: int) -> LoggedQuestion | None:
        with self._lock:
            row = self._conn.execute(
                "SELECT id, chat, user, question, abstained, quotes, asked_at FROM questions WHERE id = ?", (question_id,)
            ).fetchone()
        if row is None:
            return None
        return LoggedQuestion(row[0], row[1], row[2], row[3], bool(row[4]), json.loads(row[5]), row[6])

    def replied_to(self, chat_id: int, message_id: int) -> LoggedQuestion | None:
        """The question a bot message answered, if it was an answer of ours in that chat."""
        with self._lock:
            row = self._conn.execute(
                "SELECT question_id FROM replies WHERE chat = ? AND message_id = ?", (self.ids.chat(chat_id), message_id)
            ).fetchone()
        return self.get(row[0]) if row else None

    def feedback(self) -> list[tuple[str, int, str]]:
        """(question, vote, quotes JSON) rows: what users liked, for evaluation; no user in them."""
        with self._lock:
            return self._conn.execute(
                "SELECT q.question, f.vote, q.quotes FROM feedback f JOIN questions q ON q.id = f.question_id ORDER BY f.at"
            ).fetchall()

    def usage(self) -> Usage:
        with self._lock:
            total, abstained = self._conn.execute("SELECT COUNT(*), COALESCE(SUM(abstained), 0) FROM questions").fetchone()
            up, down = self._conn.execute(
                "SELECT COALESCE(SUM(vote = 1), 0), COALESCE(SUM(vote = -1), 0) FROM feedback"
            ).fetchone()
        return Usage(total, abstained, up, down)

    def rate(self, kind: str, user_id: int, limit: int, window: float) -> float:
        return self._windows.rate(kind, user_id, limit, window)

    def close(self) -> None:
        with self._lock:
            self._conn.close()


def open_bot_log(location: Path | None, ids: Pseudonyms, keep_days: float) -> BotLog:
    """The bot's state in ``location``/bot.sqlite3, or in memory when ``location`` is None."""
    return BotLog(location / BOT_LOG if location is not None else None, ids, keep_days)
