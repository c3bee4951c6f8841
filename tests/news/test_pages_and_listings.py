"""Article pages and listings as real sites serve them, over real HTTP: the text without the
site's chrome and with its own characters, the charset wherever it is declared, times, links."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta

import pytest

from corpus import dates
from corpus.decoration import opening_decoration
from corpus.normalize import normalize
from corpus.prepare import prepare
from corpus.read import RawArticle
from news.client import Client
from news.inspect import inspect_page
from news.listings import ListingError, feed_items, sitemap_items
from news.pages import canonical_url, decode_html, extract, to_raw
from news.sources import FetchSettings
from tests.news.sites import LIBRARY, METRO, RAIN, Agency

CHROME = ["اخبار مرتبط", "ارسال نظر", "صفحه اصلی", "اشتراک‌گذاری", "تمامی حقوق", "خبر قدیمی", "نظرات حاوی توهین"]


@pytest.fixture
def client():
    return Client(FetchSettings(min_host_delay_seconds=0, respect_robots=False, allow_private_hosts=("127.0.0.1", "localhost")))


def fetch_page(client, url):
    response = client.get(url)
    return extract(decode_html(response.body, response.headers.get("content-type", "")), response.url)


def test_an_agency_page_gives_its_article_with_zwnj_and_without_site_chrome(httpserver, client):
    isna = Agency(httpserver, "/isna", "ایسنا")
    isna.add(LIBRARY)
    page = fetch_page(client, isna.url("/news/yazd-library"))
    assert page.title == LIBRARY.title
    for paragraph in LIBRARY.paragraphs:
        assert paragraph in page.text  # verbatim, ZWNJ in «می‌شود» and «بیست‌ودو» kept
    assert "\u200c" in page.text
    assert not [c for c in CHROME if c in page.text]
    assert page.url == isna.url("/news/yazd-library")
    assert datetime.fromisoformat(page.published) == LIBRARY.published


def test_a_windows_1256_page_with_the_charset_only_in_a_meta_tag(httpserver, client):
    old = Agency(httpserver, "/old", "قدیمی", charset="windows-1256", charset_in_header=False)
    old.add(RAIN)
    response = client.get(old.url("/news/tehran-rain"))
    assert b"charset" not in response.headers.get("content-type", "").encode()
    page = extract(decode_html(response.body, response.headers.get("content-type", "")), response.url)
    assert "تهران" in page.text and "باران" in page.text
    assert normalize(RAIN.paragraphs[0]) in normalize(page.text)


def test_windows_1256_with_no_declaration_at_all_is_still_read():
    text = "<html><body><p>" + "بارش باران در تهران از فردا آغاز مي‌شود و تا پنجشنبه ادامه دارد. " * 5 + "</p></body></html>"
    assert "بارش باران در تهران" in decode_html(text.encode("cp1256"))


def test_a_page_with_no_date_has_none(httpserver, client):
    undated = Agency(httpserver, "/undated", "بی‌تاریخ", dated_pages=False)
    undated.add(METRO)
    assert fetch_page(client, undated.url("/news/mashhad-metro")).published is None


def _page_dated(head: str = "", body_top: str = "") -> str:
    paragraph = "شورای شهر یزد امروز طرح توسعه کتابخانه مرکزی را با اکثریت آرا تصویب کرد و اجرای آن از ماه آینده آغاز می‌شود."
    return (
        f'<!DOCTYPE html><html lang="fa"><head><meta charset="utf-8"><title>خبر کتابخانه</title>{head}</head>'
        f"<body><article><h1>خبر کتابخانه</h1>{body_top}<p>{paragraph}</p><p>{paragraph} این خبر ادامه دارد.</p>"
        "</article></body></html>"
    )


def test_a_time_found_only_in_a_time_element_keeps_the_zone_it_was_written_in():
    """htmldate finds it; read without its zone, 07:00 UTC would have become 07:00 in Tehran."""
    page = _page_dated(body_top='<time datetime="2026-11-20T07:00:00Z">۲۹ آبان</time>')
    published = extract(page, "https://agency.ir/news/1").published
    assert dates.parse(published) == datetime(2026, 11, 20, 7, 0, tzinfo=UTC)


def test_a_stated_day_without_a_time_takes_the_time_the_page_shows_that_day():
    day_only = '<meta property="article:published_time" content="2026-11-20">'
    with_line = extract(_page_dated(day_only, "<p>۲۹ آبان ۱۴۰۵ - ۱۰:۳۰</p>"), "https://agency.ir/news/1")
    assert dates.jalali(dates.parse(with_line.published)) == "۲۹ آبان ۱۴۰۵، ۱۰:۳۰"
    other_day = extract(_page_dated(day_only, "<p>۲۵ آبان ۱۴۰۵ - ۱۰:۳۰</p>"), "https://agency.ir/news/1")
    assert other_day.published == "2026-11-20", "a time on another day does not move the stated day"
    assert dates.jalali(dates.parse(other_day.published)) == "۲۹ آبان ۱۴۰۵", "shown as a day, not as midnight"


@pytest.mark.parametrize(
    "line",
    [
        "تاریخ انتشار: ۱۰:۳۰ - ۲۹ آبان ۱۴۰۵",
        "زمان انتشار: پنجشنبه ۲۹ آبان ۱۴۰۵ ساعت ۱۰:۳۰",
        "۱۴۰۵/۰۸/۲۹ - ۱۰:۳۰",
        "پنجشنبه ۲۹ آبان ۱۴۰۵ - ۲۹ جمادی‌الاول ۱۴۴۸ - ۲۰ نوامبر ۲۰۲۶ - ۱۰:۳۰",  # three calendars
        "۲۰ نوامبر ۲۰۲۶ - ۱۰:۳۰",  # Gregorian, as Afghanistan's press writes it
    ],
)
def test_a_date_line_as_sites_print_it_dates_the_page_and_is_not_quoted(line):
    """Sites print «تاریخ انتشار: …» in the body, the time before the date or after it, some with
    the lunar and Gregorian dates after it; an update line beside it says when the page changed,
    and a header's «امروز: …» the site's clock: neither dates the story nor is quoted."""
    updated = "<p>آخرین به‌روزرسانی: ۲۹ آبان ۱۴۰۵ - ۱۸:۰۰</p><p>به روز شده در ۳۰ آبان ۱۴۰۵</p>"
    today = "<p>امروز: شنبه ۱ آذر ۱۴۰۵ - ۱ جمادی‌الثانی ۱۴۴۸</p>"
    page = extract(_page_dated(body_top=f"{today}<p>{line}</p>{updated}"), "https://agency.ir/news/1")
    assert dates.jalali(dates.parse(page.published)) == "۲۹ آبان ۱۴۰۵، ۱۰:۳۰"
    prepared = prepare(to_raw(page, None, "page"))
    assert all(not any(ch.isdigit() for ch in s.text) for s in prepared.sentences), [s.text for s in prepared.sentences]


def _headed(header: str) -> str:
    """A page laid out as Mehr's (as saved): the date in the header beside the headline, outside
    the article's body, and no date in its tags."""
    paragraph = "رهبر انقلاب صبح امروز در دیدار مسؤولان نظام و سفرای کشورهای اسلامی به مناسبت عید مبعث سخن گفتند."
    return (
        '<!DOCTYPE html><html lang="fa"><head><meta charset="utf-8"><title>دعوت بعثت ادامه دارد</title></head><body>'
        f'<div class="item-header">{header}</div><div class="item-body"><div itemprop="articleBody">'
        f"<p>{paragraph}</p><p>{paragraph} این خبر ادامه دارد.</p></div></div></body></html>"
    )


