"""Cleaning and metadata on the real demo pages: what a reader would see wrong if it broke."""

from __future__ import annotations

import datetime

import pytest

from corpus import dates
from corpus.clean import is_chrome
from corpus.metadata import extract
from corpus.normalize import match_key
from corpus.outlets import outlet_of_host
from corpus.prepare import prepare
from corpus.read import RawArticle, read_text_file
from tests.conftest import DEMO

CHROME = [
    "ارسال نظر",
    "captcha",
    "آیا این خبر مفید بود",
    "مهمترین اخبار",
    "نظرات حاوی توهین",
    "پیام هایی که",
    "برچسبها",
    "پربازدیدترین",
    "English",
    "پیشنهاد امروز",
    "نظر شما",
    "کد خبر",
]


def load(stem: str):
    return prepare(read_text_file(next(DEMO.glob(f"{stem}*.txt"))))


@pytest.mark.parametrize("path", sorted(DEMO.glob("*.txt")), ids=lambda p: p.stem[:3])
def test_no_site_chrome_survives_cleaning(path):
    text = prepare(read_text_file(path)).article.text
    for phrase in CHROME:
        assert phrase not in text


@pytest.mark.parametrize("path", sorted(DEMO.glob("*.txt")), ids=lambda p: p.stem[:3])
def test_no_sentence_is_repeated_and_the_headline_is_not_in_the_body(path):
    prepared = prepare(read_text_file(path))
    keys = [match_key(s.text) for s in prepared.sentences]
    assert len(keys) == len(set(keys))
    title_key = match_key(prepared.article.title)
    assert all(k != title_key for k in keys)


def test_a_body_printed_twice_is_kept_once():
    prepared = load("000")
    body_start = "اين جلسه به منظور بحث و تبادل نظر"
    assert prepared.article.text.count(body_start) == 1
    assert "خواستار شد" in prepared.article.text  # the body itself is still there


@pytest.mark.parametrize("path", sorted(DEMO.glob("*.txt")), ids=lambda p: p.stem[:3])
def test_every_sentence_is_a_verbatim_slice_of_the_source_file(path):
    source = path.read_text(encoding="utf-8")
    prepared = prepare(read_text_file(path))
    for s in prepared.sentences:
        assert prepared.article.text[s.start : s.end] == s.text
        assert s.text in source


BODY = "شورای شهر یزد امروز طرح توسعه کتابخانه مرکزی را با اکثریت آرا تصویب کرد."


def test_metadata_is_found_where_the_page_states_it():
    a = load("001").article
    assert a.title == "طرح توانمند سازی محلات با مشارکت مردم اجرا شود"
    assert a.kicker == "معاون سیاسی امنیتی استانداری قزوین"
    assert a.agency == "مهر"
    assert a.published == "۲۸ خرداد ۱۳۹۷، ۱۶:۲۴"
    assert a.news_code == "4324015"

    a = load("003").article
    assert a.title == "خوزستان، یکی از استانهای پایلوت در طرح کودکان بازمانده از تحصیل"
    assert a.agency == "موج"

    a = load("004").article
    assert a.agency == "ایلنا"  # the page names it as «خبرگزاری کار ایران»
    assert a.news_code == "253461"
    assert a.title == "برگزاری جلسات آموزشی و مشاورهای برای زوجین جوان"


@pytest.mark.parametrize(
    "line",
    [
        "کد خبر: 13980230000867 - ۳۰ اردیبهشت ۱۳۹۸ ۲۲:۵۳",
        "۳۰ اردیبهشت ۱۳۹۸ - ۲۲:۵۳ | کد خبر: 13980230000867",
        "تاریخ انتشار: ۳۰ اردیبهشت ۱۳۹۸ - ۲۲:۵۳ | کد خبر: 13980230000867 | بازدید: ۳۸۹",
    ],
)
def test_a_date_printed_with_the_news_code_and_counters_dates_the_story_and_is_not_quoted(line):
    """Many content systems print the news code and the view count on the date's line; the
    date printed again at the foot of the story is not a sentence either."""
    meta = extract(["شورای شهر یزد طرح کتابخانه را تصویب کرد", line, BODY, BODY + " ادامه دارد.", "۳۰ اردیبهشت ۱۳۹۸ - ۲۲:۵۳"])
    assert meta.published == line and meta.news_code == "13980230000867"
    assert meta.body == [BODY, BODY + " ادامه دارد."]
    assert extract(["عنوان", "کد خبر ۱۲۳ مربوط به ۳۰ اردیبهشت ۱۳۹۸ است", BODY]).published is None


@pytest.mark.parametrize(
    ("header", "date_line", "when", "code"),
    [
        # ISNA's header: the weekday and the clock set off by slashes, its news code on its own line
        (["پنجشنبه / ۹ خرداد ۱۳۹۸ / ۰۰:۲۰", "کد خبر: 98030903723"], 0, "2019-05-30T00:20", "98030903723"),
        # ISNA's older stories: a code with a dash
        (["چهارشنبه / ۲۵ خرداد ۱۳۸۴ / ۱۴:۳۱", "کد خبر: 8403-10065"], 0, "2005-06-15T14:31", "8403-10065"),
        # Asriran's: the clock first, the date day first with dashes, «کد» alone
        (["کد ۱۰۵۹۹۱۷", "تاریخ انتشار: ۱۳:۴۲ - ۲۴-۰۲-۱۴۰۴"], 1, "2025-05-14T13:42", "1059917"),
        # Kayhan's: a space before the label's colon
        (["کد خبر: ۳۲۴۳۱۱", "تاریخ انتشار : ۲۳ آذر ۱۴۰۴ - ۲۱:۳۱"], 1, "2025-12-14T21:31", "324311"),
        # Hamshahri's paper: «کد مطلب», a weekday written in two words, a day without its time
        (["کد مطلب : 229553", "دو شنبه 18 تیر 1403"], 1, "2024-07-08T00:00", "229553"),
        # Basirat's: a separator left after the time
        (["شناسه خبر : ۳۵۹۵۲۶", "تاریخ انتشار : ۲۵ ارديبهشت ۱۴۰۳ - ۰۹:۵۰  ، "], 1, "2024-05-14T09:50", "359526"),
        # Tabnak's: the Gregorian date in Latin letters after the time
        (["کد خبر: ۹۰۲۶۵۱", "تاریخ انتشار: ۰۲ مهر ۱۳۹۹ - ۲۰:۱۲ 23 September 2020"], 1, "2020-09-23T20:12", "902651"),
        # a press-review site's: the year first, then the weekday, the day and the month
        (["کد خبر: 191264", "تاریخ خبر: 1401 یکشنبه 10 مهر"], 1, "2022-10-02T00:00", "191264"),
    ],
)
def test_real_sites_date_and_code_lines_date_the_story_and_are_not_quoted(header, date_line, when, code):
    """Header lines as ISNA, Asriran and Kayhan print them (their text as saved from their pages):
    the story is dated by them, to the minute, and no line of them is quoted."""
    meta = extract(["شورای شهر یزد طرح کتابخانه را تصویب کرد", *header, BODY, BODY + " ادامه دارد."])
    assert meta.published == header[date_line] and meta.news_code == code
    assert dates.parse(meta.published).isoformat().startswith(when)
    assert meta.body == [BODY, BODY + " ادامه دارد."]


@pytest.mark.parametrize("month", sorted(dates.PERSIAN_GREGORIAN))
def test_every_gregorian_month_spelling_dates_a_date_line_and_is_read_as_its_month(month):
    """One list of the Gregorian months' Persian spellings for both: a date line the metadata
    pass takes out of the body is always one the dates module can read («اگوست», «ژوییه»)."""
    line = f"۲ {month} ۲۰۲۵ - ۱۰:۳۰"
    meta = extract(["عنوان خبر برای آزمون", line, BODY, BODY + " ادامه دارد."])
    assert meta.published == line
    assert dates.parse(line).month == dates.PERSIAN_GREGORIAN[month]


def test_a_date_bar_in_three_calendars_is_todays_date_not_the_storys():
    """Hamshahri prints today's date in three calendars, one a line, above the story's own date:
    the story is dated by its own line and none of the bar is quoted; with no other date on the
    page, the bar's solar date is all there is."""
    bar = ["• دو شنبه 5 آذر 1403", "• الإثْنَيْن 23 جمادی الاول 1446", "• 2024 Nov 25"]
    body = [BODY, BODY + " ادامه دارد."]
    meta = extract(["عنوان خبر برای آزمون", *bar, "سه شنبه 19 تیر 1403", *body])
    assert meta.published == "سه شنبه 19 تیر 1403" and meta.body == body
    meta = extract(["عنوان خبر برای آزمون", *bar, *body])
    assert meta.published == bar[0] and meta.body == body


def _through_prepare(lines: list[str]):
    """The lines as a text file gives them, cleaned and read as the ingest path does."""
    return prepare(RawArticle(id="t", text="\n\n".join(lines), origin="t")).article


def test_a_date_bar_on_one_line_coinciding_with_the_other_calendars_is_todays_date():
    """A news site's header (hamraznews.ir, as saved): today's date joined to the Gregorian and
    lunar ones «مصادف با», then the story's own date line and a counter; none of it is quoted,
    and the story's own line dates it."""
    bar = "جمعه 2 آذر 1403, Friday 22 November 2024, مصادف با 20 جمادیالاول 1446"
    own = "منتشر شده در سه شنبه, 29 شهریور 1401 14:46"
    article = _through_prepare(["عنوان خبر برای آزمون", bar, "کد خبر: 22232", own, "تعداد دیدگاه: 0", BODY])
    assert article.published == own and article.news_code == "22232" and article.text.endswith(BODY)
    assert "مصادف" not in article.text and "دیدگاه" not in article.text
    assert dates.parse(article.published).isoformat().startswith("2022-09-20T14:46")


