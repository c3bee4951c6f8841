"""Feeds, sitemaps, pages and redirects that lie or attack, over real HTTP on 127.0.0.1: one bad
item is recorded and skipped, never stops the others, never reaches an internal address and
never changes another site's article. A second local server stands in for an internal service."""

from __future__ import annotations

import gzip
import html
import time
from datetime import UTC, datetime
from urllib.parse import unquote

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from corpus import dates
from news.client import Client, FetchError
from news.fetch import fetch_all, status
from news.pages import NotAnArticle, extract
from news.sources import FetchSettings, Source

GOOD = "شورای شهر یزد امروز طرح توسعه کتابخانه مرکزی را با اکثریت آرا تصویب کرد و اجرای آن از ماه آینده آغاز می‌شود."
SECRET = "رمز عبور پایگاه داده داخلی شرکت این است و نباید هرگز بیرون برود."
FORGED = "این متن جعلی است و هرگز نباید جای خبر اصلی را بگیرد چون از سایت دیگری آمده است."


def page(title: str, paragraph: str, canonical: str | None = None, extra_head: str = "") -> str:
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return (
        f'<!DOCTYPE html><html lang="fa"><head><meta charset="utf-8">{extra_head}<title>{html.escape(title)}</title>{link}'
        f'<meta property="article:published_time" content="2026-11-20T10:00:00+03:30"></head><body><article>'
        f"<h1>{html.escape(title)}</h1><p>{html.escape(paragraph)}</p><p>{html.escape(paragraph)} این خبر ادامه دارد.</p>"
        "</article></body></html>"
    )


def rss(items: list[tuple[str, str, str]]) -> str:
    """(link, title, pubDate) items."""
    body = "".join(
        f"<item><title>{html.escape(t)}</title><link>{html.escape(link)}</link><pubDate>{d}</pubDate></item>"
        for link, t, d in items
    )
    return f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>x</title>{body}</channel></rss>'


def atom(items: list[tuple[str, str, str]]) -> str:
    body = "".join(
        f'<entry><title>{html.escape(t)}</title><link href="{html.escape(link)}"/><id>{html.escape(link)}</id>'
        f"<updated>{d}</updated></entry>"
        for link, t, d in items
    )
    return f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>x</title>{body}</feed>'


DATE = "Fri, 20 Nov 2026 07:00:00 GMT"


@pytest.fixture
def internal():
    """An internal service on another local port: nothing may ever reach it from a feed's link."""
    server = HTTPServer(host="127.0.0.1", port=0)
    server.expect_request("/admin").respond_with_data(page("پنل داخلی", SECRET), content_type="text/html; charset=utf-8")
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()


@pytest.fixture
def client():
    return Client(FetchSettings(min_host_delay_seconds=0, respect_robots=False, retries=0, backoff_seconds=0.01))


def serve_page(httpserver, path: str, title: str, paragraph: str, **kw) -> str:
    httpserver.expect_request(path).respond_with_data(page(title, paragraph, **kw), content_type="text/html; charset=utf-8")
    return httpserver.url_for(path)


def test_a_feed_link_to_an_internal_address_is_refused_and_the_rest_is_stored(httpserver, internal, fresh_engine, client):
    good = serve_page(httpserver, "/news/good", "تصویب طرح کتابخانه", GOOD)
    feed = rss([(internal.url_for("/admin"), "پنل", DATE), (good, "تصویب طرح کتابخانه", DATE)])
    httpserver.expect_request("/rss").respond_with_data(feed, content_type="application/rss+xml")
    engine = fresh_engine()
    report = fetch_all(engine, [Source(feed=httpserver.url_for("/rss"), name="نمونه")], client)[0]
    assert not internal.log, "the internal service was never reached"
    assert report.added == 1 and any("internal address" in e for e in report.page_errors)
    assert "کتابخانه" in engine.ask("شورای شهر یزد چه طرحی را تصویب کرد؟").quotes[0].text
    assert all(SECRET not in q.text for q in engine.ask("رمز عبور پایگاه داده داخلی چیست؟").quotes)


def test_a_redirect_to_an_internal_address_is_refused(httpserver, internal, fresh_engine, client):
    httpserver.expect_request("/news/moved").respond_with_data("", status=302, headers={"Location": internal.url_for("/admin")})
    good = serve_page(httpserver, "/news/good", "تصویب طرح کتابخانه", GOOD)
    httpserver.expect_request("/rss").respond_with_data(
        rss([(httpserver.url_for("/news/moved"), "منتقل شد", DATE), (good, "تصویب", DATE)]), content_type="application/rss+xml"
    )
    engine = fresh_engine()
    report = fetch_all(engine, [Source(feed=httpserver.url_for("/rss"))], client)[0]
    assert not internal.log
    assert report.added == 1 and any("internal address" in e for e in report.page_errors)


