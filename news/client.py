"""A polite, guarded HTTP client for news sites: conditional GET, a minimum delay per host,
robots.txt, timeouts and a total deadline per request, a size cap, and retries with backoff on
5xx and 429 (honouring ``Retry-After``).

Everything fetched is hostile. The operator's own sources (``trusted`` origins) may be on any
host; anything else a feed, sitemap, page or redirect leads to may not reach a loopback,
private, link-local or otherwise reserved address. That is checked on the address the socket
resolved and connected to (:class:`_Guarded`), so a name that resolves differently the second
time cannot slip through.

urllib3 does the HTTP; this module only decides when to ask, what to refuse, and how to say
what went wrong in one line (:class:`FetchError`), so a failing source never takes others down.
"""

from __future__ import annotations

import email.utils
import ipaddress
import logging
import re
import socket
import threading
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPSConnectionPool
from urllib3.exceptions import NameResolutionError

from corpus import compressed
from corpus.errors import CorpusError
from news.sources import FetchSettings

logger = logging.getLogger(__name__)
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
ROBOTS_TTL_SECONDS = 3600.0
MAX_CRAWL_DELAY = 30.0  # a robots.txt asking for more is honoured this far


class FetchError(CorpusError):
    """A URL could not be fetched; ``retry_after`` (seconds) when the server said when to come
    back, ``status`` when the server answered with an HTTP status it cannot be used with."""

    def __init__(self, url: str, reason: str, retry_after: float | None = None, status: int | None = None) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.retry_after = retry_after
        self.status = status


class BlockedAddress(Exception):
    """A connection reached an address that only the operator's own sources may use."""


Origin = tuple[str, str, int]


def origin_of(url: str) -> Origin:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), parts.port or (443 if scheme == "https" else 80)


def internal(address: str) -> bool:
    """Loopback, private, link-local, multicast, unspecified or reserved: not the public internet."""
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return True
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


class _Guarded:
    """A connection that resolves its host itself, checks every address, and connects to the
    one it checked: nothing is sent to, and no connection is opened with, an address the guard
    refuses, and a name that resolves differently a second time changes nothing."""

    scheme = "http"
    guard: Callable[[Origin, str], None] | None = None

    def _new_conn(self):  # type: ignore[no-untyped-def]
        if self.guard is not None:
            if not hasattr(self, "_asked_host"):  # urllib3 reports ``host`` from the address we pin below
                self._asked_host = str(self._dns_host).lower()  # type: ignore[attr-defined]
            host, port = self._asked_host, int(self.port)  # type: ignore[attr-defined]
            try:
                infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            except (socket.gaierror, UnicodeError) as exc:
                # reported here, never left to the parent's own lookup: a name whose first answer
                # fails and whose second is an internal address would reach it unchecked
                reason = exc if isinstance(exc, socket.gaierror) else socket.gaierror(str(exc))
                raise NameResolutionError(host, self, reason) from exc  # type: ignore[arg-type]
            addresses = list(dict.fromkeys(info[4][0] for info in infos))
            if not addresses:
                raise NameResolutionError(host, self, socket.gaierror("no address"))  # type: ignore[arg-type]
            for address in addresses:
                self.guard((self.scheme, host, port), address)
            self._dns_host = addresses[0]  # connect where we looked; TLS still checks the name
        return super()._new_conn()  # type: ignore[misc]


class _GuardedHTTP(_Guarded, HTTPConnection):
    scheme = "http"


class _GuardedHTTPS(_Guarded, HTTPSConnection):
    scheme = "https"


