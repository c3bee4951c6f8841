"""Following sources end to end over real HTTP: feeds, sitemaps and pages become quoted, dated
answers; failing sources are reported and never stop the others or lose what is stored."""

from __future__ import annotations

import dataclasses
from datetime import datetime

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from corpus.normalize import normalize
from news.client import Client
from news.fetch import SourceState, fetch_all, fetch_urls
from news.sources import FetchSettings, Source
from retrieval.answer.quotes import wire_key
from tests.news.sites import LIBRARY, METRO, RAIN, Agency

LIBRARY_QUESTION = "کتابخانه مرکزی یزد کی افتتاح می‌شود؟"
LIBRARY_ANSWER = LIBRARY.paragraphs[0]


@pytest.fixture
def sites(httpserver):
    isna = Agency(httpserver, "/isna", "ایسنا")
    irna = Agency(httpserver, "/irna", "ایرنا")
    maps = Agency(httpserver, "/maps", "همشهری", dated_pages=False)
    isna.add(LIBRARY)
    irna.add(RAIN)
    maps.add(METRO)
    return isna, irna, maps


def body_at(url: str) -> bytes:
    """What a stand-in site serves at ``url``, read as any client would (to serve it again elsewhere)."""
    local = Client(FetchSettings(min_host_delay_seconds=0, respect_robots=False, allow_private_hosts=("localhost", "127.0.0.1")))
    return local.get(url).body


@pytest.fixture
def other_site():
    """A second site on its own origin (its own port), for a site's address given alone."""
    site = HTTPServer(host="127.0.0.1", port=0)
    site.start()
    yield site
    site.clear()
    site.stop()


def page_requests(httpserver, prefix: str) -> int:
    return sum(1 for request, _ in httpserver.log if request.path.startswith(f"{prefix}/news/"))


def test_feeds_and_a_sitemap_become_dated_cited_answers(fresh_engine, sites, client):
    isna, irna, maps = sites
    engine = fresh_engine()
    sources = [
        Source(feed=isna.url("/rss"), name="ایسنا"),
        Source(feed=irna.url("/atom"), name="ایرنا"),
        Source(sitemap=maps.url("/sitemap.xml"), name="همشهری آنلاین"),
    ]
    reports = fetch_all(engine, sources, client)
    assert [r.error for r in reports] == [None, None, None]
    assert [r.added for r in reports] == [1, 1, 1]

    quote = engine.ask(LIBRARY_QUESTION).quotes[0]
    assert LIBRARY_ANSWER in quote.text  # verbatim, ZWNJ kept
    assert quote.url == isna.url("/news/yazd-library") and quote.agency == "ایسنا"
    assert datetime.fromisoformat(quote.published) == LIBRARY.published
    metro = engine.ask("خط سوم قطار شهری مشهد چند ایستگاه دارد؟").quotes[0]
    assert datetime.fromisoformat(metro.published) == METRO.published, "the undated page takes the sitemap's time"
    assert metro.agency == "همشهری آنلاین"


def test_a_second_pass_fetches_only_what_is_new(httpserver, fresh_engine, sites, client):
    isna, _, _ = sites
    engine = fresh_engine()
    source = Source(feed=isna.url("/rss"))
    fetch_all(engine, [source], client)
    before = page_requests(httpserver, "/isna")
    again = fetch_all(engine, [source], client)[0]
    assert again.fetched == 0 and page_requests(httpserver, "/isna") == before
    isna.add(RAIN)
    third = fetch_all(engine, [source], client)[0]
    assert third.fetched == 1 and third.added == 1
    assert "تهران" in engine.ask("بارش باران در تهران از کی آغاز می‌شود؟").quotes[0].text


def test_the_same_story_linked_twice_with_tracking_parameters_is_one_article(fresh_engine, sites, client):
    isna, _, _ = sites
    engine = fresh_engine()
    fetch_all(engine, [Source(feed=isna.url("/rss")), Source(feed=isna.url("/atom"))], client)
    assert engine.stats().articles == 1


