"""The heading each sentence of an article stands under (corpus/sections.py), on a real match
report that is cut into sections and on the shapes that are not sections."""

from __future__ import annotations

from corpus.prepare import prepare
from corpus.read import RawArticle
from corpus.sections import headings
from news.pages import decode_html, extract, to_raw
from tests.conftest import ROOT

REAL = ROOT / "tests" / "data" / "realnews"


def _under(text: str) -> dict[str, str | None]:
    return _sections(prepare(RawArticle(id="a", title="عنوان", text=text, origin="test")))


def _sections(prepared) -> dict[str, str | None]:
    found = headings(prepared.article.text, [s.start for s in prepared.sentences])
    return {s.text: h for s, h in zip(prepared.sentences, found, strict=True)}


def test_the_sections_of_a_real_match_report():
    page = REAL / "varzesh3_1608590.html"
    read = extract(decode_html(page.read_bytes()), "https://www.varzesh3.com/news/1608590/")
    under = _sections(prepare(to_raw(read, None, origin=page.name)))
    best = next(text for text in under if text.startswith("در روزی که پرسپولیس تا دقیقه 79"))
    assert under[best] == "بهترین بازیکن"
    assert under["قبل از شروع مسابقه لیکنز و برانکو برخورد گرمی با یکدیگر داشتند."] == "در حاشیه"  # the section runs on
    assert under["بهترین بازیکن"] is None, "a heading is not its own context"
    assert under[next(t for t in under if t.startswith("روند ناکامی"))] is None, "the lead stands under no heading"
    # a line-up, one name a line, and a label over a list are no sections; nor is a line of facts
    assert under["علیرضا بیرانوند"] is None and under["محمد طیبی"] is None
    assert under[next(t for t in under if t.startswith("داور: محمدحسین زاهدی‌فر"))] is None


def test_a_heading_is_a_short_line_over_prose():
    under = _under(
        "گزارش کامل این دیدار را در ادامه می‌خوانید که با برد میزبان به پایان رسید.\n\n"
        "نیمه اول\n\n"
        "میزبان در دقیقه ۱۰ به گل رسید و تا پایان نیمه برتری خود را حفظ کرد.\n\n"
        "او گفت:\n\n"  # a line that introduces what follows ends as a label does
        "ما برای برد آمده بودیم و برنده شدیم.\n\n"
        "مدیر روابط عمومی\n\n"  # a last short line over nothing
    )
    assert under["میزبان در دقیقه ۱۰ به گل رسید و تا پایان نیمه برتری خود را حفظ کرد."] == "نیمه اول"
    said = "او گفت:\n\nما برای برد آمده بودیم و برنده شدیم."  # the lead-in opens the sentence it introduces
    assert under[said] == "نیمه اول", "«او گفت:» opens no section"
    assert under["گزارش کامل این دیدار را در ادامه می‌خوانید که با برد میزبان به پایان رسید."] is None
    listed = _under(
        "در این نشست سه نماینده از استان حضور داشتند و درباره بودجه سال آینده گفت‌وگو کردند.\n\n"
        "علی احمدی\n\nرضا کریمی\n\n"  # one name a line: the last is no heading of what follows
        "در پایان نشست قرار شد گزارش کاملی از وضعیت بودجه به مجلس داده شود.\n\n"
    )
    assert set(listed.values()) == {None}
    services = _under(  # a channel's list of sites open again, each in brackets, then its note (AloNews)
        "بررسی‌ها نشان می‌دهد از میان وب‌سایت‌های مهم، موارد زیر در دسترس قرار گرفته‌اند:\n\n"
        "ویکی‌پدیا\n\nکنوا (Canva)\n\nیاهو\n\n"
        "بازگشایی اینترنت به تدریج در حال انجام است و برخی سرویس‌ها هنوز در دسترس همه نیستند.\n\n"
    )
    prayer = _under("هر روز خود را آغاز کنید با:\n\nبسم الله الرحمن الرحیم\n\nبا خواندن دعای عهد روز را آغاز کنیم.\n\n")
    assert set(services.values()) == {None} and set(prayer.values()) == {None}