MEHR = "https://www.mehrnews.com/news/6018415/"


def test_a_date_line_beside_the_headline_outside_the_body_dates_the_page():
    crumbs = '<ol class="breadcrumb"><li><a href="/service/video">فیلم</a></li><li><a href="/p">سیاست</a></li></ol>'
    headline = '<h1 class="title">دعوت بعثت ادامه دارد</h1>'
    page = extract(_headed(f'{crumbs}<div class="item-date"><span>۱۹ بهمن ۱۴۰۲، ۱۲:۰۸</span></div>{headline}'), MEHR)
    assert dates.jalali(dates.parse(page.published)) == "۱۹ بهمن ۱۴۰۲، ۱۲:۰۸"
    bar = "<p>پنجشنبه ۱۹ بهمن ۱۴۰۲</p><p>۲۷ رجب ۱۴۴۵</p>"  # today's date, in the other calendar too
    assert extract(_headed(f"{bar}{headline}"), MEHR).published is None, "a date bar is not the story's date"
    related = "<ul>" + "".join(f"<li><a href='/n{i}'>خبر دیگری شماره {i}</a></li>" for i in range(6)) + "</ul>"
    clock = '<div class="clock">۱۹ بهمن ۱۴۰۲، ۱۲:۰۸</div>'
    far = extract(_headed(f"<nav>{clock}{related}</nav>{headline}"), MEHR)
    assert far.published is None, "the site's clock, menus away from the headline, is not the story's date"


