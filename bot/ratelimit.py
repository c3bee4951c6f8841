"""Per-user limits (Telegram's own flood limits are PTB's AIORateLimiter's job)."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

_SWEEP_AT = 10_000  # users tracked before idle ones are dropped


class SlidingWindow:
    """At most ``limit`` events per ``window`` seconds for each key."""

    def __init__(self, limit: int, window: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self._events: dict[int, deque[float]] = {}
        self._told: set[int] = set()

    def allow(self, key: int) -> bool:
        now = self.clock()
        if len(self._events) > _SWEEP_AT:
            self._sweep(now)
        events = self._events.setdefault(key, deque())
        while events and now - events[0] >= self.window:
            events.popleft()
        if len(events) >= self.limit:
            return False
        events.append(now)
        self._told.discard(key)
        return True

    def first_refusal(self, key: int) -> bool:
        """True the first time ``key`` is refused since it was last allowed: tell a user once, not on every message."""
        if key in self._told:
            return False
        self._told.add(key)
        return True

    def retry_after(self, key: int) -> float:
        events = self._events.get(key)
        if not events or len(events) < self.limit:
            return 0.0
        return max(0.0, self.window - (self.clock() - events[0]))

    def _sweep(self, now: float) -> None:
        idle = [k for k, events in self._events.items() if not events or now - events[-1] >= self.window]
        for key in idle:
            del self._events[key]
            self._told.discard(key)
