"""Stories read again after they are stored, over real HTTP: a correction the feed does not
mention replaces the old words, a story the site takes back stops being quoted, and nothing
that only looks like a takedown (a server error, a site down for every story, one bad answer)
removes anything."""

from __future__ import annotations

import dataclasses

import pytest
from prometheus_client import REGISTRY
from werkzeug import Response

from news import recheck
from news.client import Client
from news.fetch import SourceState, fetch_all, status
from news.pages import article_id
from news.sources import FetchSettings, Source
from tests.news.sites import LIBRARY, RAIN, Agency

LIBRARY_QUESTION = "کتابخانه مرکزی یزد کی افتتاح می‌شود؟"
RAIN_QUESTION = "بارش باران در تهران از کی آغاز می‌شود؟"
NOT_FOUND_PAGE = """<!DOCTYPE html><html lang="fa"><head><title>خطا</title></head><body>
<header><a href="/">صفحه اصلی</a></header><main><h1>خطای ۴۰۴</h1><p>خبر مورد نظر یافت نشد.</p></main></body></html>"""
HOME_PAGE = """<!DOCTYPE html><html lang="fa"><head><title>خبرگزاری ایسنا</title></head><body><main><ul>
<li><a href="/isna/news/a">خبر اول امروز درباره بودجه سال آینده کشور</a></li>
<li><a href="/isna/news/b">خبر دوم امروز درباره مسابقات فوتبال باشگاهی</a></li></ul></main></body></html>"""


@pytest.fixture
def isna(httpserver):
    site = Agency(httpserver, "/isna", "ایسنا")
    site.add(LIBRARY)
    site.add(RAIN)
    return site


def later(engine, source: Source, hours: float = 2.0) -> None:
    """As if ``hours`` had passed since the source's last pass (its state's clocks moved back)."""
    state = SourceState.load(engine, source)
    back = hours * 3600
    state.read_at = {url: [t - back for t in times] for url, times in state.read_at.items()}
    state.gone = {url: when - back for url, when in state.gone.items()}
    state.save(engine, source)


def quoted_urls(engine, question: str) -> set[str]:
    return {q.url for q in engine.ask(question).quotes}


def passes(engine, source: Source, client: Client, n: int) -> list:
    reports = []
    for _ in range(n):
        later(engine, source)
        reports.append(fetch_all(engine, [source], client)[0])
    return reports


@pytest.mark.parametrize(
    "answer",
    [
        Response("gone", status=410),
        Response("no", status=404),
        Response(NOT_FOUND_PAGE, content_type="text/html; charset=utf-8"),
        Response("", status=302, headers={"Location": "/"}),
    ],
    ids=["410", "404", "not-found-page-as-200", "redirect-to-home"],
)
def test_a_story_its_site_takes_back_stops_being_quoted_on_the_second_look(httpserver, fresh_engine, isna, client, answer):
    httpserver.expect_request("/").respond_with_data(HOME_PAGE, content_type="text/html; charset=utf-8")
    engine = fresh_engine()
    source = Source(feed=isna.url("/rss"), name="ایسنا")
    assert fetch_all(engine, [source], client)[0].added == 2
    library = isna.url("/news/yazd-library")
    assert library in quoted_urls(engine, LIBRARY_QUESTION)

    isna.take_down(LIBRARY, answer)
    first = passes(engine, source, client, 1)[0]
    assert first.error is None and first.removed == []
    assert library in quoted_urls(engine, LIBRARY_QUESTION), "one look is not enough: a site can fail for a moment"

    counted = REGISTRY.get_sample_value("pasokh_fetch_articles_removed_total", {"source": source.label}) or 0
    second = passes(engine, source, client, 1)[0]
    assert second.removed == [article_id(library)]
    assert library not in quoted_urls(engine, LIBRARY_QUESTION)
    assert engine.stats().articles == 1
    assert isna.url("/news/tehran-rain") in quoted_urls(engine, RAIN_QUESTION), "the other story stays"
    assert status(engine, [source])[0]["taken_back"] == 1
    assert REGISTRY.get_sample_value("pasokh_fetch_articles_removed_total", {"source": source.label}) == counted + 1


def test_a_correction_the_feed_does_not_mention_replaces_the_old_words(fresh_engine, isna, client):
    engine = fresh_engine()
    source = Source(feed=isna.url("/rss"))
    fetch_all(engine, [source], client)
    corrected = "شهردار یزد گفت: کتابخانه مرکزی یزد با ظرفیت سیصد هزار جلد کتاب ماه آینده افتتاح می‌شود."
    isna.edit(dataclasses.replace(LIBRARY, paragraphs=[corrected, *LIBRARY.paragraphs[1:]]))

    report = passes(engine, source, client, 1)[0]
    assert report.updated == 1 and report.added == 0
    quote = engine.ask(LIBRARY_QUESTION).quotes[0]
    assert "ماه آینده" in quote.text and "هفته آینده" not in quote.text
    assert quote.published == engine.storage.documents.article(quote.article_id).published


@pytest.mark.parametrize("answer", [Response("down", status=503), Response("", status=403)], ids=["503", "403"])
def test_an_answer_that_says_nothing_about_the_story_removes_nothing(fresh_engine, isna, client, answer):
    engine = fresh_engine()
    source = Source(feed=isna.url("/rss"))
    fetch_all(engine, [source], client)
    isna.take_down(LIBRARY, answer)
    reports = passes(engine, source, client, 3)
    assert all(r.removed == [] for r in reports)
    assert isna.url("/news/yazd-library") in quoted_urls(engine, LIBRARY_QUESTION)