def test_a_line_break_inside_a_sentence_does_not_cut_it_in_two_and_the_pages_own_lines_stay():
    """Mehr (as saved): an editor's ``<br>`` in the middle of a sentence. The sentence is quoted
    whole; a break after a sentence, after a bold heading, after a label, or before a list's
    number is the page's own line and stays one."""
    broken = (
        "هوش مصنوعی مولد: نمونه کنونی توسعه جی پی تی خودکار از این نوع فناوری است. با نظارت و مهار درست این فناوری، "
        "شرایط برای ظهور خلاقیت فراهم می‌شود و می‌تواند<br> با گسترش و گذر از مرزهای دانش، به عنوان رقیبی چالش برانگیز "
        "نسبت به روش‌های رایج تفکر مطرح باشد."
    )
    kept = (
        "<p><strong>فناوری‌های پیش بینی شده توسط شرکت مکنزی</strong><br>این شرکت کلان روند حوزه فناوری را شناسایی کرده است.</p>"
        "<p>مرکز پژوهش‌های مجلس روندهای آینده فناوری را بررسی کرده است.<br>نتایج این بررسی در گزارشی منتشر شد.</p>"
        "<p>روندهای راهبردی گارتنر برای سال آینده به این شرح هستند<br>۱. هوش مصنوعی به عنوان شریک تجاری</p>"
        "<p>گزارشی از خبرنگار اعزامی ما به استان خوزستان: علی احمدی<br>باران امروز در اهواز شدت گرفت.</p>"
    )
    page = extract(_page_dated(body_top=f"<p>{broken}</p>{kept}"), MEHR)
    quoted = [s.text for s in prepare(to_raw(page, None, "page")).sentences]
    whole = "با نظارت و مهار درست این فناوری، شرایط برای ظهور خلاقیت فراهم می‌شود و می‌تواند با گسترش و گذر"
    assert any(q.startswith(whole) and q.endswith("مطرح باشد.") for q in quoted), quoted
    own = ["فناوری‌های پیش بینی شده توسط شرکت مکنزی", "نتایج این بررسی در گزارشی منتشر شد.", "۱. هوش مصنوعی به عنوان شریک تجاری"]
    own.append("باران امروز در اهواز شدت گرفت.")  # after a label
    assert all(line in quoted for line in own), quoted


def _table(*rows: tuple[str, ...]) -> str:
    cells = ("".join(f"<td>{c}</td>" for c in row) for row in rows)
    return '<table border="1"><tbody>' + "".join(f"<tr>{row}</tr>" for row in cells) + "</tbody></table>"


def test_a_lead_in_to_a_table_is_left_out_with_the_table_and_does_not_open_the_next_paragraph():
    """Mehr (as saved) prints «… به شرح زیر است:» over a table. Tables are not carried, so the
    lead-in would have opened the paragraph after the table: «… به شرح زیر است: ارزش اقتصادی …»,
    two lines the page does not show together, read as if the value were what the table lists.
    A speaker's line over their words still opens them, inside a page laid out in a table too."""
    table = _table(
        ("دسته اصلی فناوری", "زیردسته فناوری"),
        ("فناوری‌های دیجیتال", "هوش مصنوعی کاربردی"),
        ("فناوری‌های زیستی", "مهندسی زیستی"),
    )
    value = "ارزش اقتصادی هوش مصنوعی کاربردی در این پژوهش‌ها بین ۱۷ تا ۲۶ تریلیون دلار برآورد شده است."
    body = (
        f"<p><strong>دسته‌بندی فناوری‌ها به شرح زیر است:</strong></p>{table}<p>{value}</p>"
        f"<p>این گزارش روندها را در سه دسته بررسی کرده است. جزئیات هر دسته در جدول زیر آمده است:</p>{table}"
        "<p>سهم سازمان‌هایی که هوش مصنوعی را به کار گرفته‌اند در پنج سال دو برابر شده است.</p>"
        "<p>سخنگوی مرکز پژوهش‌ها:</p><p>این گزارش برای نمایندگان فرستاده شده و در کمیسیون بررسی می‌شود.</p>"
    )
    laid_out = f"<!DOCTYPE html><html><body><table><tr><td>{_page_dated(body_top=body)}</td></tr></table></body></html>"
    for page_html in (_page_dated(body_top=body), laid_out):
        page = extract(page_html, MEHR)
        quoted = [s.text for s in prepare(to_raw(page, None, "page")).sentences]
        assert value in quoted, quoted
        assert not any("به شرح زیر است" in q or "در جدول زیر آمده است" in q for q in quoted), quoted
        assert "این گزارش روندها را در سه دسته بررسی کرده است." in quoted, "what the line says before its lead-in stays"
        assert "سخنگوی مرکز پژوهش‌ها:\n\nاین گزارش برای نمایندگان فرستاده شده و در کمیسیون بررسی می‌شود." in quoted, quoted


