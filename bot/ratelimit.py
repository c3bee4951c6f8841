"""Per-user limits (Telegram's own flood limits are PTB's AIORateLimiter's job), counted by the
bot's state: in this process on one box, in the database a cluster shares, so a user cannot go
around the limit by being spread over replicas."""

from __future__ import annotations

from retrieval.store.botstate import BotState


class SharedWindow:
    """At most ``limit`` events of ``kind`` per ``window`` seconds for each user."""

    def __init__(self, state: BotState, kind: str, limit: int, window: float = 60.0) -> None:
        self.state = state
        self.kind = kind
        self.limit = limit
        self.window = window
        self._told: set[int] = set()
        self._wait: dict[int, float] = {}

    def allow(self, key: int) -> bool:
        wait = self.state.rate(self.kind, key, self.limit, self.window)
        if wait <= 0:
            self._told.discard(key)
            self._wait.pop(key, None)
            return True
        self._wait[key] = wait
        return False

    def first_refusal(self, key: int) -> bool:
        """True the first time ``key`` is refused since it was last allowed: tell a user once, not on every message."""
        if key in self._told:
            return False
        self._told.add(key)
        return True

    def retry_after(self, key: int) -> float:
        return self._wait.get(key, 0.0)
