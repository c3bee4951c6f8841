"""Telegram HTML for answers and articles: within limits, well-formed, quotes unaltered."""

from __future__ import annotations

import re

from app.render import to_terminal
from bot import messages
from bot.messages import ARTICLE_MESSAGES, RLM, answer_messages, article_messages, bold_matches
from corpus import dates
from corpus.decoration import shown_title
from corpus.records import Article
from retrieval.records import Answer, Quote
from tests.bot.standin import plain_text, visible_length

SENTENCE = "استان خوزستان، تهران، کرمان، سیستان و بلوچستان استانهای پایلوت در طرح <کودکان> & «بازمانده» هستند."


def quote(n: int, text: str = SENTENCE, context: str = "") -> Quote:
    return Quote(
        n, text, f"a{n}", "تیتر خبر & <نمونه>", "موج", "۲۸ خرداد ۱۳۹۷", "https://example.org/a?x=1&y=2", 0.9, n, 0, context
    )


def test_bold_wraps_whole_matching_words_and_changes_no_character():
    html_text = bold_matches(SENTENCE, ["استان", "کودک"])
    assert "<b>" in html_text and plain_text(html_text) == SENTENCE
    assert visible_length(html_text, "HTML") == len(SENTENCE)


def test_long_answers_split_between_quotes_and_every_message_is_valid_telegram_html():
    long_context = ("جمله پیشین بسیار طولانی است. " * 40) + SENTENCE + (" جمله پسین." * 30)
    answer = Answer("پرسش", False, tuple(quote(n, SENTENCE, long_context) for n in range(1, 9)), terms=("استان",))
    messages = answer_messages(answer)
    assert len(messages) > 1
    numbers = []
    for message in messages:
        assert visible_length(message, "HTML") <= 4096  # raises on malformed HTML
        assert all(line.startswith(RLM) for line in message.split("\n") if line)
        numbers += re.findall(r"\[([۰-۹]+)\] «", message)  # the number stands on its quote, in Persian digits
    assert numbers == [dates.persian_digits(str(n)) for n in range(1, 9)], "each quote whole, once, in order"
    assert all(SENTENCE in plain_text(m) for m in messages)


def test_a_long_article_is_read_in_a_few_valid_messages_then_its_link():
    """An article read in chat is capped: the first messages, whole paragraphs in order, then the link."""
    paragraphs = [f"بند {i}: " + "متن خبر با نماد & و <علامت> " * 60 for i in range(30)]
    article = Article("x", "تیتر", "\n\n".join(paragraphs), agency="ایسنا", published="۱ دی ۱۴۰۲", url="https://e.org/?a=1&b=2")
    messages = article_messages(article)
    assert len(messages) == ARTICLE_MESSAGES
    for message in messages:
        assert visible_length(message, "HTML") <= 4096
    shown = "".join(plain_text(m) for m in messages[:-1]).replace(RLM, "")
    assert paragraphs[0].strip() in shown and paragraphs[1].strip() in shown, "the beginning, whole and in order"
    assert 'href="https://e.org/?a=1&amp;b=2"' in messages[-1]


def test_a_one_megabyte_paragraph_or_a_five_thousand_character_title_stays_within_the_limits():
    article = Article("x", "ت" * 5000, "کلمه " * 200_000, agency="ایسنا", url="https://e.org/" + "a" * 5000)
    messages = article_messages(article)
    assert 1 < len(messages) <= ARTICLE_MESSAGES
    assert all(0 < visible_length(m, "HTML") <= 4096 for m in messages)


def test_an_answer_to_a_question_in_another_language_says_its_sources_are_persian():
    foreign = answer_messages(Answer("Which provinces?", False, (quote(1),), language="other"))[0]
    persian = answer_messages(Answer("کدام استان‌ها؟", False, (quote(1),)))[0]
    shown = plain_text(foreign)
    assert "منبع‌ها فارسی‌اند" in shown and shown.index("منبع‌ها") < shown.index("[۱]")
    assert "منبع‌ها" not in plain_text(persian)
    assert all(line.startswith(RLM) for line in foreign.split("\n") if line)
    visible_length(foreign, "HTML")  # well-formed Telegram HTML, or this raises


def test_the_reading_above_inline_results_fits_one_button_line():
    short = messages.reading_label("چند تا طرح امضا شدند؟")
    assert short == "خواندم: «چند تا طرح امضا شدند؟»"
    long = messages.reading_label("آیا قیمت دلار امروز در بازار آزاد تهران از قیمت دیروز بیشتر شده است یا نه؟")
    assert len(long) <= messages.READING_BUTTON_CHARS and long.endswith("…»") and long.startswith("خواندم: «آیا قیمت")