def test_an_operator_may_allow_a_private_host_on_purpose(httpserver, internal, fresh_engine):
    feed = rss([(internal.url_for("/admin"), "پنل", DATE)])
    httpserver.expect_request("/rss").respond_with_data(feed, content_type="application/rss+xml")
    allowed = Client(FetchSettings(min_host_delay_seconds=0, respect_robots=False, allow_private_hosts=("127.0.0.1",)))
    report = fetch_all(fresh_engine(), [Source(feed=httpserver.url_for("/rss"))], allowed)[0]
    assert report.added == 1 and internal.log


def test_a_page_cannot_take_over_another_sites_article_by_its_canonical_url(httpserver, internal, fresh_engine, client):
    original = serve_page(httpserver, "/news/original", "تصویب طرح کتابخانه", GOOD)
    forged = internal.url_for("/news/forged")
    internal.expect_request("/news/forged").respond_with_data(
        page("تصویب طرح کتابخانه", FORGED, canonical=original), content_type="text/html; charset=utf-8"
    )
    engine = fresh_engine()
    sources = [Source(page=original, name="اصلی"), Source(page=forged, name="دیگری")]  # both the operator's
    reports = fetch_all(engine, sources, client)
    assert [r.added for r in reports] == [1, 1]
    quotes = engine.ask("شورای شهر یزد چه طرحی را تصویب کرد؟").quotes
    assert any(GOOD in q.text for q in quotes if q.url == original), "the original keeps its own text under its own URL"
    forged_quotes = engine.ask("کدام متن جعلی است و از سایت دیگری آمده است؟").quotes
    assert any(FORGED[:20] in q.text for q in forged_quotes)
    assert all(q.url != original for q in forged_quotes if FORGED[:20] in q.text), "the forgery is cited under its own URL"


def test_pages_that_all_name_the_home_page_as_their_canonical_url_stay_separate_articles(httpserver, fresh_engine, client):
    """A misconfigured content system names its home page as every page's canonical URL: taken
    at its word, each story would be stored over the last one."""
    home = httpserver.url_for("/")
    rain = "بارش باران در تهران از فردا آغاز می‌شود و تا آخر هفته ادامه دارد."
    links = [
        (serve_page(httpserver, "/news/1", "تصویب طرح کتابخانه", GOOD, canonical=home), "کتابخانه", DATE),
        (serve_page(httpserver, "/news/2", "خبر باران", rain, canonical="/"), "باران", DATE),
    ]
    httpserver.expect_request("/rss").respond_with_data(rss(links), content_type="application/rss+xml")
    engine = fresh_engine()
    report = fetch_all(engine, [Source(feed=httpserver.url_for("/rss"))], client)[0]
    assert report.added == 2
    assert {a.url for a in engine.iter_articles()} == {httpserver.url_for("/news/1"), httpserver.url_for("/news/2")}


def test_a_bad_charset_and_an_impossible_date_beside_good_items_stop_nothing(httpserver, fresh_engine, client):
    good = serve_page(httpserver, "/news/good", "تصویب طرح کتابخانه", GOOD)
    rain = "بارش باران در تهران از فردا آغاز می‌شود و تا آخر هفته ادامه دارد."
    undefined = serve_page(httpserver, "/news/undefined", "خبر دوم درباره باران", rain, extra_head='<meta charset="undefined">')
    metro = "خط سوم قطار شهری مشهد با بیست و چهار ایستگاه افتتاح شد."
    future = serve_page(httpserver, "/news/future", "خبر سوم درباره مترو", metro)
    when = "2026-11-20T07:00:00Z"
    feed = atom([(future, "مترو", "9999-12-31T23:59:59Z"), (undefined, "باران", when), (good, "کتابخانه", when)])
    httpserver.expect_request("/atom").respond_with_data(feed, content_type="application/atom+xml")
    engine = fresh_engine()
    report = fetch_all(engine, [Source(feed=httpserver.url_for("/atom"))], client)[0]
    assert report.error is None, report.error
    assert report.added == 3
    metro = engine.ask("خط سوم قطار شهری مشهد چند ایستگاه دارد؟").quotes[0]
    assert "ایستگاه" in metro.text and metro.published != "9999-12-31T23:59:59+00:00"


def test_a_feed_time_after_now_or_before_the_web_gives_way_to_the_pages_own(httpserver, fresh_engine, client):
    """A story dated years ahead would head every "latest" answer; a 1970 default would bury it."""
    rain = "بارش باران در تهران از فردا آغاز می‌شود و تا آخر هفته ادامه دارد."
    ahead = serve_page(httpserver, "/news/ahead", "خبر باران", rain)
    epoch = serve_page(httpserver, "/news/epoch", "تصویب طرح کتابخانه", GOOD)
    feed = rss([(ahead, "باران", "Fri, 01 Jan 2100 00:00:00 GMT"), (epoch, "کتابخانه", "Thu, 01 Jan 1970 00:00:00 GMT")])
    httpserver.expect_request("/rss").respond_with_data(feed, content_type="application/rss+xml")
    engine = fresh_engine()
    report = fetch_all(engine, [Source(feed=httpserver.url_for("/rss"))], client)[0]
    assert report.error is None and report.added == 2
    page_time = dates.parse("2026-11-20T10:00:00+03:30")
    for question in ("بارش باران در تهران تا کی ادامه دارد؟", "طرح توسعه کتابخانه مرکزی یزد کی اجرا می‌شود؟"):
        quote = engine.ask(question).quotes[0]
        assert dates.parse(quote.published) == page_time, (question, quote.published)