@pytest.mark.parametrize(
    ("header", "when", "code"),
    [
        # a Persian WordPress theme's: a weekday's initial, the month first, the day as an ordinal,
        # and the reading time
        (["پ٫ اردیبهشت ۶ام, ۱۴۰۳", "1 دقیقه خوانده شده"], "2024-04-25", None),
        # a provincial paper's: a Latin «NID» label, the date in slashes alone on its line
        (["NID : 175395", "1399/01/20"], "2020-04-08", "175395"),
        # Deutsche Welle's Persian pages: the year, the month, the day and the weekday after it
        (["۱۳۹۷ شهریور ۳۱, شنبه"], "2018-09-22", None),
        # a blog's post, dated with the day as an ordinal word (Blogfa)
        (["دوشنبه هجدهم آبان ۱۳۹۴"], "2015-11-09", None),
    ],
)
def test_more_sites_headers_date_the_story_and_are_not_quoted(header, when, code):
    article = _through_prepare(["عنوان خبر برای آزمون", *header, BODY])
    assert article.text == BODY and article.title == "عنوان خبر برای آزمون" and article.news_code == code
    assert dates.parse(article.published).isoformat().startswith(when)


def test_a_line_of_tags_ends_the_story_and_the_comment_forms_label_is_not_quoted():
    """A news magazine's foot (as saved): the tags on one line, then the comment form's labels."""
    last = "بر این اساس پیش‌بینی می‌شود روزنامه‌های یادشده روز دوشنبه به چاپ برسند."
    article = _through_prepare(["عنوان خبر برای آزمون", BODY, last, "برچسب ها: تهران", "ارسال نظرات", "قوانین ارسال نظر"])
    assert article.text == f"{BODY}\n\n{last}"
    keywords = _through_prepare(["عنوان خبر برای آزمون", BODY, "کلمات کلیدی: بودجه، مجلس", "خبر قدیمی دیگری درباره بودجه."])
    assert keywords.text == BODY


def test_an_aggregators_source_line_dates_and_credits_the_story_before_its_date_bar():
    """An aggregator's page (vista.ir, as saved): today's date bar with slashes between its parts,
    then a line naming the story's agency and its date, then the agency's dateline; the story is
    IRNA's, of the day that line names, and none of the header is quoted."""
    bar = "جمعه / ۲۴ اسفند / ۱۴۰۳ - 14 March, 2025"
    source = "خبرگزاری ایرنا / ۱۴۰۳/۱۱/۲۳"
    body = "تهران-ایرنا- مجید امیدی شهرکی در بخش دوم گفت‌وگوی خود می‌گوید: به خبرنگاران ما کم توجه شده است."
    article = _through_prepare(["دفاتر خارجی ایرنا می‌توانست موثر باشد", bar, source, body])
    assert article.published == source and article.agency == "ایرنا" and article.text == body
    assert dates.parse(article.published).date().isoformat() == "2025-02-11"
    later = extract(["عنوان خبر برای آزمون", "جمعه / ۲۴ اسفند / ۱۴۰۳", BODY, body])
    assert later.agency == "ایرنا", "a dateline opening the second paragraph credits the story too"


def test_irnas_older_pages_leave_their_buttons_counters_and_sign_off_unquoted():
    """IRNA's page of a 2004 story (as saved): text-size buttons «T T», a count of readers who
    liked it «۰ نفر» above and below, and the desk's sign-off glued to the last sentence."""
    last = "این ستاد در نخستین نشست خود مقرر کرد هیاتی رسمی به بغداد سفر کند."
    lines = [
        "ایرنا ستاد ویژه تشکیل داد",
        "۲۶ مرداد ۱۳۸۳، ۰:۰۱",
        "کد خبر: 9568126",
        "T T",
        "۰ نفر",
        BODY,
        f"{last} سیام 1545ـ1415",
        "۰ نفر",
    ]
    article = _through_prepare(lines)
    assert article.text == f"{BODY}\n\n{last}" and article.news_code == "9568126"
    kept = _through_prepare(["عنوان خبر برای آزمون", BODY, "جمعیت این روستا در سال ۱۳۹۵ به ۱۴۰۰ نفر رسید."])
    assert kept.text.endswith("۱۴۰۰ نفر رسید."), "a sentence that counts people is no counter"


def test_a_blogs_login_form_is_not_quoted_and_a_credit_by_web_address_names_the_agency():
    """A WordPress news blog (karadaily.ir, as saved) puts its login form above the story; a
    digest site (khabarchin) credits «منبع: mehrnews», the agency's address without its suffix."""
    form = ["نام کاربری یا نشانی ایمیل", "رمز عبور", "لطفا پاسخ را به عدد انگلیسی وارد کنید:", "مرا به خاطر بسپار"]
    article = _through_prepare(["عنوان خبر برای آزمون", *form, BODY])
    assert article.text == BODY
    credited = _through_prepare(["عنوان خبر برای آزمون", BODY, "منبع: mehrnews"])
    assert credited.agency == "مهر" and credited.text == BODY
    assert _through_prepare(["عنوان خبر برای آزمون", BODY, "منبع: isna.ir"]).agency == "ایسنا"


def test_the_line_labelled_as_the_publication_dates_the_story_before_todays_date_above_it():
    """Asriran's page of an older story (as saved): today's date on top, when the page was
    updated, then the story's own «تاریخ انتشار» with its news code printed twice; the story is
    of the labelled day, and credited by «عصر ایران؛ writer-» opening a paragraph."""
    header = [
        "۱۹ آبان ۱۴۰۳",
        "به روز شده در: ۱۹ آبان ۱۴۰۳ - ۰۰:۳۶",
        "کد خبر ۸۹۳۴۵۳",
        "تاریخ انتشار: ۱۰:۰۵ - ۲۰-۰۳-۱۴۰۲",
        "کد ۸۹۳۴۵۳",
        "انتشار: ۱۰:۰۵ - ۲۰-۰۳-۱۴۰۲",
    ]
    opening = "عصر ایران؛ مهرداد خدیر- با انتشار شمارۀ نخست روزنامۀ دولتی یک روزنامه تازه متولد شده است."
    article = _through_prepare(["ایران اقتصادی؛ تولد یک روزنامۀ جدید دولتی", *header, BODY, opening])
    assert article.published == "تاریخ انتشار: ۱۰:۰۵ - ۲۰-۰۳-۱۴۰۲" and article.news_code == "893453"
    assert article.agency == "عصر ایران" and article.text == f"{BODY}\n\n{opening}"
    assert dates.parse(article.published).isoformat().startswith("2023-06-10T10:05")


@pytest.mark.parametrize(
    ("opening", "agency"),
    [
        ("بولتن نیوز: سایت امروزنامه روند انتشار روزنامه‌های اقتصادی را ارزیابی کرده است.", "بولتن نیوز"),
        ("ایرنا: وزیر امور خارجه امروز به مسکو سفر کرد.", "ایرنا"),
        ("ایران: کشوری در غرب آسیا که پایتخت آن تهران است.", None),  # a word, not the newspaper
    ],
)
def test_an_outlets_name_opening_a_paragraph_credits_it_when_it_can_be_nothing_else(opening, agency):
    assert _through_prepare(["عنوان خبر برای آزمون", BODY, opening]).agency == agency


def test_a_papers_issue_and_page_lines_date_and_credit_its_story():
    """Iran newspaper's page (as saved): its list of pages, then the issue and its date, and the
    paper, the issue, the date and the page on one line."""
    issue = "شماره هشت هزار و دویست و شصت و هشت - ۰۷ شهریور ۱۴۰۲"
    line = f"روزنامه ایران - {issue} - صفحه ۳"
    article = _through_prepare(["دروغ انتخاب درباره هزینه سفر اربعین", "صفحات", issue, line, BODY])
    assert article.text == BODY and article.agency == "ایران"
    assert dates.parse(article.published).date().isoformat() == "2023-08-29"


def test_a_date_bar_with_dashes_and_its_equivalent_gregorian_dates_no_story():
    """A news site's header (pouyanews.ir, as saved): today's date with dashes between its parts,
    its Gregorian equal «برابر با», an empty clock; the story's own date is in ISO's order."""
    header = ["• تاریخ : شنبه - ۹ - اسفند - ۱۴۰۴", "• برابر با : Saturday - 28 - February - 2026", "• ساعت :"]
    article = _through_prepare(["تشکیل استان غربی تهران در دست بررسی", *header, "1402-11-15", BODY])
    assert article.published == "1402-11-15" and article.text == BODY
    assert dates.parse(article.published).date().isoformat() == "2024-02-04"
    alone = _through_prepare(["تشکیل استان غربی تهران در دست بررسی", *header, BODY])
    assert dates.parse(alone.published).date().isoformat() == "2026-02-28", "with nothing else, the bar's day"


def test_a_news_code_before_the_dates_label_with_only_spaces_between():
    article = _through_prepare(["عنوان خبر برای آزمون", BODY, "کد خبر: ۴۴۰۹۶   تاریخ انتشار : ۱۳۹۸/۰۹/۱۸"])
    assert article.news_code == "44096" and article.text == BODY
    assert dates.parse(article.published).date().isoformat() == "2019-12-09"


def test_a_line_stating_the_agency_credits_it_on_another_outlets_site():
    """Donya-e-Eqtesad's «سایت‌خوان» section (as saved) republishes others' news under a line
    naming the agency, «مهر :»: the story is Mehr's, though the page is on Donya-e-Eqtesad's
    domain. A credit only inferred from the body («به گزارش …») leaves the site's own name."""
    lines = ["فوری/ انفجار در افغانستان", "مهر :", "منابع محلی در کابل از وقوع یک انفجار در پایتخت افغانستان خبر می‌دهند."]
    stated = prepare(RawArticle(id="t", text="\n\n".join(lines), origin="t", agency="دنیای اقتصاد"))
    assert stated.article.agency == "مهر"
    inferred = ["عنوان خبر برای آزمون", "به گزارش ایسنا، وزیر نیرو امروز از سد کرج بازدید کرد."]
    own = prepare(RawArticle(id="t", text="\n\n".join(inferred), origin="t", agency="دنیای اقتصاد"))
    assert own.article.agency == "دنیای اقتصاد"
    given = prepare(RawArticle(id="t", text="\n\n".join(lines), origin="t", agency="اخبار فوری", structured=True))
    assert given.article.agency == "اخبار فوری", "a record's own agency (a channel, a JSONL field) is the operator's word"


def test_the_headline_again_with_its_time_after_it_dates_the_story_and_is_not_quoted():
    """An aggregator (mirnews.ir, as saved) prints the headline a second time with an ISO time
    glued after it; the section label and the close button over a story are not quoted either."""
    headline = "گزارش شهرداری از علت آبگرفتگی آرشیو ملی/ چرا این اتفاق در سال‌های قبل نیفتاد؟"
    article = _through_prepare([headline, "×", "اجتماعی", f" {headline} 2020-02-16T11:40:43+03:30", BODY, "Read more"])
    assert article.text == BODY and article.published == "2020-02-16T11:40:43+03:30"


