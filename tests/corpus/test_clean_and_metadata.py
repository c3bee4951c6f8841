"""Cleaning and metadata on the real demo pages: what a reader would see wrong if it broke."""

from __future__ import annotations

import pytest

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


def test_a_credit_line_naming_an_outlet_credits_the_story_and_is_not_quoted():
    more = "اجرای آن از ماه آینده آغاز می‌شود."
    raw = RawArticle(id="x", text=f"عنوان خبر کتابخانه\n\n{BODY}\n\n{more}\n\nمنبع: خبرگزاری ایسنا", origin="x")
    prepared = prepare(raw)
    assert prepared.article.agency == "ایسنا"
    assert [s.text for s in prepared.sentences] == [BODY, more]


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
        ("www.voanews.com", None),  # the English service is not the Persian one
        ("isna.ir.example.com", None),
    ],
)
def test_an_outlet_is_known_by_the_domain_it_publishes_on(host, outlet):
    found = outlet_of_host(host)
    assert (found.name if found else None) == outlet