def test_a_zone_less_feed_time_is_tehrans_not_utc(httpserver, fresh_engine, client):
    metro = "خط سوم قطار شهری مشهد با بیست و چهار ایستگاه افتتاح شد."
    url = serve_page(httpserver, "/news/metro", "خبر مترو", metro)
    feed = rss([(url, "مترو", "Fri, 20 Nov 2026 10:30:00")])
    httpserver.expect_request("/rss").respond_with_data(feed, content_type="application/rss+xml")
    engine = fresh_engine()
    fetch_all(engine, [Source(feed=httpserver.url_for("/rss"))], client)
    quote = engine.ask("خط سوم قطار شهری مشهد چند ایستگاه دارد؟").quotes[0]
    assert dates.parse(quote.published) == datetime(2026, 11, 20, 7, 0, tzinfo=UTC)
    assert dates.jalali(dates.parse(quote.published)) == "۲۹ آبان ۱۴۰۵، ۱۰:۳۰"


def test_a_feed_that_gives_only_the_day_takes_the_time_from_the_page(httpserver, fresh_engine, client):
    """«1405/08/29» is a day, not midnight: the page's 10:00 that day is the story's time."""
    metro = "خط سوم قطار شهری مشهد با بیست و چهار ایستگاه افتتاح شد."
    url = serve_page(httpserver, "/news/metro", "خبر مترو", metro)
    httpserver.expect_request("/rss").respond_with_data(rss([(url, "مترو", "1405/08/29")]), content_type="application/rss+xml")
    engine = fresh_engine()
    fetch_all(engine, [Source(feed=httpserver.url_for("/rss"))], client)
    quote = engine.ask("خط سوم قطار شهری مشهد چند ایستگاه دارد؟").quotes[0]
    assert dates.jalali(dates.parse(quote.published)) == "۲۹ آبان ۱۴۰۵، ۱۰:۰۰"


def test_a_feed_that_times_every_item_now_neither_dates_the_stories_nor_refetches_them(httpserver, fresh_engine, client):
    """Feeds generated on request stamp every item with the request's time, new on each pass."""
    stories = {
        "/news/rain": ("خبر باران", "بارش باران در تهران از فردا آغاز می‌شود و تا آخر هفته ادامه دارد."),
        "/news/metro": ("خبر مترو", "خط سوم قطار شهری مشهد با بیست و چهار ایستگاه افتتاح شد."),
        "/news/library": ("خبر کتابخانه", GOOD),
    }
    links = [(serve_page(httpserver, path, title, text), title, "") for path, (title, text) in stories.items()]
    passes = iter(["Fri, 20 Nov 2026 11:00:00 GMT", "Fri, 20 Nov 2026 11:15:00 GMT"])

    def feed(_request):
        now = next(passes)
        return Response(rss([(link, title, now) for link, title, _ in links]), content_type="application/rss+xml")

    httpserver.expect_request("/rss").respond_with_handler(feed)
    engine = fresh_engine()
    source = Source(feed=httpserver.url_for("/rss"))
    first = fetch_all(engine, [source], client)[0]
    assert first.added == 3
    quote = engine.ask("خط سوم قطار شهری مشهد چند ایستگاه دارد؟").quotes[0]
    assert dates.parse(quote.published) == dates.parse("2026-11-20T10:00:00+03:30"), "the page's own time, not the feed's"
    second = fetch_all(engine, [source], client)[0]
    assert second.listed == 3 and second.tried == 0, "a new request time is no change to the articles"


def test_a_feed_link_that_leads_to_another_url_is_fetched_once_and_counted(httpserver, fresh_engine, client):
    """Feeds link short forms, old http links and tracking URLs that redirect to the article's
    canonical URL; the article is stored under that URL. The next pass must know the link is
    stored, or every such page is fetched again every pass (and the source shows 0 articles)."""
    paths = ("/news/1", "/news/2")
    for n, path in enumerate(paths):
        text = GOOD if n == 0 else "بارش باران در تهران از فردا آغاز می‌شود و تا آخر هفته ادامه دارد."
        body = page(f"خبر {n}", text, canonical=path)
        httpserver.expect_request(path).respond_with_data(body, content_type="text/html; charset=utf-8")
    httpserver.expect_request("/x/a1").respond_with_response(Response(status=301, headers={"Location": "/news/1"}))
    links = [(httpserver.url_for("/x/a1"), "خبر ۱", DATE), (httpserver.url_for("/news/2") + "?from=rss", "خبر ۲", DATE)]
    httpserver.expect_request("/rss").respond_with_data(rss(links), content_type="application/rss+xml")
    engine = fresh_engine()
    source = Source(feed=httpserver.url_for("/rss"))
    first = fetch_all(engine, [source], client)[0]
    assert first.added == 2
    second = fetch_all(engine, [source], client)[0]
    assert second.listed == 2 and second.tried == 0, "both are stored, under their pages' own URLs"
    assert status(engine, [source])[0]["articles"] == 2
    assert {a.url for a in engine.iter_articles()} == {httpserver.url_for(p) for p in paths}