def test_an_aggregators_credit_without_a_colon_and_its_widgets_are_read_not_quoted():
    """An aggregator (khabarban.com, as saved): an analytics script's fallback text, the credit
    «به نقل از «همشهری آنلاین»» with no colon, then its own time; a voting widget (iranianuk)."""
    header = ["Web Analytics Made Easy - Statcounter", "به نقل از «همشهری آنلاین»", "2024-05-04@23:34:12 GMT"]
    article = _through_prepare(["از نگاه مردم", *header, "تاریخ انتشار: ۵ مهر ۱۳۹۹ | کد خبر: ۲۹۴۱۹۰۱۱", BODY])
    assert article.text == BODY and article.agency == "همشهری آنلاین" and article.news_code == "29419011"
    votes = _through_prepare(["عنوان خبر برای آزمون", "+3", "رأی دهید", "-10", BODY])
    assert votes.text == BODY
    quoting = "به نقل از وزیر نیرو، خاموشی در تابستان نخواهیم داشت."
    assert _through_prepare(["عنوان خبر برای آزمون", quoting]).text == quoting, "a person quoted is no credit line"


def test_a_pages_title_with_the_sites_name_gives_way_to_the_headline_under_it():
    """A page saved as text opens with its title as the browser shows it, the site's name after
    «::», and the headline under it: the headline is the title, and is not quoted."""
    headline = "دور چهارم رتبه بندی پایگاه های خبری کلید خورد"
    meta = extract([f"{headline} :: روزنامه خبر جنوب :: نیازمندیهای خبر جنوب", headline, BODY])
    assert meta.title == headline and meta.body == [BODY]
    given = extract([f"{headline} - خبر جنوب", BODY], title="عنوانی که داده شده")
    assert given.title == "عنوانی که داده شده"


def test_a_sidebars_widgets_and_a_kicker_over_the_headline_printed_twice_are_not_quoted():
    """A news site's page (seraj24, as saved): its sidebar's prayer times and price widget, the
    date, a kicker (the series' name) over the headline, and the headline again under the lead.
    The headline is the title, the kicker is the kicker, and neither is quoted."""
    widgets = ["اوقات شرعی تهران", "اذان صبح ۰۳:۳۵:۰۰", "طلوع آفتاب ۰۵:۰۹:۵۷", "نیمه شب ۲۳:۱۴:۲۶", "قیمت سکه و ارز"]
    kicker, headline = "رادیو فردا در هفته‌ای که گذشت", "اعتراف یک صهیونیست به شکست رادیو فردا"
    lead = "رادیو فردا، خبر وقوع انفجار در پشت صحنه مجموعه را دستاویزی برای سیاه‌نمایی قرار داد."
    article = _through_prepare([*widgets, "۱۳۹۲/۱۰/۲۲ - ۱۷:۱۴", kicker, headline, lead, f" {headline}", BODY])
    assert (article.title, article.kicker) == (headline, kicker)
    assert article.text == f"{lead}\n\n{BODY}" and article.published == "۱۳۹۲/۱۰/۲۲ - ۱۷:۱۴"
    # a headline printed twice with a subtitle under it: the subtitle is no headline
    subtitle = "جزئیات طرح تازه شورای شهر"
    plain = _through_prepare(["عنوان خبر برای آزمون", subtitle, BODY, "عنوان خبر برای آزمون", lead])
    assert plain.title == "عنوان خبر برای آزمون" and plain.kicker is None and plain.text.startswith(subtitle)


def test_a_video_sites_icons_counters_and_empty_comment_area_are_not_quoted():
    """A video-sharing site's page (didestan.com, as saved): an icon font's ligature before the
    section's name, the section's video count, the views, an empty publication label and the
    message of a comment area with no comment yet. A close button's «X» (rahenonews) opens
    another page; none of it is the title or a quote."""
    headline = "خبرگزاری «مهر» همزاد انقلاب است"
    chrome = ["format_indent_increase اجتماعی", "239 ویدئو", headline, "۲۱ بازدید", "منتشر شده در"]
    foot = ["دیدگاه", "تا کنون برای این ویدئو دیدگاهی نوشته نشده است."]
    article = _through_prepare([*chrome, BODY, *foot])
    assert article.title == headline and article.text == BODY
    closed = _through_prepare(["X", headline, BODY])
    assert closed.title == headline and closed.text == BODY
    dated = _through_prepare([headline, "access_time ۱۴۰۲/۰۱/۰۹", BODY])
    assert dated.published == "۱۴۰۲/۰۱/۰۹" and dated.text == BODY, "an icon's name is no part of the date"
    code = "user_id شناسه هر کاربر در پایگاه داده است."
    assert _through_prepare([headline, code]).text == code, "a line with Latin words after the name keeps it"


def test_a_papers_archive_page_gives_its_headline_under_the_section_and_quotes_none_of_its_header():
    """Hamshahri's archive of a 2003 issue (as saved): the day, the volume and issue, the page's
    section, an English label, the headline, a picture's file name and the writer's name."""
    header = ["سه شنبه ۲۸ مرداد ۱۳۸۲", "سال يازدهم - شماره ۳۱۴۱", "بانك و بورس", "Front Page"]
    headline = "«كارگزاران» فراموش شدگان بازار سرمايه"
    article = _through_prepare([*header, headline, "000770.jpg", "الهه طهماسبي", BODY])
    assert (article.title, article.kicker, article.text) == (headline, "بانك و بورس", BODY)
    assert dates.parse(article.published).date().isoformat() == "2003-08-19"
    named = _through_prepare(["افزایش قیمت نان", "علی احمدی", BODY])
    assert (named.title, named.kicker, named.text) == ("افزایش قیمت نان", None, BODY), "a name under a short headline"


@pytest.mark.parametrize(
    ("lines", "title", "kicker", "agency"),
    [
        # jahansanatnews.ir: a theme's stray word, a kicker ending in «؛», the agency in the lead
        (
            ["xtrim", "در گزارش پژوهشکده پولی و بانکی مطرح شد؛", "بلایی که دلار چند نرخی بر سر اقتصاد ایران آورد",
             f"به گزارش جهان صنعت نیوز، {BODY}"],
            "بلایی که دلار چند نرخی بر سر اقتصاد ایران آورد", "در گزارش پژوهشکده پولی و بانکی مطرح شد", "جهان صنعت",
        ),
        # aryabazar.com: the site's name, a list's heading, the headline with the section and site
        # after it, then the headline alone
        (
            ["بازار آریا", "آخرين مطالب", "6 پیش‌شرط مداخله در بازار ارز تحليل آريا بازار",
             "6 پیش‌شرط مداخله در بازار ارز", "بزرگنمايي:", BODY],
            "6 پیش‌شرط مداخله در بازار ارز", "بازار آریا", None,
        ),
        # news-bazar.com: the story's age, source and counters on one line; the source's name alone
        (
            ["اثر نرخ ارز بر صادرات و واردات ایران", "09:33 ۸۷ روز و ۸ ساعت پیش افکار نیوز 41 0", "افکار نیوز", BODY],
            "اثر نرخ ارز بر صادرات و واردات ایران", None, "افکار نیوز",
        ),
        # carinx.ir: a breadcrumb from the home page that ends with the headline
        (["صفحه اصلی > بورس و سهام : بورس کالا چیست؟", "بورس کالا چیست؟", BODY], "بورس کالا چیست؟", None, None),
        # isna.ir's header (as saved): each fact behind a bullet, the reporter's number, a kicker in «؛»
        # over a headline that exclaims, printed twice
        (
            ["• دوشنبه / ۱۶ آبان ۱۴۰۱ / ۰۷:۴۵", "  • دسته‌بندی: پژوهش", "  • کد خبر: 1401081610590", "  • خبرنگار : 30165",
             "چرایی ضرورت تغییر آیین‌نامه‌های ارزیابی پژوهشگران؛", "مریم میرزاخانی در آموزش عالی ما استادیار می‌ماند!",
             "مریم میرزاخانی در آموزش عالی ما استادیار می‌ماند!", f"به گزارش ایسنا، {BODY}"],
            "مریم میرزاخانی در آموزش عالی ما استادیار می‌ماند!", "چرایی ضرورت تغییر آیین‌نامه‌های ارزیابی پژوهشگران", "ایسنا",
        ),
        # foodna.com: the desk labelled and alone, the reporter's number, the source on its own line
        (
            ["سه شنبه / ۲۴ تیر ۱۳۹۹ / ۰۸:۵۴", "سرویس : اقتصاد", "کد خبر : ۹۵۲۰۶", "گزارشگر : ۳۵۱۶", "دنیای اقتصاد",
             "سرویس اقتصاد", "تور صید ارز صادرکنندگان", BODY],
            "تور صید ارز صادرکنندگان", None, "دنیای اقتصاد",
        ),
        # mehrnews.com (as the library's stored pages hold it): the verse of the day under its
        # label over every page, then the date, a kicker in «؛» and the headline printed twice
        (
            ["پیام‌نما", "وَ اعْتَصِمُوا بِحَبْلِ اللَّهِ جَمِيعًا * * * و همگی به ریسمان خدا چنگ زنید و پراکنده نشوید.",
             "۲۴ مرداد ۱۳۹۵، ۱۳:۱۹", "انتشار جدول حمایت مالی از پایگاه‌های خبری؛", "کمک دولت به سی پایگاه خبری پرداخت شد",
             "کمک دولت به سی پایگاه خبری پرداخت شد", f"به گزارش خبرگزاری مهر، {BODY}"],
            "کمک دولت به سی پایگاه خبری پرداخت شد", "انتشار جدول حمایت مالی از پایگاه‌های خبری", "مهر",
        ),
        # sahebkhabar.ir (as the library's stored pages hold it): the code with its desk, a bar of
        # buttons holding the credit, a kicker, and the aggregator's own name left with its dash
        (
            ["شناسهٔ خبر: 50955208 - سرویس استانی", "نسخه قابل چاپ منبع: ایرنا | لینک خبر",
             "مروری بر مهم‌ترین اخبار استان‌ها؛", "سفر وزیر کشور به کردستان", "صاحبخبر -", BODY],
            "سفر وزیر کشور به کردستان", "مروری بر مهم‌ترین اخبار استان‌ها", "ایرنا",
        ),
        # resalat-news.com: the writer's name between bars under the headline
        (["نظام آموزشی ناقص محصول سیاست زدگی است", "| مرضيه صاحبي|", BODY], "نظام آموزشی ناقص محصول سیاست زدگی است", None, None),
        # eghtesadiiran.ir: a headline ending in a colon with the story under it is no kicker;
        # a sharing plugin's English label and its count
        (["بازتعریف کل‌های پولی در اقتصاد ایران:", "0", "Spread the love", BODY],
         "بازتعریف کل‌های پولی در اقتصاد ایران:", None, None),
    ],
)  # fmt: skip
def test_more_sites_headers_give_the_headline_and_credit_and_are_not_quoted(lines, title, kicker, agency):
    article = _through_prepare(lines)
    assert (article.title, article.kicker, article.agency, article.text) == (title, kicker, agency, lines[-1])