def test_a_page_pasted_line_by_line_is_quoted_by_whole_sentences_each_found_in_the_page(tmp_path):
    """A page pasted from a word processor with a paragraph for each printed line (tmgic.ir's
    copy of a Mehr story, as the library's stored pages show it): each piece was a sentence of
    its own («بانک جهانی در تازه»), a stop alone on its line lost. Each sentence is whole, and
    `pasokh pages` still finds every one in the page's visible text."""
    printed = [
        "بانک جهانی در تازه",
        "ترین گزارش خود میانگین تورم کشورهای منطقه در سال گذشته",
        "را ۱۴ درصد اعلام کرد.",
        "بر اساس این گزارش،",
        "تورم کالاهای مصرفی در شش ماه گذشته به طور متوسط به",
        "۱۲ درصد رسیده است",
        ".",
    ]
    body = "".join(f"<p>{line}</p>" for line in printed[:3]) + "<p>" + "<br>".join(printed[3:]) + "</p>"
    path = tmp_path / "wrapped.html"
    path.write_text(_page_dated(body_top=body), encoding="utf-8")
    url = "https://www.tmgic.ir/news/1"
    row = inspect_page(path, url)
    quoted = [s.text for s in prepare(to_raw(extract(path.read_text(encoding="utf-8"), url), None, "p")).sentences]
    assert quoted[:2] == [
        "بانک جهانی در تازه ترین گزارش خود میانگین تورم کشورهای منطقه در سال گذشته را ۱۴ درصد اعلام کرد.",
        "بر اساس این گزارش، تورم کالاهای مصرفی در شش ماه گذشته به طور متوسط به ۱۲ درصد رسیده است.",
    ]
    assert row.verbatim == row.sentences == len(quoted)


def test_a_provincial_lead_with_its_dateline_in_a_span_is_the_first_sentence_not_lost_after_the_trailer():
    """ISNA's provincial story (its markup as a scraper of isna.ir reads it): the summary opens
    with the desk's dateline in a span of its own, «ایسنا/کرمان », and extraction gave it after
    the story, where «انتهای پیام» cut it off: the lead was lost. It is the first sentence, its
    dateline credits ISNA and is shown before the quote's marks, as «تهران- ایرنا-» is."""
    lead = (
        "استاندار کرمان از عملیات اجرایی آبرسانی به هفت روستای رفسنجان بازدید کرد که این طرح بیش از"
        " هفت هزار نفر را از آب شرب پایدار بهره‌مند می‌کند."
    )
    body = "استاندار روز جمعه همراه فرماندار از مراحل اجرای خط انتقال آب بازدید کرد و گفت طرح تا پایان تابستان تمام می‌شود."
    page = (
        '<!DOCTYPE html><html lang="fa"><head><meta charset="utf-8"><title>بازدید استاندار از طرح آبرسانی - ایسنا</title>'
        f'<meta name="description" content="{lead}"></head><body>'
        '<ul><li><span class="title-meta">جمعه /</span> <span class="text-meta">۹ خرداد ۱۴۰۴ / ۱۹:۳۱</span></li></ul>'
        '<article><h1 class="first-title" itemprop="headline">بازدید استاندار از طرح آبرسانی</h1>'
        f'<p class="summary" itemprop="description"><span class="src">ایسنا/کرمان </span>{lead}</p>'
        f'<div itemprop="articleBody" class="item-text"><p>{body}</p><p>انتهای پیام</p></div>'
        '<footer class="tags"><span>برچسب‌ها:</span><ul><li><a href="/tag/1">رفسنجان</a></li></ul></footer>'
        "</article></body></html>"
    )
    prepared = prepare(to_raw(extract(page, "https://www.isna.ir/news/1404030906543/"), None, "page"))
    first, second = (s.text for s in prepared.sentences)
    assert first == f"ایسنا/کرمان {lead}" and second == body
    assert first[opening_decoration(first) :] == lead and prepared.article.agency == "ایسنا"
    assert prepare(RawArticle(id="t", text=f"عنوان خبر\nایسنا/خراسان رضوی {body}", origin="t")).article.agency == "ایسنا"