# what bot protection serves in place of a page, with status 200 (markup of the kind ArvanCloud
# and Cloudflare use, written for this test)
BROWSER_CHECK = (
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Just a moment...</title>'
    "<script>window.AR_SiteKey = 'x'; window.AR_Key = '__arcsrc';</script></head><body>"
    "<h1>Checking your browser before accessing the website...</h1>"
    "<p>Please complete the security check before accessing the website.</p>"
    "<h1>در حال بررسی مرورگر، پیش از انتقال به سایت هستیم ...</h1>"
    "<p>برای دسترسی به وبسایت موردنظر، گزینه زیر را تایید کنید.</p></body></html>"
)


NOT_FOUND = (
    '<!DOCTYPE html><html lang="fa"><head><meta charset="utf-8"><title>خطای ۴۰۴ | خبرگزاری نمونه</title></head><body>'
    '<nav><ul><li><a href="/">صفحه اصلی</a></li><li><a href="/service/politics">سیاسی</a></li></ul></nav>'
    "<main><h1>صفحه مورد نظر یافت نشد</h1><p>متاسفانه خبر مورد نظر شما حذف شده یا وجود ندارد.</p></main>"
    "<footer>تمامی حقوق محفوظ است.</footer></body></html>"
)

_SECTIONS = {
    "اجتماعی": ["آموزش و پرورش", "بهداشت عمومی و تغذیه", "حقوقی و قضایی", "انتظامی و حوادث", "محیط زیست و گردشگری"],
    "اقتصادی": ["اقتصاد کلان و بودجه", "تعاون و اشتغال", "بورس", "بیمه و بانک", "راه و مسکن", "نفت و انرژی"],
    "ورزشی": ["فوتبال ایران", "فوتبال جهان", "کشتی و وزنه برداری", "ورزش های رزمی", "توپ و تور", "ورزش بانوان"],
    "استانها": ["آذربایجان شرقی", "اصفهان", "خراسان رضوی", "خوزستان", "سیستان و بلوچستان", "کهگیلویه و بویراحمد"],
}
_MENU = "".join(
    f'<li><a href="/s{n}">{name}</a><div><ul>'
    + "".join(f'<li><a href="/s{n}/{k}">{sub}</a></li>' for k, sub in enumerate(subs))
    + "</ul></div></li>"
    for n, (name, subs) in enumerate(_SECTIONS.items())
)


def menus_page(says: str) -> str:
    """A site's page with nothing of its own but ``says``, laid out as Fars News serves its «not
    found» page: the whole menu twice (desktop and mobile), the site's clock, one line, a footer."""
    return (
        '<!DOCTYPE html><html><head><meta http-equiv="content-type" content="text/html; charset=utf-8">'
        "<title>خطا | خبرگزاری نمونه</title></head><body>"
        f'<header><nav class="man-menu-box"><ul class="main-menu">{_MENU}</ul></nav></header>'
        f'<div class="nav-menu links d-none"><ul>{_MENU}</ul></div>'
        '<div class="main-content"><main><div class="container"><span class="date">جمعه ۳۱ خرداد ۱۳۹۸ - ۱۰:۱۴</span></div>'
        f'<div class="container d-flex"><div class="alert alert-danger text-center w-100">\n{says}    </div></div>'
        '<div class="footer"><ul class="contact-site"><li><a href="/ethics">خط مشی</a></li>'
        '<li><a href="/aboutus">سخن ما</a></li><li><a href="/ads">تبلیغات در سایت</a></li></ul></div>'
        "</main></div></body></html>"
    )


@pytest.mark.parametrize(
    ("instead", "said"),
    [(BROWSER_CHECK, "browser check"), (NOT_FOUND, "not found"), (menus_page("صفحه مورد نظر شما یافت نشد."), "not found")],
    ids=["check", "404-as-200", "404-as-200-in-the-sites-menus"],
)
def test_a_page_served_in_a_storys_place_never_replaces_its_article(httpserver, fresh_engine, client, instead, said):
    """Bot protection's browser check, or a «not found» page for a story taken down, both served
    with status 200: stored, either would replace the story with its one line."""
    served = {"body": page("خبر کتابخانه", GOOD), "date": DATE}

    def article(_request):
        return Response(served["body"], content_type="text/html; charset=utf-8")

    def feed(_request):
        return Response(rss([(httpserver.url_for("/news/1"), "کتابخانه", served["date"])]), content_type="application/rss+xml")

    httpserver.expect_request("/news/1").respond_with_handler(article)
    httpserver.expect_request("/rss").respond_with_handler(feed)
    engine = fresh_engine()
    source = Source(feed=httpserver.url_for("/rss"))
    assert fetch_all(engine, [source], client)[0].added == 1
    served.update(body=instead, date="Fri, 20 Nov 2026 09:00:00 GMT")  # the feed says the story changed
    checked = fetch_all(engine, [source], client)[0]
    assert checked.tried == 1 and checked.updated == 0
    assert any(said in e for e in checked.page_errors), checked.page_errors
    (stored,) = list(engine.iter_articles())
    assert GOOD in stored.text and "تایید کنید" not in stored.text and "یافت نشد" not in stored.text
    served["body"] = page("خبر کتابخانه", GOOD.replace("ماه آینده", "هفته آینده"))
    again = fetch_all(engine, [source], client)[0]
    assert again.tried == 1 and again.updated == 1, "the check is no fetch: the page is tried again next pass"