def test_a_kicker_over_a_given_headline_printed_in_the_text_is_the_kicker_not_a_speakers_line():
    """A JSONL record (or a scrape) gives the headline beside a text that prints it again under
    its kicker, as IRIB's pages do: «سخنگوی دولت:» over «امروز شاهد همبستگی بیشتر مردم بودیم».
    The kicker is no sentence of the story, and ending in a colon it opened the first sentence as
    if it named who speaks («سخنگوی دولت:\n\nسخنگوی دولت گفت: …»). A sentence of the story above
    the headline, or a kicker over a headline the text does not print, stays as it was."""
    headline = "امروز شاهد همبستگی بیشتر مردم بودیم"
    said = "سخنگوی دولت گفت: در روزهای سخت همبستگی مردم بیشتر دیده می‌شود و این سرمایه بزرگی است."

    def prepared(lines, title=headline):
        return prepare(RawArticle(id="t", text="\n".join(lines), origin="t", title=title, structured=True))

    for above in (["سخنگوی دولت:"], ["سیاسی", "سخنگوی دولت:"]):
        article = prepared([*above, headline, said, BODY])
        assert (article.article.kicker, article.article.title) == ("سخنگوی دولت", headline)
        assert [s.text for s in article.sentences] == [said, BODY]
    story = "دولت امروز درباره مراسم دیروز بیانیه‌ای داد."
    assert [s.text for s in prepared([story, headline, said, BODY]).sentences] == [story, said, BODY]
    assert prepared(["سخنگوی دولت:", said, BODY]).sentences[0].text == f"سخنگوی دولت:\n\n{said}", "a speaker's line"


def test_an_afghan_radios_page_gives_its_story_and_none_of_the_other_stories_it_lists_under_it():
    """Radio Azadi (da.azadiradio.com, as saved): Kabul's clock in the header, the section over the
    headline, and under the story a link to the news feed with the other stories after it."""
    headline = "احداث باغ‌های شفتالو سبب کاهش کشت کوکنار در ننگرهار شده است"
    other = "به سلسلۀ مسابقات جام آسیایی کریکت زیر ۱۹ سال، افغانستان فردا با سریلانکا به میدان می‌روند."
    lines = ["چهارشنبه ۲۴ جدی ۱۴۰۴ کابل ۰۶:۵۰", "افغانستان", headline, BODY, "تازه‌ترین خبرهای روز را اینجا دنبال کنید", other]
    article = _through_prepare(lines)
    assert (article.title, article.kicker, article.text) == (headline, "افغانستان", BODY)
    others = _through_prepare(["حمایت لاوروف از ایران", "کدخبر: ۲۹۱۳۵۳", BODY, "اخبار روز سایر رسانه ها", "تیتر یک", other])
    assert others.text == BODY and others.news_code == "291353", "Eghtesadnews lists other outlets' stories under it"
    for heading in ("پربیننده ترین اخبار", "مطالب پیشنهادی", "سایر اخبار", "اخبار روز"):
        assert _through_prepare(["عنوان خبر برای آزمون", BODY, heading, other]).text == BODY, heading
    follow = "مردم خواستند تازه‌ترین خبرهای روز را از رادیو دنبال کنند."
    assert _through_prepare(["عنوان خبر برای آزمون", BODY, follow]).text.endswith(follow), "a sentence about the news"


def test_a_sites_name_over_a_story_without_its_headline_is_neither_title_nor_quote():
    """Mirnews (as saved) prints its name, then the story with no headline: the title is the
    lead's opening, not «میرنیوز»; a short headline over a story is still its title."""
    lead = "تبلیغات سیاسی نوعی تبلیغات انتخاباتی است که به نامزدها اجازه می‌دهد پیام خود را مستقیم به رأی‌دهندگان برسانند."
    article = _through_prepare(["میرنیوز", lead, BODY])
    assert article.title.startswith("تبلیغات سیاسی") and article.text == f"{lead}\n\n{BODY}"
    assert _through_prepare(["انتخابات", lead, BODY]).title == "انتخابات", "a one-word headline is no site's name"


@pytest.mark.parametrize("label", ["کد خبر :", "شناسه مطلب:", "News ID:"])
def test_a_news_code_with_its_number_on_the_next_line_is_read_not_quoted(label):
    """ILNA (as saved) prints «کد خبر :» and the number under it on a line of its own; any label
    the date line's code is read by may stand so."""
    article = _through_prepare(["درخواست سخنگوی شورای شهر تهران درباره چهارشنبه سوری", label, "887582", BODY])
    assert (article.news_code, article.text) == ("887582", BODY)


def test_a_headline_under_a_given_title_stays_quotable():
    """A text given a title beside it (a channel's post titled by its channel, a feed's item) and
    opening with another short line: that line is the text's, and is quoted, never dropped."""
    headline = "پشت دیوار سکوت بانک سپه چه گذشت؟"
    article = prepare(RawArticle(id="t", text=f"{headline}\n\n{BODY}", origin="t", title="خبرفوری"))
    assert article.article.title == "خبرفوری"
    assert article.sentences[0].text == headline
    again = prepare(RawArticle(id="t", text=f"{headline}\n\n{BODY}", origin="t", title=headline))
    assert headline not in again.article.text, "the headline printed again under itself is the title only"


def test_a_reprinted_reports_headline_categories_split_repeat_and_writer_are_not_quoted():
    """Etemad's report as a site reprints it (the library's saved text): the headline, again with
    the post's categories after it, again broken over two lines under the code and date, two
    quotes from the report, the writer's name alone, then the story. Only the quotes and the
    story are quoted."""
    head = "گزارش «اعتماد» از رویکرد دولتها در قبال اطلاعرسانی مطبوعات از اعتراضات مردم 25 سال روزنامهنگاریِ رو به افول"
    quotes = [
        "علی اکبر قاضی زاده: نوشتن جرم نیست",
        "بیژن نفیسی: اگر رسانه رسالت خود را به درستی انجام می داد اعتراضات به کف خیابان نمی رسید",
    ]
    story = (
        "اگر انتخابات ریاست جمهوری هفتم و روزهای پس از آن را فصل جدیدی از حیات مطبوعات منتقد در ایران بدانیم، "
        "مروری بر رخدادهای 25 سال اخیر نشان می دهد که حکایتی است از افول و نه صعود."
    )
    lines = [
        head,
        f"{head} فرهنگی - سیاسی - اجتماعی - مقالات فرهنگی - حوزه کار وکارگری ، کار آفرینی",
        head,
        "کد خبر: 191264",
        "تاریخ خبر: 1401 یکشنبه 10 مهر",
        "گزارش «اعتماد» از رویکرد دولتها در قبال اطلاعرسانی مطبوعات از اعتراضات مردم",
        "25 سال روزنامهنگاریِ رو به افول",
        *quotes,
        "بنفشه سام گیس",
        story,
    ]
    article = _through_prepare(lines)
    assert (article.title, article.news_code) == (head, "191264")
    assert article.text == "\n\n".join([*quotes, story])


def test_a_line_that_goes_on_from_the_headline_with_a_sentence_is_the_storys():
    """Only labels after the headline make its line a listing; words that go on as a sentence are
    the story's, and a short line before the story that is longer than a name stays too."""
    head = "درخواست سخنگوی شورای شهر تهران درباره چهارشنبه سوری"
    goes_on = f"{head} از سوی شهروندان با استقبال روبه‌رو شد و شورا آن را بررسی می‌کند."
    assert goes_on in _through_prepare([head, goes_on, BODY]).text
    subheading = "نتایج نظرسنجی از شهروندان تهرانی"
    assert subheading in _through_prepare([head, "علی احمدی: شورا پاسخ می‌دهد", subheading, BODY]).text


def test_a_press_reviews_paper_names_head_sections_and_credit_nothing():
    """Jam-e Jam's review of the morning papers' editorials prints each paper's name over what it
    wrote; the review is not the paper's story (Kayhan's name was taken for its credit)."""
    lead = "روزنامه‌های صبح امروز در سرمقاله‌های خود به مسائل روز کشور و جهان پرداخته‌اند که برخی از آنها در زیر می‌آید."
    kayhan = "«نیاز زمانه ما» عنوان سرمقاله روزنامه کیهان است که در آن می‌خوانید؛ زمانه ما نیاز به گفتگو دارد."
    article = _through_prepare(["بازسازی و آفت شعارزدگی", lead, "کیهان", kayhan])
    assert article.agency is None and article.text == "\n\n".join([lead, "کیهان", kayhan])
    credited = _through_prepare(["بازسازی و آفت شعارزدگی", lead, "کیهان", BODY])
    assert credited.agency == "کیهان", "a paper's name over a story that does not speak of it still credits it"


def test_a_pictures_saved_name_is_not_the_title():
    """Donya-e Eqtesad's page opens with the writer's picture, its file named «افخمی راد copy»."""
    assert _through_prepare(["افخمی راد copy", BODY]).title != "افخمی راد copy"


