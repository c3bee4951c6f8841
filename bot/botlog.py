"""The bot's own records in SQLite: questions asked, what was shown, and 👍/👎 feedback.

Kept in its own file beside the corpus database so the corpus stays the corpus.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from retrieval.records import Answer

_SCHEMA = """
CREATE TABLE IF NOT EXISTS questions(
    id INTEGER PRIMARY KEY AUTOINCREMENT, chat_id INTEGER NOT NULL, user_id INTEGER, question TEXT NOT NULL,
    abstained INTEGER NOT NULL, quotes TEXT NOT NULL, asked_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS feedback(
    question_id INTEGER NOT NULL REFERENCES questions(id), user_id INTEGER NOT NULL, vote INTEGER NOT NULL,
    at REAL NOT NULL, PRIMARY KEY(question_id, user_id));
"""


@dataclass(frozen=True)
class LoggedQuestion:
    id: int
    chat_id: int
    user_id: int | None
    question: str
    abstained: bool
    quotes: list[dict]


@dataclass(frozen=True)
class Usage:
    questions: int
    abstained: int
    thumbs_up: int
    thumbs_down: int

    @property
    def abstention_rate(self) -> float:
        return self.abstained / self.questions if self.questions else 0.0


class BotLog:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=30)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.executescript(_SCHEMA)
        self._lock = threading.Lock()

    def record(self, chat_id: int, user_id: int | None, answer: Answer) -> int:
        quotes = [q.to_json() | {"sentence_id": q.sentence_id} for q in answer.quotes]
        with self._lock:
            cur = self._conn.execute(
                "INSERT INTO questions(chat_id, user_id, question, abstained, quotes, asked_at) VALUES(?,?,?,?,?,?)",
                (chat_id, user_id, answer.question, int(answer.abstained), json.dumps(quotes, ensure_ascii=False), time.time()),
            )
        return int(cur.lastrowid or 0)

    def shown_more(self, question_id: int, answer: Answer) -> None:
        """Add quotes shown on a later page to what the question's row says the user saw."""
        logged = self.get(question_id)
        if logged is None:
            return
        quotes = logged.quotes + [q.to_json() | {"sentence_id": q.sentence_id} for q in answer.quotes]
        with self._lock:
            self._conn.execute(
                "UPDATE questions SET quotes = ? WHERE id = ?", (json.dumps(quotes, ensure_ascii=False), question_id)
            )

    def get(self, question_id: int) -> LoggedQuestion | None:
        with self._lock:
            row = self._conn.execute(
                "SELECT id, chat_id, user_id, question, abstained, quotes FROM questions WHERE id = ?", (question_id,)
            ).fetchone()
        if row is None:
            return None
        return LoggedQuestion(row[0], row[1], row[2], row[3], bool(row[4]), json.loads(row[5]))

    def vote(self, question_id: int, user_id: int, up: bool) -> None:
        with self._lock:
            self._conn.execute(
                "INSERT INTO feedback(question_id, user_id, vote, at) VALUES(?,?,?,?) "
                "ON CONFLICT(question_id, user_id) DO UPDATE SET vote = excluded.vote, at = excluded.at",
                (question_id, user_id, 1 if up else -1, time.time()),
            )

    def feedback(self) -> list[tuple[str, int, str]]:
        """(question, vote, quotes JSON) rows, for reviewing what users liked."""
        with self._lock:
            return self._conn.execute(
                "SELECT q.question, f.vote, q.quotes FROM feedback f JOIN questions q ON q.id = f.question_id"
            ).fetchall()

    def usage(self) -> Usage:
        with self._lock:
            total, abstained = self._conn.execute("SELECT COUNT(*), COALESCE(SUM(abstained), 0) FROM questions").fetchone()
            up, down = self._conn.execute(
                "SELECT COALESCE(SUM(vote = 1), 0), COALESCE(SUM(vote = -1), 0) FROM feedback"
            ).fetchone()
        return Usage(total, abstained, up, down)

    def close(self) -> None:
        with self._lock:
            self._conn.close()