def test_a_feeds_day_gives_way_to_the_pages_time_on_that_day_and_its_time_wins_over_the_pages():
    page = extract(
        _page_dated('<meta property="article:published_time" content="2026-11-20T10:30:00+03:30">'), "https://agency.ir/n"
    )
    assert dates.parse(to_raw(page, None, "feed", published="2026-11-20").published) == dates.parse(page.published)
    assert to_raw(page, None, "feed", published="2026-11-19").published == "2026-11-19"
    feed_time = "2026-11-20T09:00:00+03:30"
    assert dates.parse(to_raw(page, None, "feed", published=feed_time).published) == dates.parse(feed_time)


def test_a_site_blurb_given_as_every_pages_description_is_not_taken_for_the_lead():
    """Some sites give every page the site's own description, and show it in their footer."""
    blurb = "در خبرگزاری نمونه تازه‌ترین اخبار سیاسی، اقتصادی، اجتماعی و ورزشی ایران و جهان را بخوانید."
    head = f'<meta property="og:description" content="{blurb}">'
    page = extract(_page_dated(head).replace("</body>", f"<footer><p>{blurb}</p></footer></body>"), "https://agency.ir/n/1")
    assert "تازه‌ترین اخبار" not in page.text and not page.lead
    lead = "شورای شهر یزد طرح کتابخانه مرکزی را تصویب کرد."
    shown_above = _page_dated(f'<meta property="og:description" content="{lead}">', f'<p class="lead">{lead}</p>')
    assert extract(shown_above, "https://agency.ir/n/1").lead


@pytest.mark.parametrize(
    "head",
    [
        '<meta property="og:title" content="خبرگزاری نمونه"><meta property="og:site_name" content="خبرگزاری نمونه">',
        '<meta property="og:title" content="خبرگزاری نمونه | اخبار ایران و جهان | Nemoone News">',
    ],
    ids=["site-name-as-og-title", "site-slogan-as-og-title"],
)
def test_a_logo_in_an_h1_and_a_generic_og_title_are_not_the_headline(head):
    """Some sites put their logo in an <h1> and give every page the site's own og:title; the
    headline is then the <title> without the site's name, not «خبرگزاری نمونه»."""
    paragraph = "شورای شهر یزد امروز طرح توسعه کتابخانه مرکزی را با اکثریت آرا تصویب کرد و اجرای آن آغاز می‌شود."
    page = extract(
        f'<html lang="fa"><head><meta charset="utf-8">{head}<title>تصویب طرح کتابخانه مرکزی یزد - خبرگزاری نمونه</title>'
        '</head><body><header><h1><a href="/">خبرگزاری نمونه</a></h1></header><article><h2>تصویب طرح کتابخانه مرکزی یزد</h2>'
        f"<p>{paragraph}</p><p>{paragraph} این خبر ادامه دارد.</p></article></body></html>",
        "https://nemoone.ir/news/1",
    )
    assert page.title == "تصویب طرح کتابخانه مرکزی یزد"


