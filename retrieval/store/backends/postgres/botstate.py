"""The bot's state in PostgreSQL, beside the corpus: every replica of the bot reads and writes
the same question log, replies and votes, so a tap, a 👍, a follow-up or /forget that reaches
any replica works for an answer any replica sent, and /stats counts the cluster.

The same privacy rules as the SQLite log: users and chats only as keyed hashes, rows pruned after
``keep_days``, /forget in one transaction.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import psycopg
from psycopg import sql

from retrieval.records import Answer
from retrieval.store.backends.postgres.connection import connect, create_missing, not_allowed, reported_loss
from retrieval.store.botstate import DAY, BotState, Forgotten, LoggedQuestion, Pseudonyms, Usage

_DDL = """
CREATE TABLE IF NOT EXISTS {s}.bot_questions(
    id bigserial PRIMARY KEY, chat text NOT NULL, usr text NOT NULL, question text NOT NULL,
    abstained boolean NOT NULL, quotes text NOT NULL, asked_at double precision NOT NULL);
CREATE INDEX IF NOT EXISTS bot_questions_by_user ON {s}.bot_questions(usr);
CREATE INDEX IF NOT EXISTS bot_questions_by_time ON {s}.bot_questions(asked_at);
CREATE TABLE IF NOT EXISTS {s}.bot_feedback(
    question_id bigint NOT NULL REFERENCES {s}.bot_questions(id) ON DELETE CASCADE, usr text NOT NULL,
    vote smallint NOT NULL, at double precision NOT NULL, PRIMARY KEY(question_id, usr));
CREATE TABLE IF NOT EXISTS {s}.bot_replies(
    chat text NOT NULL, message_id bigint NOT NULL,
    question_id bigint NOT NULL REFERENCES {s}.bot_questions(id) ON DELETE CASCADE, PRIMARY KEY(chat, message_id));