def test_failing_sources_are_reported_and_the_others_still_update(httpserver, fresh_engine, sites, client):
    isna, irna, _ = sites
    httpserver.expect_request("/down/rss").respond_with_data("oops", status=500)
    httpserver.expect_request("/missing/rss").respond_with_data("no", status=404)
    httpserver.expect_request("/busy/rss").respond_with_data("later", status=429, headers={"Retry-After": "600"})
    httpserver.expect_request("/broken/rss").respond_with_data("<rss><channel><item><title>x", content_type="text/xml")
    httpserver.expect_request("/empty/rss").respond_with_data('<rss version="2.0"><channel><title>e</title></channel></rss>')
    httpserver.expect_request("/image/rss").respond_with_data(
        f'<rss version="2.0"><channel><item><link>{httpserver.url_for("/image/photo.jpg")}</link></item>'
        f"<item><link>{httpserver.url_for('/image/dead')}</link></item></channel></rss>"
    )
    httpserver.expect_request("/image/photo.jpg").respond_with_data(b"\xff\xd8\xff", content_type="image/jpeg")
    httpserver.expect_request("/image/dead").respond_with_data("no", status=404)
    engine = fresh_engine()
    fetch_all(engine, [Source(feed=isna.url("/rss"))], client)
    stored = engine.stats().articles

    names = ["down", "missing", "busy", "broken", "empty", "image"]
    sources = [Source(feed=httpserver.url_for(f"/{n}/rss"), name=n) for n in names] + [Source(feed=irna.url("/atom"))]
    reports = {r.source.name or "irna": r for r in fetch_all(engine, sources, client)}
    assert "server error 500" in reports["down"].error
    assert "HTTP 404" in reports["missing"].error
    assert "too many requests (429)" in reports["busy"].error
    assert "not a readable feed" in reports["broken"].error
    assert reports["empty"].error is None and reports["empty"].listed == 0
    assert "2 of 2 article pages failed" in reports["image"].error and "not an HTML page (image/jpeg)" in reports["image"].error
    assert reports["irna"].error is None and reports["irna"].added == 1
    assert engine.stats().articles == stored + 1, "nothing stored was lost"

    busy = SourceState.load(engine, sources[2])
    assert busy.next_fetch - busy.last_fetch >= 600, "Retry-After pushes the next fetch back"
    assert "HTTP 404" in SourceState.load(engine, sources[1]).last_error


def test_fetching_urls_given_on_the_command_line(fresh_engine, sites, client):
    isna, _, maps = sites
    engine = fresh_engine()
    reports = fetch_urls(engine, [isna.url("/news/yazd-library"), maps.url("/sitemap.xml")], client)
    assert [r.source.kind for r in reports] == ["page", "sitemap"]
    assert engine.stats().articles == 2


def test_a_url_is_told_by_what_it_serves_not_by_the_type_it_claims(fresh_engine, sites, client, httpserver):
    """Sites serve feeds as text/html and pages as text/plain."""
    isna, _, _ = sites
    feed = body_at(isna.url("/rss"))
    page = body_at(isna.url("/news/yazd-library"))
    httpserver.expect_request("/as-html/rss").respond_with_data(feed, content_type="text/html; charset=utf-8")
    httpserver.expect_request("/as-text/news").respond_with_data(page, content_type="text/plain")
    reports = fetch_urls(fresh_engine(), [httpserver.url_for("/as-html/rss"), httpserver.url_for("/as-text/news")], client)
    assert [r.source.kind for r in reports] == ["feed", "page"]
    assert [r.error for r in reports] == [None, None]


def test_max_articles_caps_one_pass(fresh_engine, sites, client):
    isna, _, _ = sites
    isna.add(RAIN)
    isna.add(METRO)
    engine = fresh_engine()
    report = fetch_all(engine, [dataclasses.replace(Source(feed=isna.url("/rss")), max_articles=2)], client)[0]
    assert report.listed == 2 and engine.stats().articles == 2


def test_keep_days_removes_older_articles_the_way_remove_does(fresh_engine, sites, client):
    from news.fetch import retire
    from retrieval import check

    isna, irna, _ = sites
    engine = fresh_engine()
    fetch_all(engine, [Source(feed=isna.url("/rss")), Source(feed=irna.url("/atom"))], client)
    noon = datetime(2026, 11, 22, 12, 0, tzinfo=RAIN.published.tzinfo).timestamp()
    assert retire(engine, 0, noon) == [], "0 keeps everything"
    removed = retire(engine, 0.5, noon)  # the library story is a day old, the rain story four hours
    assert len(removed) == 1 and engine.storage.documents.article(removed[0]) is None
    assert all(q.title != LIBRARY.title for q in engine.ask(LIBRARY_QUESTION, k=5).quotes)
    assert engine.stats().articles == 1 and check(engine).ok


def test_wire_copy_on_two_agencies_is_quoted_once_and_names_the_other(fresh_engine, sites, client):
    isna, irna, _ = sites
    irna.add(dataclasses.replace(LIBRARY, slug="yazd-library-irna", code="88123"))  # the same story, credited to IRNA
    engine = fresh_engine()
    fetch_all(engine, [Source(feed=isna.url("/rss"), name="ایسنا"), Source(feed=irna.url("/atom"), name="ایرنا")], client)
    answer = engine.ask(LIBRARY_QUESTION, k=5)
    keys = [wire_key(normalize(q.text)) for q in answer.quotes]
    assert len(keys) == len(set(keys)), [q.text for q in answer.quotes]
    top = answer.quotes[0]
    assert LIBRARY_ANSWER in top.text
    assert {top.agency, *top.also} == {"ایسنا", "ایرنا"}, (top.agency, top.also)


