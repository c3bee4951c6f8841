"""Text a hard wrap cut where a line was full (a PDF's or an e-mail's text, a page pasted from a
word processor line by line): quoted by whole sentences, while lines a source breaks on purpose
(a headline, a channel's bulletins, verse, a list) stay apart."""

from __future__ import annotations

import textwrap

from corpus.clean import story_lines
from corpus.prepare import prepare
from corpus.read import RawArticle, read_text_file

WRAPPED = """آمار تازه اشتغال جوانان منتشر شد
مرکز آمار در تازه
ترین گزارش خود نرخ بیکاری جوانان در پاییز امسال
را ۲۱ درصد اعلام کرد.
به گزارش خبرنگار ما
به نقل از این مرکز، نرخ مشارکت اقتصادی در
همین فصل به ۴۱ درصد رسیده است
.
بر اساس این گزارش،
سهم اشتغال ناقص نیز در مقایسه با پاییز سال گذشته
کمی کاهش یافته است.
"""


def _sentences(text: str, **fields) -> list[str]:
    return [s.text for s in prepare(RawArticle(id="t", text=text, origin="t", **fields)).sentences]


def test_a_hard_wrapped_text_file_is_quoted_by_whole_sentences(tmp_path):
    """Each piece was a sentence of its own: «مرکز آمار در تازه», «را ۲۱ درصد اعلام کرد.», and a
    stop alone on its line was lost. The headline over the text stays the title."""
    path = tmp_path / "wrapped.txt"
    path.write_text(WRAPPED, encoding="utf-8")
    prepared = prepare(read_text_file(path))
    assert prepared.article.title == "آمار تازه اشتغال جوانان منتشر شد"
    assert [s.text for s in prepared.sentences] == [
        "مرکز آمار در تازه ترین گزارش خود نرخ بیکاری جوانان در پاییز امسال را ۲۱ درصد اعلام کرد.",
        "به گزارش خبرنگار ما به نقل از این مرکز، نرخ مشارکت اقتصادی در همین فصل به ۴۱ درصد رسیده است.",
        "بر اساس این گزارش، سهم اشتغال ناقص نیز در مقایسه با پاییز سال گذشته کمی کاهش یافته است.",
    ]


def test_one_evident_cut_is_joined_in_any_text():
    """A line ending on a word no sentence ends on («در»), or the next opening with what no
    sentence opens with (a suffix torn from its word: «تازه» / «ترین …»);
    an empty label is chrome, not the first words of the story under it."""
    assert story_lines("وزیر نیرو امروز در\nجلسه دولت از برنامه تازه خبر داد.") == [
        "وزیر نیرو امروز در جلسه دولت از برنامه تازه خبر داد."
    ]
    assert story_lines("این تازه\nترین گزارش مرکز آمار است.") == ["این تازه ترین گزارش مرکز آمار است."]
    assert story_lines("منتشر شده در\nوزیر نیرو امروز از برنامه تازه خبر داد.") == ["وزیر نیرو امروز از برنامه تازه خبر داد."]
    assert story_lines("خبر امروز\nشنبه ۱۰ آذر ۱۴۰۴ - ۰۹:۳۰\n،وزیر نیرو امروز خبر داد.")[1] == "شنبه ۱۰ آذر ۱۴۰۴ - ۰۹:۳۰"


def test_lines_a_source_breaks_on_purpose_stay_apart():
    bulletins = ["انفجار در بندرعباس", "انفجار در اهواز", "قطعی برق در شیراز", "صدای پدافند در تبریز"]
    assert story_lines("\n".join(bulletins)) == bulletins
    verse = ["ای مگس عرصه سیمرغ نه جولانگه توست", "عرض خود می‌بری و زحمت ما می‌داری"]
    assert story_lines("\n".join(verse)) == verse
    headed = ["نتایج انتخابات شورا اعلام شد", "بیش از نیمی از واجدان رای دادند.", "میزان مشارکت", "مشارکت در تهران کمتر بود."]
    assert story_lines("\n".join(headed)) == headed
    dated = ["دوشنبه ۱۰ می", "رئیس جمهور امروز به نیویورک رفت."]
    assert story_lines("\n".join(dated)) == dated, "«می» is also May"
    listed = ["شرایط ثبت نام به این شرح است،", "۱. داشتن کارت ملی", "۲. مدرک تحصیلی"]
    assert story_lines("\n".join(listed)) == listed, "a list's next item"