def test_a_page_of_nothing_but_the_sites_menus_is_not_an_article():
    """When an extractor finds no story, it may take a site's menus for the body: every line is
    the text of a link, and stored, the menu would be quoted as the story."""
    with pytest.raises(NotAnArticle, match="links"):
        extract(menus_page(""), "https://www.example-agency.ir/news/13980331000123/")


@pytest.mark.parametrize(
    ("markup", "said"),
    [
        ("<b>خبر</b> " * 40_000, "holds 40,000 elements"),
        (("<section>" + "<div><b>خبر</b></div>" * 1_000 + "</section>") * 30, "more than 50,000 elements"),
    ],
)
def test_a_page_crowded_with_markup_is_refused_in_a_line_and_the_next_story_is_fetched(
    httpserver, fresh_engine, client, markup, said
):
    """The extractor's time grows with the square of the inline elements in a paragraph: a page
    of 40,000 ``<b>`` (under a megabyte) held a fetch pass for a minute, and one at the size limit
    for the better part of an hour. It is one error line, and the source's next story is stored."""
    crowded = page("تصویب طرح کتابخانه", GOOD).replace("</article>", f"<p>{markup}</p></article>")
    httpserver.expect_request("/news/crowded").respond_with_data(crowded, content_type="text/html; charset=utf-8")
    good = serve_page(httpserver, "/news/good", "تصویب طرح کتابخانه", GOOD)
    feed = rss([(httpserver.url_for("/news/crowded"), "خبر شلوغ", DATE), (good, "تصویب طرح کتابخانه", DATE)])
    httpserver.expect_request("/rss").respond_with_data(feed, content_type="application/rss+xml")
    engine = fresh_engine()
    report = fetch_all(engine, [Source(feed=httpserver.url_for("/rss"))], client)[0]
    assert report.added == 1
    assert len(report.page_errors) == 1 and said in report.page_errors[0], report.page_errors


def test_a_section_page_listed_as_a_story_is_not_stored_as_an_article(httpserver, fresh_engine, client):
    """A feed or sitemap may list a home, section or tag page: its headlines are other stories',
    and quoted they would be cited to a page that is not theirs."""
    stories = [
        ("افتتاح خط سوم مترو مشهد با بیست و چهار ایستگاه", "خط سوم قطار شهری مشهد امروز با حضور مسئولان افتتاح شد."),
        ("بارش باران در تهران از فردا", "سازمان هواشناسی از آغاز بارش باران در تهران از فردا صبح خبر داد."),
        ("تصویب طرح کتابخانه مرکزی یزد", "شورای شهر یزد طرح توسعه کتابخانه مرکزی را تصویب کرد."),
        ("کاهش قیمت طلا در بازار", "قیمت طلا و سکه در بازار امروز کاهش یافت و معامله‌گران منتظر ماندند."),
        ("برگزاری نمایشگاه کتاب تبریز", "نمایشگاه کتاب تبریز از هفته آینده با حضور ناشران برگزار می‌شود."),
    ]
    items = "".join(
        f'<div class="news"><h3><a href="/news/{n}">{html.escape(t)}</a></h3><p>{html.escape(lead)}</p></div>'
        for n, (t, lead) in enumerate(stories)
    )
    section = (
        '<!DOCTYPE html><html lang="fa"><head><meta charset="utf-8"><title>اخبار استان‌ها</title></head>'
        f"<body><main><h1>اخبار استان‌ها</h1>{items}</main></body></html>"
    )
    httpserver.expect_request("/service/provinces").respond_with_data(section, content_type="text/html; charset=utf-8")
    link = serve_page(httpserver, "/news/metro", "خبر مترو", stories[0][1])
    feed = rss([(httpserver.url_for("/service/provinces"), "اخبار استان‌ها", DATE), (link, "مترو", DATE)])
    httpserver.expect_request("/rss").respond_with_data(feed, content_type="application/rss+xml")
    engine = fresh_engine()
    source = Source(feed=httpserver.url_for("/rss"))
    report = fetch_all(engine, [source], client)[0]
    section_url = httpserver.url_for("/service/provinces")
    assert report.added == 1 and f"{section_url}: a page of links" in " ".join(report.page_errors), report.page_errors
    assert [a.url for a in engine.iter_articles()] == [link]
    again = fetch_all(engine, [source], client)[0]
    assert again.tried == 0, "a page found to hold no article is not fetched again until its listing says it changed"


