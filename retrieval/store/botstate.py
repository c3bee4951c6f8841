"""The bot's own state as a storage capability: questions asked, what was shown, which message
answered them, 👍/👎, and usage counts; so a backend that keeps the corpus can keep these too
(``Storage.bot_state``).

Telegram ids never reach storage: users and chats are kept as keyed hashes
(:class:`Pseudonyms`), which still tell one user's rows apart (for /forget, for "only the
asker votes") but cannot be turned back into an id without the key. Rows older than
``keep_days`` are pruned.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from retrieval.records import Answer

DAY = 86400.0


class Pseudonyms:
    """Keyed hashes of Telegram ids: stable for one key, meaningless without it."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def _hash(self, kind: str, value: int) -> str:
        return hmac.new(self._key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()[:32]

    def user(self, user_id: int) -> str:
        return self._hash("user", user_id)

    def chat(self, chat_id: int) -> str:
        return self._hash("chat", chat_id)


@dataclass(frozen=True)
class LoggedQuestion:
    id: int
    chat: str
    user: str
    question: str
    abstained: bool
    quotes: list[dict]
    asked_at: float


@dataclass(frozen=True)
class Usage:
    questions: int
    abstained: int
    thumbs_up: int
    thumbs_down: int

    @property
    def abstention_rate(self) -> float:
        return self.abstained / self.questions if self.questions else 0.0


@dataclass(frozen=True)
class Forgotten:
    questions: int
    votes: int


class BotState(ABC):
    """What the bot keeps between updates; every method is safe to call from its worker pool."""

    ids: Pseudonyms
    persistent: bool

    @abstractmethod
    def record(self, chat_id: int, user_id: int, answer: Answer, at: float | None = None) -> int:
        """Log a question and what was shown; returns its id (what buttons and follow-ups carry)."""

    @abstractmethod
    def answered_by(self, chat_id: int, message_id: int, question_id: int) -> None:
        """The bot's message ``message_id`` answers ``question_id``: a reply to it is a follow-up."""

    @abstractmethod
    def shown_more(self, question_id: int, answer: Answer) -> None:
        """Add quotes shown on a later page to what the question's row says the user saw."""

    @abstractmethod
    def vote(self, question_id: int, user_id: int, up: bool) -> None: ...

    @abstractmethod
    def forget(self, user_id: int) -> Forgotten:
        """Delete every question the user asked and every vote they gave, in one transaction."""

    @abstractmethod
    def prune(self) -> int:
        """Delete questions (with their votes and reply links) older than ``keep_days``."""

    @abstractmethod
    def get(self, question_id: int) -> LoggedQuestion | None: ...

    @abstractmethod
    def replied_to(self, chat_id: int, message_id: int) -> LoggedQuestion | None:
        """The question a bot message answered, if it was an answer of ours in that chat."""

    @abstractmethod
    def feedback(self) -> list[tuple[str, int, str]]:
        """(question, vote, quotes JSON) rows: what users liked, for evaluation; no user in them."""

    @abstractmethod
    def usage(self) -> Usage: ...

    @abstractmethod
    def rate(self, kind: str, user_id: int, limit: int, window: float) -> float:
        """Count one ``kind`` event of a user against ``limit`` per ``window`` seconds: 0 when it
        is allowed (and counted), else the seconds until one more would be. Where every replica
        shares this state the window is the cluster's; a one-box state keeps it in memory
        (:class:`LocalWindows`)."""

    @abstractmethod
    def close(self) -> None: ...


class LocalWindows:
    """Sliding windows of events in this process's memory (one box, one bot)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._events: dict[tuple[str, int], deque[float]] = {}
        self._lock = threading.Lock()

    def rate(self, kind: str, user_id: int, limit: int, window: float) -> float:
        now = self.clock()
        with self._lock:
            if len(self._events) > SWEEP_AT:
                self._events = {k: e for k, e in self._events.items() if e and now - e[-1] < window}
            events = self._events.setdefault((kind, user_id), deque())
            while events and now - events[0] >= window:
                events.popleft()
            if len(events) >= limit:
                return max(0.001, window - (now - events[0]))
            events.append(now)
            return 0.0


SWEEP_AT = 10_000  # users tracked before idle ones are dropped

BotStateOpener = Callable[[Path | None, Pseudonyms, float], BotState]
"""``open(location, ids, keep_days)``: the bot's state (``location`` None: nothing kept on disk)."""