def test_a_channels_bullet_before_a_quote_or_title_stands_outside_the_quotation_marks():
    """Channels open a post's lines with an emoji («🔻امروز …»): the reader sees it before «», not
    as the first word of what is quoted, and the quote inside is still the post's own text."""
    post = "🔻️ امروز شنبه ۲۵ بهمن ۱۴۰۴ در خیابان‌های تورنتو جمعیت ایرانیان موج می‌زد."
    bulleted = Quote(1, post, "t1", "🔻«برای دوستان جان‌باخته‌شان آمده بودند»", "بی‌بی‌سی فارسی", None, None, 0.9, 1, 0, post)
    message = plain_text(answer_messages(Answer("پرسش", False, (bulleted,)))[0])
    assert "[۱] «امروز شنبه ۲۵ بهمن" in message and "«🔻" not in message
    assert "— «برای دوستان جان‌باخته‌شان آمده بودند» · بی‌بی‌سی فارسی" in message
    plain = plain_text(answer_messages(Answer("پرسش", False, (quote(1),)))[0])
    assert f"[۱] «{SENTENCE}»" in plain, "a quote that opens with its words is shown whole"
    assert messages.button_label(bulleted.title) == "«برای دوستان جان‌باخته‌شان آمده بودند»", "a button's title too"
    cold = "-۲۰ درجه دمای هوای اردبیل در شب گذشته بود."
    listed = plain_text(answer_messages(Answer("پرسش", False, (quote(1, cold, cold),)))[0])
    assert f"[۱] «{cold}»" in listed, "a minus sign is the number's, not a list's dash"
    dashed = plain_text(answer_messages(Answer("پرسش", False, (quote(1, "- " + SENTENCE, "- " + SENTENCE),)))[0])
    assert f"[۱] «{SENTENCE}»" in dashed
    terminal = to_terminal(Answer("پرسش", False, (bulleted,)), show_context=True)
    assert "[۱] «امروز شنبه ۲۵ بهمن" in terminal and "— «برای دوستان" in terminal, "the terminal shows it as the bot does"
    # a tag that labels the line («#فکت؛ …», «🔴 #فوری | …») stands outside too; one the sentence reads on with stays
    fact = "#فکت؛ حدود ۸۰ درصد از آب شیرین جهان در یخچال‌های طبیعی ذخیره شده است."
    tagged = Quote(1, fact, "t2", "🔴 #فوری | " + fact[6:40] + "…", "کانال", None, None, 0.9, 1, 0, fact)
    message = plain_text(answer_messages(Answer("پرسش", False, (tagged,)))[0])
    assert f"#فکت؛ [۱] «{fact[6:]}»" in message and f"— {fact[6:40]}… · کانال" in message
    assert "[۱] «#ایران قهرمان شد.»" in plain_text(
        answer_messages(Answer("پرسش", False, (quote(1, "#ایران قهرمان شد.", "#ایران قهرمان شد."),)))[0]
    )
    # so does the word a channel marks a post's urgency with (AloNews: «فوری/…», drawn out «فووووری/…»)
    # and, after it, the line naming who speaks; a sentence that opens with the word reads on with it
    for label, words in (
        ("فوری/", "انفجار در اهواز و بوشهر"),
        ("فووووووووری/", "چند جنگنده به جنوب اعزام شدند"),
        ("خبر فوری | ", "زلزله در بندرعباس"),
        ("فوری/وال استریت ژورنال:\n\n", "جنگنده‌های ارتش آمریکا از بریتانیا به سمت خاورمیانه اعزام شدند"),
        ("؛", "پلیس بریتانیا دو نفر را در مرکز لندن بازداشت کرد."),  # «#فوری» / «؛پلیس …»: the tag's separator
        ("؛رئیس‌جمهور آمریکا درباره ایران:\n\n", "اکنون باید تصمیمی بگیرم."),
        # an agency's dateline is where the report was filed, not words of its first sentence
        ("تهران- ایرنا- ", "رئیس سازمان برنامه گفت: بودجه سال آینده هفته بعد به مجلس می‌رود."),
        ("تهران (پانا) - ", "مدیرعامل خبرگزاری گفت: اردوی دانش‌آموزان از فردا آغاز می‌شود."),
    ):
        shown = plain_text(answer_messages(Answer("پرسش", False, (quote(1, label + words, label + words),)))[0])
        assert f"[۱] «{words}»" in shown and shown.index(label.split("\n")[0].lstrip("؛")) < shown.index("[۱]"), label
        assert "؛[۱]" not in shown and "؛رئیس" not in shown, "a stray separator is no word of the passage's either"
    assert shown_title("؛پلیس بریتانیا دو نفر را بازداشت کرد…") == "پلیس بریتانیا دو نفر را بازداشت کرد…", "a title too"
    placed = "مشهد- رئیس مجلس گفت: ایران قوی است."  # a place with no agency: the sentence is quoted whole
    assert f"[۱] «{placed}»" in plain_text(answer_messages(Answer("پرسش", False, (quote(1, placed, placed),)))[0])
    urgent = "فوری‌ترین کار دولت مهار تورم است."
    assert f"[۱] «{urgent}»" in plain_text(answer_messages(Answer("پرسش", False, (quote(1, urgent, urgent),)))[0])