def test_a_sites_address_given_as_its_feed_follows_the_feed_its_pages_name(fresh_engine, sites, client, httpserver):
    """Operators give a site's address where its feed belongs (and `pasokh fetch https://site/`):
    the home page names its feed in its head, which is what is followed; a comments feed named
    first is not. An article's page names the site's feed too, and is still read as the article."""
    isna, _, _ = sites
    served = {"etag_asked": 0}
    feeds = (
        f'<link rel="alternate" type="application/rss+xml" title="نظرات" href="{isna.url("/comments/rss")}">'
        f'<link rel="alternate" type="application/rss+xml" title="ایسنا" href="{isna.url("/rss")}">'
    )
    home = f'<!DOCTYPE html><html lang="fa"><head><meta charset="utf-8"><title>ایسنا</title>{feeds}</head><body></body></html>'

    def home_page(request):
        if request.headers.get("If-None-Match"):
            served["etag_asked"] += 1
            return Response(status=304)
        return Response(home, content_type="text/html; charset=utf-8", headers={"ETag": '"home-1"'})

    httpserver.expect_request("/").respond_with_handler(home_page)
    engine = fresh_engine()
    source = Source(feed=httpserver.url_for("/"))
    first = fetch_all(engine, [source], client)[0]
    assert first.error is None and first.added == 1, first.error
    assert LIBRARY_ANSWER in engine.ask(LIBRARY_QUESTION).quotes[0].text
    isna.add(RAIN)
    second = fetch_all(engine, [source], client)[0]
    assert second.added == 1 and served["etag_asked"] == 0, "the home page's validators never hide the feed's news"
    (report,) = fetch_urls(fresh_engine(), [httpserver.url_for("/")], client)
    assert report.source.kind == "feed" and report.error is None and report.listed == 2
    article = body_at(isna.url("/news/yazd-library")).decode("utf-8").replace("</head>", feeds + "</head>", 1)
    httpserver.expect_request("/story/1").respond_with_data(article, content_type="text/html; charset=utf-8")
    (story,) = fetch_urls(fresh_engine(), [httpserver.url_for("/story/1")], client)
    assert story.source.kind == "page" and story.error is None and story.listed == 1


def test_fetching_a_sites_address_reads_its_home_page_once(fresh_engine, sites, client, other_site):
    """`pasokh fetch https://site/` for a home page naming a feed on its own origin follows that
    feed at once: the home page is not fetched again to find it."""
    isna, _, _ = sites
    site = other_site
    hits = {"home": 0}
    head = f'<link rel="alternate" type="application/rss+xml" href="{site.url_for("/rss")}">'
    home = f'<!DOCTYPE html><html lang="fa"><head><meta charset="utf-8"><title>ایسنا</title>{head}</head><body></body></html>'

    def home_page(request):
        hits["home"] += 1
        return Response(home, content_type="text/html; charset=utf-8")

    site.expect_request("/").respond_with_handler(home_page)
    site.expect_request("/rss").respond_with_data(body_at(isna.url("/rss")), content_type="application/rss+xml")
    (report,) = fetch_urls(fresh_engine(), [site.url_for("/")], client)
    assert (report.source.kind, report.source.url) == ("feed", site.url_for("/rss"))
    assert report.listed >= 1 and hits["home"] == 1  # (its items, on another local server, are refused)


def test_a_sites_address_that_names_no_feed_follows_the_sitemap_its_robots_txt_names(fresh_engine, sites, client, other_site):
    """`pasokh fetch https://site/` for a site whose home page names no feed: its robots.txt names
    its sitemap (one it points at another origin, an internal service say, is not followed: a
    sitemap becomes a source, and sources may be anywhere). Given as a configured feed, such a
    page gets one line saying what to give."""
    isna, _, _ = sites
    story = body_at(isna.url("/news/yazd-library"))
    site = other_site
    home = '<!DOCTYPE html><html lang="fa"><head><meta charset="utf-8"><title>همشهری</title></head><body></body></html>'
    site.expect_request("/").respond_with_data(home, content_type="text/html; charset=utf-8")
    site.expect_request("/news/1").respond_with_data(story, content_type="text/html; charset=utf-8")
    urls = f"<url><loc>{site.url_for('/news/1')}</loc></url>"
    sitemap = f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    site.expect_request("/sitemap.xml").respond_with_data(sitemap, content_type="application/xml")
    robots = f"User-agent: *\nDisallow: /admin\nSitemap: {isna.url('/sitemap.xml')}\nSitemap: /sitemap.xml\n"
    site.expect_request("/robots.txt").respond_with_data(robots, content_type="text/plain")
    (report,) = fetch_urls(fresh_engine(), [site.url_for("/")], client)
    assert (report.source.kind, report.source.url) == ("sitemap", site.url_for("/sitemap.xml"))
    assert report.error is None and report.added == 1, report.error
    assert not any(request.path == "/isna/sitemap.xml" for request, _ in isna.server.log), "another origin's sitemap"
    configured = fetch_all(fresh_engine(), [Source(feed=site.url_for("/"))], client)[0]
    assert "names no feed: give the feed's or the sitemap's address" in configured.error
