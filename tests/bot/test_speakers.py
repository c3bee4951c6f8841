"""Who «وی» is. Agency copy names a speaker once and then writes «وی افزود:» paragraph after
paragraph; a quote from the fifth of those is shown after the words that name the speaker, cut
from the article as written, in Telegram and in the terminal alike; a «وی» who does not speak
(who was born, who scored) is never given a speaker."""

from __future__ import annotations

import json

from app import render
from bot.messages import answer_messages
from retrieval import ingest
from tests.bot.standin import plain_text
from tests.bot.test_reading import check_reading

SPEAKING = "چرا روند کاهش و کنترل آسیب‌های اجتماعی طولانی و زمان بر است؟"  # «وی در ادامه …», four sentences on
NAMED = "درادامه صادق زاده مدیرکل بهزیستی"  # and on, to «… عنوان داشت», before his words

ARTICLE = """انتقال آب به یزد از ماه آینده

به گزارش ایسنا، علی رضایی، معاون وزیر نیرو، در جمع خبرنگاران گفت: عملیات انتقال آب از خلیج فارس به یزد از ماه آینده آغاز می‌شود.

این طرح در سه مرحله اجرا خواهد شد و اعتبار آن از محل صندوق توسعه ملی تامین شده است.

وی افزود: لوله‌گذاری مسیر اصلی تا پایان سال آینده به پایان می‌رسد.

وی ادامه داد: سه ایستگاه پمپاژ بزرگ در طول مسیر ساخته خواهد شد.

وی همچنین تصریح کرد: آب منتقل‌شده فقط برای مصرف شرب مردم یزد است و به صنایع نمی‌رسد.

محمد کاظمی، قهرمان پیشین کشتی جهان، نیز در این مراسم حضور داشت.

وی سال ۱۳۵۵ در محله فهادان یزد به دنیا آمد و سال‌ها در باشگاه‌های این شهر کشتی گرفت.
"""


def test_a_quoted_vi_whose_speaker_is_named_out_of_sight_follows_the_words_that_name_him(demo_engine):
    answer = demo_engine.ask(SPEAKING, k=1)
    (quote,) = answer.quotes
    assert quote.text.startswith("وی در ادامه") and quote.speaker is not None
    words = quote.speaker.text
    assert words.startswith(NAMED) and words.endswith("عنوان داشت") and quote.speaker.cut
    article = demo_engine.article(quote.article_id).text
    assert article[quote.speaker.start : quote.speaker.start + len(words)] == words, "a slice of the article as written"

    shown = plain_text(answer_messages(answer)[0])
    assert f"{words} …" in shown and shown.index(words) < shown.index("[۱] «وی در ادامه"), "who, then what he said"
    check_reading(shown, demo_engine)
    printed = render.to_terminal(answer)
    assert printed.index(f"{words} …") < printed.index("[۱] «وی در ادامه")
    assert json.loads(render.to_json(answer))["quotes"][0]["speaker"] == words


def test_a_speaker_already_in_sight_is_not_shown_twice(demo_engine):
    """The bot shows a quote's neighbours: when «کردونی افزود: …» stands just before «وی در پایان
    تاکید داشت: …» it is read there, whole, once; the terminal, which shows the quote alone,
    shows the words that name him."""
    answer = demo_engine.ask("کارگروه‌های اجتماعی و دستگاه‌ها موظف به چه هستند؟", k=1)
    (quote,) = answer.quotes
    assert quote.text.startswith("وی در پایان") and quote.speaker is not None and quote.speaker.text == "کردونی افزود:"
    shown = plain_text(answer_messages(answer)[0])
    assert shown.count("کردونی افزود:") == 1 and "کردونی افزود: …" not in shown and "کردونی افزود: نباید" in shown
    check_reading(shown, demo_engine)
    printed = render.to_terminal(answer)
    assert "کردونی افزود: …" in printed and "نباید عملکرد" not in printed
    assert render.to_terminal(answer, show_context=True).count("کردونی افزود:") == 1


def test_each_vi_in_a_chain_is_the_last_one_named_speaking_and_a_vi_who_does_not_speak_is_nobodys(fresh_engine, tmp_path):
    engine = fresh_engine()
    (tmp_path / "water.txt").write_text(ARTICLE, encoding="utf-8")
    assert ingest(engine, [tmp_path / "water.txt"]).ok
    engine.load()
    named = "به گزارش ایسنا، علی رضایی، معاون وزیر نیرو، در جمع خبرنگاران گفت:"
    for question in ("آب منتقل شده به یزد برای چه مصرفی است؟", "چند ایستگاه پمپاژ در مسیر ساخته می‌شود؟"):
        quote = engine.ask(question, k=1).quotes[0]
        assert quote.text.startswith("وی") and quote.speaker is not None and quote.speaker.text == named, question
        assert quote.speaker.cut
    who = engine.ask("چه کسی گفت آب منتقل شده فقط برای مصرف شرب است؟", k=1).quotes[0]
    assert who.text.startswith("وی همچنین تصریح کرد") and "علی رضایی" not in who.context
    assert "علی رضایی" in who.shown, "a «who said» question is answered in what is shown (and counted so by `pasokh eval`)"
    born = engine.ask("محمد کاظمی کجا به دنیا آمد؟", k=1).quotes[0]
    assert born.text.startswith("وی سال ۱۳۵۵") and born.speaker is None, "the wrestler is not the deputy minister"
    assert named not in render.to_terminal(engine.ask("محمد کاظمی کجا به دنیا آمد؟", k=1))