def test_a_papers_header_with_its_volume_and_the_gregorian_date_dates_the_story():
    """Hamshahri's print edition (2005, as saved) heads each page with the day, the paper's year of
    publication and issue, and the Gregorian date: the issue's date, not the title."""
    header = "چهارشنبه ۱۵ تير ۱۳۸۴ - سال سيزدهم - شماره ۳۷۴۱ - Jul 6, 2005"
    article = _through_prepare([header, "پژوهشگران و شاعران صاحب «قلم زرين» شدند", BODY])
    assert article.title != header and header not in article.text
    assert dates.parse(article.published).date() == datetime.date(2005, 7, 6)


def test_a_sites_clock_with_a_comma_before_the_year_and_a_counters_line_are_not_the_title():
    """Nimrooz's header: «• امروز : جمعه, ۷ آذر , ۱۴۰۴», the Gregorian date, then a line of counters."""
    lines = ["• امروز : جمعه, ۷ آذر , ۱۴۰۴", "• برابر با : Friday - 28 November - 2025", "::: 3505 ::: 0"]
    article = _through_prepare([*lines, "منشور کوروش، راهنمای حکمرانی", BODY])
    assert (article.title, article.text) == ("منشور کوروش، راهنمای حکمرانی", BODY)
    assert dates.parse("جمعه, ۷ آذر , ۱۴۰۴").date() == datetime.date(2025, 11, 28)


def test_a_site_named_as_a_site_beside_the_storys_date_credits_and_dates_it():
    """Vista reprints Khabaronline's story under its own date bar, with «سایت خبرآنلاین / ۱۴۰۳/۰۵/۳۱»."""
    bar = "سه شنبه / ۷ مرداد / ۱۴۰۴ - 29 July, 2025"
    head = "روزی مردم این سرزمین خواندن روزنامه را گناه میشمردند!"
    article = _through_prepare([bar, "سایت خبرآنلاین / ۱۴۰۳/۰۵/۳۱", head, head, BODY])
    assert (article.agency, article.title, article.kicker) == ("خبرآنلاین", head, None)
    assert dates.parse(article.published).date() == datetime.date(2024, 8, 21)
    unknown = _through_prepare([bar, "سایت آخرین خبر / ۱۴۰۴/۰۲/۱۰", head, BODY])
    assert unknown.agency == "آخرین خبر", "a site not in the table, named as a site, still credits the story"
    assert dates.parse(unknown.published).date() == datetime.date(2025, 4, 30)


def test_a_feedback_box_over_the_story_and_a_byline_on_the_dates_line_are_not_quoted():
    """Digiato's page as saved: its feedback box first (its thanks once ended the story before it
    began), the section, the headline, a lead cut short, the writer's name, then «نوشته شده توسط
    … | ۹ بهمن ۱۴۰۰ | ۲۲:۰۰» and the story whole. Quoted: the story, once; dated by that line."""
    box = [
        "ثبت بازخورد",
        "لطفا میزان رضایت خود را از دیجیاتو انتخاب کنید.",
        "واقعا راضیام",
        "اصلا راضی نیستم",
        "چطور میتوانیم تجربه بهتری برای شما بسازیم؟",
        "نظر شما با موفقیت ثبت شد.",
        "از اینکه ما را در توسعه بهتر و هدفمندتر دیجیاتو همراهی میکنید",
        "از شما سپاسگزاریم.",
    ]
    story = "علاقه‌مندان به دنیای موبایل این روزها برای معرفی رسمی گلکسی S22 سامسونگ لحظه شماری می‌کنند و منتظرند."
    lines = [*box, "تکنولوژی", "با ناکام‌ترین تراشه‌های دنیای موبایل آشنا شوید", story[:60] + " ...", "امیر امام جمعه"]
    article = _through_prepare([*lines, "نوشته شده توسط امیر امام جمعه | ۹ بهمن ۱۴۰۰ | ۲۲:۰۰", story])
    assert (article.title, article.kicker, article.text) == (lines[9], "تکنولوژی", story)
    assert dates.parse(article.published) == dates.parse("۹ بهمن ۱۴۰۰ ۲۲:۰۰")


def test_a_sites_menu_over_the_story_is_neither_title_nor_quote():
    """Tabnak Javan's page saved as text opens with its menu, then the date, the headline, the lead
    and «کد خبر» with a count of comments: the headline is the title, the menu and the count go."""
    menu = ["صفحه نخست", "دیگه چه خبر", "خانواده و جامعه", "چند رسانه ای"]
    head = "چرا جنگیدن اینگونه با تلگرام بیفایده است؟"
    lines = [*menu, "۱۹ آذر ۱۳۹۷ - ۱۹:۰۳", head, BODY, "کد خبر: ۱۰۲۳", "تعداد نظرات: ۱ نظر"]
    article = _through_prepare(lines)
    assert (article.title, article.text, article.news_code) == (head, BODY, "1023")
    kicker = _through_prepare(["افغانستان", "طالبان مدارس دخترانه را بازگشایی نمی‌کند", BODY])
    assert kicker.title == "طالبان مدارس دخترانه را بازگشایی نمی‌کند", "one short line over the headline is a kicker"


def test_a_desk_label_and_a_code_after_the_dates_time_are_read_not_quoted():
    """Raazegh: «گروه خبري : آخرین خبر», then «تاريخ انتشار : 1394/11/24 - 23:36 كد :99498»."""
    head = "تلگرام «پولی» میشود؟"
    article = _through_prepare(["گروه خبري : آخرین خبر", "تاريخ انتشار : 1394/11/24 - 23:36 كد :99498", head, BODY])
    assert (article.title, article.text, article.news_code) == (head, BODY, "99498")
    assert dates.parse(article.published) == dates.parse("1394/11/24 23:36")


def test_an_excerpts_sentence_cut_off_with_an_ellipsis_in_brackets_is_not_quoted():
    """A blog's excerpt (Persianv, as saved) ends mid-sentence in «[…]»: the whole sentences before
    it are quoted, the cut one is not, nor an excerpt that is one cut sentence."""
    whole = "خط فارسی دارای مشکلات مختلفی می‌باشد که در جستجو و بازیابی اطلاعات مسائل فراوانی پدید می‌آورد."
    excerpt = f"{whole} به خصوص با رشد سریع انتشارات الکترونیکی بر روی وب باعث شده است که جستجوگران […]"
    article = _through_prepare(
        ["مهارت در جستجوی اطلاعات فارسی از اینترنت", excerpt, "این مقاله سعی دارد تا با اشاره به موارد [...]", BODY]
    )
    assert article.text == f"{whole}\n\n{BODY}"


def test_a_credits_label_with_the_name_on_the_next_line_is_read_not_quoted():
    """«منبع:» or «خبرنگار:» on a line of its own with the name under it is one credit: the
    outlet is read as the story's source, the writer dropped; neither line is a quote."""
    headline = "درخواست سخنگوی شورای شهر تهران درباره چهارشنبه سوری"
    sourced = _through_prepare([headline, "منبع:", "ایسنا", BODY])
    assert (sourced.agency, sourced.text) == ("ایسنا", BODY)
    assert _through_prepare([headline, "خبرنگار:", "علی احمدی", BODY]).text == BODY
    said = "این خبر را ایسنا منتشر کرده است."
    assert said in _through_prepare([headline, "منبع:", said, BODY]).text, "a sentence under a label is no name"


def test_a_link_glued_after_the_last_sentence_is_not_quoted():
    """A channel or a feed pastes the story's short link after its last sentence on the same line."""
    assert _through_prepare(["درخواست سخنگوی شورای شهر تهران", f"{BODY} https://bbc.in/4pVkw4P"]).text == BODY


def test_a_writers_name_alone_under_the_headline_is_not_quoted():
    """Radio Farda prints the writer's name on its own line between the headline and the story."""
    article = _through_prepare(["توضيحاتي در باره تغيير برنامه هاي راديوآزادي", "ايرج گرگين", BODY])
    assert article.text == BODY
    short = _through_prepare(["عنوان خبر برای آزمون", "کتابخانه مرکزی یزد", "طرح تصویب شد", BODY])
    assert short.text.startswith("کتابخانه مرکزی یزد"), "a short line the story does not follow is kept"
    # a column's date bar (its date, the writer, the comments' count), then «مقدمه:» over the story (gooyait)
    column = _through_prepare(["پروژه کدگذاری کالا در ایران (قسمت ۳)", "1390/1/16", "محسن پاک‌نیت", "3", "مقدمه:", BODY])
    assert column.text == f"مقدمه:\n\n{BODY}" and column.published == "1390/1/16"
    labelled = _through_prepare(["عنوان خبر برای آزمون", "کتابخانه مرکزی یزد", "طرح:", "تصویب شد"])
    assert labelled.text.startswith("کتابخانه مرکزی یزد"), "nor is a label over what is no story"


def test_a_day_alone_gives_way_to_the_same_day_with_its_time():
    """Asriran prints the day at the top and the day with its time beside the news code: the
    story is dated to the minute; a time on another day does not move it."""
    timed = "تاریخ انتشار: ۱۳:۴۲ - ۲۴-۰۲-۱۴۰۴"
    assert extract(["عنوان خبر برای آزمون", "۲۴ ارديبهشت ۱۴۰۴", timed, BODY, BODY + " ادامه دارد."]).published == timed
    other_day = "۲۵ اردیبهشت ۱۴۰۴ - ۱۰:۰۰"
    assert extract(["عنوان خبر برای آزمون", "۲۴ ارديبهشت ۱۴۰۴", other_day, BODY]).published == "۲۴ ارديبهشت ۱۴۰۴"