CREATE INDEX IF NOT EXISTS bot_replies_by_question ON {s}.bot_replies(question_id);
CREATE TABLE IF NOT EXISTS {s}.bot_rate(kind text NOT NULL, usr text NOT NULL, at double precision NOT NULL);
CREATE INDEX IF NOT EXISTS bot_rate_by_user ON {s}.bot_rate(kind, usr, at);
"""


def _quotes_json(answer: Answer) -> str:
    return json.dumps([q.to_json() | {"sentence_id": q.sentence_id} for q in answer.quotes], ensure_ascii=False)


class PostgresBotState(BotState):
    """Thread-safe (one connection, one lock); the bot calls it from its worker pool."""

    def __init__(
        self, url: str, schema: str, pseudonyms: Pseudonyms, keep_days: float = 90, clock: Callable[[], float] = time.time
    ) -> None:
        self.ids = pseudonyms
        self.keep_days = keep_days
        self.clock = clock
        self.persistent = True
        self._url = url
        self._s = sql.Identifier(schema)
        self._lock = threading.Lock()
        self._conn = connect(url, "pasokh bot")
        try:
            with self._lock, self._transaction():
                self._conn.execute("SELECT pg_advisory_xact_lock(hashtext('pasokh bot state ' || %s))", (schema,))
                create_missing(self._conn, schema, extension=False)
                for statement in _DDL.split(";"):
                    if statement.strip():
                        self._conn.execute(sql.SQL(statement).format(s=self._s))  # type: ignore[arg-type]
        except psycopg.errors.InsufficientPrivilege as exc:
            raise not_allowed(exc, self._conn, schema) from exc
        self.prune()

    def _live(self) -> psycopg.Connection:
        """The connection, made again if the database went away and came back (the caller holds the lock)."""
        if self._conn.closed or self._conn.broken:
            self._conn = connect(self._url, "pasokh bot")
        return self._conn

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        with reported_loss(), self._live().transaction():
            yield

    def _run(self, text: str, params: tuple = ()) -> psycopg.Cursor:
        """One statement (the caller holds the lock)."""
        with reported_loss():
            return self._live().execute(sql.SQL(text).format(s=self._s), params)  # type: ignore[arg-type]

    def record(self, chat_id: int, user_id: int, answer: Answer, at: float | None = None) -> int:
        with self._lock:
            row = self._run(
                "INSERT INTO {s}.bot_questions(chat, usr, question, abstained, quotes, asked_at) "
                "VALUES (%s, %s, %s, %s, %s, %s) RETURNING id",
                (self.ids.chat(chat_id), self.ids.user(user_id), answer.question, answer.abstained, _quotes_json(answer),
                 self.clock() if at is None else at),
            ).fetchone()  # fmt: skip
        return int(row[0]) if row else 0

    def answered_by(self, chat_id: int, message_id: int, question_id: int) -> None:
        with self._lock:
            self._run(
                "INSERT INTO {s}.bot_replies(chat, message_id, question_id) VALUES (%s, %s, %s) "
                "ON CONFLICT (chat, message_id) DO UPDATE SET question_id = excluded.question_id",
                (self.ids.chat(chat_id), message_id, question_id),
            )

    def shown_more(self, question_id: int, answer: Answer) -> None:
        more = _quotes_json(answer)
        with self._lock, self._transaction():
            row = self._run("SELECT quotes FROM {s}.bot_questions WHERE id = %s FOR UPDATE", (question_id,)).fetchone()
            if row is not None:
                quotes = json.loads(row[0]) + json.loads(more)
                shown = json.dumps(quotes, ensure_ascii=False)
                self._run("UPDATE {s}.bot_questions SET quotes = %s WHERE id = %s", (shown, question_id))

    def vote(self, question_id: int, user_id: int, up: bool) -> None:
        with self._lock:
            self._run(
                "INSERT INTO {s}.bot_feedback(question_id, usr, vote, at) VALUES (%s, %s, %s, %s) "
                "ON CONFLICT (question_id, usr) DO UPDATE SET vote = excluded.vote, at = excluded.at",
                (question_id, self.ids.user(user_id), 1 if up else -1, self.clock()),
            )

    def forget(self, user_id: int) -> Forgotten:
        user = self.ids.user(user_id)
        with self._lock, self._transaction():
            votes = self._run(
                "SELECT count(*) FROM {s}.bot_feedback WHERE usr = %s OR question_id IN "
                "(SELECT id FROM {s}.bot_questions WHERE usr = %s)",
                (user, user),
            ).fetchone()[0]
            questions = self._run("DELETE FROM {s}.bot_questions WHERE usr = %s", (user,)).rowcount
            self._run("DELETE FROM {s}.bot_feedback WHERE usr = %s", (user,))
        return Forgotten(questions=int(questions), votes=int(votes))

    def prune(self) -> int:
        with self._lock:
            cutoff = self.clock() - self.keep_days * DAY
            return int(self._run("DELETE FROM {s}.bot_questions WHERE asked_at < %s", (cutoff,)).rowcount)

    def get(self, question_id: int) -> LoggedQuestion | None:
        with self._lock:
            row = self._run(
                "SELECT id, chat, usr, question, abstained, quotes, asked_at FROM {s}.bot_questions WHERE id = %s", (question_id,)
            ).fetchone()
        if row is None:
            return None
        return LoggedQuestion(int(row[0]), row[1], row[2], row[3], bool(row[4]), json.loads(row[5]), float(row[6]))

    def replied_to(self, chat_id: int, message_id: int) -> LoggedQuestion | None:
        with self._lock:
            row = self._run(
                "SELECT question_id FROM {s}.bot_replies WHERE chat = %s AND message_id = %s",
                (self.ids.chat(chat_id), message_id),
            ).fetchone()
        return self.get(int(row[0])) if row else None

    def feedback(self) -> list[tuple[str, int, str]]:
        with self._lock:
            rows = self._run(
                "SELECT q.question, f.vote, q.quotes FROM {s}.bot_feedback f JOIN {s}.bot_questions q ON q.id = f.question_id "
                "ORDER BY f.at"
            ).fetchall()
        return [(r[0], int(r[1]), r[2]) for r in rows]

    def usage(self) -> Usage:
        with self._lock:
            total, abstained = self._run("SELECT count(*), count(*) FILTER (WHERE abstained) FROM {s}.bot_questions").fetchone()
            up, down = self._run(
                "SELECT count(*) FILTER (WHERE vote = 1), count(*) FILTER (WHERE vote = -1) FROM {s}.bot_feedback"
            ).fetchone()
        return Usage(int(total), int(abstained), int(up), int(down))

    def rate(self, kind: str, user_id: int, limit: int, window: float) -> float:
        """The cluster's window: every replica counts in one table, each user's events under a
        transaction lock of their own, so two replicas cannot both let the one-too-many through."""
        user, now = self.ids.user(user_id), time.time()
        with self._lock, self._transaction():
            self._run("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"rate {kind} {user}",))
            self._run("DELETE FROM {s}.bot_rate WHERE kind = %s AND usr = %s AND at <= %s", (kind, user, now - window))
            count, oldest = self._run(
                "SELECT count(*), min(at) FROM {s}.bot_rate WHERE kind = %s AND usr = %s", (kind, user)
            ).fetchone()
            if count >= limit:
                return max(0.001, window - (now - float(oldest)))
            self._run("INSERT INTO {s}.bot_rate(kind, usr, at) VALUES (%s, %s, %s)", (kind, user, now))
        return 0.0

    def close(self) -> None:
        with self._lock:
            self._conn.close()