def test_a_post_titled_by_its_channel_names_the_channel_once():
    """A channel's post with no headline is titled by the channel, which is also its agency: the
    citation reads «خبر فوری · date», not «خبر فوری · خبر فوری · date», in the bot and the
    terminal alike; a headline keeps the agency beside it."""
    post = "منابع عربی از شنیده‌شدن صدای چند انفجار در بحرین خبر می‌دهند"
    url = "https://t.me/akhbarefori/1"
    untitled = Quote(1, post, "t1", "خبر فوری", "خبر فوری", "2026-07-24T08:01:00+00:00", url, 0.9, 1, 0, post)
    titled = Quote(2, post, "t2", "انفجارهای جدید بحرین را لرزاند", "خبر فوری", None, url, 0.9, 2, 0, post)
    when = dates.shown(untitled.published)
    message = plain_text(answer_messages(Answer("پرسش", False, (untitled, titled)))[0])
    assert f"— خبر فوری · {when}" in message and "خبر فوری · خبر فوری" not in message
    assert "— انفجارهای جدید بحرین را لرزاند · خبر فوری" in message
    terminal = to_terminal(Answer("پرسش", False, (untitled,)))
    assert f"— خبر فوری · {when}" in terminal and "خبر فوری · خبر فوری" not in terminal


def test_an_inline_results_preview_runs_a_speakers_line_into_their_words():
    """An inline result's description is one line of preview: a speaker's line joined to their
    words («آکسیوس:» over «به گفته …») no longer spends its lines on the break, and a stray
    separator («؛» of «#فوری» / «؛پلیس …») is not its first character."""
    said = "آکسیوس:\n\nبه گفته یک مقام ارشد آمریکایی، دو کشور توافق کردند حمله به یکدیگر را متوقف کنند."
    assert (
        messages.preview_line(said, 120)
        == "آکسیوس: به گفته یک مقام ارشد آمریکایی، دو کشور توافق کردند حمله به یکدیگر را متوقف کنند."
    )
    assert messages.preview_line("؛پلیس بریتانیا دو نفر را در مرکز لندن بازداشت کرد.", 120).startswith("پلیس")
    cut = messages.preview_line(said, 40)
    assert len(cut) <= 40 and cut.endswith("…") and "\n" not in cut


def test_a_title_that_leaves_a_direction_override_open_cannot_reverse_the_agency_and_date_beside_it():
    """U+202E (right-to-left override) in a hostile page's title ran to the end of the citation's
    line: the agency and date after it were drawn reversed, «۱۳۹۸» as «۸۹۳۱»."""
    title = "خبر \u202eمهم \u2069فوری 2019"
    line = messages.citation(title, "ایسنا", "2019-05-29T19:50:37+00:00")
    start, end = line.index("\u2067"), line.rindex("\u2069")
    assert line[start + 1 : end].replace("\u2069", "") == "خبر \u202eمهم فوری 2019", "the title, its stray isolate end left out"
    after = line[end + 1 :]
    assert "ایسنا" in after and "۱۳۹۸" in after and not set(after) & set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068")
    assert messages.citation("خبر مهم", "ایسنا", None) == "خبر مهم · ایسنا", "text without direction controls is as it was"


def test_a_headline_with_nothing_to_read_is_replaced_by_the_storys_opening_words():
    """A feed item titled «\\u200c», «🔻» or a no-break space was cited as a link no one could see
    or tap, and opened by a blank button."""
    from corpus.prepare import prepare
    from corpus.read import RawArticle

    text = "سد کرج با ظرفیت کامل آبگیری شد و مردم خوشحال هستند."
    for headline in ("\u200c\u200f", "🔻", " \u00a0 ", "\u202e"):
        article = prepare(RawArticle(id="x", text=text, origin="feed", title=headline, url="https://a.example/1")).article
        link = re.search(r"<a [^>]*>(.*?)</a>", messages.citation(article.title, "ایسنا", None, url=article.url)).group(1)
        assert link.startswith("سد کرج") and messages.button_label(article.title).startswith("سد کرج"), headline


def test_every_kind_of_answer_the_quotes_may_not_give_is_named_above_them_in_the_bot_and_the_terminal():
    """Each exact kind of answer («سال», «تاریخ», «سن» …) the pipeline can find unsaid has its own
    words, shown under the header and before the first quote; a kind with no words would leave
    the reader to take the nearest number for the answer."""
    from bot.texts import UNSAID, UNSAID_SHORT
    from retrieval.query.answer_type import EXACT_KINDS

    for what in EXACT_KINDS:
        answer = Answer("پرسش", False, (quote(1),), unsaid=what)
        shown = plain_text(answer_messages(answer)[0])
        assert shown.index(UNSAID[what]) < shown.index(SENTENCE[:20]), what
        assert UNSAID[what] in to_terminal(answer) and UNSAID_SHORT[what].endswith("نزدیک‌ترین جمله‌ها:"), what
    assert len({UNSAID[what] for what in EXACT_KINDS}) == len(EXACT_KINDS), "each kind says what it is"