@pytest.mark.parametrize(
    ("lead", "agency"),
    [
        ("تهران- ایرنا- رئیس سازمان برنامه گفت: بودجه سال آینده هفته بعد به مجلس می‌رود.", "ایرنا"),  # IRNA's dateline
        ("اصفهان - خبرگزاری مهر: استاندار اصفهان گفت: طرح انتقال آب ادامه دارد.", "مهر"),  # a province desk's
        ("تهران (پانا) - مدیرعامل خبرگزاری گفت: اردوی دانش‌آموزان از فردا آغاز می‌شود.", "پانا"),  # the agency in brackets
        ("کرمان (ایرنا) – استاندار کرمان گفت: جاده ترانزیت بازگشایی شد.", "ایرنا"),
        ("اربیل (کوردستان۲۴) – دولت اقلیم طرح تازه‌ای را تصویب کرد.", None),  # an outlet the table does not know
        ("تهران (با حضور وزیر) - نشست خبری امروز برگزار شد.", None),  # brackets that name no outlet
        # a desk named in two words, the agency in full and in brackets
        ("به گزارش خبرنگار سرویس میراث فرهنگی خبرگزاری دانشجویان ایران (ایسنا)، موزه ملی بازگشایی شد.", "ایسنا"),
        ("به گزارش خبرنگارباشگاه خبرنگاران اصفهان، محمود اسلامیان گفت: سه یگان به جبهه رفت.", "باشگاه خبرنگاران جوان"),
        ("عراق - ایران: دیدار دوستانه دو تیم فردا برگزار می‌شود.", None),  # two countries, no newspaper «ایران»
        ("به گزارش مرکز آمار در مهر ماه تورم نقطه به نقطه کاهش یافت.", None),  # the month, not the agency
        ("مشهد- رئیس مجلس گفت: ایران قوی است.", None),
        ("نورنیوز-گروه اجتماعی: دکتر وهاب میررکنی دانشمند برجسته ایرانی است.", "نورنیوز"),  # the agency and its desk
        ("به گزارش خبرنگار پارلمانی ایکانا، نماینده مردم تهران گفت: طرح تصویب شد.", "ایکانا"),  # parliament's agency
        ("به گزارش شانا، تولید نفت خام کشور افزایش یافت.", "شانا"),  # the oil ministry's
        ("به گزارش بی بی سی، سازمان ملل این خبر را تایید کرد.", "بی‌بی‌سی فارسی"),  # written with spaces
        ("به گزارش ایرنا پلاس، گزارش تازه‌ای منتشر شد.", "ایرنا پلاس"),  # not IRNA, whose name it begins with
        # the reporter's desk before the agency, as agencies write it
        ("به گزارش خبرنگار حوزه سلامت ایرنا، مهدی شادنوش گفت: دستگاه دیالیز توزیع می‌شود.", "ایرنا"),
        ("به گزارش خبرنگار اقتصادی مهر، بازار سرمایه امروز رشد کرد.", "مهر"),
        ("به گزارش خبرنگار ما از ایران، مذاکرات ادامه دارد.", None),  # a place, not the newspaper «ایران»
        ("به گزارش حوزه اقتصادی گروه اقتصادی باشگاه خبرنگاران جوان، قیمت طلا کاهش یافت.", "باشگاه خبرنگاران جوان"),
        ("به گزارش پایگاه خبری تحلیلی انتخاب، دولت لایحه را پس گرفت.", "انتخاب"),  # a site named by an ordinary word
        ("به نقل از خبرگزاری فارس، وزیر نیرو گفت: خاموشی نداریم.", "فارس"),  # an aggregator's credit
        ("وزیر نیرو به نقل از ایسنا، گفت: خاموشی نداریم.", None),  # inside a sentence it credits nobody
        # whose reporter asked names the agency
        ("یزدان خسروی در گفتگو با خبرنگار مهر با اشاره به تردد زائران اظهار کرد: آمار بالاست.", "مهر"),
        ("وزیر در گفت‌وگو با خبرنگار اقتصادی ایرنا گفت: تورم کاهش می‌یابد.", "ایرنا"),
        ("وی در گفتگو با خبرنگار ما از ایران گفت: مذاکره ادامه دارد.", None),
        # what a paper or agency wrote, as aggregators credit it (khabaredagh, as saved)
        ("فارس نوشت: «برخی رسانه‌های سعودی مدعی شدند که دبیر شورا به بغداد سفر می‌کند.»", "فارس"),
        ("به نوشته روزنامه شرق، دولت لایحه را پس گرفت.", "شرق"),
        ("ظریف نوشت: مذاکره ادامه دارد.", None),  # a person wrote it
        ("به نوشته وزیر در صفحه شخصی‌اش، مذاکره ادامه دارد.", None),
    ],
)
def test_the_agency_is_read_from_the_lead_as_agencies_write_it(lead, agency):
    """On a site that is not the agency's own (an aggregator, a JSONL dump), the lead is what
    names the agency; the citation shows it."""
    assert extract(["عنوان خبر برای آزمون", lead, BODY]).agency == agency


@pytest.mark.parametrize(
    ("last", "quoted", "more"),
    [
        ("خشکی زاینده رود به این سادگی برطرف نشود./س", "خشکی زاینده رود به این سادگی برطرف نشود.", True),
        ("خشکی زاینده رود به این سادگی برطرف نشود. /۲", "خشکی زاینده رود به این سادگی برطرف نشود.", True),
        ("خشکی زاینده رود به این سادگی برطرف نشود/ن", "خشکی زاینده رود به این سادگی برطرف نشود", True),
        ("خشکی زاینده رود به این سادگی برطرف نشود.انتهای پیام/", "خشکی زاینده رود به این سادگی برطرف نشود.", False),
        ("خشکی زاینده رود به این سادگی برطرف نشود. انتهای پیام", "خشکی زاینده رود به این سادگی برطرف نشود.", False),
        # a price, not a mark
        ("اجاره این واحدها ۱۰ میلیون تومان/ماه", "اجاره این واحدها ۱۰ میلیون تومان/ماه", True),
        # a blog engine's link to the rest of an excerpt (ensafnews's embed, as saved)
        ("حتی فیلم‌ها و عکس‌های ایرانیان بیرون … ادامه خواندن مسوولین هم در شادی مردم شریک شوند",
         "حتی فیلم‌ها و عکس‌های ایرانیان بیرون …", True),
        ("او گفت: ادامه خواندن این کتاب را به همه توصیه می‌کنم.", "او گفت: ادامه خواندن این کتاب را به همه توصیه می‌کنم.", True),
    ],
)  # fmt: skip
def test_an_editors_mark_glued_to_the_last_sentence_is_not_quoted(last, quoted, more):
    """Agencies end a story with the editor's initials or «انتهای پیام» glued to its last
    sentence; the quote ends where the sentence does (still a slice of what the source wrote), and
    after «انتهای پیام» nothing is the story's."""
    trailer = "سه خبر دیگر از اصفهان را در این صفحه بخوانید."
    raw = RawArticle(id="x", text=f"عنوان خبر زاینده رود\n\n{BODY}\n\n{last}\n\n{trailer}", origin="x")
    texts = [s.text for s in prepare(raw).sentences]
    assert texts[:2] == [BODY, quoted]
    assert (trailer in texts) is more


def test_a_credit_line_naming_an_outlet_credits_the_story_and_is_not_quoted():
    more = "اجرای آن از ماه آینده آغاز می‌شود."
    raw = RawArticle(id="x", text=f"عنوان خبر کتابخانه\n\n{BODY}\n\n{more}\n\nمنبع: خبرگزاری ایسنا", origin="x")
    prepared = prepare(raw)
    assert prepared.article.agency == "ایسنا"
    assert [s.text for s in prepared.sentences] == [BODY, more]


@pytest.mark.parametrize(
    ("credit", "kept", "agency"),
    [("./ایسنا", ".", "ایسنا"), (". / خبرگزاری مهر", ".", "مهر"), (". (ایرنا)", ".", "ایرنا"),
     (".\n/ایرنا", ".", "ایرنا"),
     # after a slash, glued to the last word with no stop (a channel's «… بازی کنه//ورزش سه»)
     ("//ورزش سه", "", "ورزش سه"),
     # brackets after a stop that name no outlet, and an outlet named in brackets after a word
     # («خبرگزاری جمهوری اسلامی (ایرنا)»), are the story's words
     (". (مدیر کل)", ". (مدیر کل)", None),
     (" به خبرگزاری جمهوری اسلامی (ایرنا)", " به خبرگزاری جمهوری اسلامی (ایرنا)", None),
     # an outlet's short name that is an ordinary word, after a bare word, ends a list of months
     (" در شهریور/مهر", " در شهریور/مهر", None)],
)  # fmt: skip
def test_an_outlet_credited_after_the_last_sentence_credits_the_story_and_is_not_quoted(credit, kept, agency):
    """A reprint names the agency it took the story from after a slash or in brackets, glued to
    the last sentence («… ادامه دارد./ایسنا») or on the line under it; the quote ends with the
    sentence and the citation names the agency."""
    more = "اجرای آن از ماه آینده آغاز می‌شود"
    prepared = prepare(RawArticle(id="x", text=f"عنوان خبر کتابخانه\n\n{BODY}\n\n{more}{credit}", origin="x"))
    assert prepared.article.agency == agency
    assert prepared.article.text.split("\n\n")[1:] == [f"{more}{kept}"]


def test_metadata_a_page_does_not_state_is_left_empty():
    a = load("000").article
    assert a.agency is None and a.published is None and a.news_code is None
    assert a.title.startswith("جلسه كارگروه تخصصي")


def test_content_hash_changes_with_the_text_and_only_then(tmp_path):
    path = next(DEMO.glob("001*.txt"))
    first = prepare(read_text_file(path)).content_hash
    assert prepare(read_text_file(path)).content_hash == first
    changed = tmp_path / path.name
    changed.write_text(path.read_text(encoding="utf-8").replace("علیرضا آشناگر", "علی آشناگر"), encoding="utf-8")
    assert prepare(read_text_file(changed)).content_hash != first


def test_a_newer_splitter_makes_an_unchanged_article_new(monkeypatch):
    # an article split differently after an upgrade must be written again, not skipped as unchanged
    import importlib

    path = next(DEMO.glob("001*.txt"))
    before = prepare(read_text_file(path)).content_hash
    from corpus.split import SPLITTING_VERSION

    prepare_module = importlib.import_module("corpus.prepare")
    versions = prepare_module.PREPARE_VERSIONS
    assert SPLITTING_VERSION in versions
    later = tuple("a later splitter" if v == SPLITTING_VERSION else v for v in versions)
    monkeypatch.setattr(prepare_module, "PREPARE_VERSIONS", later)
    assert prepare(read_text_file(path)).content_hash != before


