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
from abc import ABC, abstractmethod
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
    def close(self) -> None: ...


BotStateOpener = Callable[[Path | None, Pseudonyms, float], BotState]
"""``open(location, ids, keep_days)``: the bot's state (``location`` None: nothing kept on disk)."""
