"""A polite HTTP client for news sites: conditional GET, a minimum delay per host, robots.txt,
timeouts, a size cap, and retries with backoff on 5xx and 429 (honouring ``Retry-After``).

urllib3 does the HTTP; this module only decides when to ask, what to refuse, and how to say
what went wrong in one line (:class:`FetchError`), so a failing source never takes others down.
"""

from __future__ import annotations

import email.utils
import logging
import threading
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import urllib3

from corpus.errors import CorpusError
from news.sources import FetchSettings

logger = logging.getLogger(__name__)
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
ROBOTS_TTL_SECONDS = 3600.0


class FetchError(CorpusError):
    """A URL could not be fetched; ``retry_after`` (seconds) when the server said when to come back."""

    def __init__(self, url: str, reason: str, retry_after: float | None = None) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.retry_after = retry_after


@dataclass(frozen=True)
class Response:
    url: str
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


@dataclass
class _Robots:
    parser: urllib.robotparser.RobotFileParser
    fetched: float


@dataclass
class Client:
    """One per process; thread-safe. ``sleep`` and ``clock`` are injectable so a test can watch
    the delays without waiting for them."""

    settings: FetchSettings
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    _last: dict[str, float] = field(default_factory=dict)
    _robots: dict[str, _Robots] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._headers = {"User-Agent": self.settings.user_agent, "Accept-Encoding": "gzip, deflate"}
        self._pool = urllib3.PoolManager(
            timeout=urllib3.Timeout(connect=self.settings.connect_timeout, read=self.settings.read_timeout),
            retries=False,
        )

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None, accept: str = "*/*") -> Response:
        """GET ``url`` politely; raises :class:`FetchError` for anything but a usable answer (or 304)."""
        if urlsplit(url).scheme not in ("http", "https"):
            raise FetchError(url, "only http and https URLs can be fetched")
        if not self.allowed(url):
            raise FetchError(url, "robots.txt disallows fetching it")
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        attempt = 0
        while True:
            response = self._follow(url, headers)
            if response.status not in RETRY_STATUSES:
                break
            wait = _retry_after(response.headers.get("retry-after"))
            if wait is None:
                wait = self.settings.backoff_seconds * 2**attempt
            if attempt >= self.settings.retries or wait > self.settings.max_retry_wait_seconds:
                what = "too many requests (429)" if response.status == 429 else f"server error {response.status}"
                raise FetchError(url, what, retry_after=wait)
            logger.info("%s answered %d; retrying in %.1fs", url, response.status, wait)
            self.sleep(wait)
            attempt += 1
        if response.status in (200, 203, 304):
            return response
        raise FetchError(url, f"HTTP {response.status}")

    def _follow(self, url: str, headers: dict[str, str]) -> Response:
        """One request, following redirects by hand so each hop gets the per-host delay and robots check."""
        seen = [url]
        for _ in range(self.settings.max_redirects + 1):
            response = self._request(url, headers)
            if response.status not in (301, 302, 303, 307, 308):
                return response
            target = response.headers.get("location")
            if not target:
                raise FetchError(url, f"redirect ({response.status}) without a Location")
            url = urljoin(url, target)
            if url in seen:
                raise FetchError(seen[0], f"redirect loop ({' → '.join([*seen, url])})")
            if not self.allowed(url):
                raise FetchError(url, "robots.txt disallows fetching it")
            seen.append(url)
        raise FetchError(seen[0], f"more than {self.settings.max_redirects} redirects")

    def _request(self, url: str, headers: dict[str, str]) -> Response:
        self._wait_for_host(url)
        cap = self.settings.max_bytes
        try:
            raw = self._pool.request(
                "GET", url, headers={**self._headers, **headers}, preload_content=False, redirect=False
            )
        except urllib3.exceptions.NewConnectionError:  # a subclass of the timeout, checked first
            raise FetchError(url, "cannot connect (connection refused or no route)") from None
        except urllib3.exceptions.NameResolutionError:
            raise FetchError(url, "cannot connect (unknown host name)") from None
        except urllib3.exceptions.TimeoutError:
            raise FetchError(url, "timed out") from None
        except urllib3.exceptions.HTTPError as exc:
            raise FetchError(url, f"cannot connect ({type(exc).__name__})") from None
        try:
            declared = int(raw.headers.get("content-length") or 0)
            if declared > cap:
                raise FetchError(url, f"the response is {declared:,} bytes; the limit is {cap:,}")
            chunks, size = [], 0
            for chunk in raw.stream(64 * 1024, decode_content=True):
                size += len(chunk)
                if size > cap:
                    raise FetchError(url, f"the response is larger than the {cap:,}-byte limit")
                chunks.append(chunk)
        except urllib3.exceptions.TimeoutError:
            raise FetchError(url, "timed out while reading") from None
        except urllib3.exceptions.HTTPError as exc:
            raise FetchError(url, f"the connection broke while reading ({type(exc).__name__})") from None
        finally:
            raw.release_conn()
        return Response(url, raw.status, {k.lower(): v for k, v in raw.headers.items()}, b"".join(chunks))

    def _wait_for_host(self, url: str) -> None:
        host = urlsplit(url).netloc.lower()
        with self._lock:
            now = self.clock()
            ready = self._last.get(host, float("-inf")) + self.settings.min_host_delay_seconds
            self._last[host] = max(now, ready)
        if ready > now:
            self.sleep(ready - now)

    def allowed(self, url: str) -> bool:
        """What the site's robots.txt says for our User-Agent; a missing or broken robots.txt allows."""
        if not self.settings.respect_robots:
            return True
        parts = urlsplit(url)
        root = f"{parts.scheme}://{parts.netloc}"
        cached = self._robots.get(root)
        if cached is None or self.clock() - cached.fetched > ROBOTS_TTL_SECONDS:
            parser = urllib.robotparser.RobotFileParser()
            try:
                response = self._request(root + "/robots.txt", {"Accept": "text/plain"})
                if response.status in (401, 403):
                    parser.disallow_all = True
                elif response.status == 200:
                    parser.parse(response.body.decode("utf-8", errors="replace").splitlines())
                else:
                    parser.allow_all = True
            except FetchError:
                parser.allow_all = True
            cached = self._robots[root] = _Robots(parser, self.clock())
        return cached.parser.can_fetch(self.settings.user_agent, url)


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header: a number, or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