@pytest.mark.parametrize(
    ("line", "chrome"),
    [
        ("لینک کوتاه: https://www.isna.ir/xdBq3K", True),  # the page's own address, offered for copying
        ("کپی شد", True),
        ("🆔 @isna94", True),  # a channel's sign-off
        ("👇👇 t.me/isna94", True),
        ("#خبر_فوری #اقتصاد", True),
        ("جزئیات: https://example.org/x", False),
        ("این خبر را @isna94 منتشر کرد.", False),
        ("آخرین به‌روزرسانی: ۱۲ اردیبهشت ۱۳۹۸ - ۱۷:۰۰", True),  # when the page changed, not the story
        ("به‌روزرسانی شده در 1398/02/12 17:00", True),
        ("لینک دانلود فیلم https://x.ir/a در اختیار علاقه‌مندان است.", False),
        ("به روز رسانی ویندوز ۱۱ منتشر شد", False),
        ("ویرایش دوم این کتاب در سال ۱۳۹۸ منتشر شد.", False),
        ("به روز شده در ۱۱ آذر ۱۴۰۴", True),
        ("امروز: سه‌شنبه ۱۱ آذر ۱۴۰۴ - ۱۰ جمادی‌الثانی ۱۴۴۷", True),  # the site's clock in its header
        ("امروز ۱۲ آذر ۱۴۰۴ مجلس طرح را تصویب کرد", False),
        ("۲ ساعت پیش", True),  # the story's age when the page was served
        ("دقایقی پیش", True),
        ("۲ ساعت پیش در تهران باران آمد", False),
        ("مدت زمان مطالعه: ۴ دقیقه", True),
        ("1 دقیقه خوانده شده", True),  # a reading time, as Persian WordPress themes print it
        ("بستن   چاپ", True),  # a print view's buttons (payamevijeh.ir)
        ("برو بالا", True),  # back to the top (pouyanews.ir)
        ("بستن", False),  # one word alone may be the end of a heading's line; the list of exact lines decides
        ("قیمت دلار بالا رفت", False),
        ("اجتماعی", True),  # a section's label alone
        ("مسائل اجتماعی", False),
        ("تعداد دیدگاه: 0", True),
        ("۵ دقیقه از بازی مانده بود که گل دوم به ثمر رسید", False),
        ("زمان مطالعه دانش‌آموزان افزایش یافت", False),
        ("نظرات: ۳", True),
        ("نظر شما چیست", False),
        ("خبرنگار: علی احمدی | دبیر: حسن کریمی", True),  # who made the page, not what it says
        ("عکس: آرشیو", True),
        ("منبع: سایت نمونه", True),
        ("خبرنگار ما گزارش داد که باران آمد", False),
        ("عکس: رئیس جمهور در حال سخنرانی در مجلس شورای اسلامی امروز صبح", False),
        ("ارسال به تلگرام", True),
        ("کپی لینک", True),
        ("📣 به کانال ما بپیوندید 👇", True),  # a channel's or site's call to follow it
        ("ایسنا را در شبکه‌های اجتماعی دنبال کنید", True),
        ("وزیر از مردم خواست اخبار رسمی را دنبال کنید", False),
        # headers and forms as Kayhan, IRIB, Asriran, ISNA and WordPress sites print them
        ("فارسی | العربي | English", True),  # the language switcher
        ("زبان فارسی و عربی در این مدرسه تدریس می‌شود", False),
        ("سرویس کیهان » اخبار", True),  # a breadcrumb
        ("خانه › سیاسی › مجلس", True),
        ("او گفت: «ما می‌رویم» و رفت", False),
        ("الف الف", True),  # the text-size buttons
        ("بند الف ماده ۱۲ اصلاح شد", False),
        ("پخش زنده", True),
        ("پخش زنده مسابقه از شبکه سه انجام می‌شود", False),
        ("امروز: -", True),  # the site's clock, empty
        ("دسته‌بندی: گردشگری و میراث", True),
        ("فیلم بیشتر »»", True),
        ("نشانی ایمیل شما منتشر نخواهد شد. بخش‌های موردنیاز علامت‌گذاری شده‌اند *", True),
        ("وزارت اعلام کرد نشانی ایمیل کاربران منتشر نخواهد شد", False),
        ("نام *", True),
        ("دیدگاهتان را بنویسید", True),
        ("**۱۰۲۴**", True),  # a desk's code on its own line
        ("۷۳۳۴/۱۶۶۹", True),
        ("ب/ ک", True),  # the desk's and editor's letters closing a story
        ("ک/۵", True),
        ("۸۲۶۶/ ب", True),
        ("نرخ تورم ۱۰/۵ درصد شد", False),
        ("۲ - ۱", False),
        # what channels put around a post's news
        ("bbc.in/3Z3Rnc2", True),  # a short link by its bare domain
        ("لینک خبر:", True),
        ("مشروح گزارش 👇", True),
        ("جزئیات بیشتر را اینجا بخوانید 👇", True),
        ("وزیر گفت: مردم اخبار را از منابع رسمی بخوانید.", False),
        ("🖋️پل آدامز، بی‌بی‌سی نیوز، بیت‌المقدس", True),
        ("📷cityofbendoregon", True),
        ("📸 تصاویری از بارش برف در تهران", False),
        ("چهارشنبه ۹ فروردین ۱۴۰۲ تهران ۱۶:۵۹", True),  # Radio Farda's clock in its header
        ("🔴 خبر فوری", True),
        ("خبر فوری وزارت بهداشت درباره واکسن منتشر شد", False),
        ("لینک کوتاه : newspaper.hamshahrionline.ir/r0DW2", True),
        ("لینک‌های قابلیت دسترسی", True),
        ("این خبر را به اشتراک بگذارید", True),
        ("گزارش", True),  # the story's kind, as a label over it
        ("مهدی اسماعیل‌پور-روزنامه‌نگار", True),  # a byline and its trade
        ("علی احمدی | کارشناس اقتصادی", True),
        ("رئیس‌جمهور - خبرنگاران را به صبر دعوت کرد", False),
        ("سه‌شنبه ۰۶ آذر ۱۴۰۳ - ساعت :", True),  # the site's clock, its time for a script to fill
        ("✅ با ما همراه باشید", True),
        ("گروه اجتماعی- مرضیه صاحبی", True),  # the desk and the writer
        ("گروه استان‌ها - فرمانده سپاه استان زنجان گفت: تسنیم به درستی عمل کرده است.", False),
        ("بیشتر بخوانید: اخباری که در وبسایت منتشر نمی‌شوند!", True),  # another story's headline
        ("بخوانید: وزیر گفت که قیمت‌ها کاهش می‌یابد.", False),
        ("بزرگ‌نمایی:", True),
        ("تاریخ انتشار :", True),  # the label, its date left for a script to fill
        ("صفحه نخست >>  عمومی >> آخرین اخبار", True),
        ("2024-04-25@07:23:31 GMT", True),  # an aggregator's own timestamp
        ("۲۱ بازدید", True),  # the page's counters, the number first
        ("239 ویدئو", True),
        ("۲۱ بازدید از موزه ملی در روز اول ثبت شد", False),
        ("منتشر شده در", True),
        ("اذان ظهر ۱۲:۰۲:۱۱", True),  # a sidebar's prayer times
        ("اذان صبح امروز ساعت ۵:۱۰ از رادیو پخش شد", False),
        ("اوقات شرعی به افق تهران", True),
        ("هنوز نظری ثبت نشده است", True),  # an empty comment area
        ("اولین نفری باشید که دیدگاه می‌گذارد", True),
        ("تاکنون هیچ نظری از سوی دولت درباره این طرح ارسال نشده است.", False),
        ("X", True),  # a close button's letter
        ("C", True),
        ("ویتامین C", False),
        ("Front Page", True),  # a theme's English label on a Persian page
        ("IRNA", False),  # an outlet's name: the metadata pass reads it as a credit
        ("iPhone 15 Pro", False),
        ("there is not post in layout 2", True),  # a theme's debug line (Keshwar News)
        ("EArfKNmg5444", True),  # an embedded video's id where the player did not load (Pars News)
        ("Galaxy S23 Ultra 5G", False),
        ("03 May 2024", False),  # a date in Latin letters: the metadata pass reads it
        ("000770.jpg", True),  # a picture's file name where it did not load
        ("سال يازدهم - شماره ۳۱۴۱", True),  # a paper's volume and issue
        ("سال گذشته شماره تلفن‌ها تغییر کرد", False),
        ("خانه » اخبار » سیاسی: مجلس طرح را تصویب کرد", True),  # a breadcrumb from the home page
        ("{$sepehr_media_11071507_400_300}", True),  # a template's placeholder left unfilled (YJC)
        ("{{ image }}", True),
        ("متغیر {$name} را در قالب بنویسید", False),
        ("752K subscribers", True),  # a Telegram channel's web preview, saved as text
        ("46.9K videos", True),
        ("VIEW IN TELEGRAM", True),
        ("ادامه نوشته", True),  # a blog's «read more» (Blogfa)
        ("Close this search box.", True),  # a theme's search box (zarinafzar.com)
        ("جستجو", True),
        ("۱۰۳۵ بازدید", True),  # faradars.org's counter
        ("1. پرش به گزارش", True),  # the links to skip a page's menus (Deutsche Welle)
        ("پرش به دیگر صفحات دویچه وله", True),
        ("رفتن به محتوا", True),
        ("پرش به موقع دروازه‌بان توپ را مهار کرد", False),
        ("[۲۲:۱۹]", True),  # a live page's time over an entry
        ("USA Washington - Das Weisse Haus", True),  # a picture's caption left in German
        ("Iran Militärparade Parade", True),
        ("عکس: Getty Images/AFP/M. Ngan", True),  # a picture's credit in Latin letters
        ("گروه سیاسی", True),  # the site's desk alone
        ("— Javad Zarif (@JZarif) May 1, 2019", True),  # an embedded tweet's attribution
        ("— محمدجواد ظریف (@JZarif) ۱۱ اردیبهشت ۱۳۹۸", True),
        ("View this post on Instagram", True),  # an embedded Instagram post's
        ("A post shared by Tehran Times (@tehrantimes)", True),
        ("- وزیر (@minister) گفت که نشست فردا برگزار می‌شود.", False),
        ("گروه هفت کشور صنعتی بیانیه داد", False),
        ("+ نوشته شده در دوشنبه هجدهم آبان ۱۳۹۴ ساعت 16:9 توسط محمد ابراهیم آخوندان", True),  # its footer
        ("این کتاب نوشته شده در سال ۱۳۲۰ توسط صادق هدایت منتشر شد.", False),
        ("تبلیغات متنی", True),  # an advertisement's label
        ("امروز : یکشنبه ، 3 فروردین 1404    احادیث و روایات:  پیامبر اکرم (ص):انسان باید توشه برگیرد", True),
        ("امروز: مجلس طرح بودجه را تصویب کرد", False),
    ],
)
def test_page_furniture_is_told_from_sentences_that_resemble_it(line, chrome):
    assert is_chrome(line) is chrome