def test_a_text_with_many_lines_that_end_no_sentence_but_no_evident_cut_is_not_joined():
    """A channel's post of bulletins and a page of headings are full of lines without a stop;
    only evident cuts make a text hard-wrapped, and its headline is never joined to its story."""
    lines = ["خلاصه خبرهای امروز", *[f"خبر شماره {n} درباره استان‌ها" for n in range(1, 8)], "پایان خلاصه خبرها."]
    assert story_lines("\n".join(lines)) == lines
    joined = _sentences("تیتر خبر امروز\nمتن اول که\nادامه دارد و\nبه پایان می‌رسد و\nباز ادامه دارد تا\nاینجا تمام شود.")
    assert joined == ["متن اول که ادامه دارد و به پایان می‌رسد و باز ادامه دارد تا اینجا تمام شود."]


def test_a_text_wrapped_to_a_width_is_joined_with_no_evident_cut():
    """A wrap to a width leaves each line full: the next word would not have fitted. Wrapped at
    70 characters, these three paragraphs break no line on a word no sentence ends on."""
    paragraphs = [
        "شورای شهر اصفهان در جلسه دیروز خود طرح تازه‌ای برای گسترش خطوط دوچرخه در مرکز شهر تصویب کرد"
        " و اجرای آن را به سازمان حمل و نقل سپرد.",
        "بر پایه این طرح، طول مسیرهای ویژه دوچرخه تا پایان سال آینده به دو برابر امروز می‌رسد"
        " و ایستگاه‌های تازه‌ای نیز در کنار ایستگاه‌های مترو ساخته خواهد شد.",
        "یکی از اعضای شورا گفت هزینه این طرح از محل درآمدهای پارکینگ‌های عمومی تامین می‌شود.",
    ]
    wrapped = "\n".join(line for paragraph in paragraphs for line in textwrap.wrap(paragraph, 70))
    assert len(wrapped.splitlines()) == 7
    assert _sentences(f"خطوط دوچرخه اصفهان دو برابر می‌شود\n{wrapped}") == [
        "شورای شهر اصفهان در جلسه دیروز خود طرح تازه‌ای برای گسترش خطوط دوچرخه در مرکز شهر تصویب کرد"
        " و اجرای آن را به سازمان حمل و نقل سپرد.",
        "بر پایه این طرح، طول مسیرهای ویژه دوچرخه تا پایان سال آینده به دو برابر امروز می‌رسد"
        " و ایستگاه‌های تازه‌ای نیز در کنار ایستگاه‌های مترو ساخته خواهد شد.",
        "یکی از اعضای شورا گفت هزینه این طرح از محل درآمدهای پارکینگ‌های عمومی تامین می‌شود.",
    ]
    bulletins = [
        "افزایش قیمت بنزین از فردا در همه جایگاه‌های سوخت کشور اجرا می‌شود",
        "بانک مرکزی نرخ سود سپرده‌های بانکی را برای سال آینده تغییر داد",
        "بارش برف و باران در بیست استان کشور تا پایان هفته ادامه دارد",
        "مدارس تهران فردا به دلیل آلودگی هوا غیرحضوری شد",
        "قیمت طلا و سکه در بازار امروز تهران دوباره کاهش یافت",
        "واردات خودروهای کارکرده از ماه آینده آزاد می‌شود",
    ]
    assert story_lines("\n".join(bulletins)) == bulletins, "headlines of a channel's digest, nearly as long"


def test_a_heading_inside_a_wrapped_text_stays_a_line_of_its_own():
    """A wrap moves a word on only when it would not fit: in a text wrapped throughout, a line
    left far short of the width, the next word and all, is a heading (or a paragraph's end with
    no stop), not a cut; it was joined to the paragraph under it."""
    paragraphs = [
        "شورای شهر اصفهان در جلسه دیروز خود طرح تازه‌ای برای گسترش خطوط دوچرخه در مرکز شهر تصویب کرد"
        " و اجرای آن را به سازمان حمل و نقل سپرد.",
        "بر پایه این طرح، طول مسیرهای ویژه دوچرخه تا پایان سال آینده به دو برابر امروز می‌رسد"
        " و ایستگاه‌های تازه‌ای نیز در کنار ایستگاه‌های مترو ساخته خواهد شد.",
        "هزینه‌ها و منابع",
        "یکی از اعضای شورا گفت هزینه این طرح از محل درآمدهای پارکینگ‌های عمومی تامین می‌شود.",
    ]
    wrapped = "\n".join(line for paragraph in paragraphs for line in textwrap.wrap(paragraph, 70))
    assert story_lines(f"خطوط دوچرخه اصفهان دو برابر می‌شود\n{wrapped}")[1:] == paragraphs
