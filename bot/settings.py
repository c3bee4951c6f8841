"""``[bot]``: who may use the bot, how fast, and what it keeps; validated when built."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

TELEGRAM_API = "https://api.telegram.org/bot"


class BotSettingsError(ValueError):
    """A ``[bot]`` setting is out of range or of the wrong kind; the message names it."""


@dataclass(frozen=True)
class BotSettings:
    api_base_url: str = TELEGRAM_API
    admin_ids: tuple[int, ...] = ()
    allowed_chat_ids: tuple[int, ...] = ()
    allowed_user_ids: tuple[int, ...] = ()
    blocked_user_ids: tuple[int, ...] = ()
    max_message_chars: int = 1000
    questions_per_minute: int = 10
    inline_per_minute: int = 30
    taps_per_minute: int = 30
    reload_seconds: float = 5.0
    page_size: int = 3
    workers: int = 4
    log_questions: bool = True
    log_keep_days: int = 90
    status_port: int = 0  # /healthz, /readyz and /metrics on this port (0: off)
    latest_days: float = 7.0  # /latest lists articles published this recent
    start_attempts: int = 6  # tries to reach the Bot API at start, with backoff (1, 2, 4 … 30 s apart)
    sends_per_second: int = 30  # to the Bot API, all chats together: Telegram's documented limit
    processes: int = 1  # webhook mode: processes answering behind one port (0: one per core); see bot.replicas

    def __post_init__(self) -> None:
        url = urlsplit(self.api_base_url) if isinstance(self.api_base_url, str) else None
        if url is None or url.scheme not in ("http", "https") or not url.hostname or any(c.isspace() for c in self.api_base_url):
            raise BotSettingsError(
                f"[bot] api_base_url must be an http(s) address such as {TELEGRAM_API}, got {self.api_base_url!r}"
            )
        for name in ("admin_ids", "allowed_chat_ids", "allowed_user_ids", "blocked_user_ids"):
            value = getattr(self, name)
            if not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
                raise BotSettingsError(f"[bot] {name} must be a list of Telegram ids (integers), got {list(value)!r}")
        for name in (
            "max_message_chars", "questions_per_minute", "inline_per_minute", "taps_per_minute", "page_size", "workers",
            "start_attempts", "sends_per_second",
        ):  # fmt: skip
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise BotSettingsError(f"[bot] {name} must be a whole number of at least 1, got {value!r}")
        if not isinstance(self.log_keep_days, int) or isinstance(self.log_keep_days, bool) or self.log_keep_days < 1:
            raise BotSettingsError(f"[bot] log_keep_days must be a whole number of days, at least 1, got {self.log_keep_days!r}")
        if not isinstance(self.status_port, int) or isinstance(self.status_port, bool) or not 0 <= self.status_port <= 65535:
            raise BotSettingsError(f"[bot] status_port must be a port number (0: off), got {self.status_port!r}")
        if not isinstance(self.latest_days, int | float) or isinstance(self.latest_days, bool) or not self.latest_days > 0:
            raise BotSettingsError(f"[bot] latest_days must be a positive number of days, got {self.latest_days!r}")
        if not isinstance(self.processes, int) or isinstance(self.processes, bool) or not 0 <= self.processes <= 64:
            raise BotSettingsError(f"[bot] processes must be a whole number from 0 (one per core) to 64, got {self.processes!r}")
        if not isinstance(self.reload_seconds, int | float) or self.reload_seconds <= 0:
            raise BotSettingsError(f"[bot] reload_seconds must be a positive number, got {self.reload_seconds!r}")

    @property
    def restricted(self) -> bool:
        """An allowlist is set: only the chats and users on it may use the bot."""
        return bool(self.allowed_chat_ids or self.allowed_user_ids)
