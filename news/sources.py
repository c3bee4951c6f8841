"""``[fetch]`` and ``[[sources]]``: what to follow and how politely, validated at start-up."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from corpus.errors import CorpusError

VERSION = "0.1"
KINDS = ("feed", "sitemap", "page", "channel")
CHANNEL_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{3,31}$")


def is_web_address(url: str) -> bool:
    """An http(s) address with a host: what a source, a link or a saved page's origin must be."""
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


class SourceError(CorpusError):
    """A source or fetch setting is wrong; the message names the key."""


MAX_WAIT_SECONDS = 86_400.0
WAITS = (
    "connect_timeout", "read_timeout", "min_host_delay_seconds", "backoff_seconds", "max_retry_wait_seconds",
    "request_deadline_seconds", "source_budget_seconds",
)  # fmt: skip


@dataclass(frozen=True)
class FetchSettings:
    user_agent: str = f"Pasokh/{VERSION} (Persian news question answering; +https://github.com/pasokh/pasokh)"
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    min_host_delay_seconds: float = 1.0
    retries: int = 3
    backoff_seconds: float = 2.0
    max_retry_wait_seconds: float = 60.0
    respect_robots: bool = True
    keep_days: int = 0
    request_deadline_seconds: float = 60.0  # connect and every read of one request, in all
    source_budget_seconds: float = 300.0  # one source's share of a pass; what is left waits for the next
    max_sentences: int = 2000  # per article; a longer page is cut there (and reported)
    recheck_hours: float = 48.0  # a stored story is read again this long after first read (edits, takedowns; 0: never)
    rechecks_per_pass: int = 3  # stored stories read again per source and pass
    allow_private_hosts: tuple[str, ...] = ()  # hosts a link may lead to although they are internal
    telegram_preview_url: str = "https://t.me/s/"  # where public channels are read (a mirror, or a test server)
    status_port: int = 0  # `pasokh watch`: /healthz, /readyz and /metrics on this port (0: off)

    def __post_init__(self) -> None:
        positive = (
            "connect_timeout", "read_timeout", "max_bytes", "max_retry_wait_seconds",
            "request_deadline_seconds", "source_budget_seconds", "max_sentences",
        )  # fmt: skip
        for name in positive:
            value = getattr(self, name)
            if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value) or value <= 0:
                raise SourceError(f"[fetch] {name} must be a positive number, got {value!r}")
        at_least_zero = (
            "max_redirects", "min_host_delay_seconds", "retries", "backoff_seconds", "keep_days",
            "recheck_hours", "rechecks_per_pass",
        )  # fmt: skip
        for name in at_least_zero:
            value = getattr(self, name)
            if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value) or value < 0:
                raise SourceError(f"[fetch] {name} must be 0 or more, got {value!r}")
        for name in WAITS:  # slept or given to a socket: beyond what the OS can wait, an OverflowError mid-fetch
            if getattr(self, name) > MAX_WAIT_SECONDS:
                raise SourceError(
                    f"[fetch] {name} must be at most {MAX_WAIT_SECONDS:g} seconds (a day), got {getattr(self, name)!r}"
                )
        if not isinstance(self.rechecks_per_pass, int):
            raise SourceError(f"[fetch] rechecks_per_pass must be a whole number, got {self.rechecks_per_pass!r}")
        hosts = self.allow_private_hosts
        if not isinstance(hosts, tuple | list) or not all(isinstance(h, str) and h.strip() for h in hosts):
            raise SourceError(f"[fetch] allow_private_hosts must be a list of host names, got {hosts!r}")
        if not isinstance(self.status_port, int) or isinstance(self.status_port, bool) or not 0 <= self.status_port <= 65535:
            raise SourceError(f"[fetch] status_port must be a port number (0: off), got {self.status_port!r}")
        if not isinstance(self.telegram_preview_url, str) or not is_web_address(self.telegram_preview_url):
            raise SourceError(f"[fetch] telegram_preview_url must be an http(s) URL, got {self.telegram_preview_url!r}")
        if not self.user_agent.strip() or "pasokh" not in self.user_agent.lower():
            raise SourceError("[fetch] user_agent must name Pasokh, so sites know who is asking")


@dataclass(frozen=True)
class Source:
    """One ``[[sources]]`` entry: exactly one of feed, sitemap, page or channel (a public
    Telegram channel's name, read through its web preview)."""

    feed: str | None = None
    sitemap: str | None = None
    page: str | None = None
    channel: str | None = None
    name: str | None = None
    every_minutes: float = 15.0
    max_articles: int = 50

    def __post_init__(self) -> None:
        given = [k for k in KINDS if getattr(self, k)]
        where = f"[[sources]] {self.name or (given and getattr(self, given[0])) or ''}".strip()
        if len(given) != 1:
            raise SourceError(f"{where}: give exactly one of feed, sitemap, page or channel (got {', '.join(given) or 'none'})")
        if self.channel is not None:
            if not isinstance(self.channel, str) or not CHANNEL_NAME.match(self.channel.lstrip("@")):
                what = "a public channel's name (5–32 letters, digits, _)"
                raise SourceError(f"{where}: channel must be {what}, got {self.channel!r}")
        else:
            url = self.url
            if not is_web_address(url):
                raise SourceError(f"{where}: {self.kind} must be an http(s) URL, got {url!r}")
            if (path := telegram_path(url)) is not None:
                # read as a page, a channel's preview is one article of all its posts
                raise SourceError(f'{where}: a Telegram address is a channel: write channel = "{(path or ["NAME"])[0]}"')
        if not isinstance(self.every_minutes, int | float) or isinstance(self.every_minutes, bool) or self.every_minutes < 1:
            raise SourceError(f"{where}: every_minutes must be at least 1, got {self.every_minutes!r}")
        if not isinstance(self.max_articles, int) or isinstance(self.max_articles, bool) or self.max_articles < 1:
            raise SourceError(f"{where}: max_articles must be a whole number of at least 1, got {self.max_articles!r}")

    @property
    def kind(self) -> str:
        return next(k for k in KINDS if getattr(self, k))

    @property
    def url(self) -> str:
        """What names the source: its URL, or a channel's own t.me address."""
        if self.channel is not None:
            return f"https://t.me/{self.channel.lstrip('@')}"
        return str(getattr(self, self.kind))

    @property
    def label(self) -> str:
        if self.channel is not None:
            return self.name or "@" + self.channel.lstrip("@")
        return self.name or urlsplit(self.url).netloc


TELEGRAM_HOSTS = ("t.me", "www.t.me", "telegram.me", "www.telegram.me")


def telegram_path(url: str) -> list[str] | None:
    """The path of a t.me address without its preview prefix (``https://t.me/s/isna94/12`` →
    ``["isna94", "12"]``), or None for any other address."""
    parts = urlsplit(url)
    if (parts.hostname or "").lower() not in TELEGRAM_HOSTS:
        return None
    path = [p for p in parts.path.split("/") if p]
    return path[1:] if path[:1] == ["s"] else path