def test_a_match_report_whose_line_up_links_each_player_is_still_an_article():
    """A page of links to other stories is refused; a line-up of linked player names is the story."""
    report = "بازی دو تیم در ورزشگاه آزادی با حضور تماشاگران برگزار شد و با تساوی یک بر یک به پایان رسید."
    names = ["علیرضا بیرانوند", "سید جلال حسینی", "شجاع خلیل‌زاده", "مهدی شیری", "محمد نادری", "کمال کامیابی‌نیا"]
    names += ["احمد نوراللهی", "بشار رسن", "امید عالیشاه", "مهدی ترابی", "علی علیپور"]
    line_up = "".join(f'<p><a href="/player/{n}">{name}</a></p>' for n, name in enumerate(names))
    page = extract(
        '<html lang="fa"><head><meta charset="utf-8"><title>گزارش بازی</title></head><body><article><h1>گزارش بازی</h1>'
        f"<p>{report}</p><p>ترکیب پرسپولیس:</p>{line_up}<p>{report} این گزارش ادامه دارد.</p></article></body></html>",
        "https://sport.ir/news/1",
    )
    assert all(name in page.text for name in names)
    # trafilatura falls back to a baseline here that joins the page into one line; the page's own
    # lines are kept apart, so the headline is still not body text
    assert "گزارش بازی" not in page.text.split("\n") and "\n" in page.text


def test_a_page_that_names_no_publisher_is_credited_to_its_domain():
    page = extract(_page_dated(), "https://www.shahr-news.ir/news/1")
    assert prepare(to_raw(page, None, "page")).article.agency == "shahr-news.ir"
    assert prepare(to_raw(page, "مشرق", "page")).article.agency == "مشرق", "a source's configured name comes first"


def test_rss_atom_and_sitemap_list_canonical_links_with_their_times(httpserver, client):
    isna = Agency(httpserver, "/isna", "ایسنا")
    for story in (LIBRARY, RAIN):
        isna.add(story)
    rss = feed_items(client.get(isna.url("/rss")).body, isna.url("/rss"))
    atom = feed_items(client.get(isna.url("/atom")).body, isna.url("/atom"))
    sitemap, children = sitemap_items(client.get(isna.url("/sitemap.xml")).body, isna.url("/sitemap.xml"))
    expected = [isna.url("/news/tehran-rain"), isna.url("/news/yazd-library")]
    assert [i.url for i in rss] == [i.url for i in atom] == [i.url for i in sitemap] == expected  # utm_* gone, relative resolved
    assert children == []
    for items in (rss, atom, sitemap):
        assert datetime.fromisoformat(items[0].published) == RAIN.published
    assert rss[0].title == sitemap[0].title == RAIN.title


def test_feed_times_are_read_as_the_feed_wrote_them():
    """Zone-less is Tehran's, «IRDT» is +04:30, a Jalali pubDate is read as one; a time after now
    or before any news site is no time (the page's own is used instead)."""
    written = {
        "zoneless": "Wed, 29 May 2019 19:50:37",
        "irdt": "Wed, 29 May 2019 19:50:37 IRDT",
        "jalali": "1398/03/08 19:50",
        "words": "چهارشنبه ۸ خرداد ۱۳۹۸ - ۱۹:۵۰",
        "ahead": "Fri, 01 Jan 2100 00:00:00 GMT",
        "epoch": "Thu, 01 Jan 1970 00:00:00 GMT",
    }
    body = "".join(
        f"<item><title>{k}</title><link>https://agency.ir/{k}</link><pubDate>{d}</pubDate></item>" for k, d in written.items()
    )
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>{body}</channel></rss>'.encode()
    times = {i.title: i.published for i in feed_items(feed, "https://agency.ir/rss")}
    tehran_2019 = datetime.fromisoformat("2019-05-29T19:50:37+04:30")
    assert datetime.fromisoformat(times["zoneless"]) == datetime.fromisoformat(times["irdt"]) == tehran_2019
    assert datetime.fromisoformat(times["jalali"]) == datetime.fromisoformat(times["words"]) == tehran_2019.replace(second=0)
    assert times["ahead"] is None and times["epoch"] is None


KABUL_WINTER = datetime.fromisoformat("2024-01-04T10:00:00+04:30")  # ۱۴ جدی ۱۴۰۲, 09:00 in Tehran