def test_a_sitemap_of_an_agencys_editions_in_other_languages_stores_only_the_persian_stories(httpserver, fresh_engine, client):
    """One sitemap often lists an agency's English and Arabic editions beside its Persian one (and
    their templates keep lang="fa"): an Arabic sentence shares enough words with a Persian
    question to be quoted as its answer, so only Persian pages are stored, and the others are
    recorded as such and not fetched again."""
    english = (
        "The city council of Yazd approved the plan to expand the central library by a large majority on Saturday, "
        "and the work will begin next month, the head of the council told reporters."
    )
    arabic = (
        "وافق مجلس مدينة يزد اليوم على خطة توسيع المكتبة المركزية بأغلبية الأصوات، وقال رئيس المجلس إن العمل في "
        "المشروع سيبدأ في الشهر المقبل، مشيرا إلى أن هذا القرار جاء بعد مشاورات مع الخبراء."
    )
    pages = {"/fa/news/1": GOOD, "/en/news/1": english, "/ar/news/1": arabic}
    for path, text in pages.items():
        serve_page(httpserver, path, "Yazd library" if "/en/" in path else "کتابخانه یزد", text)
    urls = "".join(f"<url><loc>{httpserver.url_for(p)}</loc><lastmod>2026-11-20T10:00:00+03:30</lastmod></url>" for p in pages)
    sitemap = f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    httpserver.expect_request("/sitemap.xml").respond_with_data(sitemap, content_type="application/xml")
    engine = fresh_engine()
    source = Source(sitemap=httpserver.url_for("/sitemap.xml"))
    report = fetch_all(engine, [source], client)[0]
    assert [a.url for a in engine.iter_articles()] == [httpserver.url_for("/fa/news/1")]
    errors = " ".join(report.page_errors)
    assert f"{httpserver.url_for('/en/news/1')}: written in English" in errors, report.page_errors
    assert f"{httpserver.url_for('/ar/news/1')}: written in Arabic" in errors, report.page_errors
    assert all("مجلس" not in q.text for q in engine.ask("شورای شهر یزد چه طرحی را تصویب کرد؟").quotes)
    assert fetch_all(engine, [source], client)[0].tried == 0, "a page's language does not change: it is not fetched again"


def test_a_page_that_only_redirects_by_a_refresh_tag_is_followed_and_guarded_like_a_redirect(
    httpserver, internal, fresh_engine, client
):
    """Short links and old addresses often answer with a page whose only job is
    ``<meta http-equiv="refresh" content="0; url=…">``: the story is where it sends the reader.
    It is followed as a redirect is, so it cannot lead to an internal address either."""
    story = serve_page(httpserver, "/news/library", "تصویب طرح کتابخانه", GOOD)

    def refresh_to(target: str) -> str:
        return f'<!DOCTYPE html><html><head><meta http-equiv="refresh" content="0; url={target}"></head><body></body></html>'

    httpserver.expect_request("/s/1").respond_with_data(refresh_to("/news/library"), content_type="text/html")
    httpserver.expect_request("/s/2").respond_with_data(refresh_to(internal.url_for("/admin")), content_type="text/html")
    links = [(httpserver.url_for("/s/1"), "کتابخانه", DATE), (httpserver.url_for("/s/2"), "پنل", DATE)]
    httpserver.expect_request("/rss").respond_with_data(rss(links), content_type="application/rss+xml")
    engine = fresh_engine()
    report = fetch_all(engine, [Source(feed=httpserver.url_for("/rss"))], client)[0]
    assert [a.url for a in engine.iter_articles()] == [story]
    assert not internal.log and any("internal address" in e for e in report.page_errors), report.page_errors


def test_a_page_served_under_the_wrong_type_is_read_as_what_it_is(httpserver, fresh_engine, client):
    """A server that sends an article as text/plain is wrong about the type, not the page; a PDF
    is no page whatever its link says."""
    httpserver.expect_request("/news/plain").respond_with_data(page("تصویب طرح کتابخانه", GOOD), content_type="text/plain")
    httpserver.expect_request("/news/report.pdf").respond_with_data(b"%PDF-1.4 ...", content_type="application/pdf")
    links = [(httpserver.url_for("/news/plain"), "کتابخانه", DATE), (httpserver.url_for("/news/report.pdf"), "گزارش", DATE)]
    httpserver.expect_request("/rss").respond_with_data(rss(links), content_type="application/rss+xml")
    engine = fresh_engine()
    report = fetch_all(engine, [Source(feed=httpserver.url_for("/rss"))], client)[0]
    assert report.added == 1 and any("not an HTML page (application/pdf)" in e for e in report.page_errors), report.page_errors