def test_a_site_answering_not_found_for_every_story_is_failing_and_loses_none(fresh_engine, isna, client):
    engine = fresh_engine()
    source = Source(feed=isna.url("/rss"))
    fetch_all(engine, [source], client)
    for story in (LIBRARY, RAIN):
        isna.take_down(story, Response("maintenance", status=404), unlist=False)
    reports = passes(engine, source, client, 3)
    assert all(r.removed == [] for r in reports)
    assert engine.stats().articles == 2


def test_a_story_back_before_its_second_look_stays(fresh_engine, isna, client):
    engine = fresh_engine()
    source = Source(feed=isna.url("/rss"))
    fetch_all(engine, [source], client)
    isna.take_down(LIBRARY, Response("no", status=404), unlist=False)
    passes(engine, source, client, 1)
    isna.edit(LIBRARY)
    reports = passes(engine, source, client, 2)
    assert all(r.removed == [] for r in reports)
    assert SourceState.load(engine, source).gone == {}
    assert isna.url("/news/yazd-library") in quoted_urls(engine, LIBRARY_QUESTION)


def test_reading_again_can_be_turned_off(fresh_engine, isna):
    engine = fresh_engine()
    client = Client(FetchSettings(min_host_delay_seconds=0, respect_robots=False, retries=0, recheck_hours=0))
    source = Source(feed=isna.url("/rss"))
    fetch_all(engine, [source], client)
    isna.take_down(LIBRARY, Response("gone", status=410))
    reports = passes(engine, source, client, 3)
    assert all(r.removed == [] and r.fetched == 0 for r in reports)


def test_a_new_items_address_leading_to_the_home_page_is_not_stored_as_a_story(httpserver, fresh_engine, client):
    httpserver.expect_request("/").respond_with_data(HOME_PAGE * 3, content_type="text/html; charset=utf-8")
    httpserver.expect_request("/old/news/1").respond_with_data("", status=301, headers={"Location": "/"})
    link = httpserver.url_for("/old/news/1")
    feed = f'<rss version="2.0"><channel><item><title>خبر</title><link>{link}</link></item></channel></rss>'
    httpserver.expect_request("/old/rss").respond_with_data(feed, content_type="application/rss+xml")
    engine = fresh_engine()
    report = fetch_all(engine, [Source(feed=httpserver.url_for("/old/rss"))], client)[0]
    assert report.added == 0 and "home page" in report.error
    assert engine.stats().articles == 0


HOUR = 3600.0


def test_stories_are_read_again_less_often_as_they_age_and_not_after_the_window():
    now = 100 * HOUR
    published = {"new": None, "old": None, "unknown": now - 10 * HOUR, "ancient": now - 90 * HOUR}
    read_at = {"new": [now - 0.5 * HOUR, now - 0.5 * HOUR], "old": [now - 40 * HOUR, now - 10 * HOUR]}
    assert recheck.due(read_at, published, [], now, hours=48, limit=10) == ["unknown", "new"]
    read_at["old"] = [now - 40 * HOUR, now - 25 * HOUR]  # unread for 25 h, after 15 h stored: its turn
    assert recheck.due(read_at, published, [], now, hours=48, limit=10) == ["unknown", "old", "new"]
    read_at["new"] = [now - 0.1 * HOUR, now - 0.1 * HOUR]
    assert "new" not in recheck.due(read_at, published, [], now, hours=48, limit=10), "too soon after it was read"
    assert recheck.due(read_at, published, ["new"], now, hours=48, limit=1) == ["new"], "a second look goes first"
    assert recheck.due(read_at, published, [], now, hours=0, limit=10) == []


def test_what_counts_as_a_story_taken_back():
    from news.client import FetchError
    from news.pages import PageError, StoryNotFound

    assert recheck.gone_reason(FetchError("u", "HTTP 410", status=410)) == "HTTP 410"
    assert recheck.gone_reason(FetchError("u", "HTTP 404", status=404)) == "HTTP 404"
    assert recheck.gone_reason(StoryNotFound("the page says the story is not found"))
    for passing in (FetchError("u", "server error 503"), FetchError("u", "HTTP 403", status=403), FetchError("u", "timed out")):
        assert recheck.gone_reason(passing) is None
    assert recheck.gone_reason(PageError("the site answered with a browser check")) is None
    assert recheck.is_home("https://x.ir/") and recheck.is_home("https://x.ir") and recheck.is_home("https://x.ir/fa/")
    assert not recheck.is_home("https://x.ir/news/12") and not recheck.is_home("https://x.ir/fa/news/12")


def test_a_page_that_keeps_failing_waits_its_turn_and_the_others_are_still_read(fresh_engine, isna):
    """One read a pass: a story whose page always fails must not hold that place for ever."""
    engine = fresh_engine()
    client = Client(FetchSettings(min_host_delay_seconds=0, respect_robots=False, retries=0, rechecks_per_pass=1))
    source = Source(feed=isna.url("/rss"))
    fetch_all(engine, [source], client)
    state = SourceState.load(engine, source)  # the failing story is the one read longest ago
    state.read_at[isna.url("/news/yazd-library")] = [t - 3600 for t in state.read_at[isna.url("/news/yazd-library")]]
    state.save(engine, source)
    isna.take_down(LIBRARY, Response("down", status=503), unlist=False)
    corrected = "کارشناس سازمان هواشناسی گفت: بارش باران در تهران از پس‌فردا آغاز می‌شود و تا جمعه ادامه دارد."
    isna.edit(dataclasses.replace(RAIN, paragraphs=[corrected, *RAIN.paragraphs[1:]]))
    reports = passes(engine, source, client, 3)
    assert sum(r.updated for r in reports) == 1
    assert "پس‌فردا" in engine.ask(RAIN_QUESTION).quotes[0].text