@pytest.mark.parametrize("host", ["tolonews.com", "www.pajhwok.com", "news.gov.af"])
def test_afghan_outlets_zone_less_times_are_kabuls_not_tehrans(host):
    """Afghanistan's press writes Kabul's clock, an hour ahead of Tehran's in winter, and names no
    zone; read as Tehran's, a story from Kabul would be dated an hour after it was published."""
    line = "<p>۱۴ جدی ۱۴۰۲ - ۱۰:۰۰</p>"
    page = extract(_page_dated(body_top=line), f"https://{host}/fa/news/1")
    assert dates.parse(page.published) == KABUL_WINTER
    assert dates.jalali(dates.parse(page.published)) == "۱۴ دی ۱۴۰۲، ۰۹:۰۰", "shown in Tehran's time"
    tag = '<meta property="article:published_time" content="2024-01-04T10:00:00">'
    assert dates.parse(extract(_page_dated(tag), f"https://{host}/fa/news/2").published) == KABUL_WINTER
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>'
        f"<item><title>a</title><link>https://{host}/fa/1</link><pubDate>Thu, 04 Jan 2024 10:00:00</pubDate></item>"
        "</channel></rss>"
    ).encode()
    assert dates.parse(feed_items(feed, f"https://{host}/rss")[0].published) == KABUL_WINTER
    sitemap = (
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>https://{host}/fa/2</loc><lastmod>2024-01-04T10:00:00</lastmod></url></urlset>"
    ).encode()
    assert dates.parse(sitemap_items(sitemap, f"https://{host}/sitemap.xml")[0][0].stamp) == KABUL_WINTER
    # an Iranian site's zone-less time is still Tehran's, and a stated zone is kept wherever it is
    assert dates.parse(extract(_page_dated(body_top=line), "https://www.isna.ir/news/1").published) == KABUL_WINTER + timedelta(
        hours=1
    )
    zoned = '<meta property="article:published_time" content="2024-01-04T10:00:00+03:30">'
    assert dates.parse(extract(_page_dated(zoned), f"https://{host}/fa/news/3").published) == KABUL_WINTER + timedelta(hours=1)


def test_links_that_lead_to_no_web_page_are_not_listed():
    """A feed or sitemap may link javascript:, mailto:, data: or file: addresses: no article is
    there, and asking for one every pass would only fill the source's errors."""
    links = ["javascript:alert(1)", "mailto:news@agency.ir", "data:text/html,hi", "file:///etc/passwd"]
    links += ["/news/1", "//cdn.agency.ir/2"]
    body = "".join(f"<item><title>{n}</title><link>{html.escape(u)}</link></item>" for n, u in enumerate(links))
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>{body}</channel></rss>'.encode()
    assert [i.url for i in feed_items(feed, "https://agency.ir/rss")] == ["https://agency.ir/news/1", "https://cdn.agency.ir/2"]
    urls = "".join(f"<url><loc>{html.escape(u)}</loc></url>" for u in links)
    sitemap = f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'.encode()
    items, _ = sitemap_items(sitemap, "https://agency.ir/sitemap.xml")
    assert [i.url for i in items] == ["https://agency.ir/news/1", "https://cdn.agency.ir/2"]


def test_one_time_for_every_item_of_a_feed_is_no_time():
    def feed(times: list[str]) -> bytes:
        body = "".join(f"<item><link>https://agency.ir/{n}</link><pubDate>{t}</pubDate></item>" for n, t in enumerate(times))
        return f'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>{body}</channel></rss>'.encode()

    now = "Fri, 20 Nov 2026 11:00:00 GMT"
    assert [i.published for i in feed_items(feed([now] * 3), "https://agency.ir/rss")] == [None] * 3
    assert all(i.published for i in feed_items(feed([now] * 2), "https://agency.ir/rss")), "two at once may be true"
    varied = [now, "Fri, 20 Nov 2026 10:00:00 GMT", now]
    assert all(i.published for i in feed_items(feed(varied), "https://agency.ir/rss"))


def test_tracking_parameters_and_fragments_do_not_make_a_new_article():
    base = "https://www.isna.ir/news/1402/yazd-library"
    for variant in (base + "?utm_source=telegram&utm_medium=social", base + "#comments", base + "?fbclid=abc"):
        assert canonical_url(variant) == canonical_url(base)


@pytest.mark.parametrize(
    "body, error",
    [
        (b"<rss><channel><item><title>broken", "not a readable feed"),
        (b"<html><body>not a feed</body></html>", "not a readable feed"),
    ],
    ids=["malformed-xml", "html-instead"],
)
def test_malformed_feeds(body, error):
    with pytest.raises(ListingError, match=error):
        feed_items(body, "http://example.test/rss")


def test_an_empty_feed_lists_nothing():
    empty = b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>'
    assert feed_items(empty, "http://example.test/rss") == []


def test_a_malformed_sitemap_is_an_error():
    with pytest.raises(ListingError, match="not a readable sitemap"):
        sitemap_items(b"<urlset><url><loc>x", "http://example.test/sitemap.xml")