def test_a_trickling_page_is_given_up_at_the_deadline_and_the_rest_is_fetched(httpserver, fresh_engine):
    def trickle(_request):
        def body():
            yield b"<html><body><p>"
            for _ in range(600):
                time.sleep(0.05)
                yield "ب".encode()

        return Response(body(), content_type="text/html; charset=utf-8")

    httpserver.expect_request("/news/slow").respond_with_handler(trickle)
    good = serve_page(httpserver, "/news/good", "تصویب طرح کتابخانه", GOOD)
    httpserver.expect_request("/rss").respond_with_data(
        rss([(httpserver.url_for("/news/slow"), "کند", DATE), (good, "کتابخانه", DATE)]), content_type="application/rss+xml"
    )
    quick = Client(FetchSettings(min_host_delay_seconds=0, respect_robots=False, retries=0, request_deadline_seconds=1.5))
    started = time.monotonic()
    report = fetch_all(fresh_engine(), [Source(feed=httpserver.url_for("/rss"))], quick)[0]
    assert time.monotonic() - started < 15
    assert report.added == 1 and any("longer than 1.5 s" in e for e in report.page_errors)


def test_twenty_tracking_variants_of_one_article_are_fetched_once(httpserver, fresh_engine, client):
    good = serve_page(httpserver, "/news/good", "تصویب طرح کتابخانه", GOOD)
    variants = [(f"{good}?utm_source=s{n}&utm_medium=feed&fbclid=x{n}", "کتابخانه", DATE) for n in range(20)]
    httpserver.expect_request("/rss").respond_with_data(rss(variants), content_type="application/rss+xml")
    report = fetch_all(fresh_engine(), [Source(feed=httpserver.url_for("/rss"))], client)[0]
    fetched = sum(1 for request, _ in httpserver.log if request.path == "/news/good")
    assert fetched == 1 and report.added == 1


def sitemap(urls: list[str]) -> bytes:
    body = "".join(f"<url><loc>{html.escape(u)}</loc><lastmod>2026-11-20T10:00:00+03:30</lastmod></url>" for u in urls)
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</urlset>'.encode()


def test_a_gzip_sitemap_is_read_and_a_broken_child_sitemap_skips_only_itself(httpserver, fresh_engine, client):
    good = serve_page(httpserver, "/news/good", "تصویب طرح کتابخانه", GOOD)
    packed = gzip.compress(sitemap([good]))
    httpserver.expect_request("/sitemap-1.xml.gz").respond_with_data(packed, content_type="application/x-gzip")
    httpserver.expect_request("/sitemap-2.xml").respond_with_data("<not xml", content_type="application/xml")
    index = (
        '<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{httpserver.url_for('/sitemap-2.xml')}</loc></sitemap>"
        f"<sitemap><loc>{httpserver.url_for('/sitemap-1.xml.gz')}</loc></sitemap></sitemapindex>"
    )
    httpserver.expect_request("/sitemap.xml").respond_with_data(index, content_type="application/xml")
    engine = fresh_engine()
    report = fetch_all(engine, [Source(sitemap=httpserver.url_for("/sitemap.xml"))], client)[0]
    assert report.added == 1 and any("sitemap-2.xml" in e for e in report.page_errors)
    assert "کتابخانه" in engine.ask("شورای شهر یزد چه طرحی را تصویب کرد؟").quotes[0].text


def test_a_page_that_lies_about_its_charset_is_stored_as_persian_not_mojibake(httpserver, fresh_engine, client):
    text = page("تصویب طرح کتابخانه", GOOD).replace('<meta charset="utf-8">', "").replace("ی", "ي").replace("ک", "ك")
    body = text.encode("cp1256")  # what such sites serve: windows-1256, Arabic yeh and kaf
    httpserver.expect_request("/news/lying").respond_with_data(body, content_type="text/html; charset=iso-8859-1")
    engine = fresh_engine()
    report = fetch_all(engine, [Source(page=httpserver.url_for("/news/lying"))], client)[0]
    assert report.added == 1
    stored = engine.ask("شورای شهر یزد چه طرحی را تصویب کرد؟").quotes[0].text
    assert "شوراي شهر يزد" in stored and "Ø" not in stored


@pytest.mark.parametrize("kind", ["feed", "sitemap"])
@pytest.mark.parametrize(
    ("declared", "actual"), [("UTF-8", "cp1256"), (None, "cp1256"), ("iso-8859-1", "cp1256"), ("windows-1256", "utf-8")]
)
def test_a_listing_that_lies_about_its_charset_gives_its_persian_links_and_titles_as_written(
    httpserver, fresh_engine, client, kind, declared, actual
):
    """Read at its word, a Windows-1256 feed declared as UTF-8 gave mojibake titles and links to
    pages that do not exist; a UTF-8 sitemap declared as Windows-1256 the same, and a Windows-1256
    sitemap declared as UTF-8 was refused whole."""
    slug, title = "/news/1/كتابخانه-يزد", "تصويب طرح كتابخانه مركزي يزد"  # what Windows-1256 can write: Arabic yeh and kaf
    body = f"<p>{GOOD}</p><p>{GOOD} این خبر ادامه دارد.</p>".replace("ی", "ي").replace("ک", "ك")
    httpserver.expect_request(slug).respond_with_data(  # a page with no headline of its own: the listing's titles it
        f'<!DOCTYPE html><html lang="fa"><head><meta charset="utf-8"><meta property="article:published_time" '
        f'content="2026-11-20T10:00:00+03:30"></head><body><article>{body}</article></body></html>',
        content_type="text/html; charset=utf-8",
    )
    link = httpserver.url_for(slug)
    head = f'<?xml version="1.0" encoding="{declared}"?>' if declared else '<?xml version="1.0"?>'
    if kind == "feed":
        listing = rss([(link, title, DATE)]).replace('<?xml version="1.0" encoding="UTF-8"?>', head)
        source = Source(feed=httpserver.url_for("/rss"))
    else:
        listing = (
            f'{head}<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
            f"<url><loc>{link}</loc><news:news><news:title>{title}</news:title></news:news></url></urlset>"
        )
        source = Source(sitemap=httpserver.url_for("/rss"))
    httpserver.expect_request("/rss").respond_with_data(listing.encode(actual), content_type="application/xml")
    engine = fresh_engine()
    report = fetch_all(engine, [source], client)[0]
    assert report.added == 1, report.page_errors
    (article,) = engine.articles()
    assert article.title == title and unquote(article.url) == link


