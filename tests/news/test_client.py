"""The polite client against a real local HTTP server misbehaving in every way a news site can."""

from __future__ import annotations

import time

import pytest
from werkzeug import Response

from news.client import Client, FetchError
from news.sources import FetchSettings


class Clock:
    """Time that only moves when the client sleeps, so delays are checked without waiting."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds

    def __call__(self) -> float:
        return self.now


def client(clock: Clock | None = None, **settings) -> Client:
    # the test server stands in for the operator's own source host
    base = {
        "min_host_delay_seconds": 0.0,
        "respect_robots": False,
        "backoff_seconds": 0.5,
        "allow_private_hosts": ("127.0.0.1", "localhost"),
        **settings,
    }
    clock = clock or Clock()
    return Client(FetchSettings(**base), sleep=clock.sleep, clock=clock)


def test_the_user_agent_names_pasokh(httpserver):
    httpserver.expect_request("/feed", headers={"User-Agent": FetchSettings().user_agent}).respond_with_data("ok")
    assert client().get(httpserver.url_for("/feed")).body == b"ok"
    assert "Pasokh/" in FetchSettings().user_agent


def test_conditional_get_sends_the_validators_and_understands_304(httpserver):
    httpserver.expect_request("/feed", headers={"If-None-Match": '"v1"'}).respond_with_data("", status=304)
    validators = {"ETag": '"v1"', "Last-Modified": "Sat, 21 Nov 2026 09:00:00 GMT"}
    httpserver.expect_request("/feed").respond_with_data("<rss/>", headers=validators)
    c = client()
    first = c.get(httpserver.url_for("/feed"))
    assert first.status == 200 and first.headers["etag"] == '"v1"'
    again = c.get(httpserver.url_for("/feed"), etag='"v1"', last_modified=first.headers["last-modified"])
    assert again.not_modified and again.body == b""


def test_requests_to_one_host_are_spaced_out(httpserver):
    httpserver.expect_request("/a").respond_with_data("a")
    clock = Clock()
    c = client(clock, min_host_delay_seconds=2.0)
    for _ in range(3):
        c.get(httpserver.url_for("/a"))
    assert clock.slept == [pytest.approx(2.0), pytest.approx(2.0)]


def test_robots_txt_is_respected(httpserver):
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /private/\n")
    httpserver.expect_request("/private/page").respond_with_data("secret")
    httpserver.expect_request("/public/page").respond_with_data("hello")
    c = client(respect_robots=True)
    assert c.get(httpserver.url_for("/public/page")).body == b"hello"
    with pytest.raises(FetchError, match=r"robots\.txt disallows"):
        c.get(httpserver.url_for("/private/page"))


def test_a_crawl_delay_in_robots_txt_spaces_requests_out_up_to_a_cap(httpserver):
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nCrawl-delay: 5\n")
    httpserver.expect_request("/a").respond_with_data("a")
    clock = Clock()
    c = client(clock, respect_robots=True, min_host_delay_seconds=1.0)
    for _ in range(3):
        c.get(httpserver.url_for("/a"))
    assert clock.slept[-2:] == [pytest.approx(5.0), pytest.approx(5.0)], "the site asked for five seconds"


def test_a_crawl_delay_of_a_day_is_capped(httpserver):
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nCrawl-delay: 86400\n")
    httpserver.expect_request("/a").respond_with_data("a")
    clock = Clock()
    c = client(clock, respect_robots=True)
    for _ in range(2):
        c.get(httpserver.url_for("/a"))
    assert max(clock.slept) == pytest.approx(30.0)


def test_a_5xx_is_retried_with_backoff(httpserver):
    httpserver.expect_oneshot_request("/flaky").respond_with_data("down", status=503)
    httpserver.expect_oneshot_request("/flaky").respond_with_data("down", status=500)
    httpserver.expect_request("/flaky").respond_with_data("up")
    clock = Clock()
    assert client(clock).get(httpserver.url_for("/flaky")).body == b"up"
    assert clock.slept == [0.5, 1.0]


def test_429_honours_retry_after_and_gives_up_when_it_is_too_long(httpserver):
    httpserver.expect_oneshot_request("/busy").respond_with_data("slow down", status=429, headers={"Retry-After": "7"})
    httpserver.expect_request("/busy").respond_with_data("fine")
    clock = Clock()
    assert client(clock).get(httpserver.url_for("/busy")).body == b"fine"
    assert clock.slept == [7.0]

    httpserver.expect_request("/closed").respond_with_data("come back later", status=429, headers={"Retry-After": "3600"})
    with pytest.raises(FetchError, match=r"too many requests \(429\)") as caught:
        client().get(httpserver.url_for("/closed"))
    assert caught.value.retry_after == 3600


def test_404_is_a_clear_error(httpserver):
    httpserver.expect_request("/gone").respond_with_data("no", status=404)
    with pytest.raises(FetchError, match="gone: HTTP 404"):
        client().get(httpserver.url_for("/gone"))


def test_a_server_that_stalls_past_the_timeout(httpserver):
    def stall(request):
        time.sleep(3)
        return Response("late")

    httpserver.expect_request("/stall").respond_with_handler(stall)
    started = time.monotonic()
    with pytest.raises(FetchError, match="timed out"):
        client(read_timeout=0.5).get(httpserver.url_for("/stall"))
    assert time.monotonic() - started < 2.5


def test_a_50_mb_response_is_refused_without_reading_it_all(httpserver):
    httpserver.expect_request("/huge").respond_with_data(b"x" * 50_000_000)
    with pytest.raises(FetchError, match="50,000,000 bytes; the limit is 5,000,000"):
        client().get(httpserver.url_for("/huge"))

    def endless(request):
        return Response((b"y" * 65536 for _ in range(800)), content_type="text/html")  # 50 MB, no Content-Length

    httpserver.expect_request("/stream").respond_with_handler(endless)
    with pytest.raises(FetchError, match="larger than the 5,000,000-byte limit"):
        client().get(httpserver.url_for("/stream"))


def test_a_redirect_loop_is_named(httpserver):
    httpserver.expect_request("/a").respond_with_data("", status=302, headers={"Location": "/b"})
    httpserver.expect_request("/b").respond_with_data("", status=301, headers={"Location": "/a"})
    httpserver.expect_request("/c").respond_with_data("", status=302, headers={"Location": "/final"})
    httpserver.expect_request("/final").respond_with_data("here")
    with pytest.raises(FetchError, match="redirect loop"):
        client().get(httpserver.url_for("/a"))
    landed = client().get(httpserver.url_for("/c"))
    assert landed.body == b"here" and landed.url.endswith("/final")


def test_nothing_listens(httpserver):
    url = "http://127.0.0.1:9/x"
    with pytest.raises(FetchError, match="cannot connect"):
        client(connect_timeout=1).get(url)


def test_a_gzip_file_served_cut_short_is_an_error_not_its_first_part(httpserver):
    """A ``sitemap.xml.gz`` whose upload stopped: unpacked as far as it goes, it passed for the
    whole file, its last entry's address cut anywhere."""
    import gzip

    entries = b"<url><loc>https://example.ir/news/1</loc></url>" * 200
    packed = gzip.compress(b'<?xml version="1.0"?><urlset>' + entries + b"</urlset>")
    httpserver.expect_request("/whole.xml.gz").respond_with_data(packed, content_type="application/gzip")
    httpserver.expect_request("/cut.xml.gz").respond_with_data(packed[: len(packed) // 2], content_type="application/gzip")
    assert client().get(httpserver.url_for("/whole.xml.gz")).body.endswith(b"</urlset>")
    with pytest.raises(FetchError, match="a gzip file that is cut short"):
        client().get(httpserver.url_for("/cut.xml.gz"))


def test_a_content_encoding_is_undone_bounded_and_a_lying_one_read_as_sent(httpserver):
    """A server that says gzip (or deflate) of a body it sent plain lost its page as «the
    connection broke while reading»: it is read as sent. A small gzip body that unpacks past the
    limit is refused without being unpacked whole, and bytes that are neither gzip nor text are
    one line."""
    import gzip
    import zlib

    page = "<html><body><p>شورای شهر یزد امروز طرح را تصویب کرد.</p></body></html>".encode()
    served = {
        "/plain-said-gzip": (page, "gzip"),
        "/plain-said-deflate": (page, "deflate"),
        "/gzip": (gzip.compress(page), "gzip"),
        "/raw-deflate": (zlib.compress(page)[2:-4], "deflate"),
        "/bomb": (gzip.compress(b"<" + b" " * 60_000_000), "gzip"),
        "/garbage": (bytes(range(256)) * 4, "gzip"),
    }
    for path, (body, encoding) in served.items():
        httpserver.expect_request(path).respond_with_response(
            Response(body, headers={"Content-Encoding": encoding, "Content-Type": "text/html"})
        )
    for path in ("/plain-said-gzip", "/plain-said-deflate", "/gzip", "/raw-deflate"):
        assert client().get(httpserver.url_for(path)).body == page, path
    with pytest.raises(FetchError, match="a body sent as gzip that unpacks to more than the 5,000,000-byte limit"):
        client().get(httpserver.url_for("/bomb"))
    with pytest.raises(FetchError, match="said to be gzip-compressed but is neither gzip nor text"):
        client().get(httpserver.url_for("/garbage"))