class _GuardedPools(urllib3.PoolManager):
    def __init__(self, guard: Callable[[Origin, str], None], **kw: object) -> None:
        super().__init__(**kw)  # type: ignore[arg-type]
        self._guard = guard

    def _new_pool(self, scheme, host, port, request_context=None):  # type: ignore[no-untyped-def]
        pool = super()._new_pool(scheme, host, port, request_context)
        base = _GuardedHTTPS if isinstance(pool, HTTPSConnectionPool) else _GuardedHTTP
        pool.ConnectionCls = type(base.__name__, (base,), {"guard": staticmethod(self._guard)})
        return pool


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
    trusted: set[Origin] = field(default_factory=set)
    _last: dict[str, float] = field(default_factory=dict)
    _robots: dict[str, _Robots] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._headers = {"User-Agent": self.settings.user_agent, "Accept-Encoding": "gzip, deflate"}
        self._allowed_hosts = {h.lower() for h in self.settings.allow_private_hosts}
        self._pool = _GuardedPools(
            self._check_address,
            timeout=urllib3.Timeout(connect=self.settings.connect_timeout, read=self.settings.read_timeout),
            retries=False,
        )

    def trust(self, url: str) -> None:
        """``url``'s origin is one of the operator's sources: it may be on any host."""
        self.trusted.add(origin_of(url))

    def _check_address(self, origin: Origin, address: str) -> None:
        if origin in self.trusted or origin[1] in self._allowed_hosts or not internal(address):
            return
        raise BlockedAddress(f"{origin[1]} is at {address}, an internal address; only configured sources may be")

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
        raise FetchError(url, f"HTTP {response.status}", status=response.status)

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
        started = time.monotonic()
        try:
            raw = self._pool.request("GET", url, headers={**self._headers, **headers}, preload_content=False, redirect=False)
        except BlockedAddress as exc:
            raise FetchError(url, f"refused: {exc}") from None
        except urllib3.exceptions.NameResolutionError:  # a kind of NewConnectionError: checked first
            raise FetchError(url, "cannot connect (unknown host name)") from None
        except urllib3.exceptions.NewConnectionError:  # a subclass of the timeout, checked before it
            raise FetchError(url, "cannot connect (connection refused or no route)") from None
        except urllib3.exceptions.TimeoutError:
            raise FetchError(url, "timed out") from None
        except urllib3.exceptions.HTTPError as exc:
            raise FetchError(url, f"cannot connect ({type(exc).__name__})") from None
        deadline = started + self.settings.request_deadline_seconds
        try:
            declared = int(raw.headers.get("content-length") or 0) if (raw.headers.get("content-length") or "").isdigit() else 0
            if declared > cap:
                raise FetchError(url, f"the response is {declared:,} bytes; the limit is {cap:,}")
            chunks, size = [], 0
            # read as sent: a server may say gzip of a body it never compressed (see _as_sent)
            while chunk := raw.read1(64 * 1024, decode_content=False):  # returns what one read brings: a trickle can't hold us
                size += len(chunk)
                if size > cap:
                    raise FetchError(url, f"the response is larger than the {cap:,}-byte limit")
                if time.monotonic() > deadline:
                    raise FetchError(url, f"took longer than {self.settings.request_deadline_seconds:g} s in all; gave up")
                chunks.append(chunk)
        except urllib3.exceptions.TimeoutError:
            raise FetchError(url, "timed out while reading") from None
        except urllib3.exceptions.HTTPError as exc:
            raise FetchError(url, f"the connection broke while reading ({type(exc).__name__})") from None
        finally:
            raw.release_conn()
        headers = {k.lower(): v for k, v in raw.headers.items()}
        body = _as_sent(b"".join(chunks), headers.get("content-encoding", ""), cap, url)
        return Response(url, raw.status, headers, gunzipped(body, cap, url))

    def _wait_for_host(self, url: str) -> None:
        host = urlsplit(url).netloc.lower()
        delay = self._host_delay(url)
        with self._lock:
            now = self.clock()
            ready = self._last.get(host, float("-inf")) + delay
            self._last[host] = max(now, ready)
        if ready > now:
            self.sleep(ready - now)

    def _host_delay(self, url: str) -> float:
        """Seconds between requests to one host: ours, or the robots.txt's ``Crawl-delay`` when it
        asks for more (up to :data:`MAX_CRAWL_DELAY`: a source's time budget bounds the rest)."""
        delay = self.settings.min_host_delay_seconds
        if self.settings.respect_robots:
            parts = urlsplit(url)
            cached = self._robots.get(f"{parts.scheme}://{parts.netloc}")
            asked = cached.parser.crawl_delay(self.settings.user_agent) if cached is not None else None
            if asked:
                delay = max(delay, min(float(asked), MAX_CRAWL_DELAY))
        return delay

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


_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1f]")  # what compressed bytes are full of and text has none of


def _plain(body: bytes) -> bool:
    """Whether a body is text as it stands (markup, a feed, robots.txt; UTF-16 by its mark)."""
    head = body[:512]
    return head.startswith((b"\xff\xfe", b"\xfe\xff")) or _CONTROL_BYTES.search(head) is None


def _as_sent(body: bytes, encoding: str, cap: int, url: str) -> bytes:
    """The body with its Content-Encoding undone, up to ``cap`` bytes. A server that says gzip
    or deflate of a body it sent plain (a misconfigured proxy, a CMS compressing twice or not
    at all) has its page read as sent, and the lie logged: browsers show an error and we lost
    the page as «the connection broke». An encoding we do not ask for or read («br») is read
    only when the body is plainly not encoded."""
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return body
    try:
        if encoding in ("gzip", "x-gzip") and body.startswith(compressed.GZIP_MAGIC):
            return compressed.gunzipped(body, cap)
        if encoding == "deflate" and not _plain(body):
            return compressed.inflated(body, cap)
    except compressed.UnpackError as exc:
        raise FetchError(url, f"a body sent as {encoding} that {exc}") from None
    if _plain(body):
        logger.warning("%s: the server says its body is %s-encoded but sent it plain; read as sent", url, encoding)
        return body
    if encoding in ("gzip", "x-gzip"):
        raise FetchError(url, "the body is said to be gzip-compressed but is neither gzip nor text")
    raise FetchError(url, f"the body is sent {encoding}-encoded, which Pasokh does not read (it asks for gzip or deflate)")


def gunzipped(body: bytes, cap: int, url: str) -> bytes:
    """A gzip file served as such (``sitemap.xml.gz``) opened, up to ``cap`` bytes."""
    try:
        return compressed.gunzipped(body, cap)
    except compressed.UnpackError as exc:
        raise FetchError(url, f"a gzip file that {exc}") from None