def test_an_article_longer_than_the_cap_is_cut_and_reported(httpserver, fresh_engine):
    long = " ".join(f"جمله شماره {n} از این خبر بلند است." for n in range(60))
    serve_page(httpserver, "/news/long", "خبر بلند", long)
    capped = Client(FetchSettings(min_host_delay_seconds=0, respect_robots=False, max_sentences=10))
    engine = fresh_engine()
    report = fetch_all(engine, [Source(page=httpserver.url_for("/news/long"))], capped)[0]
    assert report.added == 1 and any("longer than 10 sentences" in e for e in report.page_errors)
    assert engine.stats().sentences <= 70


def test_errors_of_one_item_show_in_the_sources_status(httpserver, internal, fresh_engine, client):
    good = serve_page(httpserver, "/news/good", "تصویب طرح کتابخانه", GOOD)
    httpserver.expect_request("/rss").respond_with_data(
        rss([(internal.url_for("/admin"), "پنل", DATE), (good, "کتابخانه", DATE)]), content_type="application/rss+xml"
    )
    engine = fresh_engine()
    source = Source(feed=httpserver.url_for("/rss"))
    fetch_all(engine, [source], client)
    row = status(engine, [source])[0]
    assert row["articles"] == 1 and "internal address" in (row["last_error"] or "")
    assert [e for e in row["item_errors"] if "internal address" in e], "each failed item is listed with its URL"


def test_a_story_the_corpus_refuses_after_its_page_was_read_is_recorded_with_its_address(
    httpserver, fresh_engine, client, monkeypatch
):
    """A story read whole that the corpus then refuses (its text holds a NUL: no text does) was
    left out of the source's record: `pasokh sources` showed nothing wrong with it."""
    import dataclasses

    import news.fetch

    good = serve_page(httpserver, "/news/good", "تصویب طرح کتابخانه", GOOD)
    bad = serve_page(httpserver, "/news/bad", "خبر دیگر", GOOD.replace("یزد", "کرمان"))
    httpserver.expect_request("/rss").respond_with_data(
        rss([(bad, "خبر دیگر", DATE), (good, "کتابخانه", DATE)]), content_type="application/rss+xml"
    )
    read = news.fetch._page

    def damaged(item, *args):
        raw = read(item, *args)
        return dataclasses.replace(raw, text=raw.text.replace("کرمان", "کر\x00مان")) if item.url == bad else raw

    monkeypatch.setattr(news.fetch, "_page", damaged)
    engine = fresh_engine()
    source = Source(feed=httpserver.url_for("/rss"))
    report = fetch_all(engine, [source], client)[0]
    assert report.added == 1 and [e for e in report.page_errors if e.startswith(bad) and "NUL" in e], report.page_errors
    row = status(engine, [source])[0]
    assert "NUL" in (row["last_error"] or "") and [e for e in row["item_errors"] if e.startswith(bad)]


def test_a_name_that_fails_to_resolve_then_names_an_internal_address_never_reaches_it(internal, monkeypatch):
    """DNS an attacker controls may fail the first lookup and answer an internal address to the
    next: the failed lookup is the answer (an unknown host), never followed by a second one that
    no guard checks."""
    import socket

    real = socket.getaddrinfo
    asked: list[str] = []

    def flaky(host, port, *args, **kw):
        if host == "news.example":
            asked.append(host)
            if len(asked) == 1:
                raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
            return real("127.0.0.1", port, *args, **kw)
        return real(host, port, *args, **kw)

    monkeypatch.setattr(socket, "getaddrinfo", flaky)
    client = Client(FetchSettings(min_host_delay_seconds=0, respect_robots=False, retries=0, backoff_seconds=0.01))
    port = internal.port
    with pytest.raises(FetchError, match="unknown host name"):
        client.get(f"http://news.example:{port}/admin")
    with pytest.raises(FetchError, match="internal address"):
        client.get(f"http://news.example:{port}/admin")
    assert not internal.log, "the internal service was never reached"
