"""Which texts are Persian: the pages and posts Pasokh stores must be, since it answers Persian
questions, and no Persian text may be turned away for the Arabic it quotes, the old encodings it
was written in or the English names it mentions."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from corpus.language import GARBLED, REVERSED, not_persian
from news.pages import NotAnArticle, decode_html, extract

REALNEWS = Path(__file__).resolve().parents[2] / "tests" / "data" / "realnews"
DEMO = Path(__file__).resolve().parents[2] / "corpus" / "demo"

# written for these tests: a news paragraph in each language a Persian outlet's other editions use
ARABIC = (
    "أعلنت وزارة الصحة في بيان صدر اليوم أن عدد الإصابات الجديدة بالفيروس قد ارتفع إلى أكثر من ألف حالة خلال الأسبوع "
    "الماضي، وقال المتحدث باسم الوزارة إن الفرق الطبية تعمل على مدار الساعة في المستشفيات التي تستقبل المرضى. وأضاف أن "
    "الحكومة قررت إغلاق المدارس في المحافظات الشمالية لمدة أسبوعين، مشيرا إلى أن هذا القرار جاء بعد مشاورات مع الخبراء."
)
URDU = (
    "وزیراعظم نے آج اسلام آباد میں ایک اہم اجلاس کی صدارت کی جس میں ملک کی معاشی صورتحال کا جائزہ لیا گیا۔ اجلاس میں "
    "وزیر خزانہ نے بتایا کہ مہنگائی کی شرح میں کمی آئی ہے اور برآمدات میں اضافہ ہوا ہے۔ وزیراعظم نے کہا کہ حکومت عوام کو "
    "ریلیف دینے کے لیے ہر ممکن اقدامات کرے گی۔"
)
PASHTO = (
    "د افغانستان د عامې روغتیا وزارت ویلي چې په تېره اونۍ کې په هېواد کې د شګلې د ناروغۍ نوې پېښې ثبت شوې دي. د دې "
    "وزارت ویاند وویل چې روغتیايي ټیمونه په لیرې پرتو سیمو کې د ماشومانو د واکسین کولو لپاره ګمارل شوي دي."
)
KURDISH = (
    "سەرۆکی هەرێمی کوردستان ئەمڕۆ لە هەولێر پێشوازی لە شاندێکی حکومەتی عێراقی کرد و باسیان لە کێشە "
    "هەڵپەسێردراوەکانی نێوان هەولێر و بەغدا کرد. لە کۆبوونەوەکەدا جەخت لەسەر پێویستی چارەسەرکردنی کێشەی مووچەی "
    "فەرمانبەران کرایەوە."
)
ENGLISH = (
    "The Ministry of Health said on Saturday that the number of new cases had risen to more than a thousand over the "
    "past week, and that medical teams were working around the clock in the hospitals receiving patients."
)
RUSSIAN = (
    "Министерство здравоохранения сообщило в субботу, что число новых случаев за прошедшую неделю превысило тысячу, "
    "а медицинские бригады работают круглосуточно в больницах, принимающих пациентов."
)
PERSIAN = (
    "شورای شهر یزد امروز طرح توسعه کتابخانه مرکزی را با اکثریت آرا تصویب کرد و اجرای آن از ماه آینده آغاز می‌شود. "
    "رئیس شورا گفت که این طرح در دو مرحله اجرا خواهد شد و هزینه آن از محل بودجه عمرانی شهرداری تامین می‌شود."
)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (ARABIC, "Arabic"),
        (URDU, "Urdu"),
        (PASHTO, "Pashto"),
        (KURDISH, "Kurdish"),
        (ENGLISH, "English or another Latin-script language"),
        (RUSSIAN, "Cyrillic script"),
    ],
)
def test_another_language_is_named(text, language):
    assert not_persian(text) == language


@pytest.mark.parametrize(
    "text",
    [
        PERSIAN,
        PERSIAN.replace("ی", "ي").replace("ک", "ك"),  # the Arabic yeh and kaf many older sites write
        "ﺷﻮﺭﺍﻱ ﺷﻬﺮ ﻳﺰﺩ" + " " + PERSIAN,  # presentation forms, as text copied from old PDFs
        PERSIAN + " امام جمعه این شهر در خطبه خود این آیه را خواند: «إن الله مع الصابرین» و گفت که مردم صبر کنند.",
        PERSIAN + " این گوشی با تراشه Snapdragon 8 Gen 3 و دوربین 200 مگاپیکسلی Samsung عرضه می‌شود.",
        "این گوشی در سه رنگ عرضه می‌شود و مشخصات آن به این شرح است: Display: 6.1-inch Super Retina XDR OLED, 120Hz "
        "ProMotion; Chip: A17 Pro with 6-core GPU; Camera: 48MP main, 12MP ultra wide, 12MP telephoto with 5x optical zoom; "
        "Battery: up to 23 hours video playback. قیمت آن در بازار ایران هنوز مشخص نیست که خریداران آن را دنبال می‌کنند.",
        "وزارت صحت عامه افغانستان می‌گوید که در هفته گذشته واکسین فلج اطفال برای کودکان در ولایت‌های شرقی توزیع شده است "
        "و شاروالی کابل نیز از آغاز کار سرک‌های تازه در حوزه‌های شهر خبر داد.",  # Dari
    ],
)
def test_persian_is_persian_whatever_it_quotes_or_how_it_was_encoded(text):
    assert not_persian(text) is None


@pytest.mark.parametrize(
    "post",
    [  # an Iraqi channel's one-line posts (naya_foriraq, as a mirror of it shows them)
        "قطع طريق مطار بغداد الدولي لأسباب مجهولة",
        "إغلاق ساحة الحسنين بمنطقة الجادرية وسط العاصمة بغداد",
        "قوة من فوج مغاوير الرابع تتجه نحو الجسر المعلق",
        "قاليباف:\nلنجعل أمريكا جائعة مرة أخرى! لا يمكنك التستر على الهزائم بادعاءات كاذبة.",
    ],
)
def test_a_short_arabic_post_is_arabic(post):
    assert not_persian(post) == "Arabic"


@pytest.mark.parametrize(
    "post",
    [  # short Persian posts (Fars's channel) and headlines, some as old sites encode them
        "مجری منوتو: دنیا توجهی به ما نمی‌کند",
        "سپاه حوصلش سر رفت باز تنگه هرمزو بست",
        "عملیات الی بیت‌المقدس ۳ هفته بطول انجامید.",  # Arabic's «الی» and «ال», Persian's non-joiner
        "واريز سهميه اول و دوم بنزين بدون تغيير در خرداد",  # Arabic yeh, Persian's «در»
        "الهلال عربستان قهرمان جام باشگاه‌های آسیا",
        "دائرةالمعارف بریتانیکا سال ورود بسکتبال را ۱۹۲۱ میلادی بیان کرده‌است.",  # «ة», and Persian's yeh
    ],
)
def test_a_short_persian_post_is_persian_though_it_borrows_from_arabic(post):
    assert not_persian(post) is None


def test_too_little_text_to_tell_is_not_turned_away():
    assert not_persian("Tehran, Iran") is None and not_persian("قال الوزیر") is None


def test_every_seed_article_and_real_page_is_persian():
    texts = [p.read_text(encoding="utf-8") for p in sorted(DEMO.glob("*.txt"))]
    for path in sorted(REALNEWS.glob("*.html")):
        page = extract(decode_html(path.read_bytes(), ""), f"https://example.ir/{path.stem}")
        texts.append(page.text)
    assert len(texts) >= 10
    assert [not_persian(t) for t in texts] == [None] * len(texts)


def test_text_copied_out_of_a_pdf_in_an_old_font_is_garbled_not_pashto():
    """A PDF of Persian print set in an old font gives, copied out, letters of no one language
    (Pashto's ډ beside Sindhi's ٽ and Kazakh's high hamza, as a magazine's pages on issuu read):
    passed over as garbled, not named as a language it is not; Urdu, Pashto and Kurdish, each
    with its own letters, are still named."""
    legacy_font = str.maketrans({"ن": "ٽ", "د": "ډ", "ر": "ڃ", "ی": "ٶ", "ب": "ڇ", "ت": "څ"})
    garbled = PERSIAN.translate(legacy_font)
    assert not_persian(garbled) == GARBLED
    assert [not_persian(t) for t in (URDU, PASHTO, KURDISH)] == ["Urdu", "Pashto", "Kurdish"]
    paragraphs = "".join(f"<p>{garbled}</p>" for _ in range(3))
    page = f"<html><head><title>ڇايگاڽ</title></head><body><article><h1>ڇايگاڽ</h1>{paragraphs}</article></body></html>"
    with pytest.raises(NotAnArticle, match=r"garbled letters .*, not readable Persian"):
        extract(page, "https://example.ir/magazine/1389")


def test_persian_copied_out_of_a_pdf_backwards_is_no_readable_text():
    """A PDF that stores its glyphs in visual order gives, copied out, every line backwards
    («رد» for «در», «تسا» for «است»), in letters or in presentation forms: quoted, a reader
    would see gibberish. The real pages' text is Persian; each of their lines reversed is not."""
    backwards = "\n".join(line[::-1] for line in (PERSIAN + "\n" + PERSIAN).split("\n"))
    assert not_persian(backwards) == REVERSED and not_persian(PERSIAN + " " + PERSIAN) is None
    assert not_persian("".join(map(_isolated_form, backwards))) == REVERSED  # as a PDF's glyphs: «ﺭﺩ»
    for path in sorted(REALNEWS.glob("*.html")):
        text = extract(decode_html(path.read_bytes(), ""), f"https://example.ir/{path.stem}").text
        flipped = "\n".join(line[::-1] for line in text.split("\n"))
        assert not_persian(text) is None and (len(text) < 400 or not_persian(flipped) == REVERSED), path.name
    paragraphs = "".join(f"<p>{backwards}</p>" for _ in range(3))
    page = f"<html><head><title>مجله</title></head><body><article><h1>مجله</h1>{paragraphs}</article></body></html>"
    with pytest.raises(NotAnArticle, match=r"letters in reversed order .*, not readable Persian"):
        extract(page, "https://example.ir/magazine/1390")


def _isolated_form(ch: str) -> str:
    """``ch`` as the presentation form a PDF's glyph maps to («ﺏ» for «ب»), where Unicode has one."""
    try:
        return unicodedata.lookup(f"{unicodedata.name(ch)} ISOLATED FORM")
    except (KeyError, ValueError):
        return ch