@pytest.mark.parametrize(
    ("host", "outlet"),
    [
        ("www.isna.ir", "ایسنا"),
        ("www.mashreghnews.ir", "مشرق"),
        ("ir.voanews.com", "صدای آمریکا"),
        ("tolonews.com", "طلوع‌نیوز"),
        ("da.azadiradio.com", "رادیو آزادی"),  # Radio Azadi, RFE/RL's Afghan service
        ("www.icana.ir", "ایکانا"),
        ("www.bbc.com", None),  # BBC Persian shares it with the English service: known by name only
        ("www.voanews.com", None),  # the English service is not the Persian one
        ("isna.ir.example.com", None),
    ],
)
def test_an_outlet_is_known_by_the_domain_it_publishes_on(host, outlet):
    found = outlet_of_host(host)
    assert (found.name if found else None) == outlet


def test_a_print_views_story_number_and_an_aggregators_outlet_before_the_date_are_read_not_quoted():
    """Ravaj 24's print view numbers the story «شماره : 18688» over its date (no headline: the
    number), and credits Mehr inside its own credit («به گزارش پایگاه خبری – تحلیلی رواج ۲۴ به نقل
    از مهر ،…»); Negar Online names the site it reprints before the date with a space alone («الف
    دوشنبه 17 دی 1403 - 09:12»): a credit and a date, not a sentence."""
    ravaj = prepare(
        RawArticle(
            id="r",
            origin="r",
            text="شماره : 18688\n۱۷ / ۹ / ۱۴۰۴ - ۱۴:۲۲\n\n«ماراتن کیش» از مصادیق اندلس سازی اسلامی است\n\n"
            "به گزارش پایگاه خبری – تحلیلی رواج ۲۴ به نقل از مهر ،مرکز مدیریت حوزه‌های علمیه نسبت به هنجارشکنی "
            "در مسابقات ماراتن کیش بیانیه‌ای منتشر کرده است.",
        )
    ).article
    assert ravaj.title == "«ماراتن کیش» از مصادیق اندلس سازی اسلامی است"
    assert (ravaj.news_code, ravaj.agency) == ("18688", "مهر")
    assert dates.parse(ravaj.published) == datetime.datetime(2025, 12, 8, 14, 22, tzinfo=dates.TEHRAN)
    negar = prepare(
        RawArticle(
            id="n",
            origin="n",
            text="شمار شهدای خبرنگار در سال ۲۰۲۴\n\nالف دوشنبه 17 دی 1403 - 09:12\n"
            "انجمن روزنامه‌نگاران فلسطینی اعلام کرد که در این سال یکصد و یازده خبرنگار به شهادت رسیده‌اند.",
        )
    )
    assert [s.text for s in negar.sentences] == [
        "انجمن روزنامه‌نگاران فلسطینی اعلام کرد که در این سال یکصد و یازده خبرنگار به شهادت رسیده‌اند."
    ]
    assert negar.article.agency == "الف"
    assert dates.parse(negar.article.published) == datetime.datetime(2025, 1, 6, 9, 12, tzinfo=dates.TEHRAN)


def test_a_lead_printed_over_its_headline_leaves_the_headline_as_the_title():
    """An aggregator's copy of a Mehr story (2019) prints the lead first and the headline under
    it: the headline, which the lead tells at length, is the title; the lead is still quoted, and
    a speaker's name over a quote under them is no headline."""
    lead = (
        "خبرگزاری مهر: امام جمعه موقت شیراز، گفت: خوشبختانه میزان مطالعه کتاب در کشور افزایش یافته و "
        "آمارها نشان می دهد کتابخوانی روحانیون رشد ۷۵ دقیقه ای داشته است."
    )
    headline = "امام‌جمعه شیراز: طلاب روزانه ۷۵دقیقه مطالعه دارند"
    said = "میزان مطالعه دانشجویان ۴۰ دقیقه است در حالیکه روحانیون ۷۵ دقیقه میانگین مطالعه دارند."
    text = f"کد خبر: ۵۶۰۸۴۶\nتاریخ انتشار: ۱۵:۲۸ - ۲۰ مرداد ۱۳۹۸\n\n{lead}\n\n{headline}\n\nحجت الاسلام محمدحسن مرادی:\n\n{said}"
    prepared = prepare(RawArticle(id="m", origin="m", text=text))
    assert prepared.article.title == headline
    assert [s.text for s in prepared.sentences] == [lead, f"حجت الاسلام محمدحسن مرادی:\n\n{said}"], "the speaker opens the quote"
    subheading = prepare(RawArticle(id="s", origin="s", text=f"{lead}\n\nسخنان رئیس دانشگاه\n\n{said}"))
    assert subheading.article.title.startswith("خبرگزاری مهر: امام جمعه") and subheading.article.title.endswith("…")
    assert "سخنان رئیس دانشگاه" in [s.text for s in subheading.sentences], "a subheading telling other news stays"


def test_a_line_the_lead_does_not_tell_over_the_headline_it_does_is_no_title():
    """A copy of a story on the mobile internet (inter-cars.space) keeps a line over the headline
    that the lead does not tell («تعیین حجم با روش درصد ثابت»); the headline the lead tells at
    length is the title. A headline the lead tells over a caption it tells too stays the title."""
    headline = "تغییر مدل محاسبه اینترنت ثابت/ محاسبه سرعت به جای حجم"
    lead = (
        "معاون سازمان تنظیم مقررات و ارتباطات رادیویی از تغییر مدل محاسبه اینترنت ADSL خبر داد و گفت: از این پس "
        "بجای محاسبه حجم مصرفی اینترنتی، سرعت ملاک محاسبه قرار می‌گیرد."
    )
    copy = prepare(RawArticle(id="c", origin="c", text=f"تعیین حجم با روش درصد ثابت\n\n\n{headline}\n\n{lead}"))
    assert copy.article.title == headline and [s.text for s in copy.sentences] == [lead]
    caption = "معاون سازمان تنظیم مقررات در همایش مرکز تبادل محتوا"
    page = prepare(RawArticle(id="p", origin="p", text=f"{headline}\n\n{caption}\n\n{lead}"))
    assert page.article.title == headline


def test_a_blog_engines_first_appeared_line_credits_the_site_and_is_not_quoted():
    """A site that copies stories through their feed (doctrinology.ir) prints WordPress's line
    under each, «نوشته … اولین بار در بانی‌فیلم پدیدار شد.»: the story is Banifilm's, and the line
    is no sentence of it; a sentence that merely says where something first appeared stays."""
    said = "این در حالی است که شبکه مذکور پیش از این عنوان کرده بود از شنبه به فعالیت خود خاتمه خواهد داد."
    footer = "نوشته شبکه خبر دل از تلگرام نمی کند! اولین بار در بانی‌فیلم پدیدار شد."
    copy = prepare(RawArticle(id="d", origin="d", text=f"شبکه خبر دل از تلگرام نمی کند!\n\n{said}\n\n{footer}"))
    assert copy.article.agency == "بانی‌فیلم"
    assert [s.text for s in copy.sentences] == [said]
    story = "این ویروس اولین بار در ووهان پدیدار شد."
    plain = prepare(RawArticle(id="p", origin="p", text=f"ویروس تازه\n\n{said}\n\n{story}"))
    assert [s.text for s in plain.sentences] == [said, story] and plain.article.agency is None


def test_a_story_of_one_paragraph_is_titled_by_its_opening_words_cut_at_a_word():
    """An aggregator's story of one line (vazeh.com, headline and lead run together) has no
    headline of its own: its title is its opening words, cut at a word and marked as cut, never
    in the middle of a word («… اصفهان- ایرنا- استاند»)."""
    line = (
        "- استاندار اصفهان:احزاب و تشکل ها برای انتخابات آتی، نشاط ایجاد کنند اصفهان- ایرنا- استاندار اصفهان گفت: "
        "لازم است از اکنون احزاب و تشکل ها مطابق با قانون برای ایجاد نشاط در فضای سیاسی جامعه اقدام کنند."
    )
    title = prepare(RawArticle(id="v", origin="v", text=line)).article.title
    assert title.endswith("…") and line.startswith(title[:-1]) and line[len(title) - 1] == " "


def test_the_label_over_a_sister_channels_handle_is_not_quoted_and_a_videos_caption_is():
    """Akhbar-e Fori closes a province's news with its sister channel: a tag, a label, a pointer
    and the handle («در فضای مجازی» / «👇» / «@akhbar_…»). The label was quoted as a sentence. A
    caption pointing at a link to what it shows says what happened, and stays."""
    post = (
        "♦️\nانفجار در انبار لوازم آتش‌نشانی شهرستان تکذیب شد\nفرمانداری شهرستان:\n🔹\n"
        "هیچ انفجاری امروز در انبار لوازم آتش‌نشانی شهرستان رخ نداده است.\n"
        "#اخبار_استان\nدر فضای مجازی\n👇\n@akhbar_ostan_x"
    )
    text = prepare(RawArticle(id="p", title="", text=post, origin="t.me/x/1")).article.text
    assert "هیچ انفجاری امروز در انبار لوازم آتش‌نشانی شهرستان رخ نداده است." in text
    assert "فضای مجازی" not in text
    glued = post.replace("در فضای مجازی\n👇\n@akhbar_ostan_x", "کانال استان ما 👇\nhttps://t.me/akhbar_ostan_x")
    assert "کانال استان ما" not in prepare(RawArticle(id="p", title="", text=glued, origin="t.me/x/1")).article.text
    video = "لحظه برخورد دو قطار باری در ایستگاه طبس 👇\nhttps://www.aparat.com/v/abc123"
    assert (
        "لحظه برخورد دو قطار باری در ایستگاه طبس"
        in prepare(RawArticle(id="v", title="", text=video, origin="t.me/x/2")).article.text
    )
    short = "قیمت دلار امروز در بازار آزاد به ۶۰ هزار تومان رسید\n@akhbar_ostan_x"  # no pointer: the news line stays
    assert "قیمت دلار امروز" in prepare(RawArticle(id="s", title="", text=short, origin="t.me/x/3")).article.text
